package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.population.BulkLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cds batch} over a FHIR Bulk Data export folder, every line and file accounted for. */
class BatchBulkExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** The example patients' Bundles, written in Bulk layout. */
  private Path examplesAsExport(boolean gzip) throws IOException {
    Path export = dir.resolve(gzip ? "export-gz" : "export");
    try (BulkLayout layout = new BulkLayout(export, gzip);
        Stream<Path> files = Files.list(Cli.PATIENTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        layout.add(List.of(JSON.readTree(file.toFile())), "", false);
      }
    }
    return export;
  }

  /** Each results line without its source, keyed by patient id. */
  private static List<String> resultsBySource(Path out) throws IOException {
    List<String> results = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("results.ndjson"))) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      node.remove("source");
      results.add(node.toString());
    }
    results.sort(null);
    return results;
  }

  @Test
  void anExportGivesTheSameResultsAsTheBundlesItWasMadeOf() throws IOException {
    Path export = examplesAsExport(true);
    Cli.Result fromBundles = Cli.run("batch", "--at", "2025-06-15", "--out",
        dir.resolve("bundles").toString(), Cli.PATIENTS.toString());
    Cli.Result fromExport = Cli.run("batch", "--at", "2025-06-15", "--bucket-size", "2K",
        "--out", dir.resolve("bulk").toString(), export.toString());
    assertThat(fromBundles.exitCode()).as(fromBundles.err()).isZero();
    assertThat(fromExport.exitCode()).as(fromExport.err()).isZero();
    assertThat(resultsBySource(dir.resolve("bulk")))
        .isNotEmpty()
        .isEqualTo(resultsBySource(dir.resolve("bundles")));
    assertThat(Files.readString(dir.resolve("bulk/summary.csv")))
        .isEqualTo(Files.readString(dir.resolve("bundles/summary.csv")));
    assertThat(Files.readString(dir.resolve("bulk/recommendation-rates.csv")))
        .isEqualTo(Files.readString(dir.resolve("bundles/recommendation-rates.csv")));
    JsonNode summary = JSON.readTree(dir.resolve("bulk/summary.json").toFile());
    JsonNode input = summary.path("bulkExports").get(0);
    assertThat(input.path("reconciles").asBoolean()).isTrue();
    assertThat(input.path("malformed").asLong()).isZero();
    assertThat(input.path("patients").asLong()).isEqualTo(summary.path("patients").asLong());
    assertThat(input.path("manifest").asBoolean()).isTrue();
    assertThat(Files.readString(dir.resolve("bulk/errors.ndjson"))).isEmpty();
    try (Stream<Path> left = Files.list(dir.resolve("bulk"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the spill folder is gone").noneMatch(name -> name.startsWith("cds-bulk-"));
    }
  }

  @Test
  void badLinesAreNamedWithFileAndLineAndTheRestIsStillEvaluated() throws IOException {
    Path export = examplesAsExport(false);
    Files.writeString(export.resolve("Observation.ndjson"), "{\"resourceType\": \"Obs\n"
        + "{\"resourceType\":\"Observation\",\"id\":\"orphan\",\"status\":\"final\",\"code\":{}}\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(export.resolve("README.txt"), "notes", StandardCharsets.UTF_8);
    long observations = Files.readAllLines(export.resolve("Observation.ndjson")).size();
    Path out = dir.resolve("out");
    Cli.Result result = Cli.run("batch", "--at", "2025-06-15", "--out", out.toString(),
        export.toString());
    assertThat(result.exitCode()).as("problems make exit code 2").isEqualTo(2);
    List<String> errors = Files.readAllLines(out.resolve("errors.ndjson"));
    assertThat(errors).hasSize(2);
    JsonNode malformed = JSON.readTree(errors.get(0));
    assertThat(malformed.path("source").asText())
        .isEqualTo("Observation.ndjson line " + (observations - 1));
    assertThat(malformed.path("kind").asText()).isEqualTo("malformed");
    assertThat(JSON.readTree(errors.get(1)).path("kind").asText()).isEqualTo("no-patient");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    JsonNode input = summary.path("bulkExports").get(0);
    assertThat(input.path("reconciles").asBoolean()).isTrue();
    assertThat(input.path("malformed").asLong()).isEqualTo(1);
    assertThat(input.path("skipped").path("no-patient").path("Observation").asLong())
        .isEqualTo(1);
    assertThat(summary.path("inputErrors").asInt()).isEqualTo(2);
    assertThat(summary.path("patients").asInt()).isEqualTo(input.path("patients").asInt())
        .isPositive();
    assertThat(summary.path("unreadFiles").get(0).path("path").asText()).endsWith("README.txt");
    assertThat(result.err()).contains("not read: " + export.resolve("README.txt"))
        .contains("1 malformed");
    assertThat(result.out()).contains("2 inputs with errors, 1 files not read");
  }

  @Test
  void filesInAPatientDirectoryThatAreNotReadAreNamed() throws IOException {
    Path patients = dir.resolve("patients");
    Files.createDirectories(patients.resolve("sub"));
    Files.copy(Cli.PATIENTS.resolve("mammogram-due-60.json"), patients.resolve("a.json"));
    Files.writeString(patients.resolve("sub/b.json.gz"), "x");
    Files.writeString(patients.resolve("notes.md"), "x");
    Cli.Result result = Cli.run("batch", "--at", "2025-06-15", "--out",
        dir.resolve("out").toString(), patients.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("not read: " + patients.resolve("notes.md"))
        .contains("not read: " + patients.resolve("sub/b.json.gz"));
    assertThat(result.out()).startsWith("1 patients evaluated, 2 files not read");
    JsonNode summary = JSON.readTree(dir.resolve("out/summary.json").toFile());
    assertThat(summary.path("unreadFiles")).hasSize(2);
  }

  @Test
  void theSummarySaysWhenTheDataEndBeforeTheMeasurementPeriod() throws IOException {
    Conformance.assumePresent(Cli.valueSets().isPresent(),
        "no conformance value sets beside the checkout");
    Path out = dir.resolve("out");
    Cli.Result result = Cli.run("batch", "--at", "2040-12-31T23:59:59Z", "--period",
        "2040-01-01/2040-12-31", "--value-sets", Cli.valueSets().get().toString(), "--out",
        out.toString(), examplesAsExport(false).toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    String dataEnd = summary.path("dataEnd").asText();
    assertThat(dataEnd).startsWith("202");
    assertThat(summary.path("notes").toString())
        .contains("the data end on " + dataEnd + ", before the measurement period starts "
            + "(2040-01-01)");
    assertThat(result.err()).contains("note: the data end on " + dataEnd);
    assertThat(Files.readString(out.resolve("measure-reports.json")))
        .contains("\"type\" : \"summary\"").contains("\"start\" : \"2040-01-01\"");
  }
}
