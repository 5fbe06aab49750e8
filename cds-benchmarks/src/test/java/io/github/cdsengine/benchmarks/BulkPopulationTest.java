package io.github.cdsengine.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.fhir.BulkExport;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The population benchmark's generator: dates moved, the same files every time, no clock. */
class BulkPopulationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({
      "2024-02-28, 1, 2024-02-29",
      "2024-12-31, 1, 2025-01-01",
      "2025-03-01, -1, 2025-02-28",
      "2025-06-15T10:30:00-05:00, 30, 2025-07-15T10:30:00-05:00",
      "2025-06-15T10:30:00.000Z, -365, 2024-06-15T10:30:00.000Z",
      "2025-13-01, 1, 2025-13-01",
      "not a date, 1, not a date"})
  void movesTheDayOfADateOrDateTimeAndLeavesEverythingElse(String text, int days,
      String expected) {
    assertThat(BulkPopulation.shifted(text, days)).isEqualTo(expected);
  }

  /** A partial date moves as the first day of its period and keeps its precision. */
  @ParameterizedTest
  @CsvSource({
      "2025, 10, 2025",
      "2019, -1, 2018",
      "2019, 364, 2019",
      "2019, 365, 2020",
      "2020, 365, 2020",
      "2020, 366, 2021",
      "2019, -365, 2018",
      "2025-06, 10, 2025-06",
      "2019-03, 30, 2019-03",
      "2019-03, 31, 2019-04",
      "2019-03, -1, 2019-02",
      "2024-02, 28, 2024-02",
      "2024-02, 29, 2024-03",
      "2023-02, 28, 2023-03",
      "2019-12, 31, 2020-01",
      "2020-01, -1, 2019-12",
      "2019-12, -365, 2018-12",
      "2019-13, 1, 2019-13",
      "2019-00, 1, 2019-00",
      "0001, -1, 0001",
      "9999-12, 31, 9999-12",
      "20190, 1, 20190",
      "2019-3, 1, 2019-3"})
  void movesAPartialDateWithTheFirstDayOfItsPeriod(String text, int days, String expected) {
    assertThat(BulkPopulation.shifted(text, days)).isEqualTo(expected);
  }

  /** Whatever the shift, a partial date lands where its period's first day does. */
  @Test
  void aPartialDateMovesAsTheFullDateOfItsFirstDay() {
    for (int year : new int[] {2019, 2020, 2023, 2024, 2099, 2100}) {
      for (int days = -BulkPopulation.MOST_DAYS_SHIFTED;
          days <= BulkPopulation.MOST_DAYS_SHIFTED; days++) {
        assertThat(BulkPopulation.shifted(String.valueOf(year), days))
            .isEqualTo(BulkPopulation.shifted(year + "-01-01", days).substring(0, 4));
        for (int month = 1; month <= 12; month++) {
          String yearMonth = String.format("%04d-%02d", year, month);
          assertThat(BulkPopulation.shifted(yearMonth, days))
              .isEqualTo(BulkPopulation.shifted(yearMonth + "-01", days).substring(0, 7));
        }
      }
    }
  }

  @Test
  void movesPartialDatesInDateFieldsOnly() throws IOException {
    JsonNode patient = JSON.readTree("{\"resourceType\":\"Patient\",\"id\":\"2019\","
        + "\"birthDate\":\"1960\",\"deceasedDateTime\":\"2019-12\",\"address\":[{"
        + "\"postalCode\":\"2019\",\"period\":{\"start\":\"2019-03\",\"end\":\"2019\"}}],"
        + "\"meta\":{\"versionId\":\"2019\"},\"extension\":[{\"valueDate\":\"2020-02\","
        + "\"valueString\":\"2019-03\"}]}");
    BulkPopulation.shiftDates(patient, -60);
    assertThat(patient.path("birthDate").asText()).isEqualTo("1959");
    assertThat(patient.path("deceasedDateTime").asText()).isEqualTo("2019-10");
    assertThat(patient.at("/address/0/period/start").asText()).isEqualTo("2018-12");
    assertThat(patient.at("/address/0/period/end").asText()).isEqualTo("2018");
    assertThat(patient.at("/extension/0/valueDate").asText()).isEqualTo("2019-12");
    assertThat(patient.path("id").asText()).isEqualTo("2019");
    assertThat(patient.at("/address/0/postalCode").asText()).isEqualTo("2019");
    assertThat(patient.at("/meta/versionId").asText()).isEqualTo("2019");
    assertThat(patient.at("/extension/0/valueString").asText()).isEqualTo("2019-03");
  }

  @Test
  void copiesWithPartialDatesAreTheSameBytesEveryTime() throws IOException {
    byte[] condition = ("{\"resourceType\":\"Condition\",\"id\":\"c\",\"onsetDateTime\":"
        + "\"2019\",\"recordedDate\":\"2019-03\",\"abatementDateTime\":\"2020-02-29\"}")
        .getBytes(StandardCharsets.UTF_8);
    BulkPopulation.Source source = new BulkPopulation.Source("c", List.of(condition), true);
    String first = BulkPopulation.copy(source, 366).toString();
    assertThat(BulkPopulation.copy(source, 366).toString()).isEqualTo(first);
    assertThat(first).contains("\"onsetDateTime\":\"2020\"")
        .contains("\"recordedDate\":\"2020-03\"")
        .contains("\"abatementDateTime\":\"2021-03-01\"");
  }

  @Test
  void movesDatesInEveryFieldButIdsCodesAndReferences() throws IOException {
    JsonNode resource = JSON.readTree("{\"resourceType\":\"Condition\",\"id\":\"2025-01-01\","
        + "\"onsetDateTime\":\"2025-01-01T00:00:00Z\",\"code\":{\"coding\":[{\"code\":"
        + "\"2025-01-01\"}]},\"subject\":{\"reference\":\"Patient/2025-01-01\"},"
        + "\"extension\":[{\"valueDate\":\"2025-01-01\"}]}");
    BulkPopulation.shiftDates(resource, 2);
    assertThat(resource.path("onsetDateTime").asText()).isEqualTo("2025-01-03T00:00:00Z");
    assertThat(resource.path("extension").get(0).path("valueDate").asText())
        .isEqualTo("2025-01-03");
    assertThat(resource.path("id").asText()).isEqualTo("2025-01-01");
    assertThat(resource.at("/code/coding/0/code").asText()).isEqualTo("2025-01-01");
    assertThat(resource.at("/subject/reference").asText()).isEqualTo("Patient/2025-01-01");
  }

  @Test
  void theSameSeedWritesTheSameFilesAndEveryPatientIsAnExportPatient() throws IOException {
    Conformance.assumePresent(Conformance.find("ecqm/tests").isPresent()
        && Conformance.find("synthea/bundles").isPresent(), "no conformance folder");
    List<BulkPopulation.Source> decks =
        BulkPopulation.deckCases(Conformance.directory("ecqm/tests"));
    List<BulkPopulation.Source> synthea =
        BulkPopulation.syntheaRecords(Conformance.directory("synthea/bundles"));
    assertThat(decks).hasSizeGreaterThan(100);
    // One in four from Synthea, so that 40 patients surely hold some.
    BulkPopulation population = new BulkPopulation(decks, synthea, 7, 4);
    BulkPopulation.Counts first = population.write(dir.resolve("a"), 40);
    BulkPopulation.Counts second = population.write(dir.resolve("b"), 40);
    assertThat(first).isEqualTo(second);
    assertThat(first.synthea()).isBetween(1L, 39L);
    assertThat(contents(dir.resolve("a"))).isEqualTo(contents(dir.resolve("b")));

    List<String> patientIds = new ArrayList<>();
    for (BulkExport.DataFile file : BulkExport.open(dir.resolve("a")).files()) {
      assertThat(file.type()).isNotEqualTo("MeasureReport");
      if (file.type().equals("Patient")) {
        try (InputStream in = file.open()) {
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
              .forEach(l -> patientIds.add(l.replaceAll(".*\"id\":\"(p\\d+)-.*", "$1")));
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      expected.add("p" + n);
    }
    assertThat(patientIds).containsExactlyElementsOf(expected);

    // Another seed draws other patients.
    new BulkPopulation(decks, synthea, 8, 4).write(dir.resolve("c"), 40);
    assertThat(contents(dir.resolve("c"))).isNotEqualTo(contents(dir.resolve("a")));
  }

  private static List<String> contents(Path folder) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path file : list.sorted().toList()) {
        all.add(file.getFileName() + " " + java.util.Arrays.hashCode(Files.readAllBytes(file)));
      }
    }
    return all;
  }
}
