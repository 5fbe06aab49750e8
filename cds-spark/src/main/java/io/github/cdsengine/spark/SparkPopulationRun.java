package io.github.cdsengine.spark;

import io.github.cdsengine.population.DrillDown;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import io.github.cdsengine.population.DrillDown;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark population run's command line: {@code spark-submit --class
 * io.github.cdsengine.spark.SparkPopulationRun cds-spark.jar --input EXPORT --out DIR --at ...},
 * or with plain {@code java} in local mode ({@code local[*]} unless {@code --master} or
 * {@code spark.master} says otherwise).
 */
@Command(name = "cds-spark", mixinStandardHelpOptions = true,
    description = {"Evaluate a FHIR Bulk Data export on Apache Spark and write what cds batch "
        + "writes: per-patient results (NDJSON and Parquet), errors, the summary with "
        + "reconciled line counts, rates with Wilson 95% intervals, rates by age band and sex, "
        + "a summary MeasureReport per measure, and report.html."})
public final class SparkPopulationRun implements Callable<Integer> {

  @Option(names = "--input", required = true, paramLabel = "EXPORT",
      description = "The Bulk Data export folder (a path or a Hadoop file system URI).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The output folder (a path or URI); the run's files there are replaced.")
  String out;

  @Option(names = "--at", required = true, paramLabel = "WHEN",
      description = "Evaluation instant: a date (start of that day in --zone), a date-time with "
          + "an offset, or a local date-time (in --zone). Never read from a clock.")
  String at;

  @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
      description = "Time zone that fixes the calendar day (default: UTC).")
  String zone;

  @Option(names = "--period", paramLabel = "START/END",
      description = "Measurement period for the measure packs, both days included.")
  String period;

  @Option(names = "--pack", split = ",", paramLabel = "ID",
      description = "Shipped rule pack to load, by id (repeatable or comma-separated). "
          + "Default: every shipped pack whose value sets are loaded.")
  List<String> packs = new ArrayList<>();

  @Option(names = "--value-sets", paramLabel = "DIR",
      description = "Folder (or file) of FHIR ValueSet JSON, read by the driver and shipped "
          + "to the executors (repeatable; a path or URI).")
  List<String> valueSets = new ArrayList<>();

  @Option(names = "--report-patients", paramLabel = "N",
      description = "The most patients report.html lists behind each figure (the smallest ids; "
          + "0 lists none, only counts): 0 to " + DrillDown.MAX_LIMIT + " (default "
          + DrillDown.DEFAULT_LIMIT + "), as cds batch --report-patients; any other value is a "
          + "usage error.")
  int reportPatients = DrillDown.DEFAULT_LIMIT;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions the export's lines are grouped in. Default: about 64 MB of "
          + "JSON each (a gzipped file counted at 16 times its size), a multiple of the "
          + "default parallelism.")
  int partitions;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master; default: spark.master as spark-submit sets it, else "
          + "local[*].")
  String master;

  /**
   * Runs the command line and exits with its code: 0 when every line was used or skipped for a
   * reason, 2 on a usage error or when lines or patients could not be read.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        args));
  }

  /**
   * Runs the command line without exiting.
   *
   * @param out where the closing line goes
   * @param err where usage errors go
   * @param args the arguments
   * @return the exit code
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new SparkPopulationRun());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof DateTimeParseException) {
        cl.getErr().println("cds-spark: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    if (reportPatients < 0 || reportPatients > DrillDown.MAX_LIMIT) {
      throw new IllegalArgumentException("--report-patients must be from 0 to "
          + DrillDown.MAX_LIMIT + ": " + reportPatients);
    }
    ZoneId zoneId = ZoneId.of(zone);
    LocalDate start = null;
    LocalDate end = null;
    if (period != null) {
      String[] parts = period.split("/", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("--period: '" + period + "' is not START/END, two "
            + "dates such as 2025-01-01/2025-12-31");
      }
      start = LocalDate.parse(parts[0]);
      end = LocalDate.parse(parts[1]);
    }
    JobSettings settings = new JobSettings(input, out, instant(at, zoneId), zoneId, start, end);
    PopulationJob.Shape shape = new PopulationJob.Shape(reportPatients, partitions);
    SparkSession.Builder builder = SparkSession.builder().appName("cds-population");
    SparkConf given = new SparkConf();
    // Kryo for the shuffle and the blocks on local disk (byte arrays and strings, and the few
    // classes JobKryo registers), unless the submission chooses a serializer itself.
    if (!given.contains("spark.serializer")) {
      builder.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
          .config("spark.kryo.registrator", JobKryo.class.getName())
          .config("spark.kryo.registrationRequired", "true");
    }
    if (master != null) {
      builder.master(master);
    } else if (!given.contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    // Spark's own progress at INFO is thousands of lines a run; its warnings and errors stay.
    spark.sparkContext().setLogLevel("WARN");
    try {
      EngineConfig config = EngineConfig.of(packs, valueSetFiles(spark));
      PopulationJob.Report report = PopulationJob.run(spark, settings, config, shape);
      PrintWriter stdout = new PrintWriter(System.out, true);
      stdout.println(report.patients() + " patients evaluated"
          + (report.problems() > 0 ? ", " + report.problems() + " problems in errors.ndjson"
              : "") + "; " + report.account() + "; results in " + out);
      return report.problems() > 0 ? 2 : 0;
    } finally {
      spark.stop();
    }
  }

  /** {@code text} as an instant, as {@code cds batch --at} reads it. */
  static Instant instant(String text, ZoneId zone) {
    if (text.length() == 10) {
      return LocalDate.parse(text).atStartOfDay(zone).toInstant();
    }
    if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return OffsetDateTime.parse(text).toInstant();
    }
    return LocalDateTime.parse(text).atZone(zone).toInstant();
  }

  /** The value set files of {@code --value-sets}, by path, read on the driver. */
  private Map<String, byte[]> valueSetFiles(SparkSession spark) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (String location : valueSets) {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new IllegalArgumentException("--value-sets: no such file or folder: " + location);
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
      while (it.hasNext()) {
        Path file = it.next().getPath();
        String name = file.getName();
        if (name.endsWith(".json") && !name.equals("pack.json")) {
          try (InputStream in = fs.open(file)) {
            files.put(file.toString(), in.readAllBytes());
          }
        }
      }
    }
    return files;
  }
}
