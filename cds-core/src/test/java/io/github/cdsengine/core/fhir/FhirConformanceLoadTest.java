package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Synthea bundle and every CMS test-deck case reads without error, and every resource is
 * accounted for: read as a fact, left out with a warning, counted as skipped, or used to resolve
 * a reference.
 */
class FhirConformanceLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirReader READER = FhirReader.create();
  /**
   * Some deck cases (seven CMS124 cases among them) have resources that name a patient who is not
   * in their folder; the deck means the folder's own Patient.
   */
  private static final FhirReader CASE_READER = READER.onePatientPerInput();

  @TestFactory
  Stream<DynamicTest> everySyntheaBundleLoads() throws IOException {
    if (Conformance.find("synthea/bundles").isEmpty()) {
      return Conformance.skipped("synthea/bundles");
    }
    Path bundles = Conformance.directory("synthea/bundles");
    List<Path> files;
    try (Stream<Path> list = Files.list(bundles)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(100);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertAccountedFor(List.of(file), READER.read(file))));
  }

  @TestFactory
  Stream<DynamicTest> everyMeasureTestCaseLoads() throws IOException {
    if (Conformance.find("ecqm/tests").isEmpty()) {
      return Conformance.skipped("ecqm/tests");
    }
    Path tests = Conformance.directory("ecqm/tests");
    List<Path> cases;
    try (Stream<Path> walk = Files.walk(tests, 2)) {
      cases = walk.filter(p -> Files.isDirectory(p) && tests.relativize(p).getNameCount() == 2)
          .sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(250);
    return cases.stream().map(dir -> DynamicTest.dynamicTest(tests.relativize(dir).toString(),
        () -> {
          List<Path> files;
          try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
          }
          FhirData data = CASE_READER.read(files);
          assertAccountedFor(files, data);
          Set<String> repointed = data.warnings().stream()
              .filter(w -> w.message().contains("is not in the input; taken as the input's only"))
              .map(w -> w.type() + "/" + w.id()).collect(Collectors.toCollection(TreeSet::new));
          assertThat(repointed).as("resources taken as the folder's patient")
              .isEqualTo(namingAnotherPatient(files, data));
        }));
  }

  /**
   * The resources, of the types the reader reads, whose subject (or patient, for Immunization
   * and AllergyIntolerance) names a patient other than the input's only Patient, found straight
   * from the JSON: exactly these must be read with a warning.
   */
  private static Set<String> namingAnotherPatient(List<Path> files, FhirData data)
      throws IOException {
    List<JsonNode> resources = new ArrayList<>();
    for (Path file : files) {
      JsonNode root = JSON.readTree(file.toFile());
      if (root.path("resourceType").asText().equals("Bundle")) {
        root.path("entry").forEach(entry -> resources.add(entry.path("resource")));
      } else {
        resources.add(root);
      }
    }
    String patientId = resources.stream()
        .filter(r -> r.path("resourceType").asText().equals("Patient"))
        .map(r -> r.path("id").asText()).findFirst().orElseThrow();
    Set<String> found = new TreeSet<>();
    for (JsonNode resource : resources) {
      String type = resource.path("resourceType").asText();
      if (type.equals("Patient") || type.equals("Medication")
          || data.skipped().containsKey(type)) {
        continue;
      }
      String field = type.equals("Immunization") || type.equals("AllergyIntolerance")
          ? "patient" : "subject";
      String reference = resource.path(field).path("reference").asText();
      if (!reference.equals("Patient/" + patientId) && !reference.endsWith("/Patient/" + patientId)) {
        found.add(type + "/" + resource.path("id").asText());
      }
    }
    return found;
  }

  /** Counts resources by type straight from the JSON and checks each one has a place. */
  private static void assertAccountedFor(List<Path> files, FhirData data) throws IOException {
    Map<String, Integer> raw = new TreeMap<>();
    for (Path file : files) {
      JsonNode root = JSON.readTree(file.toFile());
      if (root.path("resourceType").asText().equals("Bundle")) {
        for (JsonNode entry : root.path("entry")) {
          raw.merge(entry.path("resource").path("resourceType").asText(), 1, Integer::sum);
        }
      } else {
        raw.merge(root.path("resourceType").asText(), 1, Integer::sum);
      }
    }
    assertThat(data.patients()).hasSize(raw.getOrDefault("Patient", 0)).hasSize(1);
    PatientRecord record = data.onlyPatient();
    Map<String, Integer> read = new TreeMap<>();
    record.facts().forEach(fact -> read.merge(fact.resourceType(), 1, Integer::sum));
    Map<String, Integer> leftOut = new TreeMap<>();
    data.warnings().stream().filter(w -> w.message().contains("the resource was left out"))
        .map(DataWarning::type).forEach(type -> leftOut.merge(type, 1, Integer::sum));

    Map<String, Integer> accounted = new TreeMap<>(data.skipped());
    read.forEach((type, count) -> accounted.merge(type, count, Integer::sum));
    leftOut.forEach((type, count) -> accounted.merge(type, count, Integer::sum));
    accounted.merge("Medication", raw.getOrDefault("Medication", 0), Integer::sum);
    accounted.remove("Medication", 0);
    assertThat(accounted).isEqualTo(raw);
  }
}
