package io.github.cdsengine.core;

import static io.github.cdsengine.core.DraftOrdersAndRuleWarningsTest.shown;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.testing.TestRules;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One evaluation input: the record carries its draft orders and the reader's warnings, and every
 * result reports those warnings first, whatever the input was.
 */
class ReaderWarningsTravelTest {

  private static final EvaluationContext TODAY =
      EvaluationContext.on(LocalDate.of(2025, 6, 1), ZoneOffset.UTC);
  private static final CdsEngine ENGINE = CdsEngine.builder().addRules(TestRules.file(
      "drafts.drl",
      TestRules.recommending("Order being written", "draft-seen", "USPSTF:A",
          "medication-safety", "info",
          "    DraftOrder(resourceType == \"MedicationRequest\", $id : id)\n"
              + "    MedicationRequest(id == $id)", "being ordered"))).build();

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private static FhirData read(String json) {
    return FhirReader.create().read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "bundle.json");
  }

  private static String patient(String id, String birthDate) {
    return "{\"resource\": {\"resourceType\": \"Patient\", \"id\": \"" + id
        + "\", \"birthDate\": \"" + birthDate + "\", \"gender\": \"female\"}}";
  }

  @Test
  void aReaderWarningIsTheFirstWarningOfTheResult() {
    FhirData data = read("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        + patient("p1", "1970-05") + "]}");
    PatientRecord record = data.onlyPatient();
    assertThat(record.warnings()).singleElement()
        .satisfies(w -> assertThat(w.toString()).startsWith("Patient/p1: birth date 1970-05"));

    EvaluationResult result = ENGINE.evaluate(record, TODAY);

    assertThat(result.warnings()).startsWith(record.warnings().get(0));
  }

  @Test
  void inABundleOfSeveralPatientsEachRecordCarriesTheWarningsAboutItsOwnData() {
    FhirData data = read("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        + patient("p1", "1970-05") + ", " + patient("p2", "1980-06") + ", "
        + patient("p3", "1990-01-02") + "]}");

    assertThat(data.warnings()).extracting(DataWarning::id).containsExactly("p1", "p2");
    assertThat(data.patients()).hasSize(3);
    for (PatientRecord record : data.patients()) {
      String id = record.patient().id();
      assertThat(record.warnings()).extracting(DataWarning::id)
          .containsExactlyElementsOf(id.equals("p3") ? java.util.List.of() : java.util.List.of(id));
      assertThat(ENGINE.evaluate(record, TODAY).warnings()).containsAll(record.warnings());
    }
  }

  @Test
  void aCdsHooksRequestsRecordMarksItsDraftOrdersAndCarriesItsWarnings() {
    String json = "{\"hook\": \"order-sign\", \"hookInstance\": \"h1\", \"context\": {"
        + "\"patientId\": \"p1\", \"draftOrders\": {\"resourceType\": \"Bundle\", \"type\": "
        + "\"collection\", \"entry\": [{\"resource\": {\"resourceType\": \"MedicationRequest\", "
        + "\"id\": \"m1\", \"status\": \"draft\", \"intent\": \"order\", \"subject\": "
        + "{\"reference\": \"Patient/p1\"}, \"medicationCodeableConcept\": {\"coding\": [{"
        + "\"system\": \"http://www.nlm.nih.gov/research/umls/rxnorm\", \"code\": \"1049502\"}]}"
        + "}}]}}}";
    CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");

    assertThat(request.record().draftOrders()).containsExactly("MedicationRequest/m1");
    assertThat(request.draftOrders()).isEqualTo(request.record().draftOrders());
    // No Patient was prefetched: the reader says so, and the result shows it.
    assertThat(request.record().warnings()).extracting(DataWarning::type)
        .containsExactly("Patient");
    EvaluationResult result = ENGINE.evaluate(request.record(), TODAY);
    assertThat(shown(result)).containsExactly("draft-seen");
    assertThat(result.warnings()).startsWith(request.record().warnings().get(0));
  }

  @Test
  void aResourceLeftOutForAModifierWarnsOnItsOwnPatientsRecordAmongSeveral() {
    FhirData data = read("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        + patient("p1", "1970-01-02") + ", " + patient("p2", "1980-01-02") + ", "
        + "{\"resource\": {\"resourceType\": \"Condition\", \"id\": \"c1\", "
        + "\"subject\": {\"reference\": \"Patient/p2\"}, \"modifierExtension\": [{\"url\": "
        + "\"http://example.org/not-a-diagnosis\", \"valueBoolean\": true}], \"code\": {"
        + "\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"38341003\"}]}}}]}");

    PatientRecord p1 = data.patients().get(0);
    PatientRecord p2 = data.patients().get(1);
    assertThat(p2.conditions()).isEmpty();
    assertThat(p2.warnings()).singleElement()
        .satisfies(w -> assertThat(w.toString()).startsWith("Condition/c1: has the modifier"));
    assertThat(p1.warnings()).isEmpty();
  }

  @Test
  void aDraftOrderWhoseIdCannotNameOneIsADataErrorWithItsPath() {
    String json = "{\"hook\": \"order-sign\", \"hookInstance\": \"h1\", \"context\": {"
        + "\"patientId\": \"p1\", \"draftOrders\": {\"resourceType\": \"Bundle\", \"type\": "
        + "\"collection\", \"entry\": [{\"resource\": {\"resourceType\": \"ServiceRequest\", "
        + "\"id\": \"s/1\", \"status\": \"draft\", \"intent\": \"order\", \"subject\": "
        + "{\"reference\": \"Patient/p1\"}, \"code\": {\"coding\": [{"
        + "\"system\": \"http://snomed.info/sct\", \"code\": \"310627008\"}]}}}]}}}";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FhirReader.create()
            .readCdsHooksRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                "request.json"))
        .isInstanceOf(io.github.cdsengine.core.problem.InvalidPatientDataException.class)
        .hasMessageContaining("request.json")
        .hasMessageContaining("ServiceRequest/s/1");
  }
}
