package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.SUBJECT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.observation;
import static io.github.cdsengine.core.fhir.FhirInputs.order;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.model.CodeSystems.V3_OBSERVATION_INTERPRETATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.CarePlan;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.hooks.CdsHooksRequest;

/** The elements the opioid guideline's rules read: text results, recorders, plans, performers. */
class FhirOpioidFieldsTest {

  private static PatientRecord only(String... resources) {
    FhirData data = read(bundle(concat(PATIENT, resources)));
    assertThat(data.warnings()).isEmpty();
    return data.onlyPatient();
  }

  private static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void aTextResultIsKeptAsValueString() {
    PatientRecord record = only(observation("uds-1", "70146-6",
        "\"effectiveDateTime\": \"2022-05-09\", \"valueString\": \"POS\""));
    assertThat(record.observations().get(0).valueString()).isEqualTo("POS");
    assertThat(record.observations().get(0).valueQuantity()).isNull();
  }

  @Test
  void everyInterpretationCodingIsKeptMerged() {
    PatientRecord record = only(observation("uds-1", "19295-5", """
        "effectiveDateTime": "2022-05-09",
        "interpretation": [
          {"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": "POS"}]},
          {"coding": [{"system": "http://snomed.info/sct", "code": "260373001"}]}]"""));
    assertThat(record.observations().get(0).interpretation().codings()).containsExactly(
        Code.of(V3_OBSERVATION_INTERPRETATION, "POS"),
        Code.of(SNOMED_CT, "260373001"));
    PatientRecord none = only(observation("uds-2", "19295-5", "\"valueString\": \"NEG\""));
    assertThat(none.observations().get(0).interpretation()).isNull();
  }

  @Test
  void anOrdersRecorderAndAProceduresPerformersAreKeptAsReferences() {
    PatientRecord record = only(order("rx-1", """
        "medicationCodeableConcept": {"coding": [{"system":
          "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]},
        "recorder": {"reference": "Practitioner/example"}"""), """
        {"resourceType": "Procedure", "id": "pain-1", "status": "completed",
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "457511000124100"}]},
         %s, "performedDateTime": "2022-11-01",
         "performer": [{"actor": {"reference": "Practitioner/example"}},
                       {"function": {"text": "assistant"}},
                       {"actor": {"reference": "Practitioner/second"}}]}""".formatted(SUBJECT));
    assertThat(record.medicationRequests().get(0).recorder()).isEqualTo("Practitioner/example");
    assertThat(record.procedures().get(0).performers())
        .containsExactly("Practitioner/example", "Practitioner/second");
  }

  @Test
  void aCarePlanIsReadWithItsCategoryDatesAndAuthor() {
    PatientRecord record = only("""
        {"resourceType": "CarePlan", "id": "plan-1", "status": "active", "intent": "plan",
         "meta": {"lastUpdated": "2021-12-09"},
         "category": [{"coding": [{"system": "http://loinc.org", "code": "80764-4"}]}],
         %s, "created": "2022-10-14", "author": {"reference": "Practitioner/example"}}"""
        .formatted(SUBJECT));
    CarePlan plan = record.carePlans().get(0);
    assertThat(plan.status()).isEqualTo(RequestStatus.ACTIVE);
    assertThat(plan.intent()).isEqualTo(RequestIntent.PLAN);
    assertThat(plan.category().codings()).containsExactly(Code.of(LOINC, "80764-4"));
    assertThat(plan.created()).isEqualTo(ClinicalTime.parse("2022-10-14"));
    assertThat(plan.lastUpdated()).isEqualTo(ClinicalTime.parse("2021-12-09"));
    assertThat(plan.author()).isEqualTo("Practitioner/example");
  }

  @Test
  void anOrdersOccurrenceAndAnEncountersParticipantTypesAreRead() {
    PatientRecord record = only("""
        {"resourceType": "ServiceRequest", "id": "sr-1", "status": "active", "intent": "order",
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "460831000124102"}]},
         %s, "occurrenceDateTime": "2022-11-20"}""".formatted(SUBJECT), """
        {"resourceType": "Encounter", "id": "enc-1", "status": "finished",
         "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
         %s, "period": {"start": "2022-06-01", "end": "2022-06-01"},
         "participant": [{"type": [{"coding": [{"system": "http://nucc.org/provider-taxonomy",
           "code": "207RX0202X"}]}]}, {"individual": {"reference": "Practitioner/x"}}]}"""
        .formatted(SUBJECT));
    assertThat(record.serviceRequests().get(0).occurrence().start())
        .isEqualTo(ClinicalTime.parse("2022-11-20"));
    assertThat(record.encounters().get(0).participantType().codings())
        .containsExactly(Code.of("http://nucc.org/provider-taxonomy", "207RX0202X"));
  }

  @Test
  void aRequestKeepsEveryDifferentResourceUnderARepeatedIdAndSaysSo() {
    String order = """
        {"resourceType": "MedicationRequest", "id": "%s", "status": "active", "intent": "order",
         "medicationCodeableConcept": {"coding": [{"system":
           "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "%s"}]},
         "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-12-13"}""";
    String json = """
        {"hookInstance": "h-1", "hook": "order-sign",
         "context": {"patientId": "p1", "draftOrders": %s},
         "prefetch": {"patient": %s, "meds": %s, "again": %s}}""".formatted(
        bundle(order.formatted("rx", "197696")), PATIENT,
        bundle(order.formatted("rx", "1191212"), order.formatted("rx", "104693")),
        bundle(order.formatted("rx", "197696")));
    CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");
    assertThat(request.draftOrders()).containsExactly("MedicationRequest/rx");
    assertThat(request.record().medicationRequests())
        .extracting(m -> m.id() + "=" + m.medication().codings().get(0).code())
        .containsExactly("rx=197696", "rx#2=1191212", "rx#3=104693");
    assertThat(request.warnings()).extracting(DataWarning::message).hasSize(2)
        .allSatisfy(m -> assertThat(m).startsWith("appears more than once with different "
            + "content; the copy at $.context.draftOrders.entry[0].resource keeps the id"))
        .anySatisfy(m -> assertThat(m).endsWith("is read as MedicationRequest/rx#2"))
        .anySatisfy(m -> assertThat(m).endsWith("is read as MedicationRequest/rx#3"));
  }

  @Test
  void aRequestReferringToResourcesItDoesNotHoldLeavesThemOutWithWarnings() {
    String json = """
        {"hookInstance": "h-1", "hook": "order-sign",
         "context": {"patientId": "p1", "draftOrders": {"resourceType": "Bundle",
           "type": "collection", "entry": [{"resource": {"resourceType": "MedicationRequest",
             "id": "rx", "status": "draft", "intent": "order",
             "medicationReference": {"reference": "Medication/m9"},
             "subject": {"reference": "Patient/p1"}}}]}},
         "prefetch": {"patient": %s, "visit": {"resourceType": "Encounter", "id": "e1",
           "status": "finished", "class": {"system":
             "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
           "subject": {"reference": "Patient/p1"},
           "diagnosis": [{"condition": {"reference": "Condition/c9"}}]}}}""".formatted(PATIENT);
    CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");
    assertThat(request.record().medicationRequests()).isEmpty();
    assertThat(request.record().encounters()).singleElement()
        .satisfies(e -> assertThat(e.diagnoses()).isEmpty());
    assertThat(request.warnings()).extracting(DataWarning::message)
        .anySatisfy(m -> assertThat(m).contains("medicationReference 'Medication/m9' is not"))
        .anySatisfy(m -> assertThat(m).contains("no coded medication"))
        .anySatisfy(m -> assertThat(m).contains("diagnosis 'Condition/c9' is not among"));
  }
}
