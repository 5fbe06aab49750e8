package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.Quantity;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.github.cdsengine.core.hooks.CdsHooksRequest;

/**
 * MedicationDispense, read for the CDC opioid pack's "opioid naive" routine (OpioidCDSRoutines
 * "Opioid Dispense with Ambulatory Abuse Potential In Past 90 Days" reads its medication, status
 * and whenHandedOver); MedicationStatement, which that logic reads only in commented-out
 * defines, stays skipped.
 */
class FhirMedicationDispenseTest {

  /** A dispense of oxycodone 5 mg tablets with {@code fields} added. */
  private static String dispense(String id, String fields) {
    return """
        {"resourceType": "MedicationDispense", "id": "%s", "status": "completed",
         "medicationCodeableConcept": {"coding": [{"system": "%s", "code": "1049621"}]},
         "subject": {"reference": "Patient/p1"}%s}""".formatted(id, RXNORM,
        fields.isEmpty() ? "" : ", " + fields);
  }

  private static MedicationDispense only(FhirData data) {
    assertThat(data.onlyPatient().medicationDispenses()).hasSize(1);
    return data.onlyPatient().medicationDispenses().get(0);
  }

  @Test
  void everyElementTheModelCarriesIsRead() {
    FhirData data = read(bundle(PATIENT, dispense("md1", """
        "whenPrepared": "2022-10-31T16:00:00-05:00", "whenHandedOver": "2022-11-01",
        "quantity": {"value": 60, "unit": "tablet"},
        "daysSupply": {"value": 30, "unit": "days", "system": "http://unitsofmeasure.org",
          "code": "d"},
        "category": {"coding": [{"system":
          "http://terminology.hl7.org/fhir/CodeSystem/medicationdispense-category",
          "code": "community"}]},
        "authorizingPrescription": [{"reference": "MedicationRequest/rx1"},
          {"display": "a paper prescription"}, {"reference": "MedicationRequest/rx2"}]""")));

    MedicationDispense dispense = only(data);
    assertThat(data.warnings()).isEmpty();
    assertThat(dispense.status()).isEqualTo(MedicationDispenseStatus.COMPLETED);
    assertThat(dispense.medication().codings()).containsExactly(Code.of(RXNORM, "1049621"));
    assertThat(dispense.whenPrepared()).isEqualTo(ClinicalTime.parse("2022-10-31T16:00:00-05:00"));
    assertThat(dispense.whenHandedOver()).isEqualTo(ClinicalTime.parse("2022-11-01"));
    assertThat(dispense.quantity()).isEqualTo(new Quantity(new BigDecimal("60"), "tablet"));
    assertThat(dispense.daysSupply()).isEqualTo(new Quantity(new BigDecimal("30"), "d"));
    assertThat(dispense.category().codings()).extracting(Code::code).containsExactly("community");
    assertThat(dispense.authorizingPrescriptions())
        .containsExactly("MedicationRequest/rx1", "MedicationRequest/rx2");
    assertThat(dispense.product()).isNull();
  }

  @ParameterizedTest
  @EnumSource(MedicationDispenseStatus.class)
  void everyStatusIsReadAndEnteredInErrorIsKeptForAuditFlagged(MedicationDispenseStatus status) {
    MedicationDispense dispense = only(read(bundle(PATIENT,
        dispense("md1", "").replace("\"completed\"", "\"" + status.code() + "\""))));

    assertThat(dispense.status()).isEqualTo(status);
    assertThat(dispense.enteredInError())
        .isEqualTo(status == MedicationDispenseStatus.ENTERED_IN_ERROR);
  }

  @Test
  void aBareCountIsAQuantityOfOneAndAUnitlessDaysSupplyIsLeftOutWithAWarning() {
    FhirData data = read(bundle(PATIENT, dispense("md1",
        "\"quantity\": {\"value\": 60}, \"daysSupply\": {\"value\": 30}")));

    assertThat(only(data).quantity()).isEqualTo(new Quantity(new BigDecimal("60"), "1"));
    assertThat(only(data).daysSupply()).isNull();
    assertThat(data.warnings()).extracting(DataWarning::toString).containsExactly(
        "MedicationDispense/md1: has the value 30 with no unit, not an exact value with a unit; "
            + "that value was left out");
  }

  @Test
  void aMedicationReferenceIsResolvedToTheMedicationsCodeAndProduct() {
    String medication = """
        {"resourceType": "Medication", "id": "med1", "code": {"coding": [{"system": "%s",
          "code": "1049621"}]}, "form": {"coding": [{"system": "http://snomed.info/sct",
          "code": "385055001"}]}}""".formatted(RXNORM);
    String byReference = """
        {"resourceType": "MedicationDispense", "id": "md1", "status": "completed",
         "medicationReference": {"reference": "Medication/med1"},
         "subject": {"reference": "Patient/p1"}, "whenHandedOver": "2022-11-01"}""";
    String contained = """
        {"resourceType": "MedicationDispense", "id": "md2", "status": "completed",
         "contained": [%s], "medicationReference": {"reference": "#med1"},
         "subject": {"reference": "Patient/p1"}, "whenHandedOver": "2022-11-01"}"""
        .formatted(medication);

    FhirData data = read(bundle(PATIENT, medication, byReference, contained));

    assertThat(data.warnings()).isEmpty();
    assertThat(data.onlyPatient().medicationDispenses()).hasSize(2).allSatisfy(d -> {
      assertThat(d.medication().codings()).containsExactly(Code.of(RXNORM, "1049621"));
      assertThat(d.product().form().codings()).extracting(Code::code).containsExactly("385055001");
    });
  }

  @Test
  void aDispenseWithNoCodedMedicationIsLeftOutWithAWarning() {
    FhirData data = read(bundle(PATIENT, """
        {"resourceType": "MedicationDispense", "id": "md1", "status": "completed",
         "medicationCodeableConcept": {"text": "oxycodone 5 mg"},
         "subject": {"reference": "Patient/p1"}, "whenHandedOver": "2022-11-01"}"""));

    assertThat(data.onlyPatient().medicationDispenses()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::toString).containsExactly(
        "MedicationDispense/md1: has no coded medication, so no rule can match it; the resource "
            + "was left out");
  }

  @Test
  void aHandOverOnThePreparationDayIsValidWhateverTheOffset() {
    // Prepared late on 1 November in UTC-5 (2 November UTC), handed over on 1 November.
    MedicationDispense dispense = only(read(bundle(PATIENT, dispense("md1",
        "\"whenPrepared\": \"2022-11-01T22:00:00-05:00\", \"whenHandedOver\": \"2022-11-01\""))));

    assertThat(dispense.whenHandedOver()).isEqualTo(ClinicalTime.parse("2022-11-01"));
  }

  @Test
  void anUnknownModifierExtensionLeavesTheDispenseOut() {
    FhirData data = read(bundle(PATIENT, dispense("md1",
        "\"modifierExtension\": [{\"url\": \"http://example.org/not-given\", "
            + "\"valueBoolean\": true}]")));

    assertThat(data.onlyPatient().medicationDispenses()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::message).singleElement()
        .satisfies(m -> assertThat(m).contains("the resource was left out"));
  }

  @Test
  void medicationStatementsAreStillCountedAndSkipped() {
    FhirData data = read(bundle(PATIENT, """
        {"resourceType": "MedicationStatement", "id": "ms1", "status": "active",
         "medicationCodeableConcept": {"coding": [{"system": "%s", "code": "1049621"}]},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2022-11-01"}"""
        .formatted(RXNORM), dispense("md1", "")));

    assertThat(data.skipped()).isEqualTo(Map.of("MedicationStatement", 1));
    assertThat(data.onlyPatient().medicationDispenses()).extracting(MedicationDispense::id)
        .containsExactly("md1");
  }

  @Test
  void aCdsHooksRequestReadsDispensesFromThePrefetch() {
    String json = """
        {"hookInstance": "h-1", "hook": "order-sign",
         "context": {"patientId": "p1", "draftOrders": %s},
         "prefetch": {"patient": %s, "dispenses": %s, "again": %s, "missing": %s}}""".formatted(
        bundle("""
            {"resourceType": "MedicationRequest", "id": "rx", "status": "draft",
             "intent": "order", "medicationCodeableConcept": {"coding": [{"system": "%s",
               "code": "1049621"}]}, "subject": {"reference": "Patient/p1"}}"""
            .formatted(RXNORM)),
        PATIENT,
        bundle(dispense("md1", "\"whenHandedOver\": \"2022-11-01\"")),
        dispense("md1", "\"whenHandedOver\": \"2022-11-01\""),
        bundle("""
            {"resourceType": "MedicationDispense", "id": "md2", "status": "completed",
             "medicationReference": {"reference": "Medication/m9"},
             "subject": {"reference": "Patient/p1"}, "whenHandedOver": "2022-11-02"}"""));
    CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");

    assertThat(request.draftOrders()).containsExactly("MedicationRequest/rx");
    // md1 comes twice, identical: read once. md2's Medication is not in the request.
    assertThat(request.record().medicationDispenses()).extracting(MedicationDispense::id)
        .containsExactly("md1");
    assertThat(request.warnings()).extracting(DataWarning::toString).containsExactly(
        "MedicationDispense/md2: medicationReference 'Medication/m9' is not among the request's "
            + "resources",
        "MedicationDispense/md2: has no coded medication, so no rule can match it; the resource "
            + "was left out");
    assertThat(request.skipped()).isEmpty();
  }
}
