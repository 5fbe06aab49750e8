package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static io.github.cdsengine.core.fhir.FhirInputs.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.problem.DataWarning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * QI-Core's "not done" records keep their reasons: an ObservationNotDone its issued time and
 * {@code qicore-notDoneReason}, a ServiceNotRequested its {@code qicore-doNotPerformReason}
 * (CQL's {@code reasonRefused}); service requests and procedures keep their reason codes.
 */
class FhirNotDoneReasonTest {

  static final String SNOMED = "http://snomed.info/sct";

  static String reason(String extension, String code) {
    return "{\"url\": \"http://hl7.org/fhir/us/qicore/StructureDefinition/" + extension
        + "\", \"valueCodeableConcept\": {\"coding\": [{\"system\": \"" + SNOMED
        + "\", \"code\": \"" + code + "\"}]}}";
  }

  static String concept(String code) {
    return "{\"coding\": [{\"system\": \"" + SNOMED + "\", \"code\": \"" + code + "\"}]}";
  }

  @Test
  void aCancelledObservationKeepsItsIssuedTimeAndNotDoneReason() {
    String notDone = "{\"resourceType\": \"Observation\", \"id\": \"o1\", "
        + "\"status\": \"cancelled\", \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", "
        + "\"code\": \"8480-6\"}]}, " + FhirInputs.SUBJECT + ", "
        + "\"issued\": \"2025-01-01T08:05:00.000Z\", "
        + "\"extension\": [" + reason("qicore-notDoneReason", "183944003") + "]}";

    FhirData data = read(bundle(PATIENT, notDone));

    Observation observation = data.onlyPatient().observations().get(0);
    assertThat(observation.status()).isEqualTo(ObservationStatus.CANCELLED);
    assertThat(observation.issued())
        .isEqualTo(ClinicalTime.parse("2025-01-01T08:05:00.000Z"));
    assertThat(observation.notDoneReason().codings()).extracting(Code::code)
        .containsExactly("183944003");
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void anObservationWithoutThemHasNeither() {
    Observation observation = read(bundle(PATIENT,
        FhirInputs.observation("o1", "8480-6", "\"effectiveDateTime\": \"2025-03-01\"")))
        .onlyPatient().observations().get(0);
    assertThat(observation.issued()).isNull();
    assertThat(observation.notDoneReason()).isNull();
  }

  @Test
  void anotherExtensionIsNotANotDoneReason() {
    String other = "{\"resourceType\": \"Observation\", \"id\": \"o1\", "
        + "\"status\": \"cancelled\", \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", "
        + "\"code\": \"8480-6\"}]}, " + FhirInputs.SUBJECT + ", "
        + "\"extension\": [" + reason("qicore-doNotPerformReason", "183944003") + "]}";
    assertThat(read(bundle(PATIENT, other)).onlyPatient().observations().get(0).notDoneReason())
        .isNull();
  }

  @Test
  void aServiceNotRequestedKeepsItsDoNotPerformReasonAndReasonCodes() {
    String declined = resource("ServiceRequest", "s1", "\"status\": \"completed\", "
        + "\"intent\": \"order\", \"doNotPerform\": true, \"code\": " + concept("308470006")
        + ", \"authoredOn\": \"2025-01-01T08:20:00Z\", "
        + "\"reasonCode\": [" + concept("38341003") + ", " + concept("371622005") + "], "
        + "\"extension\": [" + reason("qicore-doNotPerformReason", "895451009") + "]");

    FhirData data = read(bundle(PATIENT, declined));

    ServiceRequest request = data.onlyPatient().serviceRequests().get(0);
    assertThat(request.doNotPerform()).isTrue();
    assertThat(request.doNotPerformReason().codings()).extracting(Code::code)
        .containsExactly("895451009");
    assertThat(request.reasonCode().codings()).extracting(Code::code)
        .containsExactly("38341003", "371622005");
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void twoDoNotPerformReasonsAreMergedWithAWarning() {
    String twice = resource("ServiceRequest", "s1", "\"status\": \"completed\", "
        + "\"intent\": \"order\", \"doNotPerform\": true, \"code\": " + concept("308470006")
        + ", \"extension\": [" + reason("qicore-doNotPerformReason", "895451009") + ", "
        + reason("qicore-doNotPerformReason", "183944003") + "]");

    FhirData data = read(bundle(PATIENT, twice));

    assertThat(data.onlyPatient().serviceRequests().get(0).doNotPerformReason().codings())
        .extracting(Code::code).containsExactly("895451009", "183944003");
    assertThat(data.warnings()).extracting(DataWarning::message).singleElement().asString()
        .contains("2 extensions").contains("qicore-doNotPerformReason");
  }

  @Test
  void aReasonExtensionWithoutACodedValueGivesNoReason() {
    String uncoded = resource("ServiceRequest", "s1", "\"status\": \"completed\", "
        + "\"intent\": \"order\", \"doNotPerform\": true, \"code\": " + concept("308470006")
        + ", \"extension\": [{\"url\": \"http://hl7.org/fhir/us/qicore/StructureDefinition/"
        + "qicore-doNotPerformReason\", \"valueString\": \"declined\"}]");
    assertThat(read(bundle(PATIENT, uncoded)).onlyPatient().serviceRequests().get(0)
        .doNotPerformReason()).isNull();
  }

  @Test
  void aProcedureKeepsItsReasonCodes() {
    String procedure = resource("Procedure", "p9", "\"status\": \"completed\", \"code\": "
        + concept("410177006") + ", \"performedDateTime\": \"2025-02-01\", "
        + "\"reasonCode\": [" + concept("414916001") + "]");

    Procedure read = read(bundle(PATIENT, procedure)).onlyPatient().procedures().get(0);

    assertThat(read.reasonCode().codings()).extracting(Code::code).containsExactly("414916001");
  }

  @Test
  void aProcedureWithoutReasonsHasNone() {
    String procedure = resource("Procedure", "p9", "\"status\": \"completed\", \"code\": "
        + concept("410177006"));
    assertThat(read(bundle(PATIENT, procedure)).onlyPatient().procedures().get(0).reasonCode())
        .isNull();
  }

  @Test
  void theNewFieldsDoNotShowInTheFactsText() {
    String declined = resource("ServiceRequest", "s1", "\"status\": \"completed\", "
        + "\"intent\": \"order\", \"doNotPerform\": true, \"code\": " + concept("308470006")
        + ", \"extension\": [" + reason("qicore-doNotPerformReason", "895451009") + "]");
    ServiceRequest request = read(bundle(PATIENT, declined)).onlyPatient().serviceRequests()
        .get(0);
    assertThat(request.toString()).isEqualTo("ServiceRequest[patient data not shown]");
  }

  static String notDoneObservation(String url, String status) {
    return "{\"resourceType\": \"Observation\", \"id\": \"o1\", \"status\": \"" + status
        + "\", \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", "
        + "\"code\": \"8480-6\"}]}, " + FhirInputs.SUBJECT + ", "
        + "\"issued\": \"2025-01-01T08:05:00Z\", "
        + "\"modifierExtension\": [{\"url\": \"" + url + "\", \"valueBoolean\": true}], "
        + "\"extension\": [" + reason("qicore-notDoneReason", "413311005") + "]}";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone",
      // Scheme and host are case-insensitive (RFC 3986); the CMS test decks write it so.
      "http://Hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone"})
  void theNotDoneModifierIsUnderstoodOnACancelledObservation(String url) {
    FhirData data = read(bundle(PATIENT, notDoneObservation(url, "cancelled")));

    assertThat(data.onlyPatient().observations()).singleElement()
        .satisfies(o -> assertThat(o.notDoneReason()).isNotNull());
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void anObservationMarkedNotDoneWithAResultStatusIsLeftOut() {
    FhirData data = read(bundle(PATIENT, notDoneObservation(
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone", "final")));

    assertThat(data.onlyPatient().observations()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::message).singleElement().asString()
        .contains("not done").contains("final");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"valueString\": \"true\"", "\"valueCode\": \"true\"", ""})
  void aNotDoneModifierWithoutABooleanIsNotUnderstood(String value) {
    // Without valueBoolean the reader cannot tell whether the observation was made: a result
    // status must not then read as a result.
    String observation = notDoneObservation(
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone", "final")
        .replace("\"valueBoolean\": true", value)
        .replace("qicore-notDone\", }", "qicore-notDone\"}");
    FhirData data = read(bundle(PATIENT, observation));

    assertThat(data.onlyPatient().observations()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::message).singleElement().asString()
        .contains("not understood");
  }

  @Test
  void thePathOfTheNotDoneUrlStillMatters() {
    FhirData data = read(bundle(PATIENT, notDoneObservation(
        "http://hl7.org/fhir/us/qicore/StructureDefinition/QICORE-NOTDONE", "cancelled")));

    assertThat(data.onlyPatient().observations()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::message).singleElement().asString()
        .contains("not understood");
  }

  @Test
  void theNotDoneModifierIsNotUnderstoodOnAnotherType() {
    String procedure = resource("Procedure", "p9", "\"status\": \"not-done\", \"code\": "
        + concept("410177006") + ", \"modifierExtension\": [{\"url\": "
        + "\"http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone\", "
        + "\"valueBoolean\": true}]");
    FhirData data = read(bundle(PATIENT, procedure));

    assertThat(data.onlyPatient().procedures()).isEmpty();
    assertThat(data.warnings()).hasSize(1);
  }
}
