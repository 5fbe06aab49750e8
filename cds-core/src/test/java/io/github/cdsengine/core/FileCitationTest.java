package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.CITATION;
import static io.github.cdsengine.core.testing.TestRules.HEADER;
import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import org.junit.jupiter.api.Test;

/** A rule file's header declares the citation of every rule that declares none of its own. */
class FileCitationTest {

  private static final String FILE_CITATION = """
      // Header Guideline, cited by every rule below that cites no other source.
      // @publisher("Header Publisher")
      // @guideline("Header Guideline")
      // @version("2025")
      // @url("https://example.org/header")
      """;

  private static final Guideline HEADER_GUIDELINE =
      new Guideline("Header Publisher", "Header Guideline", "2025", "https://example.org/header");

  private static String rule(String name, String metadata) {
    return "rule \"" + name + "\"\n" + metadata + "when\n    Patient()\nthen\nend\n\n";
  }

  private static String recommending(String name) {
    return rule(name, """
            @recommendation("header-rec")
            @title("Header recommendation")
            @evidence("USPSTF:B")
            @category("screening")
            @severity("info")
        """).replace("then\n", "then\n    insert(new Proposal(\"x\"));\n");
  }

  @Test
  void rulesThatCiteNothingCiteTheHeaderAndARuleMayCiteAnotherSource() {
    RuleFile rules = new RuleFile("cited.drl", FILE_CITATION + HEADER
        + recommending("Recommends") + rule("Supports", "") + rule("Cites another", CITATION));

    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      assertThat(engine.rules()).extracting(RuleInfo::name, RuleInfo::guideline)
          .containsExactlyInAnyOrder(
              tuple("Recommends", HEADER_GUIDELINE),
              tuple("Supports", HEADER_GUIDELINE),
              tuple("Cites another", new Guideline("Test Publisher",
                  "Test Guideline", "2024", "https://example.org/guideline")));
    }
  }

  @Test
  void aHeaderLineMayHoldSeveralEntries() {
    RuleFile rules = new RuleFile("compact.drl", """
        // @publisher("Header Publisher") @guideline("Header Guideline")
        // @version("2025")  @url( "https://example.org/header" )
        """ + HEADER + rule("Compact", ""));

    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      assertThat(engine.rules()).singleElement()
          .satisfies(rule -> assertThat(rule.guideline()).isEqualTo(HEADER_GUIDELINE));
    }
  }

  @Test
  void aHeaderCitesTheRulesOfItsOwnFileOnly() {
    RuleFile cited = new RuleFile("cited.drl", FILE_CITATION + HEADER + rule("Cited", ""));
    RuleFile uncited = new RuleFile("uncited.drl", HEADER + rule("Uncited", ""));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(cited).addRules(uncited));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("uncited.drl");
      assertThat(p.line()).isEqualTo(lineOf(uncited, "rule \"Uncited\""));
      assertThat(p.message()).isEqualTo("rule \"Uncited\": missing @guideline, @publisher, "
          + "@url, @version (every rule cites its source)");
    });
  }

  @Test
  void aRuleThatCitesPartOfAnotherSourceIsRefusedAtItsLine() {
    RuleFile rules = new RuleFile("partial.drl", FILE_CITATION + HEADER
        + rule("Partial", "    @version(\"2026\")\n"));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rules, "rule \"Partial\""));
      assertThat(p.message()).startsWith("rule \"Partial\": declares @version but not "
          + "@guideline, @publisher, @url");
    });
  }

  @Test
  void anIncompleteHeaderIsRefusedAtItsFirstLine() {
    RuleFile rules = new RuleFile("incomplete.drl", FILE_CITATION.replace(
        "// @version(\"2025\")\n", "") + HEADER + rule("Cited", CITATION));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("incomplete.drl");
      assertThat(p.line()).isEqualTo(lineOf(rules, "@publisher(\"Header Publisher\")"));
      assertThat(p.message()).startsWith("the file's header lacks @version");
    });
  }

  @Test
  void eachBadHeaderLineIsRefusedAtItsLine() {
    RuleFile rules = new RuleFile("bad.drl", FILE_CITATION
        + "// @title(\"Not for a file\")\n"
        + "// @url(\"https://example.org/again\")\n"
        + "// @note(unquoted)\n"
        + HEADER + rule("Cited", CITATION));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));

    assertThat(e.problems()).extracting(RuleProblem::line).containsExactly(
        lineOf(rules, "@title"), lineOf(rules, "example.org/again"), lineOf(rules, "@note"));
    assertThat(e.problems()).extracting(RuleProblem::message).satisfiesExactly(
        m -> assertThat(m).startsWith("@title cannot be declared for a whole file"),
        m -> assertThat(m).isEqualTo("@url is declared twice in the file's header"),
        m -> assertThat(m).startsWith("header '@note(unquoted)' must be @name(\"value\")"));
  }

  @Test
  void aHeaderWhoseAddressIsNotHttpIsRefused() {
    RuleFile rules = new RuleFile("url.drl", FILE_CITATION.replace("https://example.org/header",
        "example.org/header") + HEADER + rule("Cited", CITATION));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rules, "@publisher(\"Header Publisher\")"));
      assertThat(p.message()).contains("'example.org/header'", "absolute http(s)");
    });
  }

  @Test
  void onlyLineCommentsBeforeTheFirstRuleAreTheHeader() {
    RuleFile rules = new RuleFile("commented.drl", "/*\n" + FILE_CITATION + "*/\n" + HEADER
        + rule("First", CITATION) + FILE_CITATION + rule("Second", ""));

    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rules, "rule \"Second\""));
      assertThat(p.message()).contains("missing @guideline, @publisher, @url, @version");
    });
  }
}
