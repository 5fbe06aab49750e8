package io.github.cdsengine.examples;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.CdsException;
import io.github.cdsengine.core.EvaluationResult;
import io.github.cdsengine.core.Recommendation;
import io.github.cdsengine.core.WithheldRecommendation;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.core.scenario.ScenarioReader;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Evaluates scenario files with every shipped rule pack and prints each patient's ranked
 * recommendations, the ones withheld and why, and whether each scenario's expectations hold.
 *
 * <p>With no arguments it runs the example patients bundled in this jar; otherwise each argument
 * is a scenario file or a directory of them. Exits 0 when every expectation holds, 1 when one
 * does not, 2 on unreadable input.
 */
public final class RunExamples {

  private static final String BUNDLED = "examples/";

  private RunExamples() {}

  /** Runs the examples; see the class comment for arguments and exit codes. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    List<Scenario> scenarios;
    try {
      scenarios = args.length == 0 ? bundled() : fromPaths(args);
    } catch (CdsException | UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    int failed;
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines()).build()) {
      failed = run(engine, scenarios, out);
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Evaluates {@code scenarios}, prints a report, and returns how many missed an expectation. */
  static int run(CdsEngine engine, List<Scenario> scenarios, PrintStream out) {
    out.println("Rule packs: " + String.join(", ", engine.packs()) + " (" + engine.rules().size()
        + " rules, " + engine.valueSets().all().size() + " value sets)");
    int failed = 0;
    int shown = 0;
    int withheld = 0;
    for (Scenario scenario : scenarios) {
      EvaluationResult result = engine.evaluate(scenario.record(), scenario.context());
      shown += result.recommendations().size();
      withheld += result.withheld().size();
      List<String> mismatches = scenario.mismatches(result);
      if (!mismatches.isEmpty()) {
        failed++;
      }
      print(scenario, result, mismatches, out);
    }
    out.println();
    out.printf("%d patients: %d recommendations shown, %d withheld; expectations %s%n",
        scenarios.size(), shown, withheld,
        failed == 0 ? "met for every patient" : "missed for " + failed + " patients");
    return failed;
  }

  private static void print(Scenario scenario, EvaluationResult result, List<String> mismatches,
      PrintStream out) {
    out.println();
    out.printf("== %s (%s) at %s, %s%n", scenario.name(), result.patientId(),
        scenario.context().date(), scenario.zone());
    if (scenario.description() != null) {
      out.println("   " + scenario.description());
    }
    if (result.recommendations().isEmpty()) {
      out.println("   No recommendations.");
    }
    int rank = 1;
    for (Recommendation r : result.recommendations()) {
      out.printf("   %d. %-8s %-9s %s  [%s]%n", rank++, r.severity().code(), r.evidenceGrade(),
          r.title(), r.id());
      out.println("      " + r.detail());
      out.println("      Because: " + r.rationale().stream().map(Object::toString)
          .collect(Collectors.joining(", ")) + "; rules: " + String.join("; ", r.rules()));
      out.println("      Source: " + r.guideline().publisher() + ", " + r.guideline().title()
          + " (" + r.guideline().version() + ")");
    }
    for (WithheldRecommendation w : result.withheld()) {
      out.printf("   Withheld (%s): %s  [%s]%n", w.disposition().name().toLowerCase(),
          w.recommendation().title(), w.recommendation().id());
      for (WithheldRecommendation.Reason reason : w.reasons()) {
        out.println("      " + reason.text() + " Because: " + reason.rationale().stream()
            .map(Object::toString).collect(Collectors.joining(", ")));
      }
    }
    result.warnings().forEach(w -> out.println("   Data warning: " + w));
    result.failures().forEach(f -> out.println("   RULE FAILED: " + f));
    mismatches.forEach(m -> out.println("   EXPECTATION MISSED: " + m));
  }

  /** The example scenarios bundled in this jar, in the order of their index. */
  static List<Scenario> bundled() {
    ClassLoader loader = RunExamples.class.getClassLoader();
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : resourceLines(loader, BUNDLED + "index")) {
      try (InputStream in = loader.getResourceAsStream(BUNDLED + name)) {
        if (in == null) {
          throw new UncheckedIOException(new IOException("missing bundled example " + name));
        }
        scenarios.add(ScenarioReader.read(in, BUNDLED + name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return scenarios;
  }

  private static List<String> resourceLines(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing " + resource));
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(String::strip).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Scenario> fromPaths(String[] args) {
    List<Scenario> scenarios = new ArrayList<>();
    for (String arg : args) {
      Path path = Path.of(arg);
      if (!Files.exists(path)) {
        throw new UncheckedIOException(new IOException("no such file or directory: " + arg));
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          files.filter(p -> p.toString().endsWith(".json")).sorted()
              .forEach(p -> scenarios.add(ScenarioReader.read(p)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        scenarios.add(ScenarioReader.read(path));
      }
    }
    return scenarios;
  }
}
