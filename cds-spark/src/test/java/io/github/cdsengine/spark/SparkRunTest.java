package io.github.cdsengine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark runner on a small export, in local mode, every line accounted for. */
class SparkRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static String patient(String id, String birthDate, String gender) {
    return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"birthDate\":\"" + birthDate
        + "\",\"gender\":\"" + gender + "\",\"generalPractitioner\":[{\"reference\":"
        + "\"Practitioner/dr\"}]}";
  }

  static String colonoscopy(String id, String patient, String date) {
    return "{\"resourceType\":\"Procedure\",\"id\":\"" + id + "\",\"status\":\"completed\","
        + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"73761001\"}]},"
        + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"performedDateTime\":\""
        + date + "\"}";
  }

  static List<String> parts(Path folder) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path part : files.filter(f -> f.getFileName().toString().startsWith("part-"))
          .sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    return lines;
  }

  /** The drill-down report.html carries: the JSON of its patients block. */
  static JsonNode drillDown(Path report) throws IOException {
    String html = Files.readString(report, StandardCharsets.UTF_8);
    String open = "<script type=\"application/json\" id=\"cds-patients\">";
    int start = html.indexOf(open) + open.length();
    return JSON.readTree(html.substring(start, html.indexOf("</script>", start))
        .replace("\\u003c", "<"));
  }

  @Test
  void theReportListsAtMostTheGivenNumberOfPatientsPerFigureTheSmallestIds() throws IOException {
    Path export = dir.resolve("export");
    Files.createDirectories(export);
    // Five patients due for screening, read in an order that is not their ids' order.
    List<String> lines = new ArrayList<>();
    for (String id : List.of("p4", "p2", "p5", "p1", "p3")) {
      lines.add(patient(id, "1960-01-01", "male"));
    }
    Files.writeString(export.resolve("Patient.ndjson"), String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(export.resolve("Practitioner.ndjson"),
        "{\"resourceType\":\"Practitioner\",\"id\":\"dr\"}\n", StandardCharsets.UTF_8);
    for (int limit : new int[] {0, 2, 5}) {
      Path out = dir.resolve("out" + limit);
      int code = run("--master", "local[2]", "--partitions", "3", "--input",
          export.toString(), "--out", out.toString(), "--at", "2025-06-15", "--pack",
          "uspstf-colorectal-cancer-screening", "--report-patients", String.valueOf(limit));
      assertThat(code).isZero();
      JsonNode figure = drillDown(out.resolve("report.html")).path("figures")
          .path("recommendation/uspstf-crc-screening/shown");
      assertThat(figure.path("count").asInt()).isEqualTo(5);
      List<String> ids = new ArrayList<>();
      figure.path("patients").forEach(id -> ids.add(id.asText()));
      assertThat(ids).isEqualTo(List.of("p1", "p2", "p3", "p4", "p5").subList(0, limit));
    }
  }

  @Test
  void aNegativeReportLimitIsAUsageError() {
    StringWriter err = new StringWriter();
    int code = SparkPopulationRun.execute(new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), "--input", dir.toString(), "--out", dir.resolve("o")
            .toString(), "--at", "2025-06-15", "--report-patients", "-1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--report-patients must be from 0 to 1000: -1");
  }

  static int run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPopulationRun.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        args);
    assertThat(err.toString()).doesNotContain("Exception");
    return code;
  }

  @Test
  void reportPatientsAboveTheBoundOrNegativeIsAUsageErrorNamingTheOption() {
    for (String refused : new String[] {"1001", "-1"}) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = SparkPopulationRun.execute(new PrintWriter(out, true),
          new PrintWriter(err, true), "--input", dir.resolve("none").toString(), "--out",
          dir.resolve("out").toString(), "--at", "2025-06-15", "--report-patients", refused);
      assertThat(code).isEqualTo(2);
      assertThat(err.toString()).isEqualTo("cds-spark: --report-patients must be from 0 to "
          + "1000: " + refused + System.lineSeparator());
      assertThat(dir.resolve("out")).as("no run started").doesNotExist();
    }
  }

  @Test
  void aSmallExportIsEvaluatedAndEveryLineAccountedFor() throws IOException {
    Path export = dir.resolve("export");
    Files.createDirectories(export);
    Files.writeString(export.resolve("Patient.ndjson"), String.join("\n",
        patient("a", "1970-05-01", "female"), patient("b", "1960-01-01", "male"),
        patient("c", "1990-01-01", "female"), "") , StandardCharsets.UTF_8);
    Files.writeString(export.resolve("Procedure.ndjson"), String.join("\n",
        colonoscopy("pa", "a", "2020-03-01"), "{not json", colonoscopy("px", "ghost",
            "2020-03-01"), ""), StandardCharsets.UTF_8);
    Files.writeString(export.resolve("Practitioner.ndjson"),
        "{\"resourceType\":\"Practitioner\",\"id\":\"dr\"}\n{\"resourceType\":\"Practitioner\","
            + "\"id\":\"nobody\"}\n", StandardCharsets.UTF_8);
    Files.writeString(export.resolve("Claim.ndjson"),
        "{\"resourceType\":\"Claim\",\"id\":\"c1\"}\n", StandardCharsets.UTF_8);
    Files.writeString(export.resolve("notes.txt"), "x", StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    int code = run("--master", "local[2]", "--input", export.toString(), "--out",
        out.toString(), "--at", "2025-06-15", "--pack", "uspstf-colorectal-cancer-screening",
        "--report-patients", "1000");

    assertThat(code).as("a malformed line and a resource of no patient: exit 2").isEqualTo(2);
    List<String> results = parts(out.resolve("results.ndjson"));
    assertThat(results).hasSize(3);
    List<String> sources = new ArrayList<>();
    for (String line : results) {
      sources.add(JSON.readTree(line).path("source").asText());
    }
    assertThat(sources).containsExactly("Patient.ndjson line 1", "Patient.ndjson line 2",
        "Patient.ndjson line 3");
    // b (65, male, no screening) is due for colorectal screening; a was screened in 2020;
    // c is 35.
    JsonNode b = JSON.readTree(results.get(1)).path("result");
    assertThat(b.path("recommendations").get(0).path("id").asText())
        .isEqualTo("uspstf-crc-screening");
    assertThat(JSON.readTree(results.get(0)).path("result").path("recommendations").size())
        .isZero();

    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    JsonNode input = summary.path("bulkExports").get(0);
    assertThat(input.path("reconciles").asBoolean()).isTrue();
    assertThat(input.path("lines").asLong()).isEqualTo(3 + 3 + 2 + 1);
    assertThat(input.path("used").asLong()).isEqualTo(3 + 1 + 1);
    assertThat(input.path("malformed").asLong()).isEqualTo(1);
    assertThat(input.path("skipped").toString()).contains("\"unknown-type\":{\"Claim\":1}")
        .contains("\"patient-not-in-export\":{\"Procedure\":1}")
        .contains("\"not-referenced\":{\"Practitioner\":1}");
    assertThat(summary.path("unreadFiles").get(0).path("path").asText())
        .endsWith("notes.txt");
    assertThat(summary.path("patients").asInt()).isEqualTo(3);
    List<String> errors = parts(out.resolve("errors.ndjson"));
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).contains("Procedure.ndjson line 2").contains("malformed");
    assertThat(errors.get(1)).contains("Procedure.ndjson line 3")
        .contains("patient-not-in-export");
    assertThat(Files.readString(out.resolve("recommendation-rates.csv")))
        .contains("uspstf-crc-screening,Colorectal cancer screening is due,65-74,male,1,1,1.0,");

    // The report: the patients behind each figure, the smallest ids first, at most the limit
    // (the bound, 1000, given above).
    JsonNode drillDown = drillDown(out.resolve("report.html"));
    assertThat(drillDown.path("limit").asInt()).isEqualTo(1000);
    assertThat(drillDown.path("figures").path("recommendation/uspstf-crc-screening/shown")
        .path("patients").toString()).isEqualTo("[\"b\"]");

    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      Dataset<Row> parquet = spark.read().parquet(out.resolve("results.parquet").toString());
      assertThat(parquet.count()).isEqualTo(3);
      assertThat(parquet.filter("patient_id = 'b'").first().<String>getAs("age_band"))
          .isEqualTo("65-74");
    } finally {
      spark.stop();
    }
  }
}
