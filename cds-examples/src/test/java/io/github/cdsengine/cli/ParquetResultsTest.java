package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.github.cdsengine.population.PatientRow;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code results.parquet} of {@code cds batch}, read back with parquet-java's own reader on a
 * class path without Hadoop (as the command line runs): the schema the Spark runner writes, and
 * rows that say what {@code results.ndjson} says. {@code SparkBatchEqualityTest} reads it with
 * Spark beside the Spark runner's.
 */
class ParquetResultsTest {

  /** The Spark runner's columns as Parquet writes them, spelled out. */
  private static final MessageType SPARK_COLUMNS = MessageTypeParser.parseMessageType("""
      message spark_schema {
        required binary patient_id (STRING);
        required binary source (STRING);
        required binary age_band (STRING);
        required binary sex (STRING);
        required boolean complete;
        required group shown (LIST) { repeated group list { required binary element (STRING); } }
        required group withheld (LIST) { repeated group list { required binary element (STRING); } }
        required group measures (LIST) {
          repeated group list {
            required group element {
              required binary measure (STRING);
              required int32 group;
              required group populations (LIST) {
                repeated group list { required binary element (STRING); }
              }
              required boolean care_gap;
            }
          }
        }
        required int32 data_warnings;
        optional binary data_end (STRING);
        required binary result (STRING);
      }
      """);

  /**
   * parquet-java's reader needs Hadoop's API classes, which the command line and its other
   * tests run without: this class runs in the build's {@code parquet-read-back} execution, which
   * puts them on the class path, and skips in the other.
   */
  @org.junit.jupiter.api.BeforeAll
  static void onlyWhereTheReaderCanRun() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("cds.parquetReadBack"),
        "read back in the parquet-read-back execution, with Hadoop's API classes");
  }

  /** The part's schema and rows. */
  private record Read(MessageType schema, List<Group> rows) {}

  static Read read(Path folder) throws IOException {
    List<Path> parts;
    try (Stream<Path> files = Files.list(folder)) {
      parts = files.toList();
    }
    assertThat(parts).extracting(p -> p.getFileName().toString())
        .containsExactly(ParquetResults.PART);
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(new ParquetResults.JdkGzip()).build();
    List<Group> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parts.get(0)),
        options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = columns.getRecordReader(pages,
            new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          rows.add(records.read());
        }
      }
      return new Read(schema, rows);
    }
  }

  static List<String> strings(Group row, String field) {
    Group list = row.getGroup(field, 0);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
      values.add(list.getGroup("list", i).getString("element", 0));
    }
    return values;
  }

  @Test
  void everyPatientOfResultsNdjsonIsARowWithTheSparkRunnersColumns(@TempDir Path dir)
      throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, BatchCommandTest.NDJSON);
    Path out = dir.resolve("out");
    Cli.Result result = BatchCommandTest.batch(out, "--threads", "2", ndjson.toString(),
        Cli.USPSTF_SCENARIOS.toString(), Cli.PATIENTS.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();

    Read read = read(out.resolve("results.parquet"));
    assertThat(read.schema()).isEqualTo(SPARK_COLUMNS);
    List<String> lines = Files.readAllLines(out.resolve("results.ndjson"));
    assertThat(read.rows()).hasSameSizeAs(lines).hasSizeGreaterThan(40);
    boolean someWithheld = false;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = BatchCommandTest.JSON.readTree(lines.get(i));
      JsonNode expected = line.path("result");
      Group row = read.rows().get(i);
      assertThat(row.getString("patient_id", 0)).isEqualTo(expected.path("patientId").asText());
      assertThat(row.getString("source", 0)).isEqualTo(line.path("source").asText());
      assertThat(row.getString("age_band", 0)).isEqualTo(line.path("ageBand").asText());
      assertThat(row.getString("sex", 0)).isEqualTo(line.path("sex").asText());
      assertThat(BatchCommandTest.JSON.readTree(row.getString("result", 0))).isEqualTo(expected);
      assertThat(row.getBoolean("complete", 0)).isEqualTo(expected.path("complete").asBoolean());
      List<String> shown = new ArrayList<>();
      expected.path("recommendations").forEach(r -> shown.add(r.path("id").asText()));
      assertThat(strings(row, "shown")).isEqualTo(shown);
      List<String> withheld = new ArrayList<>();
      expected.path("withheld").forEach(w -> withheld.add(w.path("recommendation").path("id")
          .asText()));
      assertThat(strings(row, "withheld")).isEqualTo(withheld);
      someWithheld |= !withheld.isEmpty();
      assertThat(row.getInteger("data_warnings", 0))
          .isEqualTo(expected.path("warnings").size());
    }
    assertThat(someWithheld).as("the scenarios withhold screening from some patients").isTrue();
  }

  @Test
  void measurePopulationsAreNestedPerMeasureGroup(@TempDir Path dir) throws Exception {
    java.util.Optional<Path> ecqm = io.github.cdsengine.core.testing.Conformance.find("ecqm");
    io.github.cdsengine.core.testing.Conformance.assumePresent(ecqm.isPresent(),
        "no eCQM conformance material");
    Path out = dir.resolve("out");
    Cli.Result result = Cli.run("batch", "--at", "2025-12-31T23:59:59Z", "--period",
        "2025-01-01/2025-12-31", "--pack", "cms130-colorectal-cancer-screening",
        "--value-sets", ecqm.get().resolve("vocabulary/valueset").toString(), "--out",
        out.toString(), ecqm.get().resolve("tests/ColonCancerScreeningFHIR").toString());
    assertThat(result.exitCode()).as(result.err()).isZero();

    Read read = read(out.resolve("results.parquet"));
    List<String> lines = Files.readAllLines(out.resolve("results.ndjson"));
    assertThat(read.rows()).hasSameSizeAs(lines).isNotEmpty();
    int numerators = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode measures = BatchCommandTest.JSON.readTree(lines.get(i)).path("result")
          .path("measures");
      Group list = read.rows().get(i).getGroup("measures", 0);
      assertThat(list.getFieldRepetitionCount("list")).isEqualTo(measures.size());
      for (int m = 0; m < measures.size(); m++) {
        Group measure = list.getGroup("list", m).getGroup("element", 0);
        JsonNode expected = measures.get(m);
        assertThat(measure.getString("measure", 0)).isEqualTo(expected.path("measure").asText());
        assertThat(measure.getInteger("group", 0)).isEqualTo(expected.path("group").asInt());
        assertThat(measure.getBoolean("care_gap", 0))
            .isEqualTo(expected.path("careGap").asBoolean());
        List<String> populations = new ArrayList<>();
        expected.path("populations").forEach(p -> populations.add(
            io.github.cdsengine.core.rule.Population.valueOf(p.asText()).code()));
        assertThat(strings(measure, "populations")).isEqualTo(populations);
        numerators += populations.contains("numerator") ? 1 : 0;
      }
    }
    assertThat(numerators).as("the deck has patients in the numerator").isPositive();
  }

  @Test
  void aPatientWithNothingShownNoMeasureAndNoDateHasEmptyListsAndANullDataEnd(
      @TempDir Path dir) throws Exception {
    Path ndjson = dir.resolve("one.ndjson");
    Files.writeString(ndjson, "{\"resourceType\": \"Patient\", \"id\": \"bare\"}\n");
    Path out = dir.resolve("out");
    Cli.Result result = BatchCommandTest.batch(out, ndjson.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();

    Read read = read(out.resolve("results.parquet"));
    assertThat(read.rows()).hasSize(1);
    Group row = read.rows().get(0);
    assertThat(row.getString("patient_id", 0)).isEqualTo("bare");
    assertThat(row.getString("age_band", 0)).isEqualTo("unknown");
    assertThat(row.getString("sex", 0)).isEqualTo("unknown");
    assertThat(strings(row, "shown")).isEmpty();
    assertThat(strings(row, "withheld")).isEmpty();
    assertThat(row.getGroup("measures", 0).getFieldRepetitionCount("list")).isZero();
    assertThat(row.getFieldRepetitionCount("data_end")).as("null").isZero();
    assertThat(row.getString("result", 0)).contains("\"patientId\":\"bare\"");
  }

  @Test
  void noPatientEvaluatedIsAPartWithTheColumnsAndNoRows(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"resourceType\": \"Patient\", \"id\": ");
    Path out = dir.resolve("out");
    Cli.Result result = BatchCommandTest.batch(out, bad.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).contains("0 patients evaluated");

    Read read = read(out.resolve("results.parquet"));
    assertThat(read.schema()).isEqualTo(SPARK_COLUMNS);
    assertThat(read.rows()).isEmpty();
  }

  @Test
  void nonAsciiPathsAreKeptAsUtf8(@TempDir Path dir) throws Exception {
    Path ndjson = Files.createDirectories(dir.resolve("Zoë Núñez 北京"))
        .resolve("Ångström_\uD83D\uDE00.ndjson");
    Files.writeString(ndjson, BatchCommandTest.NDJSON, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Cli.Result result = BatchCommandTest.batch(out, ndjson.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();

    List<Group> rows = read(out.resolve("results.parquet")).rows();
    List<String> lines = Files.readAllLines(out.resolve("results.ndjson"), StandardCharsets.UTF_8);
    assertThat(rows).hasSize(3);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).getString("source", 0))
          .isEqualTo(BatchCommandTest.JSON.readTree(lines.get(i)).path("source").asText())
          .contains("Zoë Núñez 北京").contains("Ångström_\uD83D\uDE00.ndjson #" + (i + 1));
    }
  }

  @Test
  void everyTextColumnKeepsTextOutsideAsciiAndOutsideTheBasicPlane(@TempDir Path dir)
      throws Exception {
    String text = "Zoë 北京 \uD83D\uDE00 \u0000 \\ \"";
    PatientRow.MeasureCount measure = new PatientRow.MeasureCount("m-" + text, 2,
        io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement.INCREASE,
        List.of(io.github.cdsengine.core.rule.Population.INITIAL_POPULATION), true);
    PatientRow.Tally tally = new PatientRow.Tally(false,
        List.of(new PatientRow.Shown("shown-" + text, "t", "info")),
        List.of(new PatientRow.Shown("withheld-" + text, "t", "info")), List.of(measure),
        "2025-02-03", 7);
    String json = "{\"source\":\"s\",\"ageBand\":\"0-17\",\"sex\":\"other\",\"result\":"
        + "{\"note\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000",
            "\\u0000") + "\"}}";
    PatientRow row = new PatientRow("id-" + text, "source-" + text, "0-17", "other", json, tally);
    Path folder = dir.resolve("results.parquet");
    try (ParquetResults parquet = ParquetResults.create(folder)) {
      parquet.add(row);
    }

    Group read = read(folder).rows().get(0);
    assertThat(read.getString("patient_id", 0)).isEqualTo("id-" + text);
    assertThat(read.getString("source", 0)).isEqualTo("source-" + text);
    assertThat(read.getString("sex", 0)).isEqualTo("other");
    assertThat(read.getBoolean("complete", 0)).isFalse();
    assertThat(strings(read, "shown")).containsExactly("shown-" + text);
    assertThat(strings(read, "withheld")).containsExactly("withheld-" + text);
    Group m = read.getGroup("measures", 0).getGroup("list", 0).getGroup("element", 0);
    assertThat(m.getString("measure", 0)).isEqualTo("m-" + text);
    assertThat(m.getInteger("group", 0)).isEqualTo(2);
    assertThat(strings(m, "populations")).containsExactly("initial-population");
    assertThat(m.getBoolean("care_gap", 0)).isTrue();
    assertThat(read.getInteger("data_warnings", 0)).isEqualTo(7);
    assertThat(read.getString("data_end", 0)).isEqualTo("2025-02-03");
    assertThat(read.getString("result", 0)).isEqualTo(row.result());
    assertThat(BatchCommandTest.JSON.readTree(read.getString("result", 0)).path("note").asText())
        .isEqualTo(text);
  }

  @Test
  void aRunReplacesThePartsOfAnEarlierRun(@TempDir Path dir) throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, BatchCommandTest.NDJSON);
    Path out = dir.resolve("out");
    Path stale = Files.createDirectories(out.resolve("results.parquet"))
        .resolve("part-00003-from-spark.snappy.parquet");
    Files.writeString(stale, "an earlier run's part");
    Files.writeString(out.resolve("results.parquet").resolve("_SUCCESS"), "");
    Cli.Result result = BatchCommandTest.batch(out, ndjson.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();

    assertThat(read(out.resolve("results.parquet")).rows()).hasSize(3);
  }
}
