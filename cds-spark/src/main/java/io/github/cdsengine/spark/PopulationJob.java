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
 * them; every line goes through one shuffle as bytes, where a patient's lines meet (keyed by
 * patient id) and the copies of each shared resource meet, and nothing is cached in memory; the
 * Medication, Practitioner, Location and Organization resources a patient's resources refer to
 * are joined in by reference (a join, not a broadcast: their number grows with the export);
 * each patient is read and evaluated on an executor by the engine that JVM built once from the
 * broadcast configuration ({@link EngineConfig}). Only counts come back to the driver: the
 * summary's tallies and where the export's lines went. Per-patient results and the errors are
 * written by the executors.
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
   * @return the counts; the outputs are in {@code settings.out()}
   * @throws IOException when the export cannot be listed or an output cannot be written
   */
  static Report run(SparkSession spark, JobSettings settings, EngineConfig config)
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
    // The export is read once, and every line goes through one shuffle as bytes (PlacedLines):
    // a patient's lines meet under "p" + its id, copies of a shared resource under "s" + its
    // reference, and every other line stands alone under "x" + its place. Nothing is cached in
    // memory: the shuffle's files serve every later step.
    JavaPairRDD<String, Iterable<byte[]>> grouped = sc
        .parallelize(tasks, Math.max(1, tasks.size()))
        .flatMap(task -> encoded(read(task, hadoopConf.value())))
        .mapToPair(b -> new Tuple2<>(groupKey(b), b))
        .groupByKey();

    // Every line counted by its kind; lines that are no patient's named where they stand.
    BulkAccount account = grouped.aggregate(new BulkAccount(), (a, g) -> {
      g._2().forEach(b -> a.read(PlacedLines.withoutContent(b)));
      return a;
    }, BulkAccount::add);
    JavaRDD<BulkProblem> lineProblems = grouped.filter(g -> g._1().startsWith(OTHER))
        .flatMap(g -> g._2().iterator())
        .filter(b -> PROBLEM_KINDS.contains(PlacedLines.kind(b)))
        .map(b -> problem(PlacedLines.decode(b).line()));

    // Shared resources: the first of each reference (in export order) is used.
    JavaPairRDD<String, Iterable<byte[]>> sharedGroups = grouped
        .filter(g -> g._1().startsWith(SHARED))
        .mapToPair(g -> new Tuple2<>(g._1().substring(SHARED.length()), g._2()));
    JavaPairRDD<String, byte[]> shared = sharedGroups.mapValues(PopulationJob::first);
    JavaRDD<Tuple2<BulkProblem, String>> duplicates =
        sharedGroups.flatMap(PopulationJob::duplicates);

    // Each patient's own lines, in export order, still keyed "p" + id: the cogroup below keeps
    // the shuffle's partitioning, so a patient's lines are not moved again.
    JavaPairRDD<String, List<byte[]>> own = grouped
        .filter(g -> g._1().startsWith(PATIENT))
        .mapValues(PopulationJob::inOrder);
    JavaPairRDD<String, List<byte[]>> patients = own.filter(g -> hasPatient(g._2()));
    JavaPairRDD<String, String> references = patients.flatMapToPair(g -> {
      Set<String> refs = new TreeSet<>();
      g._2().forEach(b -> refs.addAll(PlacedLines.references(b)));
      List<Tuple2<String, String>> pairs = new ArrayList<>();
      refs.forEach(r -> pairs.add(new Tuple2<>(r, g._1())));
      return pairs.iterator();
    });
    JavaPairRDD<String, byte[]> sharedByPatient = references.join(shared)
        .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()));
    JavaPairRDD<String, String> referenced = references.keys().distinct()
        .mapToPair(r -> new Tuple2<>(r, r));
    BulkAccount sharedAccount = shared.leftOuterJoin(referenced)
        .aggregate(new BulkAccount(), (a, t) -> t._2()._2().isPresent() ? a.used(1)
            : a.skip("not-referenced", PlacedLines.decode(t._2()._1()).line().type(), 1),
            BulkAccount::add);
    account.add(sharedAccount);
    account.add(duplicates.aggregate(new BulkAccount(),
        (a, d) -> a.skip("duplicate", d._2(), 1), BulkAccount::add));

    // Resources naming a patient the export does not hold.
    JavaRDD<Outcome> ghosts = own.filter(g -> !hasPatient(g._2())).map(g -> ghost(g._2()));

    // Each patient read and evaluated where its lines are.
    JavaRDD<Outcome> evaluated = patients.cogroup(sharedByPatient, own.partitioner().get())
        .map(t -> evaluate(t._1().substring(PATIENT.length()), t._2()._1(), t._2()._2(),
            engineConfig.value(), job.value()));
    // On disk, not in the heap: a heap holding every result makes the collector work hard.
    JavaRDD<Outcome> outcomes = evaluated.union(ghosts).persist(StorageLevel.DISK_ONLY());

    // One pass for every count the summary needs.
    Totals totals = outcomes.aggregate(new Totals(), Totals::add, Totals::add);
    account.add(totals.account);
    PopulationSummary summary = totals.summary;

    Path out = new Path(settings.out());
    FileSystem outFs = out.getFileSystem(hadoop);
    outFs.mkdirs(out);
    for (String name : List.of("results.ndjson", "results.parquet", "errors.ndjson")) {
      outFs.delete(new Path(out, name), true);
    }
    JavaRDD<PatientRow> rows = outcomes.filter(o -> o.row() != null).map(Outcome::row);
    // Only the id and the line are sorted: a row as objects costs far more to shuffle.
    rows.mapToPair(r -> new Tuple2<>(r.patientId(), r.json())).sortByKey().values()
        .saveAsTextFile(new Path(out, "results.ndjson").toString());
    spark.createDataFrame(rows.map(PopulationJob::parquetRow), schema()).write()
        .mode(SaveMode.Overwrite).parquet(new Path(out, "results.parquet").toString());
    JavaRDD<String> errorLines = lineProblems.union(duplicates.map(Tuple2::_1))
        .union(outcomes.flatMap(o -> o.problems().iterator())).map(InputReport::errorLine)
        .persist(StorageLevel.DISK_ONLY());
    long problemCount = errorLines.count();
    errorLines.sortBy(l -> l, true, Math.max(1, tasks.size()))
        .saveAsTextFile(new Path(out, "errors.ndjson").toString());

    writeSummary(outFs, out, new SummaryInput(settings, plan, driverEngine, account,
        totals.failedEvaluations, problemCount), summary);
    outcomes.unpersist();
    errorLines.unpersist();
    return new Report(summary.patients(), problemCount, account, summary);
  }

  /** What the summary files are written from, beside the figures. */
  private record SummaryInput(JobSettings settings, BulkExport.Plan plan, CdsEngine engine,
      BulkAccount account, long failedEvaluations, long problems) {}

  private static void writeSummary(FileSystem fs, Path out, SummaryInput in,
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

  /** Every count the summary takes from the outcomes, gathered in one pass. */
  static final class Totals implements Serializable {
    private static final long serialVersionUID = 1L;
    private final BulkAccount account = new BulkAccount();
    private final PopulationSummary summary = new PopulationSummary();
    private long failedEvaluations;

    Totals add(Outcome outcome) {
      account.add(outcome.account());
      if (outcome.row() != null) {
        summary.add(outcome.row());
      }
      failedEvaluations += outcome.evaluationFailed() ? 1 : 0;
      return this;
    }

    Totals add(Totals other) {
      account.add(other.account);
      summary.add(other.summary);
      failedEvaluations += other.failedEvaluations;
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

  /** The earliest in export order of a group of encoded lines. */
  private static byte[] first(Iterable<byte[]> group) {
    return inOrder(group).get(0);
  }

  /** The second and later copies of a shared reference, each with its resource type. */
  private static Iterator<Tuple2<BulkProblem, String>> duplicates(
      Tuple2<String, Iterable<byte[]>> group) {
    List<Placed> all = decoded(inOrder(group._2()));
    List<Tuple2<BulkProblem, String>> duplicates = new ArrayList<>();
    for (Placed p : all.subList(1, all.size())) {
      BulkLine line = p.line();
      duplicates.add(new Tuple2<>(new BulkProblem(line.source(), "duplicate", line.source()
          + ": a second " + line.key() + " (the first is at " + all.get(0).line().source()
          + "); the first is used"), line.type()));
    }
    return duplicates.iterator();
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

  private static boolean hasPatient(List<byte[]> lines) {
    return lines.stream().anyMatch(b -> PlacedLines.kind(b) == BulkLine.Kind.PATIENT);
  }

  private static Outcome ghost(List<byte[]> lines) {
    BulkAccount account = new BulkAccount();
    List<BulkProblem> problems = new ArrayList<>();
    for (Placed p : decoded(lines)) {
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

  private static Outcome evaluate(String patientId, Iterable<List<byte[]>> ownGroups,
      Iterable<byte[]> sharedLines, EngineConfig config, JobSettings settings) {
    List<BulkLine> own = new ArrayList<>();
    ownGroups.forEach(group -> group.forEach(b -> own.add(PlacedLines.decode(b).line())));
    List<BulkLine> shared = new ArrayList<>();
    sharedLines.forEach(b -> shared.add(PlacedLines.decode(b).line()));
    shared.sort(java.util.Comparator.comparing(BulkLine::key));
    BulkPatient patient = BulkPatients.assemble(patientId, own, shared);
    BulkAccount account = new BulkAccount().patient(patient);
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
        "measures.csv", "measure-reports.json"));
  }
}
