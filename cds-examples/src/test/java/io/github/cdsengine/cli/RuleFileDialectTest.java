package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule file that names a dialect Drools does not have is a problem at its file and line from
 * {@code validate} and {@code run}, not an internal error.
 */
class RuleFileDialectTest {

  private static String withDialect(String header, String attribute) {
    return ValidateCommandTest.rule("Dialect rule", "dialect-check", "PatientAge(years >= 50)")
        .replace("package test.rules;\n", "package test.rules;\n" + header)
        .replace("    @url(\"https://example.org/guideline\")\n",
            "    @url(\"https://example.org/guideline\")\n" + attribute);
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "", "JAVA", "groovy"})
  void anUnknownRuleDialectIsAFileLineProblem(String dialect, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("dialect.drl");
    Files.writeString(file, withDialect("", "    dialect \"" + dialect + "\"\n"));
    int line = Files.readAllLines(file).indexOf("    dialect \"" + dialect + "\"") + 1;
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains("dialect.drl:" + line + ": ")
        .contains("dialect \"" + dialect + "\"").doesNotContain("Exception");
  }

  @Test
  void anUnknownPackageDialectIsAFileLineProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dialect.drl");
    Files.writeString(file, withDialect("dialect 'foo'\n", ""));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out()).contains("dialect.drl:2: ").contains("dialect \"foo\"");
  }

  @Test
  void runReportsItAsTheRulesProblemNotAnInternalError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dialect.drl"), withDialect("", "    dialect \"foo\"\n"));
    Cli.Result result = Cli.run("run", "--pack", "none", "--rules", dir.toString(),
        "--at", "2025-06-15", "examples/patients");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err()).contains("the rules do not build").contains("dialect.drl:")
        .contains("dialect \"foo\"").doesNotContain("internal error");
  }

  @Test
  void theJavaDialectStillBuilds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dialect.drl");
    Files.writeString(file, withDialect("dialect \"java\"\n", "    dialect \"java\"\n"));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
  }
}
