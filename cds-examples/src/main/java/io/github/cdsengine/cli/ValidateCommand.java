package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds validate}: rule files compiled and checked as an engine build does them, every
 * problem as {@code file:line: message}, plus lints: literal constraints that contradict each
 * other, and value sets no rule names.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = {"Compile DRL and check it as an engine build does (rule policy, metadata, "
        + "value-set and recommendation references), then lint it; print every problem as "
        + "file:line: message. Exits 1 when there is an error (or a warning, with --strict).",
        "RULES are DRL files, value-set files, pack manifests (pack.json) or directories of "
            + "them, at any depth."})
final class ValidateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "RULES", arity = "1..*", description = "Rule files or directories.")
  private List<Path> paths;

  @Option(names = "--value-sets", paramLabel = "DIR",
      description = "Value sets the rules may name beside their own, such as VSAC expansions "
          + "(repeatable).")
  private List<Path> valueSets = new ArrayList<>();

  @Option(names = "--pack", split = ",", paramLabel = "ID",
      description = "Shipped packs to load beside the rules, for rules that refer to theirs.")
  private List<String> packs = new ArrayList<>();

  @picocli.CommandLine.Mixin
  private SigningOptions signing = new SigningOptions();

  @Option(names = "--strict", description = "Exit 1 on warnings too.")
  private boolean strict;

  /** A problem to print: an error or a warning at a file and line. */
  record Report(String file, int line, boolean warning, String message) {
    @Override
    public String toString() {
      return file + (line > 0 ? ":" + line : "") + ": " + (warning ? "warning: " : "")
          + message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RuleSources sources = RuleSources.read(paths, "RULES");
    List<RuleFile> files = new ArrayList<>();
    sources.packs().forEach(p -> p.pack().rules().stream().filter(f -> !files.contains(f))
        .forEach(files::add));
    files.addAll(sources.rules());
    if (files.isEmpty()) {
      throw new UsageException("no DRL files or pack manifests in " + paths);
    }
    List<Report> reports = new ArrayList<>();
    int rules = build(sources, reports);
    for (RuleFile file : files) {
      DrlLint.contradictions(file).forEach(f ->
          reports.add(new Report(f.file(), f.line(), false, f.message())));
    }
    unusedValueSets(sources, files, reports);
    reports.sort(Comparator.comparing(Report::file).thenComparingInt(Report::line)
        .thenComparing(Report::message));
    reports.forEach(out::println);
    long errors = reports.stream().filter(r -> !r.warning()).count();
    long warnings = reports.size() - errors;
    out.println(files.size() + (files.size() == 1 ? " rule file" : " rule files")
        + (rules >= 0 ? ", " + rules + " rules" : ", not built") + ": " + errors
        + (errors == 1 ? " error, " : " errors, ") + warnings
        + (warnings == 1 ? " warning" : " warnings"));
    return errors > 0 || strict && warnings > 0 ? 1 : 0;
  }

  /** Builds an engine from the sources; the number of rules, or -1 with its problems reported. */
  private int build(RuleSources sources, List<Report> reports) {
    CdsEngine.Builder builder = CdsEngine.builder();
    signing.apply(builder);
    for (String id : packs) {
      List<RulePack> shipped = ShippedRulePacks.all();
      builder.addRulePack(shipped.stream().filter(p -> p.id().equals(id)).findFirst()
          .orElseThrow(() -> new UsageException("--pack: no shipped pack '" + id
              + "'; shipped: " + String.join(", ", shipped.stream().map(RulePack::id)
                  .toList()))));
    }
    sources.packs().forEach(p -> builder.addRulePack(p.pack()));
    sources.rules().forEach(builder::addRules);
    sources.valueSets().forEach(v -> builder.addValueSet(v.valueSet()));
    RuleSources.valueSets(valueSets, "--value-sets")
        .forEach(v -> builder.addValueSet(v.valueSet()));
    try (CdsEngine engine = builder.build()) {
      return engine.rules().size();
    } catch (RuleSetException e) {
      for (RuleProblem problem : e.problems()) {
        String file = sources.packs().stream().filter(p -> p.pack().id().equals(problem.file()))
            .map(RuleSources.PackDirectory::manifest).findFirst().orElse(problem.file());
        reports.add(new Report(file, problem.line(), false, problem.message()));
      }
      return -1;
    }
  }

  /**
   * A warning for each value-set file among the sources that no rule file names by a string
   * literal: its id, its URL, or a name a pack binds to its URL.
   */
  private static void unusedValueSets(RuleSources sources, List<RuleFile> files,
      List<Report> reports) {
    Set<String> literals = new HashSet<>();
    files.forEach(f -> literals.addAll(DrlLint.stringLiterals(f)));
    List<RuleSources.ValueSetFile> candidates = new ArrayList<>(sources.valueSets());
    sources.packValueSets().values().forEach(list -> list.stream()
        .filter(v -> !candidates.contains(v)).forEach(candidates::add));
    for (RuleSources.ValueSetFile file : candidates) {
      ValueSet valueSet = file.valueSet();
      boolean named = literals.contains(valueSet.id()) || literals.contains(valueSet.url())
          || sources.packs().stream().anyMatch(p -> p.pack().valueSetNames().entrySet().stream()
              .anyMatch(e -> e.getValue().equals(valueSet.url())
                  && literals.contains(e.getKey())));
      if (!named) {
        reports.add(new Report(file.file(), 0, true, "value set '" + valueSet.id() + "' ("
            + valueSet.url() + ") is not named by any rule"));
      }
    }
  }
}
