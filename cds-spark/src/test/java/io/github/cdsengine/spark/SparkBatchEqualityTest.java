package io.github.cdsengine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.cli.CdsCli;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureRates;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.population.BulkLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Synthea records and every CMS measure test-deck case, written in Bulk layout, run through
 * the Spark runner and {@code cds batch}: the same per-patient results, the same aggregates, and
 * aggregates equal to the sum of each patient evaluated alone from its original files.
 */
class SparkBatchEqualityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AT = "2025-12-31T23:59:59Z";

  @TempDir
  Path dir;

  /** One patient's original files: a Synthea bundle, or a deck case's folder. */
  private record Original(List<Path> files, boolean deckCase) {}

  @Test
  void sparkAndBatchGiveTheSameFiguresAsEachOtherAndAsSingleEvaluations() throws IOException {
    Conformance.assumePresent(Conformance.find("synthea/bundles").isPresent()
        && Conformance.find("ecqm/tests").isPresent(), "no conformance folder beside the checkout");
    Path synthea = Conformance.directory("synthea/bundles");
    Path decks = Conformance.directory("ecqm/tests");
    Path ecqmValueSets = Conformance.directory("ecqm/vocabulary/valueset");
    Path opioidValueSets = Conformance.directory("opioid-cds/vocabulary/valueset");

    // The corpus in Bulk layout: Synthea's ids are UUIDs; deck cases reuse ids, so each case's
    // ids get a prefix of their own.
    List<Original> originals = new ArrayList<>();
    Path export = dir.resolve("export");
    try (BulkLayout layout = new BulkLayout(export, true)) {
      try (Stream<Path> bundles = Files.list(synthea)) {
        for (Path bundle : bundles.filter(f -> f.toString().endsWith(".json")).sorted()
            .toList()) {
          layout.add(List.of(JSON.readTree(bundle.toFile())), "", false);
          originals.add(new Original(List.of(bundle), false));
        }
      }
      List<Path> cases;
      try (Stream<Path> walk = Files.walk(decks, 2)) {
        cases = walk.filter(p -> p.getNameCount() == decks.getNameCount() + 2)
            .filter(Files::isDirectory).sorted().toList();
      }
      int n = 0;
      for (Path caseFolder : cases) {
        List<Path> files;
        try (Stream<Path> list = Files.list(caseFolder)) {
          files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        List<JsonNode> documents = new ArrayList<>();
        for (Path file : files) {
          documents.add(JSON.readTree(file.toFile()));
        }
        layout.add(documents, "k" + n++ + "-", true);
        originals.add(new Original(files, true));
      }
    }

    List<String> common = List.of("--at", AT, "--period", "2025-01-01/2025-12-31",
        "--value-sets", ecqmValueSets.toString(), "--value-sets", opioidValueSets.toString());
    Path batchOut = dir.resolve("batch");
    List<String> batchArgs = new ArrayList<>(List.of("batch", "--threads", "2", "--out",
        batchOut.toString()));
    batchArgs.addAll(common);
    batchArgs.add(export.toString());
    StringWriter batchErr = new StringWriter();
    int batchCode = CdsCli.execute(Clock.fixed(Instant.parse(AT), ZoneOffset.UTC),
        new PrintWriter(new StringWriter(), true), new PrintWriter(batchErr, true),
        batchArgs.toArray(String[]::new));

    Path sparkOut = dir.resolve("spark");
    List<String> sparkArgs = new ArrayList<>(List.of("--master", "local[2]", "--input",
        export.toString(), "--out", sparkOut.toString()));
    sparkArgs.addAll(common);
    StringWriter sparkErr = new StringWriter();
    int sparkCode = SparkPopulationRun.execute(new PrintWriter(new StringWriter(), true),
        new PrintWriter(sparkErr, true), sparkArgs.toArray(String[]::new));

    assertThat(sparkCode).as(sparkErr.toString()).isEqualTo(batchCode);
    // Per-patient results: the same lines (batch writes them in bucket order, Spark by id).
    List<String> batchResults = Files.readAllLines(batchOut.resolve("results.ndjson"));
    List<String> sparkResults = SparkRunTest.parts(sparkOut.resolve("results.ndjson"));
    assertThat(batchResults).hasSize(originals.size());
    assertThat(sorted(sparkResults)).isEqualTo(sorted(batchResults));
    assertThat(sorted(SparkRunTest.parts(sparkOut.resolve("errors.ndjson"))))
        .isEqualTo(sorted(Files.readAllLines(batchOut.resolve("errors.ndjson"))));
    // Aggregates: the same bytes.
    for (String file : List.of("summary.json", "summary.csv", "recommendation-rates.csv",
        "measures.csv", "measure-reports.json", "report.html")) {
      assertThat(Files.readString(sparkOut.resolve(file))).as(file)
          .isEqualTo(Files.readString(batchOut.resolve(file)));
    }
    // The report lists patients behind its figures: some, and at most the default limit each.
    String report = Files.readString(sparkOut.resolve("report.html"));
    assertThat(report).contains("\"measure/").contains("\"patients\":[\"");
    // results.parquet: the same columns in the files (types, nullability, nested lists), and
    // the same rows read back with Spark.
    assertThat(parquetSchema(onlyPart(batchOut.resolve("results.parquet"))))
        .isEqualTo(parquetSchema(firstPart(sparkOut.resolve("results.parquet"))));
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      Dataset<Row> fromBatch = spark.read().parquet(batchOut.resolve("results.parquet")
          .toString());
      Dataset<Row> fromSpark = spark.read().parquet(sparkOut.resolve("results.parquet")
          .toString());
      assertThat(fromBatch.schema()).isEqualTo(fromSpark.schema());
      assertThat(fromBatch.schema().fieldNames()).containsExactly(PopulationJob.schema()
          .fieldNames());
      List<Row> batchRows = fromBatch.orderBy("patient_id", "source").collectAsList();
      List<Row> sparkRows = fromSpark.orderBy("patient_id", "source").collectAsList();
      assertThat(batchRows).hasSize(originals.size());
      for (int i = 0; i < batchRows.size(); i++) {
        assertThat(batchRows.get(i)).as(batchRows.get(i).<String>getAs("patient_id"))
            .isEqualTo(sparkRows.get(i));
      }
      assertThat(fromBatch.filter("size(measures) > 0").count()).as("measure rows").isPositive();
      assertThat(fromBatch.filter("size(shown) > 0").count()).as("shown rows").isPositive();
    } finally {
      spark.stop();
    }

    JsonNode summary = JSON.readTree(batchOut.resolve("summary.json").toFile());
    assertThat(summary.path("bulkExports").get(0).path("reconciles").asBoolean()).isTrue();
    assertThat(summary.path("patients").asInt()).isEqualTo(originals.size());

    // The aggregates equal the sum of each patient evaluated alone from its original files.
    Map<String, byte[]> valueSetFiles = new TreeMap<>();
    for (Path folder : List.of(ecqmValueSets, opioidValueSets)) {
      try (Stream<Path> walk = Files.walk(folder)) {
        for (Path file : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
          valueSetFiles.put(file.toString(), Files.readAllBytes(file));
        }
      }
    }
    CdsEngine engine = EngineConfig.of(List.of(), valueSetFiles).engine();
    EvaluationContext context = EvaluationContext.at(Instant.parse(AT), ZoneOffset.UTC)
        .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));
    MeasureRates single = new MeasureRates();
    Map<String, Integer> shown = new TreeMap<>();
    for (Original original : originals) {
      FhirReader reader = original.deckCase() ? FhirReader.create().onePatientPerInput()
          : FhirReader.create();
      PatientRecord record = reader.read(original.files()).onlyPatient();
      EvaluationResult result = engine.evaluate(record, context);
      single.add(result);
      for (Recommendation r : result.recommendations()) {
        shown.merge(r.id(), 1, Integer::sum);
      }
    }
    List<String> measures = Files.readAllLines(batchOut.resolve("measures.csv"));
    assertThat(measures).hasSize(single.rates().size() + 1);
    for (MeasureRates.Rate rate : single.rates()) {
      String counts = rate.measure() + "," + rate.group() + ","
          + rate.improvement().name().toLowerCase(java.util.Locale.ROOT) + ","
          + rate.count(Population.INITIAL_POPULATION) + "," + rate.count(Population.DENOMINATOR)
          + "," + rate.count(Population.DENOMINATOR_EXCLUSION) + ","
          + rate.count(Population.DENOMINATOR_EXCEPTION) + ","
          + rate.count(Population.NUMERATOR) + "," + rate.careGaps() + ",";
      assertThat(measures).anySatisfy(line -> assertThat(line).startsWith(counts));
    }
    Map<String, Integer> shownInSummary = new TreeMap<>();
    summary.path("recommendations").forEach(r -> {
      if (r.path("shown").asInt() > 0) {
        shownInSummary.put(r.path("id").asText(), r.path("shown").asInt());
      }
    });
    assertThat(shownInSummary).isEqualTo(shown).isNotEmpty();
  }

  /** The Parquet schema in a part's footer. */
  static MessageType parquetSchema(Path part) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
      return reader.getFileMetaData().getSchema();
    }
  }

  private static Path onlyPart(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> parts = files.toList();
      assertThat(parts).hasSize(1);
      return parts.get(0);
    }
  }

  private static Path firstPart(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith("part-")
          && f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }
}
