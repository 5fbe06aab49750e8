package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.fhir.BulkAccount;
import io.github.cdsengine.core.fhir.BulkExport;
import io.github.cdsengine.core.fhir.BulkPatients;
import io.github.cdsengine.population.Csv;
import io.github.cdsengine.population.InputReport;
import io.github.cdsengine.population.DrillDown;
import io.github.cdsengine.population.HtmlReport;
import io.github.cdsengine.population.PatientRow;
import io.github.cdsengine.population.PopulationSummary;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds batch}: a population run. Patients are evaluated on a fixed pool of threads that
 * share one engine; results are written in input order, so the outputs do not depend on the
 * number of threads.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = {"Evaluate a population and write per-patient results, firing statistics "
        + "(overall, by age band and by sex), measure rates and an HTML report to --out.",
        "INPUT is a patient file (FHIR, NDJSON, CDS Hooks request or scenario), a FHIR Bulk "
            + "Data export folder (per-type NDJSON, plain or .gz, with or without its "
            + "manifest.json), or a directory read for its .json and .ndjson files and export "
            + "folders at any depth; every file not read is named."})
final class BatchCommand implements Callable<Integer> {

  @ParentCommand
  private CdsCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Patient files or "
      + "directories.")
  private List<Path> inputs;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Directory for results.ndjson, results.parquet/ (one part, the Spark "
          + "runner's columns), results.csv, errors.ndjson, summary.json, "
          + "summary.csv, recommendation-rates.csv, measures.csv and measure-reports.json (when "
          + "measures ran) and report.html; made if missing.")
  private Path out;

  /** The most evaluation threads a run may ask for. */
  static final int MAX_THREADS = 256;
  /** The lock file a run holds in its output directory while it writes there. */
  static final String LOCK_FILE = ".cds-batch.lock";

  @Option(names = "--threads", paramLabel = "N",
      description = "Evaluation threads, 1 to " + MAX_THREADS + " (default: the available "
          + "processors, at most " + MAX_THREADS + "); any other value is a usage error.")
  private int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);

  @Mixin
  private TimeOptions time;

  @Mixin
  private InputFiles.Limit inputLimit;

  @Mixin
  private EngineOptions engineOptions;

  @Option(names = "--bucket-size", paramLabel = "SIZE", defaultValue = "64M",
      converter = InputFiles.SizeConverter.class,
      description = "For a Bulk Data export: about how much NDJSON text one bucket of patients "
          + "holds in memory while the export is grouped by patient (bytes, or with K, M or G). "
          + "Default: 64M.")
  private long bucketBytes = BulkPatients.DEFAULT_BUCKET_BYTES;

  @Option(names = "--report-patients", paramLabel = "N",
      description = "The most patients report.html lists behind each figure (the smallest ids), "
          + "0 to " + DrillDown.MAX_LIMIT + "; 0 lists none, only counts; any other value is a "
          + "usage error. Default: " + DrillDown.DEFAULT_LIMIT + ".")
  private int reportPatients = DrillDown.DEFAULT_LIMIT;

  /** One patient's evaluation, ready to write, or why it could not be evaluated. */
  private record Row(Subject subject, PatientRow row, EvaluationResult result, String failure) {}

  /** The writers and counts of one run. */
  private Writer ndjson;
  private ParquetResults parquet;
  private Writer csv;
  private Writer errors;
  private PopulationSummary summary;
  private DrillDown drillDown;
  private Progress progress;
  private int inputErrors;
  private int failedEvaluations;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1 || threads > MAX_THREADS) {
      throw new UsageException("--threads must be from 1 to " + MAX_THREADS + ": " + threads);
    }
    if (reportPatients < 0 || reportPatients > DrillDown.MAX_LIMIT) {
      throw new UsageException("--report-patients must be from 0 to " + DrillDown.MAX_LIMIT
          + ": " + reportPatients);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out: not a directory: " + out);
    }
    PatientInputs.Listing listing = PatientInputs.list(inputs);
    boolean atGiven = spec.commandLine().getParseResult().hasMatchedOption("--at");
    EvaluationContext context = time.context(cli.clock());
    Files.createDirectories(out);
    Path lock = lock(out);
    try {
      return run(listing, atGiven, context, err);
    } finally {
      Files.deleteIfExists(lock);
    }
  }

  private int run(PatientInputs.Listing listing, boolean atGiven, EvaluationContext context,
      PrintWriter err) throws IOException {
    summary = new PopulationSummary();
    drillDown = new DrillDown(reportPatients);
    inputErrors = 0;
    failedEvaluations = 0;
    List<PatientInputs.Unread> unread = new ArrayList<>(listing.unread());
    List<Map<String, Object>> bulkInputs = new ArrayList<>();
    progress = Progress.onConsole(err, listing.files().size() + listing.exports().size());
    List<String> packs;
    String ruleSet;
    List<MeasureDefinition> measureDefinitions;
    boolean ownInstants;
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "cds-batch");
      thread.setDaemon(true);
      return thread;
    });
    try (CdsEngine engine = engineOptions.build(err);
        Writer ndjsonOut = writer("results.ndjson");
        ParquetResults parquetOut = ParquetResults.create(out.resolve("results.parquet"));
        Writer csvOut = writer("results.csv");
        Writer errorsOut = writer("errors.ndjson")) {
      ndjson = ndjsonOut;
      parquet = parquetOut;
      csv = csvOut;
      errors = errorsOut;
      packs = engine.packs();
      ruleSet = engine.ruleSet();
      measureDefinitions = engine.measures();
      RunCommand.noteMissingPeriod(engine, context, err);
      time.announce(context, err);
      csv.write(Csv.row("patient", "source", "recommendation", "status", "severity", "rank"));
      Deque<Future<Row>> pending = new ArrayDeque<>();
      boolean[] scenarios = {false};
      int limit = threads * 16;
      Consumer<Subject> submit = subject -> {
        scenarios[0] |= subject.scenario() != null && !atGiven;
        pending.add(pool.submit(() -> evaluate(engine, subject, context, atGiven)));
        while (!pending.isEmpty() && (pending.peek().isDone() || pending.size() > limit)) {
          write(take(pending));
        }
      };
      for (Path file : listing.files()) {
        try {
          PatientInputs.read(file, inputLimit.bytes, submit);
        } catch (InvalidDataException e) {
          inputErrors++;
          progress.clear();
          err.println("cds batch: skipped the rest of an input: " + e.getMessage());
          errorLine(InputReport.errorLine(file.toString(), "unreadable-input", e.getMessage()));
        }
        progress.fileDone();
      }
      for (Path folder : listing.exports()) {
        Map<String, Object> input = readExport(folder, submit, unread, err);
        if (input != null) {
          bulkInputs.add(input);
        }
        progress.fileDone();
      }
      while (!pending.isEmpty()) {
        write(take(pending));
      }
      ownInstants = scenarios[0];
    } finally {
      pool.shutdownNow();
      progress.clear();
    }
    for (PatientInputs.Unread u : unread) {
      err.println("cds batch: not read: " + u.path() + ": " + u.reason());
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("ruleSet", ruleSet);
    run.put("packs", packs);
    run.put("at", context.instant() + (ownInstants ? "; scenario files at their own" : ""));
    run.put("zone", context.zone().getId());
    String period = context.measurementPeriod() == null ? null
        : context.measurementPeriod().start() + "/" + context.measurementPeriod().end();
    run.put("measurementPeriod", period);
    run.put("bulkExports", bulkInputs);
    List<Map<String, String>> unreadList = new ArrayList<>();
    unread.forEach(u -> unreadList.add(Map.of("path", u.path(), "reason", u.reason())));
    run.put("unreadFiles", unreadList);
    run.put("failedEvaluations", failedEvaluations);
    String summaryJson = summary.toJson(run, inputErrors);
    Files.writeString(out.resolve("summary.json"), summaryJson, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("summary.csv"), summary.toCsv(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("recommendation-rates.csv"), summary.ratesByAgeBandAndSexCsv(),
        StandardCharsets.UTF_8);
    String measures = summary.measuresCsv();
    Path measuresFile = out.resolve("measures.csv");
    Path reportsFile = out.resolve("measure-reports.json");
    if (measures != null) {
      Files.writeString(measuresFile, measures, StandardCharsets.UTF_8);
      Files.writeString(reportsFile, summary.measureReports(measureDefinitions, period,
          context.instant().toString()), StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(measuresFile);
      Files.deleteIfExists(reportsFile);
    }
    Files.writeString(out.resolve("report.html"), HtmlReport.population(summaryJson,
        drillDown.toJson()),
        StandardCharsets.UTF_8);
    for (String note : summary.notes(period == null ? null : period.split("/")[0])) {
      err.println("cds batch: note: " + note);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(summary.patients() + " patients evaluated"
        + (inputErrors > 0 ? ", " + inputErrors + " inputs with errors" : "")
        + (unread.isEmpty() ? "" : ", " + unread.size() + " files not read")
        + "; results in " + out);
    return inputErrors > 0 ? CdsCli.USAGE : 0;
  }

  /**
   * Reads one Bulk Data export, handing each patient read to {@code submit}; says where every
   * line went on {@code err}, and writes each problem to the errors output.
   *
   * @return the summary's entry for the export, or null when it could not be listed
   */
  private Map<String, Object> readExport(Path folder, Consumer<Subject> submit,
      List<PatientInputs.Unread> unread, PrintWriter err) {
    BulkExport export;
    try {
      export = BulkExport.open(folder);
    } catch (InvalidDataException e) {
      inputErrors++;
      progress.clear();
      err.println("cds batch: skipped a Bulk Data export: " + e.getMessage());
      errorLine(InputReport.errorLine(folder.toString(), "unreadable-input", e.getMessage()));
      return null;
    }
    export.unread().forEach(u ->
        unread.add(new PatientInputs.Unread(folder.resolve(u.name()).toString(), u.reason())));
    int[] problems = {0};
    BulkAccount account = BulkPatients.read(export, new BulkPatients.Spill(out, bucketBytes),
        patient -> {
          if (patient.read()) {
            patient.data().patients().forEach(record ->
                submit.accept(new Subject(patient.source(), record, null, null)));
          }
        },
        problem -> {
          problems[0]++;
          errorLine(InputReport.errorLine(problem));
        });
    inputErrors += problems[0];
    progress.clear();
    err.println("cds batch: " + folder + ": " + account
        + (problems[0] > 0 ? "; " + problems[0] + " problems in errors.ndjson" : ""));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("folder", folder.toString());
    input.put("files", export.files().size());
    input.put("manifest", export.hasManifest());
    input.putAll(InputReport.account(account));
    return input;
  }

  private void errorLine(String line) {
    try {
      errors.write(line);
      errors.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Takes the output directory for this run: creates its lock file, atomically, so that a second
   * run into the same directory is refused instead of interleaving its results with this one's.
   * The file names the process and when it started; this run deletes it when it ends. A run that
   * was killed leaves it behind: the error says to delete it when no run is writing there.
   *
   * @throws UsageException when another run holds the directory
   */
  static Path lock(Path out) throws IOException {
    Path lock = out.resolve(LOCK_FILE);
    try {
      Files.writeString(lock, "pid " + ProcessHandle.current().pid() + ", started "
          + java.time.Instant.now() + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return lock;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      String holder;
      try (java.io.InputStream in = Files.newInputStream(lock)) {
        holder = new String(in.readNBytes(200), StandardCharsets.UTF_8).strip();
      } catch (IOException unreadable) {
        holder = "";
      }
      throw new UsageException("--out: another cds batch is writing to " + out + " (its lock "
          + "file " + lock + " exists" + (holder.isEmpty() ? "" : ": " + holder) + "); if no "
          + "run is writing there (a run that was killed leaves its lock behind), delete the "
          + "lock file and run again");
    }
  }

  private static Row evaluate(CdsEngine engine, Subject subject, EvaluationContext given,
      boolean atGiven) {
    EvaluationContext context = subject.context(given, atGiven);
    try {
      EvaluationResult result = subject.evaluate(engine, context);
      return new Row(subject, PatientRow.of(subject.source(), subject.record(), context, result),
          result, null);
    } catch (RuntimeException e) {
      return new Row(subject, null, null, subject.source() + ": the evaluation failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static Row take(Deque<Future<Row>> pending) {
    try {
      return pending.poll().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException(e.getCause());
    }
  }

  private void write(Row row) {
    if (row.failure() != null) {
      failedEvaluations++;
      inputErrors++;
      errorLine(InputReport.errorLine(row.subject().source(), "evaluation-failed",
          row.failure()));
      progress.patientDone();
      return;
    }
    try {
      ndjson.write(row.row().json());
      ndjson.write('\n');
      parquet.add(row.row());
      String patient = row.result().patientId();
      int rank = 1;
      for (Recommendation r : row.result().recommendations()) {
        csv.write(Csv.row(patient, row.subject().source(), r.id(), "shown", r.severity().code(),
            rank++));
      }
      for (WithheldRecommendation w : row.result().withheld()) {
        csv.write(Csv.row(patient, row.subject().source(), w.recommendation().id(),
            w.disposition().name().toLowerCase(Locale.ROOT),
            w.recommendation().severity().code(), null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    summary.add(row.row());
    drillDown.add(row.row());
    progress.patientDone();
  }

  private Writer writer(String name) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(out.resolve(name), StandardCharsets.UTF_8));
  }
}
