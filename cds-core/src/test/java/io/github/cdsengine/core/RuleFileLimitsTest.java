package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.GOOD;
import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule files past a size limit (bytes, line length, rules) are refused with their file and line
 * before anything parses them; files exactly at a limit build.
 */
class RuleFileLimitsTest {

  private static final RuleFile GOOD_FILE = file("good.drl", GOOD);

  /** A comment line that pads a file; it adds no rule. */
  private static String padding(int characters) {
    return "// " + "x".repeat(characters - 3) + "\n";
  }

  private static void builds(CdsEngine.Builder builder) {
    try (CdsEngine engine = builder.build()) {
      assertThat(engine.rules()).isNotEmpty();
    }
  }

  @Test
  void aFileOfExactlyTheByteLimitBuildsAndOneByteMoreDoesNot() {
    int size = GOOD_FILE.content().getBytes(StandardCharsets.UTF_8).length;
    // A two-byte character, so that bytes, not characters, are counted.
    RuleFile atLimit = new RuleFile("at-limit.drl", GOOD_FILE.content() + "// é\n");
    int limit = atLimit.content().getBytes(StandardCharsets.UTF_8).length;
    assertThat(limit).isEqualTo(size + 6).isEqualTo(atLimit.content().length() + 1);
    builds(CdsEngine.builder().addRules(atLimit).maxRuleFileBytes(limit));

    RuleFile over = new RuleFile("over.drl", atLimit.content() + "\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(over).maxRuleFileBytes(limit));
    int lastLine = (int) over.content().chars().filter(c -> c == '\n').count();
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("over.drl");
      assertThat(p.line()).isEqualTo(lastLine);
      assertThat(p.message()).contains("larger than " + limit + " bytes", "maxRuleFileBytes");
    });
  }

  @Test
  void aLineOfExactlyTheLengthLimitBuildsAndOneCharacterMoreDoesNot() {
    RuleFile atLimit = new RuleFile("long-line.drl", padding(500) + GOOD_FILE.content());
    builds(CdsEngine.builder().addRules(atLimit).maxRuleFileLineLength(500));

    RuleFile over = new RuleFile("long-line.drl", GOOD_FILE.content() + padding(501));
    int line = (int) GOOD_FILE.content().chars().filter(c -> c == '\n').count() + 1;
    RuleSetException e = buildFails(CdsEngine.builder().addRules(over).maxRuleFileLineLength(500));
    assertThat(e.problems()).singleElement().isEqualTo(new RuleProblem("long-line.drl", line,
        "the line is 501 characters long, longer than 500, the limit for one line of a rule "
            + "file (maxRuleFileLineLength)"));
  }

  /** {@code count} rules, each a few bytes; the first begins on line 2. */
  private static RuleFile manyRules(String name, int count) {
    StringBuilder text = new StringBuilder("package test.rules;\n");
    for (int i = 0; i < count; i++) {
      text.append("rule r").append(i).append(" when then end\n");
    }
    return new RuleFile(name, text.toString());
  }

  @Test
  void exactlyTheRuleLimitBuildsAndOneRuleMoreDoesNot() {
    // Commented-out rules do not count.
    RuleFile atLimit = new RuleFile("three.drl", GOOD_FILE.content()
        + "// rule \"Commented out\"\n/*\nrule \"Also commented out\"\n*/\n"
        + EngineFailureTest.GOOD.replace("\"Good\"", "\"Good 2\"")
        + EngineFailureTest.GOOD.replace("\"Good\"", "\"Good 3\""));
    builds(CdsEngine.builder().addRules(atLimit).maxRulesPerFile(3));

    RuleFile over = manyRules("four.drl", 4);
    RuleSetException e = buildFails(CdsEngine.builder().addRules(over).maxRulesPerFile(3));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("four.drl");
      assertThat(p.line()).isEqualTo(5);
      assertThat(p.message()).contains("declares 4 rules, more than 3", "maxRulesPerFile");
    });
  }

  @Test
  void aTwentyThousandRuleFileIsRefusedBeforeAnythingParsesIt() {
    RuleFile hostile = manyRules("twenty-thousand.drl", 20_000);
    long start = System.nanoTime();
    RuleSetException e = buildFails(CdsEngine.builder().addRules(GOOD_FILE).addRules(hostile));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString()).startsWith("twenty-thousand.drl:1002: ");
      assertThat(p.message()).contains("declares 20000 rules, more than 1000");
    });
    // Drools would take minutes to compile 20,000 rules; refusing takes a scan of the text.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aFortyMegabyteLineIsRefusedBeforeAnythingParsesIt() {
    RuleFile hostile = new RuleFile("forty-megabytes.drl",
        "package test.rules;\n" + "rule \"xy".repeat(40_000_000 / 8) + "\n");
    RuleSetException bytes = buildFails(CdsEngine.builder().addRules(hostile));
    assertThat(bytes.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString()).startsWith("forty-megabytes.drl:2: ");
      assertThat(p.message()).contains("larger than 1048576 bytes");
    });
    // With room for the bytes, the line is what is refused.
    RuleSetException line = buildFails(CdsEngine.builder().addRules(hostile)
        .maxRuleFileBytes(64 << 20));
    assertThat(line.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString()).startsWith("forty-megabytes.drl:2: ");
      assertThat(p.message()).contains("the line is 40000000 characters long");
    });
  }

  @Test
  void aFileOnDiskPastTheByteLimitIsNotRead(@TempDir Path folder) throws Exception {
    Path atLimit = folder.resolve("at-limit.drl");
    Files.writeString(atLimit, GOOD_FILE.content(), StandardCharsets.UTF_8);
    int limit = (int) Files.size(atLimit);
    // The limit is set after the path is added: the file is read, and sized, by build().
    builds(CdsEngine.builder().addRules(atLimit).maxRuleFileBytes(limit));

    Path over = folder.resolve("over.drl");
    Files.writeString(over, GOOD_FILE.content() + "\n", StandardCharsets.UTF_8);
    RuleSetException e = buildFails(CdsEngine.builder().addRules(over).maxRuleFileBytes(limit));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(over.toString());
      assertThat(p.line()).isZero();
      assertThat(p.message()).contains("is " + (limit + 1) + " bytes", "not read");
    });
  }

  @Test
  void everyOversizedFileIsListedAndTheOthersAreNotCompiled() {
    RuleFile broken = file("broken.drl", "rule \"Broken\" when Nonsense( then end\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(broken)
        .addRules(manyRules("a.drl", 3)).addRules(manyRules("b.drl", 4)).maxRulesPerFile(2));
    // The Drools error in broken.drl is not reported: nothing was compiled.
    assertThat(e.problems()).extracting(RuleProblem::file).containsExactly("a.drl", "b.drl");
  }

  @Test
  void theLimitsArePositiveAndGenerousByDefault() {
    assertThat(CdsEngine.Builder.DEFAULT_MAX_RULE_FILE_BYTES).isEqualTo(1_048_576);
    assertThat(CdsEngine.Builder.DEFAULT_MAX_RULE_FILE_LINE_LENGTH).isEqualTo(20_000);
    assertThat(CdsEngine.Builder.DEFAULT_MAX_RULES_PER_FILE).isEqualTo(1_000);
    assertThatThrownBy(() -> CdsEngine.builder().maxRuleFileBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRuleFileBytes")
        .hasMessageContaining(": 0");
    assertThatThrownBy(() -> CdsEngine.builder().maxRuleFileLineLength(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(": -1");
    assertThatThrownBy(() -> CdsEngine.builder().maxRulesPerFile(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRulesPerFile");
  }
}
