package io.github.cdsengine.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The helpers RuleFile gives tools that scan DRL text. */
class RuleFileTest {

  private static final RuleFile FILE = new RuleFile("x.drl", """
      // a remark with "quotes"
      rule "A" /* block
         comment */ when
          Patient(id == "//not a comment", name != 'it''s /* fine */')
      then end
      """);

  @Test
  void commentsBecomeSpacesAndEverythingElseStaysInPlace() {
    String text = FILE.withoutComments();
    assertThat(text).hasSameSizeAs(FILE.content());
    assertThat(text.lines().toList()).hasSameSizeAs(FILE.content().lines().toList());
    assertThat(text).doesNotContain("a remark").doesNotContain("block")
        .contains("\"//not a comment\"").contains("/* fine */").contains("rule \"A\"");
  }

  @Test
  void lineAtCountsLinesFromOne() {
    assertThat(FILE.lineAt(0)).isEqualTo(1);
    assertThat(FILE.lineAt(FILE.content().indexOf("rule"))).isEqualTo(2);
    assertThat(FILE.lineAt(FILE.content().indexOf("Patient"))).isEqualTo(4);
    assertThat(FILE.lineAt(Integer.MAX_VALUE)).isEqualTo(6);
  }
}
