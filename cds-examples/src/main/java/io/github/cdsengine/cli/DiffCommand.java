package io.github.cdsengine.cli;

import io.github.cdsengine.population.HtmlReport;
import io.github.cdsengine.population.Proportions;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds diff}: one cohort through two rule sets at one instant, and every patient whose
 * outcome changes, with counts and rate changes per recommendation; a release gate when limits
 * are given.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = {"Evaluate one cohort with two rule sets and report every patient whose shown "
        + "or withheld recommendations, severities, measure populations or failed rules "
        + "change; exit 1 when a --max-... limit is exceeded, to gate a release.",
        "INPUT is a patient file (FHIR, NDJSON, CDS Hooks request or scenario) or a directory "
            + "read for its .json and .ndjson files at any depth."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:compared, and no limit exceeded",
        "1:a --max-... limit is exceeded, or the rules do not build",
        "2:usage or input error (bad flag, path, date or file)",
        "3:internal error"})
final class DiffCommand implements Callable<Integer> {

  /** Changed patients listed on the terminal; the CSV and HTML files list them all. */
  static final int LISTED = 50;

  @ParentCommand
  private CdsCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Patient files or "
      + "directories.")
  private List<Path> inputs;

  @Option(names = "--before-rules", paramLabel = "PATH",
      description = "The rule set before the change: DRL files, or directories of DRL and "
          + "value-set files or pack directories (pack.json) (repeatable). Either this or "
          + "--before-shipped.")
  private List<Path> beforeRules = new ArrayList<>();

  @Option(names = "--before-shipped",
      description = "The rule set before the change is the shipped version of each pack in "
          + "--after-rules (same pack id).")
  private boolean beforeShipped;

  @Option(names = "--after-rules", paramLabel = "PATH", required = true,
      description = "The rule set after the change, as --before-rules (repeatable).")
  private List<Path> afterRules = new ArrayList<>();

  @Option(names = "--value-sets", paramLabel = "DIR",
      description = "Directory (or file) of FHIR ValueSet JSON loaded with both rule sets, such "
          + "as the VSAC expansions the measure packs need (repeatable).")
  private List<Path> valueSets = new ArrayList<>();

  @Option(names = "--max-changed-patients", paramLabel = "N",
      description = "Exit 1 when more than N patients change.")
  private Integer maxChangedPatients;

  @Option(names = "--max-rate-change", paramLabel = "PCT",
      description = "Exit 1 when any recommendation's share of patients shown it moves by more "
          + "than PCT percentage points, up or down.")
  private Double maxRateChange;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write the changed patients: a row per change (patient, source, kind, "
          + "item, before, after).")
  private Path csv;

  @Option(names = "--summary-csv", paramLabel = "FILE",
      description = "Write the counts per recommendation: shown and withheld before and after, "
          + "rates, rate change with its 95%% interval (Newcombe).")
  private Path summaryCsv;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write a self-contained HTML report (no external resources).")
  private Path html;

  @Mixin
  private TimeOptions time;

  @Mixin
  private InputFiles.Limit limit;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CohortDiff.Thresholds limits = thresholds();
    for (Path file : new Path[] {csv, summaryCsv, html}) {
      if (file != null && Files.isDirectory(file)) {
        throw new UsageException("an output file is a directory: " + file);
      }
    }
    requireExisting(afterRules, "--after-rules");
    requireExisting(beforeRules, "--before-rules");
    EngineOptions after = options(List.of("none"), afterRules);
    EngineOptions before = beforeShipped ? options(shippedIds(), List.of())
        : options(List.of("none"), beforeRules);
    List<Path> files = PatientInputs.files(inputs);
    files.forEach(file -> PatientInputs.kind(file, limit.bytes));
    boolean atGiven = spec.commandLine().getParseResult().hasMatchedOption("--at");
    EvaluationContext context = time.context(cli.clock());
    CohortDiff diff = new CohortDiff();
    CohortDiff.Comparison comparison;
    try (CdsEngine was = before.build(err); CdsEngine is = after.build(err)) {
      RunCommand.noteMissingPeriod(is, context, err);
      time.announce(context, err);
      boolean[] ownInstants = {false};
      for (Path file : files) {
        PatientInputs.read(file, limit.bytes, subject -> {
          ownInstants[0] |= subject.scenario() != null && !atGiven;
          EvaluationContext used = subject.context(context, atGiven);
          diff.add(subject, subject.evaluate(was, used), subject.evaluate(is, used));
        });
      }
      comparison = new CohortDiff.Comparison(
          context.instant() + (ownInstants[0] ? "; scenario files at their own" : ""),
          context.zone().getId(), context.measurementPeriod() == null ? null
              : context.measurementPeriod().start() + "/" + context.measurementPeriod().end(),
          side(was, beforeShipped ? "shipped" : paths(beforeRules)),
          side(is, paths(afterRules)));
    }
    List<String> exceeded = diff.exceeded(limits);
    write(csv, diff.changesCsv());
    write(summaryCsv, diff.summaryCsv());
    if (html != null) {
      write(html, HtmlReport.render(diffTemplate(), diff.toJson(comparison, limits)));
    }
    summary(diff, comparison, limits, out);
    return exceeded.isEmpty() ? 0 : CdsCli.RULE_PROBLEM;
  }

  private CohortDiff.Thresholds thresholds() {
    if (beforeShipped == !beforeRules.isEmpty()) {
      throw new UsageException("give the rule set before the change: either --before-rules "
          + "PATH or --before-shipped" + (beforeShipped ? ", not both" : ""));
    }
    if (maxChangedPatients != null && maxChangedPatients < 0) {
      throw new UsageException("--max-changed-patients must be 0 or more: "
          + maxChangedPatients);
    }
    if (maxRateChange != null && !(maxRateChange >= 0 && maxRateChange <= 100)) {
      throw new UsageException("--max-rate-change must be from 0 to 100 percentage points: "
          + maxRateChange);
    }
    return new CohortDiff.Thresholds(maxChangedPatients, maxRateChange);
  }

  private static void requireExisting(List<Path> paths, String option) {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UsageException(option + ": no such file or directory: " + path);
      }
    }
  }

  /** The ids of the packs in {@code --after-rules}, each checked to be shipped. */
  private List<String> shippedIds() {
    List<RuleSources.PackDirectory> packs =
        RuleSources.read(afterRules, "--after-rules").packs();
    if (packs.isEmpty()) {
      throw new UsageException("--before-shipped compares packs with the shipped packs of the "
          + "same id, but --after-rules holds no pack (pack.json): give --before-rules");
    }
    List<String> shipped = ShippedRulePacks.all().stream().map(RulePack::id).toList();
    List<String> ids = new ArrayList<>();
    for (RuleSources.PackDirectory pack : packs) {
      if (!shipped.contains(pack.pack().id())) {
        throw new UsageException("--before-shipped: the pack '" + pack.pack().id() + "' of "
            + pack.manifest() + " is not shipped; shipped: " + String.join(", ", shipped));
      }
      ids.add(pack.pack().id());
    }
    return ids;
  }

  /** The rules of one side: {@code packs} shipped (or {@code none}) and {@code rules}. */
  private EngineOptions options(List<String> packs, List<Path> rules) {
    EngineOptions options = new EngineOptions();
    options.packs = new ArrayList<>(packs);
    options.rules = new ArrayList<>(rules);
    options.valueSets = new ArrayList<>(valueSets);
    return options;
  }

  private static CohortDiff.RuleSet side(CdsEngine engine, String from) {
    return new CohortDiff.RuleSet(from, engine.ruleSet(), engine.packs());
  }

  private static String paths(List<Path> paths) {
    return String.join(", ", paths.stream().map(Paths::display).toList());
  }

  /** The rule-change report's page, its data's place marked for {@link HtmlReport#render}. */
  private static String diffTemplate() throws IOException {
    try (InputStream in = DiffCommand.class.getResourceAsStream("diff-report.html")) {
      if (in == null) {
        throw new IllegalStateException("missing resource diff-report.html");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(Path file, String text) throws IOException {
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The terminal summary: the two rule sets, counts and rate changes, changes, the gate. */
  private static void summary(CohortDiff diff, CohortDiff.Comparison comparison,
      CohortDiff.Thresholds limits, PrintWriter out) {
    out.println("Compared " + diff.patients() + " patients at " + comparison.at() + " ("
        + comparison.zone() + ")");
    out.println("  before: " + comparison.before().ruleSet() + " (" + comparison.before().from()
        + ")");
    out.println("  after:  " + comparison.after().ruleSet() + " (" + comparison.after().from()
        + ")");
    if (diff.incompleteBefore() + diff.incompleteAfter() > 0) {
      out.println("  results with a failed rule: " + diff.incompleteBefore() + " before, "
          + diff.incompleteAfter() + " after");
    }
    out.println(diff.changed().size() + " of " + diff.patients() + " patients changed");
    out.println();
    if (!diff.recommendations().isEmpty() && diff.patients() > 0) {
      TextTable table = new TextTable(34, 14, 14, 27, 8);
      table.row("recommendation", "shown before", "shown after", "change, points (95% CI)",
          "changed");
      for (CohortDiff.RecommendationCounts c : diff.recommendations()) {
        Proportions.Interval ci = diff.rateChangeInterval(c);
        table.row(c.id(), shown(c.before().shown(), diff.patients()),
            shown(c.after().shown(), diff.patients()),
            CohortDiff.points(diff.rateChange(c)) + " (" + CohortDiff.points(ci.lower())
                + " to " + CohortDiff.points(ci.upper()) + ")",
            String.valueOf(c.changedPatients()));
      }
      table.lines().forEach(out::println);
      out.println();
    }
    List<CohortDiff.MeasureRow> measures = diff.measureRows().stream()
        .filter(row -> row.before() != row.after()).toList();
    if (!measures.isEmpty()) {
      out.println("Measure populations that changed:");
      for (CohortDiff.MeasureRow row : measures) {
        out.println("  " + row.measure() + " group " + row.group() + " " + row.population()
            + ": " + row.before() + " -> " + row.after());
      }
      out.println();
    }
    List<CohortDiff.ChangedPatient> changed = diff.changed();
    if (!changed.isEmpty()) {
      out.println("Changed patients" + (changed.size() > LISTED ? " (the first " + LISTED
          + "; --csv and --html list all " + changed.size() + ")" : "") + ":");
      for (CohortDiff.ChangedPatient p : changed.subList(0, Math.min(LISTED, changed.size()))) {
        out.println("  " + p.patient() + " (" + p.source() + ")");
        for (CohortDiff.Change c : p.changes()) {
          out.println("    " + c.item().kind().label() + " " + c.item().name() + ": "
              + c.before() + " -> " + c.after());
        }
      }
      out.println();
    }
    List<String> exceeded = diff.exceeded(limits);
    if (!limits.any()) {
      out.println("Gate: no limits given (--max-changed-patients, --max-rate-change)");
    } else if (exceeded.isEmpty()) {
      out.println("Gate: passed");
    } else {
      out.println("Gate: FAILED");
      exceeded.forEach(line -> out.println("  " + line));
    }
  }

  private static String shown(int count, int patients) {
    return count + String.format(Locale.ROOT, " (%.1f%%)", 100.0 * count / patients);
  }
}
