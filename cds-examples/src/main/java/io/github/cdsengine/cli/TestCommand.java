package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.scenario.Expectations;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.core.scenario.ScenarioReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds test}: scenario files run like unit tests, a line per scenario, a diff for each
 * failure, a summary, exit code 1 when one failed.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = {"Run scenario files like unit tests: PASS, FAIL (with what differs) or SKIP "
        + "per scenario, then 'N passed, M failed'. Exits 1 when a scenario fails.",
        "A directory is read for its .json files at any depth. A scenario that names packs "
            + "(\"packs\") that are not loaded is skipped, saying why."})
final class TestCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", arity = "1..*",
      description = "Scenario files or directories of them.")
  private List<Path> scenarios;

  @Option(names = "--show", description = "Also print each scenario's ranked "
      + "recommendations, as run prints them.")
  private boolean show;

  @Mixin
  private EngineOptions engineOptions;

  @Mixin
  private InputFiles.Limit limit;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = PatientInputs.files(scenarios).stream()
        .filter(p -> p.toString().endsWith(".json")).toList();
    if (files.isEmpty()) {
      throw new UsageException("no scenario files (.json) in " + scenarios);
    }
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    try (CdsEngine engine = engineOptions.build(err)) {
      Set<String> loaded = engine.packs().stream()
          .map(p -> p.substring(0, p.lastIndexOf('@'))).collect(Collectors.toSet());
      ResultText.wrapped(out, "", "Rule packs: " + String.join(", ", engine.packs()));
      for (Path file : files) {
        Scenario scenario;
        try {
          scenario = read(file);
        } catch (InvalidDataException e) {
          out.println("FAIL  " + file + ": cannot be read");
          ResultText.wrapped(out, "      ", e.getMessage());
          failed++;
          continue;
        }
        List<String> missing = scenario.packs().stream().filter(p -> !loaded.contains(p))
            .toList();
        if (!missing.isEmpty()) {
          out.println("SKIP  " + scenario.name() + "  (" + file + "): needs "
              + String.join(", ", missing) + ", not loaded");
          skipped++;
          continue;
        }
        EvaluationResult result = scenario.evaluate(engine);
        List<String> mismatches = scenario.mismatches(result);
        if (mismatches.isEmpty()) {
          out.println("PASS  " + scenario.name() + "  (" + file + ")");
          passed++;
        } else {
          out.println("FAIL  " + scenario.name() + "  (" + file + ")");
          diff(scenario.expect(), result, mismatches, out);
          failed++;
        }
        if (show) {
          if (scenario.description() != null) {
            ResultText.wrapped(out, "      ", scenario.description());
          }
          ResultText.print(new Subject(file.toString(), scenario.record(), null, scenario),
              scenario.context(), result, false, out);
        }
      }
    }
    out.println();
    out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped
        + " skipped" : ""));
    return failed > 0 ? 1 : 0;
  }

  /** The scenario in {@code file}, read within the input size limit. */
  private Scenario read(Path file) {
    try (InputStream in = InputFiles.open(file, limit.bytes)) {
      return ScenarioReader.read(in, file.toString(), file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new InvalidDataException(file.toString(), "$", "cannot read: " + e.getMessage());
    }
  }

  /** What was expected beside what came, then each way they differ. */
  static void diff(Expectations expect, EvaluationResult result, List<String> mismatches,
      PrintWriter out) {
    List<String> shown = result.recommendations().stream().map(Recommendation::id).toList();
    List<String> withheld = result.withheld().stream().map(w -> w.recommendation().id() + " ("
        + w.disposition().name().toLowerCase(Locale.ROOT) + ")").toList();
    TextTable table = new TextTable(9, 40, 43);
    table.row("", "expected", "actual");
    if (!expect.shown().isEmpty() || !expect.order().isEmpty()) {
      List<String> wanted = new ArrayList<>(expect.shown());
      expect.order().stream().filter(id -> !wanted.contains(id)).forEach(wanted::add);
      table.row("shown", list(wanted), list(shown));
    }
    if (!expect.withheld().isEmpty()) {
      table.row("withheld", list(expect.withheld()), list(withheld));
    }
    if (!expect.absent().isEmpty()) {
      table.row("absent", list(expect.absent()), "");
    }
    if (!expect.order().isEmpty()) {
      table.row("order", list(expect.order()), list(shown.stream()
          .filter(expect.order()::contains).toList()));
    }
    table.lines().forEach(line -> out.println("      " + line));
    mismatches.forEach(m -> ResultText.wrapped(out, "      ", "- " + m));
  }

  private static String list(List<String> ids) {
    return ids.isEmpty() ? "(none)" : String.join(" ", ids);
  }
}
