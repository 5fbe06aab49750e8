package io.github.cdsengine.core.scenario;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Procedure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Scenario files read strictly, and every fault names its JSON path. */
class ScenarioReaderTest {

  static final String VALID = """
      {
        "name": "Overdue colonoscopy",
        "at": "2025-06-15T13:00:00Z",
        "zone": "America/New_York",
        "record": {
          "patient": {"id": "p1", "birthDate": "1967-03-02", "gender": "female"},
          "procedures": [{
            "id": "proc-1", "status": "completed",
            "code": {"codings": [{"system": "http://snomed.info/sct", "code": "73761001",
                                  "display": "Colonoscopy"}]},
            "performed": {"start": "2013-05-10", "end": "2013-05-10T15:30:00-04:00"}
          }]
        },
        "expect": {"shown": ["uspstf-crc-screening"]}
      }
      """;

  static Scenario read(String json) {
    return ScenarioReader.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  @Test
  void readsAScenario() {
    Scenario scenario = read(VALID);
    assertThat(scenario.at()).isEqualTo(Instant.parse("2025-06-15T13:00:00Z"));
    assertThat(scenario.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(scenario.context().date()).isEqualTo(LocalDate.of(2025, 6, 15));
    assertThat(scenario.record().patient().birthDate()).isEqualTo(LocalDate.of(1967, 3, 2));
    Procedure procedure = scenario.record().procedures().get(0);
    assertThat(procedure.status()).isEqualTo(EventStatus.COMPLETED);
    assertThat(procedure.code().hasCoding(Code.of(SNOMED_CT, "73761001"))).isTrue();
    assertThat(procedure.performed().start()).isEqualTo(ClinicalTime.of(LocalDate.of(2013, 5, 10)));
    assertThat(procedure.performed().end())
        .isEqualTo(ClinicalTime.of(Instant.parse("2013-05-10T19:30:00Z")));
    assertThat(scenario.expect().shown()).containsExactly("uspstf-crc-screening");
    assertThat(scenario.expect().absent()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown field | \"zone\": \"America/New_York\", | \"zone\": \"America/New_York\", \"colour\": 1, | $.colour | colour",
      "impossible date | 1967-03-02 | 2023-02-30 | $.record.patient.birthDate | 2023-02-30",
      "impossible performed date | \"start\": \"2013-05-10\" | \"start\": \"2013-13-10\" | $.record.procedures[0].performed.start | 2013-13-10",
      "unknown status | \"completed\" | \"finished\" | $.record.procedures[0].status | finished",
      "missing code system | \"system\": \"http://snomed.info/sct\", | '' | $.record.procedures[0].code.codings[0] | system",
      "missing patient id | \"id\": \"p1\", | '' | $.record.patient | Patient id",
      "missing procedure code | \"code\": {\"codings\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"73761001\", | \"other\": {\"codings\": [{\"system\": \"x\", \"code\": \"y\", | $.record.procedures[0] | code is required",
      "wrong type for a list | \"procedures\": [{ | \"procedures\": {\"x\": [{ | $.record.procedures | ",
      "unknown zone | America/New_York | America/Springfield | $.zone | Springfield",
      "number for an enum | \"gender\": \"female\" | \"gender\": 1 | $.record.patient.gender | "})
  void aFaultNamesItsPath(String fault, String find, String replace, String path,
      String fragment) {
    String json = VALID.replace(find, replace == null ? "" : replace);
    assertThat(json).as("the fault must change the file").isNotEqualTo(VALID);
    assertThatThrownBy(() -> read(json))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.source()).isEqualTo("test.json");
          assertThat(e.path()).isEqualTo(path);
          if (fragment != null) {
            assertThat(e.getMessage()).contains(fragment);
          }
        });
  }

  @Test
  void trailingContentAfterTheObjectIsRefused() {
    assertThatThrownBy(() -> read(VALID + "{}"))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("Trailing token"));
  }

  @Test
  void malformedJsonNamesTheLine() {
    assertThatThrownBy(() -> read("{\n\"name\": \"x\",\n\"at\": }"))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.getMessage()).contains("line 3");
        });
  }

  @Test
  void aMissingRequiredScenarioFieldIsNamed() {
    assertThatThrownBy(() -> read(VALID.replace("\"at\": \"2025-06-15T13:00:00Z\",", "")))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("at"));
  }

  @Test
  void anEpochNumberIsNotAnInstantAndADateTimeIsNotADate() {
    assertThatThrownBy(() -> read(VALID.replace("\"2025-06-15T13:00:00Z\"", "1750000000")))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.at"));
    assertThatThrownBy(() -> read(VALID.replace("\"1967-03-02\"", "\"1967-03-02T23:30:00\"")))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.record.patient.birthDate"));
  }

  @Test
  void scalarsAreNotCoercedBetweenJsonTypes() {
    assertThatThrownBy(() -> read(VALID.replace("\"code\": \"73761001\"", "\"code\": 73761001")))
        .isInstanceOf(InvalidDataException.class);
  }

  static final String BUNDLE = """
      {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "fhir-1", "birthDate": "1970-01-02",
                      "gender": "male"}},
        {"resource": {"resourceType": "Procedure", "id": "colo-1", "status": "completed",
                      "subject": {"reference": "Patient/fhir-1"},
                      "code": {"coding": [{"system": "http://snomed.info/sct", "code": "73761001"}]},
                      "performedDateTime": "2020-03-04"}}]}
      """;

  static String withFhir(String fhir) {
    return """
        {"name": "FHIR patient", "at": "2025-06-15T13:00:00Z", "zone": "UTC",
         "packs": ["uspstf-colorectal-cancer-screening"],
         "fhir": %s,
         "expect": {"absent": ["uspstf-crc-screening"]}}
        """.formatted(fhir);
  }

  @Test
  void readsAnInlineFhirBundleAsThePatient() {
    Scenario scenario = read(withFhir(BUNDLE));
    assertThat(scenario.record().patient().id()).isEqualTo("fhir-1");
    assertThat(scenario.record().procedures()).extracting(Procedure::id).containsExactly("colo-1");
    assertThat(scenario.packs()).containsExactly("uspstf-colorectal-cancer-screening");
  }

  @Test
  void readsAFhirFileRelativeToTheScenarioFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("patients"));
    Files.createDirectories(dir.resolve("scenarios"));
    Files.writeString(dir.resolve("patients/p.json"), BUNDLE);
    Path scenarioFile = dir.resolve("scenarios/s.json");
    Files.writeString(scenarioFile, withFhir("\"../patients/p.json\""));
    Scenario scenario = ScenarioReader.read(scenarioFile);
    assertThat(scenario.record().patient().birthDate()).isEqualTo(LocalDate.of(1970, 1, 2));
  }

  @Test
  void aMissingFhirFileIsNamed(@TempDir Path dir) throws Exception {
    Path scenarioFile = dir.resolve("s.json");
    Files.writeString(scenarioFile, withFhir("\"nowhere.json\""));
    assertThatThrownBy(() -> ScenarioReader.read(scenarioFile))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.fhir");
          assertThat(e.getMessage()).contains("nowhere.json");
        });
  }

  @Test
  void aFhirPathNeedsAFileToBeRelativeTo() {
    assertThatThrownBy(() -> read(withFhir("\"p.json\"")))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.fhir");
          assertThat(e.getMessage()).contains("inline");
        });
  }

  @Test
  void badFhirInsideAScenarioNamesItsPath() {
    assertThatThrownBy(() -> read(withFhir(BUNDLE.replace("1970-01-02", "1970-02-30"))))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("$.fhir").contains("1970-02-30"));
  }

  @Test
  void thePatientIsGivenOnceAsRecordOrFhir() {
    assertThatThrownBy(() -> read(VALID.replace("\"record\":", "\"fhir\": " + BUNDLE
        + ", \"record\":")))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("not both"));
    String noPatient = VALID.substring(0, VALID.indexOf("\"record\"")) + "\"expect\": {}}";
    assertThatThrownBy(() -> read(noPatient))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("the patient is required"));
  }

  @Test
  void aBundleOfTwoPatientsIsRefused() {
    String two = BUNDLE.replace("]}", ", {\"resource\": {\"resourceType\": \"Patient\", "
        + "\"id\": \"fhir-2\"}}]}");
    assertThatThrownBy(() -> read(withFhir(two)))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.getMessage()).contains("expected one patient").contains("has 2"));
  }

  @Test
  void packsDefaultToNone() {
    assertThat(read(VALID).packs()).isEmpty();
  }

  static final String REQUEST = """
      {"hook": "order-sign", "hookInstance": "h-9",
       "context": {"patientId": "fhir-1", "draftOrders": {"resourceType": "Bundle",
         "type": "collection", "entry": [{"resource": {"resourceType": "MedicationRequest",
           "id": "rx-1", "status": "draft", "intent": "order",
           "medicationCodeableConcept": {"coding": [{"system":
             "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]},
           "subject": {"reference": "Patient/fhir-1"}}}]}},
       "prefetch": {"patient": {"resourceType": "Patient", "id": "fhir-1",
         "birthDate": "1970-01-02"}}}
      """;

  @Test
  void aCdsHooksRequestGivesThePatientAndTheDraftOrders() {
    Scenario scenario = read(withFhir(REQUEST));
    assertThat(scenario.record().medicationRequests()).extracting(m -> m.id())
        .containsExactly("rx-1");
    assertThat(scenario.draftOrders()).containsExactly("MedicationRequest/rx-1");
    assertThat(read(withFhir(BUNDLE)).draftOrders()).isEmpty();
  }

  @Test
  void draftOrdersBesideABundleMustBeInItsRecord() {
    String json = withFhir(BUNDLE).replace("\"fhir\":",
        "\"draftOrders\": [\"Procedure/colo-1\"], \"fhir\":");
    assertThat(read(json).draftOrders()).containsExactly("Procedure/colo-1");
    assertThatThrownBy(() -> read(json.replace("Procedure/colo-1", "MedicationRequest/none")))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.getMessage())
            .contains("$.draftOrders").contains("MedicationRequest/none is not in the record"));
    assertThatThrownBy(() -> read(withFhir(REQUEST).replace("\"fhir\":",
        "\"draftOrders\": [\"MedicationRequest/rx-1\"], \"fhir\":")))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.getMessage())
            .contains("names its own draft orders"));
  }

  @Test
  void anInlineRecordCarriesNeitherReaderWarningsNorUncheckedDraftOrders() {
    String patient = "\"patient\": {\"id\": \"p1\", \"birthDate\": \"1967-03-02\", "
        + "\"gender\": \"female\"}";
    assertThatThrownBy(() -> read(VALID.replace(patient, patient
        + ", \"warnings\": [{\"type\": \"Patient\", \"id\": \"p1\", \"message\": \"made up\"}]")))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.getMessage())
            .contains("$.record.warnings"));
    assertThatThrownBy(() -> read(VALID.replace(patient, patient
        + ", \"draftOrders\": [\"MedicationRequest/typo\"]")))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.getMessage())
            .contains("$.record.draftOrders"));
  }
}
