package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Help, version, and one clear line with exit code 2 for every kind of bad input. */
class CdsCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"run", "test", "validate", "batch", "diff"})
  void everySubcommandHasHelp(String command) {
    Cli.Result result = Cli.run(command, "--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: cds " + command).contains("--help");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void topLevelHelpListsTheSubcommandsAndExitCodes() {
    Cli.Result result = Cli.run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("run", "test", "validate", "batch", "diff",
        "Exit codes:");
  }

  @Test
  void versionIsTheProjectVersion() {
    Cli.Result result = Cli.run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().strip()).matches("cds \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(Cli.run("run", "--version").out()).isEqualTo(result.out());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no command | '' | a command is required",
      "unknown command | frobnicate | frobnicate",
      "bad flag | run --bogus examples/patients | --bogus",
      "missing patient | run | PATIENT",
      "bad path | run no/such/file.json | no such file or directory: no/such/file.json",
      "bad date | run --at 2025-02-30 examples/patients | '2025-02-30'",
      "bad instant | run --at yesterday examples/patients | 'yesterday'",
      "bad zone | run --zone Mars/Olympus examples/patients | 'Mars/Olympus' is not a time zone",
      "bad period | run --period 2025-01-01 examples/patients | '2025-01-01' is not START/END",
      "period backwards | run --period 2025-12-31/2025-01-01 examples/patients | starts after it ends",
      "bad format | run --format xml examples/patients | xml",
      "unknown pack | run --pack nope examples/patients | no shipped pack 'nope'",
      "bad value-set dir | run --value-sets no/such/dir examples/patients | --value-sets: no such file or directory: no/such/dir",
      "bad rules path | run --rules no/such.drl examples/patients | --rules: no such file or directory: no/such.drl",
      "test bad path | test no/such/dir | no such file or directory: no/such/dir",
      "validate bad path | validate no/such.drl | no such file or directory: no/such.drl",
      "batch without out | batch examples/patients | --out",
      "batch bad threads | batch --threads 0 --out target/x examples/patients | --threads must be from 1 to 256"})
  void badInputGivesOneLineAndExitCode2(String what, String args, String named) {
    Cli.Result result = Cli.run(args.isBlank() ? new String[0] : args.split(" "));
    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.errLines()).as("one line on stderr").hasSize(1);
    assertThat(result.err()).contains(named).startsWith("cds").doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aMeasurePackWithoutItsValueSetsIsNamedWithTheOptionToFixIt() {
    Cli.Result result = Cli.run("run", "--pack", "cms130-colorectal-cancer-screening",
        "--at", "2025-06-15", "examples/patients");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).contains("pack cms130-colorectal-cancer-screening needs")
        .contains("--value-sets");
  }

  @Test
  void anUnreadableInputFileGivesOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("broken.json");
    java.nio.file.Files.writeString(file, "{\"resourceType\": \"Bundle\", ");
    Cli.Result result = Cli.run("run", "--at", "2025-06-15", file.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).contains("broken.json").contains("not valid JSON");
  }

  @Test
  void verboseAddsTheStackTrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("other.json");
    java.nio.file.Files.writeString(file, "{\"hello\": 1}");
    Cli.Result plain = Cli.run("run", "--at", "2025-06-15", file.toString());
    Cli.Result verbose = Cli.run("run", "--verbose", "--at", "2025-06-15", file.toString());
    assertThat(plain.exitCode()).isEqualTo(2);
    assertThat(plain.err()).contains("not a FHIR Bundle or resource").doesNotContain("\tat ");
    assertThat(verbose.exitCode()).isEqualTo(2);
    assertThat(verbose.err()).contains("\tat ");
  }
}
