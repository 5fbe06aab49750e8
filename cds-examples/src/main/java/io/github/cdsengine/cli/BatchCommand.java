package io.github.cdsengine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.json.ResultJson;
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
        "INPUT is a patient file (FHIR, NDJSON, CDS Hooks request or scenario) or a directory "
            + "read for its .json and .ndjson files at any depth."})
final class BatchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand
  private CdsCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Patient files or "
      + "directories.")
  private List<Path> inputs;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Directory for results.ndjson, results.csv, summary.json, summary.csv, "
          + "measures.csv (when measures ran) and report.html; made if missing.")
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

  /** One patient's evaluation, ready to write. */
  private record Row(Subject subject, EvaluationContext context, EvaluationResult result,
      String band, String sex, String json) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1 || threads > MAX_THREADS) {
      throw new UsageException("--threads must be from 1 to " + MAX_THREADS + ": " + threads);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out: not a directory: " + out);
    }
    List<Path> files = PatientInputs.files(inputs);
    boolean atGiven = spec.commandLine().getParseResult().hasMatchedOption("--at");
    EvaluationContext context = time.context(cli.clock());
    Files.createDirectories(out);
    Path lock = lock(out);
    try {
      return run(files, atGiven, context, err);
    } finally {
      Files.deleteIfExists(lock);
    }
  }

  private int run(List<Path> files, boolean atGiven, EvaluationContext context, PrintWriter err)
      throws IOException {
    PopulationSummary summary = new PopulationSummary();
    int inputErrors = 0;
    Progress progress = Progress.onConsole(err, files.size());
    List<String> packs;
    String ruleSet;
    boolean ownInstants;
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "cds-batch");
      thread.setDaemon(true);
      return thread;
    });
    try (CdsEngine engine = engineOptions.build(err);
        Writer ndjson = writer("results.ndjson");
        Writer csv = writer("results.csv")) {
      packs = engine.packs();
      ownInstants = false;
      ruleSet = engine.ruleSet();
      RunCommand.noteMissingPeriod(engine, context, err);
      time.announce(context, err);
      csv.write(Csv.row("patient", "source", "recommendation", "status", "severity", "rank"));
      Deque<Future<Row>> pending = new ArrayDeque<>();
      boolean[] scenarios = {false};
      int limit = threads * 16;
      for (Path file : files) {
        try {
          PatientInputs.read(file, inputLimit.bytes, subject -> {
            scenarios[0] |= subject.scenario() != null && !atGiven;
            pending.add(pool.submit(() -> evaluate(engine, subject, context, atGiven)));
            while (!pending.isEmpty() && (pending.peek().isDone() || pending.size() > limit)) {
              write(take(pending), ndjson, csv, summary, progress);
            }
          });
        } catch (InvalidDataException e) {
          inputErrors++;
          progress.clear();
          err.println("cds batch: skipped the rest of an input: " + e.getMessage());
        }
        progress.fileDone();
      }
      while (!pending.isEmpty()) {
        write(take(pending), ndjson, csv, summary, progress);
      }
      ownInstants = scenarios[0];
    } finally {
      pool.shutdownNow();
      progress.clear();
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("ruleSet", ruleSet);
    run.put("packs", packs);
    run.put("at", context.instant() + (ownInstants ? "; scenario files at their own" : ""));
    run.put("zone", context.zone().getId());
    run.put("measurementPeriod", context.measurementPeriod() == null ? null
        : context.measurementPeriod().start() + "/" + context.measurementPeriod().end());
    String summaryJson = summary.toJson(run, inputErrors);
    Files.writeString(out.resolve("summary.json"), summaryJson, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("summary.csv"), summary.toCsv(), StandardCharsets.UTF_8);
    String measures = summary.measuresCsv();
    Path measuresFile = out.resolve("measures.csv");
    if (measures != null) {
      Files.writeString(measuresFile, measures, StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(measuresFile);
    }
    Files.writeString(out.resolve("report.html"), HtmlReport.render(summaryJson),
        StandardCharsets.UTF_8);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(summary.patients() + " patients evaluated"
        + (inputErrors > 0 ? ", " + inputErrors + " inputs with errors" : "")
        + "; results in " + out);
    return inputErrors > 0 ? CdsCli.USAGE : 0;
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
    EvaluationResult result = subject.evaluate(engine, context);
    String band = PopulationSummary.ageBand(subject.record().patient(), context);
    String sex = PopulationSummary.sex(subject.record().patient());
    String json;
    try {
      json = "{\"source\":" + JSON.writeValueAsString(subject.source()) + ",\"ageBand\":\""
          + band + "\",\"sex\":\"" + sex + "\",\"result\":" + ResultJson.standard().write(result)
          + "}";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new Row(subject, context, result, band, sex, json);
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

  private static void write(Row row, Writer ndjson, Writer csv, PopulationSummary summary,
      Progress progress) {
    try {
      ndjson.write(row.json());
      ndjson.write('\n');
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
    summary.add(row.result(), row.band(), row.sex());
    progress.patientDone();
  }

  private Writer writer(String name) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(out.resolve(name), StandardCharsets.UTF_8));
  }
}
