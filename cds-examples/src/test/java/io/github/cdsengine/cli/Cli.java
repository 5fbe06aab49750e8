package io.github.cdsengine.cli;

import io.github.cdsengine.core.testing.Conformance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** Runs the command line in-process with captured output and a fixed clock. */
final class Cli {

  /** The instant the tests' clock reads for {@code --at now}. */
  static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
  /** The bundled examples, from the module directory where tests run. */
  static final Path EXAMPLES = Path.of("examples");
  static final Path PATIENTS = EXAMPLES.resolve("patients");
  static final Path SCENARIOS = EXAMPLES.resolve("scenarios");
  static final Path USPSTF_SCENARIOS = SCENARIOS.resolve("uspstf-colorectal-cancer-screening");

  /** What one run gave. */
  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = CdsCli.commandLine(Clock.fixed(NOW, ZoneOffset.UTC));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** The VSAC expansions of the conformance folder, if present. */
  static Optional<Path> valueSets() {
    return Conformance.find("ecqm/vocabulary/valueset");
  }

  /** The CDC opioid reference implementation's value sets, when the conformance folder is there. */
  static Optional<Path> opioidValueSets() {
    return Conformance.find("opioid-cds/vocabulary/valueset");
  }

  static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
