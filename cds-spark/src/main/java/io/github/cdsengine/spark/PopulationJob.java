package io.github.cdsengine.spark;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.BulkAccount;
import io.github.cdsengine.core.fhir.BulkExport;
import io.github.cdsengine.core.fhir.BulkLine;
import io.github.cdsengine.core.fhir.BulkPatient;
import io.github.cdsengine.core.fhir.BulkPatients;
import io.github.cdsengine.core.fhir.BulkProblem;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.population.DrillDown;
import io.github.cdsengine.population.HtmlReport;
import io.github.cdsengine.population.InputReport;
import io.github.cdsengine.population.PatientRow;
import io.github.cdsengine.population.PopulationSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * One population run on Spark: a Bulk Data export grouped by patient, each patient evaluated,
 * and the outputs of {@code cds batch} written, from the same code ({@link BulkLine}, {@link
 * BulkPatients#assemble}, {@link PatientRow}, {@link PopulationSummary}), so that the figures are
 * the same.
 *
 * <p>The plan: one task per export file reads its lines ({@code .gz} or plain) and classifies
 * them; every line goes through one shuffle as bytes into partitions sized for the export, where
 * a patient's lines meet (keyed by patient id) and the copies of each shared resource meet; the
 * groups wait on local disk, never in the heap. The Medication, Practitioner, Location and
 * Organization resources a patient's resources refer to are joined in by reference (a join, not
 * a broadcast: their number grows with the export); each patient is read and evaluated on an
 * executor by the engine that JVM built once from the broadcast configuration ({@link
 * EngineConfig}). Every group gives one outcome (a row, problems, where its lines went), kept on
 * local disk as bytes ({@link OutcomeBytes}) for the outputs. Only counts come back to the
 * driver: the summary's tallies, where the export's lines went, and for the report at most
 * {@code --report-patients} ids per figure, merged on the executors first. Per-patient results
 * and the errors are written by the executors.
 */
final class PopulationJob {

  /** Bits left for the line number in a line's order key; the file's index takes the rest. */
  private static final int LINE_BITS = 40;

  private PopulationJob() {}

  /**
   * What a run wrote, in counts.
   *
   * @param patients the patients evaluated
   * @param problems the lines written to the errors output
   * @param account where every line of the export went
   * @param summary the population's figures
   */
  record Report(long patients, long problems, BulkAccount account, PopulationSummary summary) {}

  /**
   * How a run is shaped beside its settings: what the report lists and how the export's lines
   * are partitioned.
   *
   * @param reportPatients the most patients report.html lists behind a figure, 0 or more
   * @param partitions the partitions the export's lines are grouped in, or 0 to size them from
   *     the export ({@link #partitions(long, int)})
   */
  record Shape(int reportPatients, int partitions) {
    Shape {
      if (reportPatients < 0) {
        throw new IllegalArgumentException("--report-patients must be 0 or more: "
            + reportPatients);
      }
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions must be 0 (sized from the export) or "
            + "more: " + partitions);
      }
    }
  }

  /** A line with its place in the export: its file's index and its line number. */
  record Placed(long order, BulkLine line) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** One export file, for the task that reads it. */
  record FileTask(int index, String path, String name) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What one patient group gave: a row, problems, and where its lines went. */
  record Outcome(PatientRow row, List<BulkProblem> problems, BulkAccount account,
      boolean evaluationFailed) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Runs the job.
   *
   * @param spark the session
   * @param settings where and when
   * @param config the engine's configuration
   * @param shape what the report lists and how the lines are partitioned
   * @return the counts; the outputs are in {@code settings.out()}
   * @throws IOException when the export cannot be listed or an output cannot be written
   */
  static Report run(SparkSession spark, JobSettings settings, EngineConfig config, Shape shape)
      throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = sc.hadoopConfiguration();
    Path input = new Path(settings.input());
    FileSystem inputFs = input.getFileSystem(hadoop);
    BulkExport.Plan plan = plan(inputFs, input);
    CdsEngine driverEngine = config.engine();

    Map<String, String> hadoopSettings = new HashMap<>();
    hadoop.forEach(e -> hadoopSettings.put(e.getKey(), e.getValue()));
    Broadcast<Map<String, String>> hadoopConf = sc.broadcast(hadoopSettings);
    Broadcast<EngineConfig> engineConfig = sc.broadcast(config);
    Broadcast<JobSettings> job = sc.broadcast(settings);

    List<FileTask> tasks = new ArrayList<>();
    for (int i = 0; i < plan.files().size(); i++) {
      BulkExport.Listed file = plan.files().get(i);
      tasks.add(new FileTask(i, new Path(input, file.name()).toString(), file.name()));
    }
    int partitions = shape.partitions() > 0 ? shape.partitions()
        : partitions(inputFs, input, plan, sc.defaultParallelism());
    HashPartitioner byKey = new HashPartitioner(partitions);
    // The export is read once, and every line goes through one shuffle as bytes (PlacedLines):
    // a patient's lines meet under "p" + its id, copies of a shared resource under "s" + its
    // reference, and every other line stands alone under "x" + its place. The groups wait on
    // local disk, not in the heap, for the steps below, each of which reads them there instead
    // of grouping the shuffle again.
    JavaPairRDD<String, List<byte[]>> grouped = sc
        .parallelize(tasks, Math.max(1, tasks.size()))
        .flatMap(task -> encoded(read(task, hadoopConf.value())))
        .mapToPair(b -> new Tuple2<>(groupKey(b), b))
        .groupByKey(byKey)
        .mapValues(PopulationJob::inOrder)
        .persist(StorageLevel.DISK_ONLY());

    // Shared resources: the first of each reference (in export order) is used, and joined in
    // to every patient whose resources refer to it.
    JavaPairRDD<String, List<byte[]>> sharedGroups = grouped
        .filter(g -> g._1().startsWith(SHARED))
        .mapToPair(g -> new Tuple2<>(g._1().substring(SHARED.length()), g._2()));
    JavaPairRDD<String, String> references = grouped
        .filter(g -> g._1().startsWith(PATIENT) && hasPatient(g._2()))
        .flatMapToPair(g -> {
          Set<String> refs = new TreeSet<>();
          g._2().forEach(b -> refs.addAll(PlacedLines.references(b)));
          List<Tuple2<String, String>> pairs = new ArrayList<>();
          refs.forEach(r -> pairs.add(new Tuple2<>(r, g._1())));
          return pairs.iterator();
        })
        .persist(StorageLevel.DISK_ONLY());
    JavaPairRDD<String, byte[]> sharedByPatient = references
        .join(sharedGroups.mapValues(g -> g.get(0)), byKey)
        .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()));
    JavaRDD<Outcome> sharedOutcomes = sharedGroups
        .leftOuterJoin(references.keys().distinct(partitions).mapToPair(r -> new Tuple2<>(r,
            Boolean.TRUE)), byKey)
        .map(t -> shared(t._2()._1(), t._2()._2().isPresent()));

    // Each patient read and evaluated where its lines are (the cogroup keeps the lines'
    // partitioning: they are not moved again); a group without its Patient line is a ghost.
    JavaRDD<Outcome> patientOutcomes = grouped
        .filter(g -> g._1().startsWith(PATIENT))
        .cogroup(sharedByPatient, byKey)
        .map(t -> patient(t._1().substring(PATIENT.length()), t._2()._1(), t._2()._2(),
            engineConfig.value(), job.value()));
    // Lines that are no patient's, each a problem or only counted where it stands.
    JavaRDD<Outcome> otherOutcomes = grouped
        .filter(g -> g._1().startsWith(OTHER))
        .map(g -> other(g._2()));

    // Every outcome as bytes on local disk: each output below reads them once.
    JavaRDD<byte[]> outcomes = patientOutcomes.union(sharedOutcomes).union(otherOutcomes)
        .map(OutcomeBytes::encode)
        .persist(StorageLevel.DISK_ONLY());

    // One pass for every count the summary and the report need; partial totals are merged on
    // the executors, so the driver receives a few, each with at most the report's limit of ids
    // per figure.
    int limit = shape.reportPatients();
    Totals totals = outcomes.treeAggregate(new Totals(limit),
        (t, b) -> t.add(OutcomeBytes.decode(b)), Totals::add);
    grouped.unpersist();
    references.unpersist();
    BulkAccount account = totals.account;
    PopulationSummary summary = totals.summary;

    Path out = new Path(settings.out());
    FileSystem outFs = out.getFileSystem(hadoop);
    outFs.mkdirs(out);
    for (String name : List.of("results.ndjson", "results.parquet", "errors.ndjson")) {
      outFs.delete(new Path(out, name), true);
    }
    JavaRDD<PatientRow> rows = outcomes.filter(OutcomeBytes::hasRow)
        .map(b -> OutcomeBytes.decode(b).row());
    // Only the id and the line are sorted.
    rows.mapToPair(r -> new Tuple2<>(r.patientId(), r.json())).sortByKey(true, partitions)
        .values().saveAsTextFile(new Path(out, "results.ndjson").toString());
    spark.createDataFrame(rows.map(PopulationJob::parquetRow), schema()).write()
        .mode(SaveMode.Overwrite).parquet(new Path(out, "results.parquet").toString());
    long problemCount = totals.problems;
    JavaRDD<String> errorLines = problemCount == 0 ? sc.parallelize(List.<String>of(), 1)
        : outcomes.flatMap(b -> OutcomeBytes.problems(b).iterator())
            .map(InputReport::errorLine)
            .sortBy(l -> l, true, Math.max(1, tasks.size()));
    errorLines.saveAsTextFile(new Path(out, "errors.ndjson").toString());

    String summaryJson = writeSummary(outFs, out, new SummaryInput(settings, plan, driverEngine,
        account, totals.failedEvaluations, problemCount), summary);
    write(outFs, new Path(out, "report.html"), HtmlReport.population(summaryJson,
        totals.drillDown.toJson()));
    outcomes.unpersist();
    return new Report(summary.patients(), problemCount, account, summary);
  }

  /** Uncompressed bytes a gzipped export file is taken to hold per byte (NDJSON, measured). */
  private static final long JSON_PER_GZIP_BYTE = 16;
  /** The JSON a shuffle partition is sized to hold. */
  private static final long JSON_PER_PARTITION = 64L << 20;

  /**
   * Partitions for the grouping: about {@link #JSON_PER_PARTITION} of JSON each (a gzipped
   * file counted at {@link #JSON_PER_GZIP_BYTE} times its size), a multiple of the default
   * parallelism and at least that, so that a partition's patients fit an executor's memory
   * whatever the export's size and every core has work to the end.
   */
  static int partitions(FileSystem fs, Path folder, BulkExport.Plan plan, int parallelism)
      throws IOException {
    long json = 0;
    for (BulkExport.Listed file : plan.files()) {
      long size = fs.getFileStatus(new Path(folder, file.name())).getLen();
      json += file.name().endsWith(".gz") ? size * JSON_PER_GZIP_BYTE : size;
    }
    return partitions(json, parallelism);
  }

  /** The partition count for {@code json} bytes of JSON and {@code parallelism} cores. */
  static int partitions(long json, int parallelism) {
    int cores = Math.max(1, parallelism);
    long needed = Math.max(1, (json + JSON_PER_PARTITION - 1) / JSON_PER_PARTITION);
    long rounded = (needed + cores - 1) / cores * cores;
    return (int) Math.min(Integer.MAX_VALUE / 2, rounded);
  }

  /** What the summary files are written from, beside the figures. */
  private record SummaryInput(JobSettings settings, BulkExport.Plan plan, CdsEngine engine,
      BulkAccount account, long failedEvaluations, long problems) {}

  /** Writes the summary files; returns summary.json's text. */
  private static String writeSummary(FileSystem fs, Path out, SummaryInput in,
      PopulationSummary summary) throws IOException {
    JobSettings settings = in.settings();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("ruleSet", in.engine().ruleSet());
    run.put("packs", in.engine().packs());
    run.put("at", settings.instant().toString());
    run.put("zone", settings.zone().getId());
    run.put("measurementPeriod", settings.period());
    Map<String, Object> export = new LinkedHashMap<>();
    export.put("folder", settings.input());
    export.put("files", in.plan().files().size());
    export.put("manifest", in.plan().manifest());
    export.putAll(InputReport.account(in.account()));
    run.put("bulkExports", List.of(export));
    List<Map<String, String>> unread = new ArrayList<>();
    in.plan().unread().forEach(u -> unread.add(Map.of("path",
        new Path(new Path(settings.input()), u.name()).toString(), "reason", u.reason())));
    run.put("unreadFiles", unread);
    run.put("failedEvaluations", in.failedEvaluations());
    String json = summary.toJson(run, (int) in.problems());
    write(fs, new Path(out, "summary.json"), json);
    write(fs, new Path(out, "summary.csv"), summary.toCsv());
    write(fs, new Path(out, "recommendation-rates.csv"), summary.ratesByAgeBandAndSexCsv());
    String measures = summary.measuresCsv();
    if (measures != null) {
      write(fs, new Path(out, "measures.csv"), measures);
      write(fs, new Path(out, "measure-reports.json"), summary.measureReports(
          in.engine().measures(), settings.period(), settings.instant().toString()));
    } else {
      fs.delete(new Path(out, "measures.csv"), false);
      fs.delete(new Path(out, "measure-reports.json"), false);
    }
    return json;
  }

  private static void write(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream stream = fs.create(file, true)) {
      stream.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The export's plan, from a listing on any Hadoop file system. */
  private static BulkExport.Plan plan(FileSystem fs, Path folder) throws IOException {
    if (!fs.getFileStatus(folder).isDirectory()) {
      throw new IOException("not a directory: " + folder);
    }
    FileStatus[] statuses = fs.listStatus(folder);
    List<BulkExport.Entry> entries = new ArrayList<>();
    java.util.Arrays.stream(statuses).sorted(java.util.Comparator.comparing(
        s -> s.getPath().getName())).forEach(s -> entries.add(new BulkExport.Entry(
            s.getPath().getName(), s.isDirectory(), s.isFile())));
    Path manifest = new Path(folder, BulkExport.MANIFEST);
    if (fs.exists(manifest) && fs.getFileStatus(manifest).isFile()) {
      try (InputStream in = fs.open(manifest)) {
        return BulkExport.plan(entries, in, manifest.toString());
      }
    }
    return BulkExport.plan(entries, null, null);
  }

  /** The lines of one file, read on an executor as the iterator is consumed. */
  private static Iterator<Placed> read(FileTask task, Map<String, String> hadoopSettings)
      throws IOException {
    Configuration conf = new Configuration(false);
    hadoopSettings.forEach(conf::set);
    Path path = new Path(task.path());
    InputStream raw = path.getFileSystem(conf).open(path);
    InputStream in;
    try {
      in = task.name().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (IOException e) {
      raw.close();
      BulkLine line = new BulkLine(BulkLine.Kind.UNREADABLE, "", "", task.name() + " line 1",
          task.name() + " line 1: cannot read: " + e.getMessage(), List.of());
      return List.of(new Placed(((long) task.index() << LINE_BITS) | 1, line)).iterator();
    }
    Iterator<BulkLine> lines = BulkLine.lines(in, task.name());
    return new Iterator<>() {
      private long number;

      @Override
      public boolean hasNext() {
        boolean more = lines.hasNext();
        if (!more) {
          try {
            in.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return more;
      }

      @Override
      public Placed next() {
        BulkLine line = lines.next();
        number++;
        return new Placed(((long) task.index() << LINE_BITS) | number, line);
      }
    };
  }

  private static BulkProblem problem(BulkLine line) {
    return switch (line.kind()) {
      case MALFORMED -> new BulkProblem(line.source(), "malformed", line.content());
      case UNREADABLE -> new BulkProblem(line.source(), "unreadable", line.content());
      default -> new BulkProblem(line.source(), "no-patient", line.source() + ": "
          + line.type() + ": " + line.content());
    };
  }

  /** Group key prefixes: a patient's lines, a shared resource's copies, any other line. */
  private static final String PATIENT = "p";
  private static final String SHARED = "s";
  private static final String OTHER = "x";

  /** The key a line is grouped under in the one shuffle of the export's lines. */
  private static String groupKey(byte[] bytes) {
    return switch (PlacedLines.kind(bytes)) {
      case PATIENT, RESOURCE -> PATIENT + PlacedLines.key(bytes);
      case SHARED -> SHARED + PlacedLines.key(bytes);
      default -> OTHER + PlacedLines.order(bytes);
    };
  }

  /** The kinds of line that are problems where they stand. */
  private static final Set<BulkLine.Kind> PROBLEM_KINDS = java.util.EnumSet.of(
      BulkLine.Kind.MALFORMED, BulkLine.Kind.UNREADABLE, BulkLine.Kind.NO_PATIENT);

  /** Every count the summary and the report take from the outcomes, gathered in one pass. */
  static final class Totals implements Serializable {
    private static final long serialVersionUID = 2L;
    private final BulkAccount account = new BulkAccount();
    private final PopulationSummary summary = new PopulationSummary();
    private final DrillDown drillDown;
    private long failedEvaluations;
    private long problems;

    Totals(int reportPatients) {
      drillDown = new DrillDown(reportPatients);
    }

    Totals add(Outcome outcome) {
      account.add(outcome.account());
      if (outcome.row() != null) {
        summary.add(outcome.row());
        drillDown.add(outcome.row());
      }
      failedEvaluations += outcome.evaluationFailed() ? 1 : 0;
      problems += outcome.problems().size();
      return this;
    }

    Totals add(Totals other) {
      account.add(other.account);
      summary.add(other.summary);
      drillDown.add(other.drillDown);
      failedEvaluations += other.failedEvaluations;
      problems += other.problems;
      return this;
    }
  }

  /**
   * The lines as bytes; a line only counted (a type no rule reads, a blank line) travels without
   * its JSON.
   */
  private static Iterator<byte[]> encoded(Iterator<Placed> lines) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return lines.hasNext();
      }

      @Override
      public byte[] next() {
        Placed placed = lines.next();
        BulkLine line = placed.line();
        if (line.kind() == BulkLine.Kind.UNKNOWN_TYPE || line.kind() == BulkLine.Kind.BLANK) {
          placed = new Placed(placed.order(), new BulkLine(line.kind(), line.type(), line.key(),
              line.source(), "", List.of()));
        }
        return PlacedLines.encode(placed);
      }
    };
  }

  /**
   * A shared resource's outcome: its copies counted as read, the first used when some patient
   * refers to it (else skipped as not referenced), each later copy skipped as a duplicate.
   */
  private static Outcome shared(List<byte[]> group, boolean referenced) {
    List<Placed> all = decoded(group);
    BulkAccount account = read(all);
    BulkLine first = all.get(0).line();
    if (referenced) {
      account.used(1);
    } else {
      account.skip("not-referenced", first.type(), 1);
    }
    List<BulkProblem> problems = new ArrayList<>();
    for (Placed p : all.subList(1, all.size())) {
      BulkLine line = p.line();
      account.skip("duplicate", line.type(), 1);
      problems.add(new BulkProblem(line.source(), "duplicate", line.source() + ": a second "
          + line.key() + " (the first is at " + first.source() + "); the first is used"));
    }
    return new Outcome(null, problems, account, false);
  }

  /** A line that is no patient's: counted as read, and a problem when it is one. */
  private static Outcome other(List<byte[]> group) {
    List<Placed> all = decoded(group);
    List<BulkProblem> problems = new ArrayList<>();
    for (Placed p : all) {
      if (PROBLEM_KINDS.contains(p.line().kind())) {
        problems.add(problem(p.line()));
      }
    }
    return new Outcome(null, problems, read(all), false);
  }

  /** An account of {@code lines} read, each by its kind. */
  private static BulkAccount read(List<Placed> lines) {
    BulkAccount account = new BulkAccount();
    lines.forEach(p -> account.read(p.line()));
    return account;
  }

  /** Encoded lines in export order. */
  private static List<byte[]> inOrder(Iterable<byte[]> group) {
    List<byte[]> list = new ArrayList<>();
    group.forEach(list::add);
    list.sort(java.util.Comparator.comparingLong(PlacedLines::order));
    return list;
  }

  private static List<Placed> decoded(List<byte[]> lines) {
    List<Placed> list = new ArrayList<>(lines.size());
    lines.forEach(b -> list.add(PlacedLines.decode(b)));
    return list;
  }

  private static boolean hasPatient(Iterable<byte[]> lines) {
    for (byte[] b : lines) {
      if (PlacedLines.kind(b) == BulkLine.Kind.PATIENT) {
        return true;
      }
    }
    return false;
  }

  /** Resources naming a patient the export does not hold: each skipped, each a problem. */
  private static Outcome ghost(List<Placed> lines) {
    BulkAccount account = read(lines);
    List<BulkProblem> problems = new ArrayList<>();
    for (Placed p : lines) {
      BulkLine line = p.line();
      account.skip("patient-not-in-export", line.type(), 1);
      problems.add(new BulkProblem(line.source(), "patient-not-in-export", line.source() + ": "
          + line.type() + " names Patient/" + printable(line.key())
          + ", which the export does not hold"));
    }
    return new Outcome(null, problems, account, false);
  }

  /** As the reader quotes an id: control and direction characters escaped, at most 64. */
  private static String printable(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) : text;
    StringBuilder shown = new StringBuilder();
    for (char c : cut.toCharArray()) {
      if (Character.isISOControl(c) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c) {
        shown.append(String.format("\\u%04X", (int) c));
      } else {
        shown.append(c);
      }
    }
    return cut.length() < text.length() ? shown.append("...").toString() : shown.toString();
  }

  /**
   * A patient group's outcome: its lines counted as read, and the patient read and evaluated
   * with the shared resources it refers to; a ghost when the group has no Patient line.
   */
  private static Outcome patient(String patientId, Iterable<List<byte[]>> ownGroups,
      Iterable<byte[]> sharedLines, EngineConfig config, JobSettings settings) {
    List<byte[]> ownBytes = new ArrayList<>();
    ownGroups.forEach(group -> group.forEach(ownBytes::add));
    List<Placed> placed = decoded(inOrder(ownBytes));
    if (placed.stream().noneMatch(p -> p.line().kind() == BulkLine.Kind.PATIENT)) {
      return ghost(placed);
    }
    List<BulkLine> own = new ArrayList<>(placed.size());
    placed.forEach(p -> own.add(p.line()));
    List<BulkLine> shared = new ArrayList<>();
    sharedLines.forEach(b -> shared.add(PlacedLines.decode(b).line()));
    shared.sort(java.util.Comparator.comparing(BulkLine::key));
    BulkPatient patient = BulkPatients.assemble(patientId, own, shared);
    BulkAccount account = read(placed).patient(patient);
    if (!patient.read()) {
      return new Outcome(null, List.of(new BulkProblem(patient.source(), "patient-failed",
          patient.error())), account, false);
    }
    PatientRecord record = patient.data().onlyPatient();
    EvaluationContext context = settings.context();
    try {
      EvaluationResult result = config.engine().evaluate(record, context);
      return new Outcome(PatientRow.of(patient.source(), record, context, result), List.of(),
          account, false);
    } catch (RuntimeException e) {
      return new Outcome(null, List.of(new BulkProblem(patient.source(), "evaluation-failed",
          patient.source() + ": the evaluation failed: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()))), account, true);
    }
  }

  /** The Parquet results' columns. */
  static StructType schema() {
    StructType measure = new StructType()
        .add("measure", DataTypes.StringType, false)
        .add("group", DataTypes.IntegerType, false)
        .add("populations", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("care_gap", DataTypes.BooleanType, false);
    return new StructType()
        .add("patient_id", DataTypes.StringType, false)
        .add("source", DataTypes.StringType, false)
        .add("age_band", DataTypes.StringType, false)
        .add("sex", DataTypes.StringType, false)
        .add("complete", DataTypes.BooleanType, false)
        .add("shown", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("withheld", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("measures", DataTypes.createArrayType(measure, false), false)
        .add("data_warnings", DataTypes.IntegerType, false)
        .add("data_end", DataTypes.StringType, true)
        .add("result", DataTypes.StringType, false);
  }

  private static Row parquetRow(PatientRow row) {
    PatientRow.Tally tally = row.tally();
    List<Row> measures = new ArrayList<>();
    for (PatientRow.MeasureCount m : tally.measures()) {
      List<String> populations = new ArrayList<>();
      m.populations().forEach(p -> populations.add(p.code()));
      measures.add(RowFactory.create(m.measure(), m.group(), seq(populations), m.careGap()));
    }
    String json = row.json();
    String result = json.substring(json.indexOf(",\"result\":") + ",\"result\":".length(),
        json.length() - 1);
    return RowFactory.create(row.patientId(), row.source(), row.ageBand(), row.sex(),
        tally.complete(), seq(tally.shown().stream().map(PatientRow.Shown::id).toList()),
        seq(tally.withheld().stream().map(PatientRow.Shown::id).toList()), seq(measures),
        tally.warnings(), tally.dataEnd(), result);
  }

  /** A Java list as the Scala sequence a Spark row holds for an array column. */
  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list);
  }

  /** The outputs a run writes in its output folder; those ending in / are folders of parts. */
  static List<String> outputs() {
    return Collections.unmodifiableList(List.of("results.ndjson/", "results.parquet/",
        "errors.ndjson/", "summary.json", "summary.csv", "recommendation-rates.csv",
        "measures.csv", "measure-reports.json", "report.html"));
  }
}
