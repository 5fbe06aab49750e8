package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.entries;
import static io.github.cdsengine.core.fhir.FhirInputs.entry;
import static io.github.cdsengine.core.fhir.FhirInputs.observation;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static io.github.cdsengine.core.fhir.FhirInputs.resource;
import static io.github.cdsengine.core.testing.Facts.HBA1C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.AdverseEvent;
import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.DeviceRequest;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.model.VerificationStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each FHIR element the reader maps lands in the right field of the right fact: one small
 * hand-written Bundle per mapping, read through {@link FhirReader}'s public API.
 */
class FhirReaderMappingTest {

  private static final String SNOMED_DIABETES = """
      {"coding": [{"system": "http://snomed.info/sct", "code": "44054006",
                   "display": "Diabetes mellitus type 2"}]}""";
  private static final Code DIABETES = Code.of(CodeSystems.SNOMED_CT, "44054006");
  private static final String UCUM = "http://unitsofmeasure.org";

  private static PatientRecord readOne(String json) {
    return read(json).onlyPatient();
  }

  private static Observation readObservation(String fields) {
    return readOne(bundle(PATIENT, observation("o1", "4548-4", fields))).observations().get(0);
  }

  @Nested
  class PatientMapping {

    @Test
    void birthDateAndGender() {
      FhirData data = read(bundle("""
          {"resourceType": "Patient", "id": "p1", "birthDate": "1961-04-12", "gender": "female"}"""));

      assertThat(data.onlyPatient().patient())
          .isEqualTo(new Patient("p1", LocalDate.of(1961, 4, 12), AdministrativeGender.FEMALE));
      assertThat(data.warnings()).isEmpty();
      assertThat(data.skipped()).isEmpty();
    }

    @Test
    void absentBirthDateAndGenderAreNullWithoutWarning() {
      FhirData data = read(bundle("{\"resourceType\": \"Patient\", \"id\": \"p1\"}"));

      assertThat(data.onlyPatient().patient()).isEqualTo(new Patient("p1", null, null));
      assertThat(data.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "birthDate {0}")
    @ValueSource(strings = {"1961", "1961-04"})
    void aBirthDateWithNoDayIsLeftOutWithAWarning(String birthDate) {
      FhirData data = read(bundle("{\"resourceType\": \"Patient\", \"id\": \"p1\", \"gender\": "
          + "\"male\", \"birthDate\": \"" + birthDate + "\"}"));

      assertThat(data.onlyPatient().patient())
          .isEqualTo(new Patient("p1", null, AdministrativeGender.MALE));
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Patient");
        assertThat(w.id()).isEqualTo("p1");
        assertThat(w.message()).contains(birthDate).contains("no day");
      });
    }

    @Test
    void aDateOfDeathIsKeptAtItsPrecision() {
      FhirData data = read(bundle("""
          {"resourceType": "Patient", "id": "p1", "birthDate": "1961-04-12",
           "deceasedDateTime": "2025-03-02T10:15:00Z"}"""));

      assertThat(data.onlyPatient().patient().deceased())
          .isEqualTo(ClinicalTime.of(Instant.parse("2025-03-02T10:15:00Z")));
      assertThat(readOne(bundle("""
          {"resourceType": "Patient", "id": "p1", "deceasedDateTime": "2025-03"}"""))
          .patient().deceased()).isEqualTo(ClinicalTime.of(YearMonth.of(2025, 3)));
    }

    @Test
    void aDeceasedBooleanGivesNoDateOfDeath() {
      assertThat(readOne(bundle("""
          {"resourceType": "Patient", "id": "p1", "deceasedBoolean": true}"""))
          .patient().deceased()).isNull();
    }

    @Test
    void aDateOfDeathBeforeTheBirthDateIsRefusedWithItsPath() {
      assertThatThrownBy(() -> read(bundle("""
          {"resourceType": "Patient", "id": "p1", "birthDate": "1961-04-12",
           "deceasedDateTime": "1961-04-10"}""")))
          .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
            assertThat(e.path()).endsWith(".deceasedDateTime");
            assertThat(e.getMessage()).contains("1961-04-10").contains("1961-04-12");
          });
    }

    @Test
    void aSingleResourceIsReadWithoutABundle() {
      FhirData data = read("""
          {"resourceType": "Patient", "id": "solo", "gender": "unknown"}""");

      assertThat(data.onlyPatient().patient())
          .isEqualTo(new Patient("solo", null, AdministrativeGender.UNKNOWN));
    }
  }

  @Nested
  class ConditionMapping {

    @Test
    void statusesFromCodeableConceptsAndEveryDate() {
      Condition condition = readOne(bundle(PATIENT, resource("Condition", "c1", """
          "clinicalStatus": {"coding": [{"system":
              "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "remission"}]},
          "verificationStatus": {"coding": [{"system":
              "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "provisional"}]},
          "code": %s,
          "onsetDateTime": "2015-09-01",
          "abatementDateTime": "2021-02",
          "recordedDate": "2015-09-03T10:15:00-04:00"
          """.formatted(SNOMED_DIABETES)))).conditions().get(0);

      assertThat(condition).isEqualTo(Condition.builder("c1",
              new CodeableConcept(List.of(DIABETES), null))
          .clinicalStatus(ConditionClinicalStatus.REMISSION)
          .verificationStatus(VerificationStatus.PROVISIONAL)
          .onset(ClinicalTime.of(LocalDate.of(2015, 9, 1)))
          .abatement(ClinicalTime.of(YearMonth.of(2021, 2)))
          .recorded(ClinicalTime.of(Instant.parse("2015-09-03T14:15:00Z"))).build());
      assertThat(condition.code().codings().get(0).display()).isEqualTo("Diabetes mellitus type 2");
    }

    @Test
    void onsetPeriodGivesItsStartAndAbatementPeriodItsEnd() {
      Condition condition = readOne(bundle(PATIENT, resource("Condition", "c1", """
          "code": %s,
          "onsetPeriod": {"start": "2014", "end": "2015-03-01"},
          "abatementPeriod": {"start": "2020-06-01T08:00:00Z", "end": "2020-06-30"}
          """.formatted(SNOMED_DIABETES)))).conditions().get(0);

      assertThat(condition.onset()).isEqualTo(ClinicalTime.of(Year.of(2014)));
      // A condition has abated once its abatement period is over (QI-Core's abatementInterval).
      assertThat(condition.abatement()).isEqualTo(ClinicalTime.of(LocalDate.of(2020, 6, 30)));
      assertThat(condition.clinicalStatus()).isNull();
      assertThat(condition.verificationStatus()).isNull();
      assertThat(condition.recorded()).isNull();
    }

    @Test
    void severityIsKeptWithEveryCodingAndIsNullWhenAbsent() {
      Condition condition = readOne(bundle(PATIENT, resource("Condition", "c1", """
          "code": %s,
          "severity": {"coding": [
              {"system": "http://snomed.info/sct", "code": "24484000", "display": "Severe"},
              {"system": "http://example.org/local", "code": "S"}], "text": "severe"}
          """.formatted(SNOMED_DIABETES)))).conditions().get(0);

      assertThat(condition.severity().codings()).extracting(c -> c.system() + "|" + c.code())
          .containsExactly(CodeSystems.SNOMED_CT + "|24484000", "http://example.org/local|S");
      assertThat(readOne(bundle(PATIENT, resource("Condition", "c2",
          "\"code\": " + SNOMED_DIABETES))).conditions().get(0).severity()).isNull();
    }

    @Test
    void aSeverityWithoutCodedCodingsCountsAsNotRecorded() {
      Condition condition = readOne(bundle(PATIENT, resource("Condition", "c1", """
          "code": %s, "severity": {"text": "quite bad"}
          """.formatted(SNOMED_DIABETES)))).conditions().get(0);

      assertThat(condition.severity()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no code at all            | \"onsetDateTime\": \"2015-09-01\"",
        "a code with only text     | \"code\": {\"text\": \"sugar problems\"}",
        "a coding without a system | \"code\": {\"coding\": [{\"code\": \"44054006\"}]}"})
    void aConditionWithNoCodeIsLeftOutWithAWarning(String what, String fields) {
      FhirData data = read(bundle(PATIENT, resource("Condition", "c1", fields)));

      assertThat(data.onlyPatient().conditions()).isEmpty();
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Condition");
        assertThat(w.id()).isEqualTo("c1");
        assertThat(w.message()).contains("no coded code").contains("left out");
      });
    }
  }

  @Nested
  class ObservationMapping {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "effectiveDateTime, a day    | \"effectiveDateTime\": \"2024-02-01\" "
            + "| 2024-02-01 | 2024-02-01",
        "effectiveDateTime, instant  | \"effectiveDateTime\": \"2024-02-01T09:30:00+01:00\" "
            + "| 2024-02-01T08:30:00Z | 2024-02-01T08:30:00Z",
        "effectiveInstant            | \"effectiveInstant\": \"2024-02-01T09:30:00.250Z\" "
            + "| 2024-02-01T09:30:00.250Z | 2024-02-01T09:30:00.250Z",
        "effectivePeriod             | \"effectivePeriod\": {\"start\": \"2024-02-01\", "
            + "\"end\": \"2024-02-03\"} | 2024-02-01 | 2024-02-03",
        "effectivePeriod, open       | \"effectivePeriod\": {\"start\": \"2024-02\"} "
            + "| 2024-02 |",
        "effectivePeriod, only end   | \"effectivePeriod\": {\"end\": \"2024-02-03\"} "
            + "| | 2024-02-03"})
    void effectiveBecomesAPeriod(String form, String field, String start, String end) {
      Observation observation = readObservation(field);

      assertThat(observation.effective()).isEqualTo(new Period(
          start == null ? null : ClinicalTime.parse(start),
          end == null ? null : ClinicalTime.parse(end)));
    }

    @Test
    void noEffectiveIsNull() {
      assertThat(readObservation("\"valueBoolean\": true").effective()).isNull();
    }

    @Test
    void statusCodeAndQuantityWithAUcumCode() {
      Observation observation = readObservation("""
          "effectiveDateTime": "2024-02-01",
          "valueQuantity": {"value": 8.2, "unit": "percent", "system": "http://unitsofmeasure.org",
                            "code": "%"}""");

      assertThat(observation.id()).isEqualTo("o1");
      assertThat(observation.status()).isEqualTo(ObservationStatus.FINAL);
      assertThat(observation.code().hasCoding(HBA1C)).isTrue();
      assertThat(observation.valueQuantity()).isEqualTo(Quantity.of("8.2", "%"));
      assertThat(observation.valueConcept()).isNull();
      assertThat(observation.valueBoolean()).isNull();
      assertThat(observation.components()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "UCUM system: the code, not the text | \"system\": \"" + UCUM + "\", \"code\": "
            + "\"mm[Hg]\", \"unit\": \"mmHg\" | mm[Hg]",
        "other system: the unit text         | \"system\": \"http://example.org/units\", "
            + "\"code\": \"BPM\", \"unit\": \"beats/minute\" | beats/minute",
        "no system: the unit text            | \"code\": \"kg\", \"unit\": \"kilogram\" "
            + "| kilogram",
        "only a code                         | \"code\": \"kg\" | kg",
        "UCUM system without code            | \"system\": \"" + UCUM + "\", \"unit\": \"mg/dL\" "
            + "| mg/dL"})
    void theQuantityUnit(String rule, String unitFields, String unit) {
      Observation observation = readObservation(
          "\"valueQuantity\": {\"value\": 120, " + unitFields + "}");

      assertThat(observation.valueQuantity()).isEqualTo(new Quantity(new BigDecimal("120"), unit));
    }

    @Test
    void aQuantityWithoutAValueIsNoValue() {
      assertThat(readObservation("\"valueQuantity\": {\"unit\": \"mg\"}").valueQuantity()).isNull();
    }

    @Test
    void valueIntegerIsAQuantityOfUnity() {
      assertThat(readObservation("\"valueInteger\": 7").valueQuantity())
          .isEqualTo(new Quantity(BigDecimal.valueOf(7), "1"));
    }

    @Test
    void valueCodeableConcept() {
      Observation observation = readObservation("""
          "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
              "code": "260385009", "display": "Negative"}], "text": "neg"}""");

      assertThat(observation.valueConcept()).isEqualTo(new CodeableConcept(
          List.of(Code.of(CodeSystems.SNOMED_CT, "260385009")), "neg"));
      assertThat(observation.valueQuantity()).isNull();
    }

    @ParameterizedTest(name = "valueBoolean {0}")
    @ValueSource(booleans = {true, false})
    void valueBoolean(boolean value) {
      assertThat(readObservation("\"valueBoolean\": " + value).valueBoolean()).isEqualTo(value);
    }

    @Test
    void bloodPressureComponents() {
      Observation observation = readOne(bundle(PATIENT, resource("Observation", "bp", """
          "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
          "effectiveDateTime": "2024-03-05",
          "component": [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
             "valueQuantity": {"value": 142, "system": "http://unitsofmeasure.org",
                               "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
             "valueQuantity": {"value": 91, "system": "http://unitsofmeasure.org",
                               "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8478-0"}]},
             "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                  "code": "33586001"}]}}
          ]"""))).observations().get(0);

      assertThat(observation.valueQuantity()).isNull();
      assertThat(observation.components()).containsExactly(
          new ObservationComponent(CodeableConcept.of(Code.of(CodeSystems.LOINC, "8480-6")),
              Quantity.of("142", "mm[Hg]"), null),
          new ObservationComponent(CodeableConcept.of(Code.of(CodeSystems.LOINC, "8462-4")),
              Quantity.of("91", "mm[Hg]"), null),
          new ObservationComponent(CodeableConcept.of(Code.of(CodeSystems.LOINC, "8478-0")),
              null, CodeableConcept.of(Code.of(CodeSystems.SNOMED_CT, "33586001"))));
    }

    @ParameterizedTest(name = "status {0}")
    @CsvSource({"registered, REGISTERED", "preliminary, PRELIMINARY", "amended, AMENDED",
        "corrected, CORRECTED", "cancelled, CANCELLED", "entered-in-error, ENTERED_IN_ERROR",
        "unknown, UNKNOWN"})
    void everyObservationStatus(String code, ObservationStatus status) {
      Observation observation = readOne(bundle(PATIENT,
          observation("o1", "4548-4", "\"valueBoolean\": true")
              .replace("\"final\"", "\"" + code + "\"")))
          .observations().get(0);

      assertThat(observation.status()).isEqualTo(status);
    }
  }

  @Nested
  class MedicationRequestMapping {

    private static final Code METFORMIN = Code.of(CodeSystems.RXNORM, "860975");
    private static final String MEDICATION = """
        {"resourceType": "Medication", "id": "x", "code": {"coding": [{"system":
            "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975"}]}}""";

    private static String request(String fields) {
      return resource("MedicationRequest", "mr1",
          "\"status\": \"active\", \"intent\": \"order\", " + fields);
    }

    @Test
    void medicationCodeableConcept() {
      FhirData data = read(bundle(PATIENT, request("""
          "medicationCodeableConcept": {"coding": [{"system":
              "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975"}]},
          "authoredOn": "2023-01-05T08:00:00Z\"""")));

      assertThat(data.onlyPatient().medicationRequests()).containsExactly(new MedicationRequest(
          "mr1", RequestStatus.ACTIVE, RequestIntent.ORDER, CodeableConcept.of(METFORMIN),
          ClinicalTime.of(Instant.parse("2023-01-05T08:00:00Z")), false));
      assertThat(data.skipped()).isEmpty();
    }

    @Test
    void medicationReferenceToAContainedMedication() {
      MedicationRequest request = readOne(bundle(PATIENT, request("""
          "contained": [
            {"resourceType": "Organization", "id": "m0"},
            {"resourceType": "Medication", "id": "m1", "code": {"coding": [{"system":
                "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975"}]}}],
          "medicationReference": {"reference": "#m1"}"""))).medicationRequests().get(0);

      assertThat(request.medication()).isEqualTo(CodeableConcept.of(METFORMIN));
      assertThat(request.medicationCodeableConcept())
          .as("a retrieve on the order's own code does not see a referenced Medication").isNull();
    }

    @Test
    void medicationReferenceByFullUrl() {
      FhirData data = read(entries(
          "{\"resource\": " + PATIENT + "}",
          "{\"resource\": " + request("""
              "medicationReference": {"reference": "urn:uuid:0b5d-11"}""") + "}",
          entry("urn:uuid:0b5d-11", MEDICATION)));

      assertThat(data.onlyPatient().medicationRequests().get(0).medication())
          .isEqualTo(CodeableConcept.of(METFORMIN));
      assertThat(data.skipped()).as("a Medication is read to resolve references").isEmpty();
    }

    @Test
    void medicationReferenceByTypeAndId() {
      MedicationRequest request = readOne(bundle(PATIENT, MEDICATION,
          request("\"medicationReference\": {\"reference\": \"Medication/x\"}")))
          .medicationRequests().get(0);

      assertThat(request.medication()).isEqualTo(CodeableConcept.of(METFORMIN));
      assertThat(request.product()).isNotNull();
      assertThat(request.medicationCodeableConcept()).isNull();
    }

    @Test
    void medicationCodeableConceptIsTheOrdersOwnCode() {
      MedicationRequest request = readOne(bundle(PATIENT, request("""
          "medicationCodeableConcept": {"coding": [{"system":
              "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975"}]}""")))
          .medicationRequests().get(0);

      assertThat(request.medication()).isEqualTo(CodeableConcept.of(METFORMIN));
      assertThat(request.product()).isNull();
      assertThat(request.medicationCodeableConcept()).isEqualTo(CodeableConcept.of(METFORMIN));
    }

    @Test
    void doNotPerform() {
      MedicationRequest request = readOne(bundle(PATIENT, MEDICATION, request(
          "\"medicationReference\": {\"reference\": \"Medication/x\"}, \"doNotPerform\": true")))
          .medicationRequests().get(0);

      assertThat(request.doNotPerform()).isTrue();
    }

    @Test
    void noMedicationIsLeftOutWithAWarning() {
      FhirData data = read(bundle(PATIENT, request("\"authoredOn\": \"2023-01-05\"")));

      assertThat(data.onlyPatient().medicationRequests()).isEmpty();
      assertThat(data.warnings()).singleElement()
          .extracting(DataWarning::type, DataWarning::id)
          .containsExactly("MedicationRequest", "mr1");
    }
  }

  @Nested
  class ProcedureImmunizationEncounterAllergyMapping {

    private static final Code COLONOSCOPY = Code.of(CodeSystems.SNOMED_CT, "73761001");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "performedDateTime | completed | \"performedDateTime\": \"2016-05-10\" "
            + "| 2016-05-10 | 2016-05-10",
        "performedPeriod   | in-progress | \"performedPeriod\": {\"start\": "
            + "\"2016-05-10T08:00:00-04:00\", \"end\": \"2016-05-10T09:10:00-04:00\"} "
            + "| 2016-05-10T12:00:00Z | 2016-05-10T13:10:00Z",
        "not done, no date | not-done | \"category\": {\"text\": \"screening\"} | |"})
    void procedure(String form, String status, String performed, String start, String end) {
      Procedure procedure = readOne(bundle(PATIENT, resource("Procedure", "pr1", """
          "status": "%s",
          "code": {"coding": [{"system": "http://snomed.info/sct", "code": "73761001"}]},
          %s""".formatted(status, performed)))).procedures().get(0);

      assertThat(procedure).isEqualTo(new Procedure("pr1",
          status.equals("completed") ? EventStatus.COMPLETED
              : status.equals("not-done") ? EventStatus.NOT_DONE : EventStatus.IN_PROGRESS,
          CodeableConcept.of(COLONOSCOPY),
          start == null ? null : new Period(ClinicalTime.parse(start), ClinicalTime.parse(end))));
    }

    @Test
    void immunizationUsesItsPatientReference() {
      Immunization immunization = readOne(bundle(PATIENT, """
          {"resourceType": "Immunization", "id": "im1", "status": "completed",
           "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
           "patient": {"reference": "Patient/p1"},
           "occurrenceDateTime": "2023-10-20T11:00:00-07:00"}""")).immunizations().get(0);

      assertThat(immunization).isEqualTo(new Immunization("im1", EventStatus.COMPLETED,
          CodeableConcept.of(Code.of(CodeSystems.CVX, "140")),
          ClinicalTime.of(Instant.parse("2023-10-20T18:00:00Z"))));
    }

    @Test
    void encounterClassMergedTypesPeriodAndDischargeDisposition() {
      Encounter encounter = readOne(bundle(PATIENT, resource("Encounter", "e1", """
          "status": "finished",
          "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP",
                    "display": "inpatient encounter"},
          "type": [
            {"coding": [{"system": "http://snomed.info/sct", "code": "32485007"}], "text": "admit"},
            {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99223"},
                        {"system": "http://snomed.info/sct", "code": "183452005"}]}
          ],
          "period": {"start": "2024-01-02T22:10:00-05:00", "end": "2024-01-06"},
          "hospitalization": {"dischargeDisposition": {"coding": [{"system":
              "http://terminology.hl7.org/CodeSystem/discharge-disposition", "code": "home"}]}}
          """))).encounters().get(0);

      assertThat(encounter).isEqualTo(new Encounter("e1", EncounterStatus.FINISHED,
          Code.of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
          new CodeableConcept(List.of(Code.of(CodeSystems.SNOMED_CT, "32485007"),
              Code.of(CodeSystems.CPT, "99223"), Code.of(CodeSystems.SNOMED_CT, "183452005")),
              null),
          new Period(ClinicalTime.of(Instant.parse("2024-01-03T03:10:00Z")),
              ClinicalTime.of(LocalDate.of(2024, 1, 6))),
          CodeableConcept.of(Code.of(
              "http://terminology.hl7.org/CodeSystem/discharge-disposition", "home"))));
      assertThat(encounter.encounterClass().display()).isEqualTo("inpatient encounter");
    }

    @Test
    void encounterWithOnlyItsRequiredFields() {
      Encounter encounter = readOne(bundle(PATIENT, resource("Encounter", "e1", """
          "status": "planned", "class": {"display": "home health"}"""))).encounters().get(0);

      assertThat(encounter).isEqualTo(
          new Encounter("e1", EncounterStatus.PLANNED, null, null, null, null));
    }

    @Test
    void anEncounterWithoutClassIsKeptWithAWarning() {
      FhirData data = read(bundle(PATIENT, resource("Encounter", "e1", """
          "status": "finished", "period": {"start": "2024-01-02"}""")));

      assertThat(data.onlyPatient().encounters()).containsExactly(new Encounter("e1",
          EncounterStatus.FINISHED, null, null,
          new Period(ClinicalTime.of(LocalDate.of(2024, 1, 2)), null), null));
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Encounter");
        assertThat(w.id()).isEqualTo("e1");
        assertThat(w.message()).contains("no class");
      });
    }

    @Test
    void allergyIntolerance() {
      AllergyIntolerance allergy = readOne(bundle(PATIENT, """
          {"resourceType": "AllergyIntolerance", "id": "a1",
           "clinicalStatus": {"coding": [{"system":
               "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
               "code": "inactive"}]},
           "verificationStatus": {"coding": [{"system":
               "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
               "code": "refuted"}]},
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005"}]},
           "patient": {"reference": "Patient/p1"},
           "recordedDate": "2010-01-15"}""")).allergies().get(0);

      assertThat(allergy).isEqualTo(new AllergyIntolerance("a1", AllergyClinicalStatus.INACTIVE,
          VerificationStatus.REFUTED, CodeableConcept.of(Code.of(CodeSystems.SNOMED_CT,
              "91936005")), ClinicalTime.of(LocalDate.of(2010, 1, 15))));
    }

    @Test
    void allergyOnsetIsItsDateTimeOrThePeriodsStart() {
      String allergy = """
          {"resourceType": "AllergyIntolerance", "id": "a1",
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005"}]},
           "patient": {"reference": "Patient/p1"}, %s}""";

      assertThat(readOne(bundle(PATIENT, allergy.formatted("\"onsetDateTime\": \"2024-05-02\"")))
          .allergies().get(0).onset()).isEqualTo(ClinicalTime.parse("2024-05-02"));
      assertThat(readOne(bundle(PATIENT, allergy.formatted(
          "\"onsetPeriod\": {\"start\": \"2024-05\", \"end\": \"2024-07\"}")))
          .allergies().get(0).onset()).isEqualTo(ClinicalTime.parse("2024-05"));
    }

    @Test
    void allergyLastOccurrenceIsKeptAtItsPrecisionAndIsNullWhenAbsent() {
      String allergy = """
          {"resourceType": "AllergyIntolerance", "id": "a1",
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005"}]},
           "patient": {"reference": "Patient/p1"}, %s}""";

      AllergyIntolerance recorded = readOne(bundle(PATIENT, allergy.formatted(
          "\"onsetDateTime\": \"2024-05-02\", \"lastOccurrence\": \"2025-03-04T10:00:00Z\"")))
          .allergies().get(0);
      assertThat(recorded.lastOccurrence()).isEqualTo(ClinicalTime.parse("2025-03-04T10:00:00Z"));
      assertThat(recorded.onset()).isEqualTo(ClinicalTime.parse("2024-05-02"));
      assertThat(readOne(bundle(PATIENT, allergy.formatted("\"lastOccurrence\": \"2025-03\"")))
          .allergies().get(0).lastOccurrence()).isEqualTo(ClinicalTime.parse("2025-03"));
      assertThat(readOne(bundle(PATIENT, allergy.formatted("\"recordedDate\": \"2025-03-01\"")))
          .allergies().get(0).lastOccurrence()).isNull();
    }

    @Test
    void anUnreadableLastOccurrenceIsAnErrorAtItsPath() {
      String json = bundle(PATIENT, """
          {"resourceType": "AllergyIntolerance", "id": "a1",
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005"}]},
           "patient": {"reference": "Patient/p1"}, "lastOccurrence": "last spring"}""");

      assertThatThrownBy(() -> read(json)).hasMessageContaining("lastOccurrence");
    }

    @Test
    void adverseEventWithItsEventAndTimesAPotentialOneLeftOutWithAWarning() {
      FhirData data = read(bundle(PATIENT, """
          {"resourceType": "AdverseEvent", "id": "ae1", "actuality": "actual",
           "event": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                 "code": "301542"}]},
           "subject": {"reference": "Patient/p1"},
           "date": "2025-02-01", "recordedDate": "2025-02-03T10:00:00Z"}""", """
          {"resourceType": "AdverseEvent", "id": "ae2", "actuality": "potential",
           "subject": {"reference": "Patient/p1"}}"""));

      assertThat(data.onlyPatient().adverseEvents()).containsExactly(new AdverseEvent("ae1",
          CodeableConcept.of(Code.of(CodeSystems.RXNORM, "301542")),
          ClinicalTime.parse("2025-02-03T10:00:00Z"), ClinicalTime.parse("2025-02-01")));
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.id()).isEqualTo("ae2");
        assertThat(w.message()).contains("potential");
      });
    }

    @Test
    void aMedicationRequestsReasonsAreMerged() {
      MedicationRequest order = readOne(bundle(PATIENT, """
          {"resourceType": "MedicationRequest", "id": "m1", "status": "completed",
           "intent": "order", "doNotPerform": true,
           "medicationCodeableConcept": {"coding": [{"system":
               "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "2167565"}]},
           "subject": {"reference": "Patient/p1"},
           "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "183932001"}]},
                          {"coding": [{"system": "http://snomed.info/sct", "code": "183964008"}]}]}
          """)).medicationRequests().get(0);

      assertThat(order.doNotPerform()).isTrue();
      assertThat(order.reasonCode().codings()).containsExactly(
          Code.of(CodeSystems.SNOMED_CT, "183932001"), Code.of(CodeSystems.SNOMED_CT, "183964008"));
    }
  }

  @Nested
  class OrderMapping {

    private static final Code WALKER = Code.of(CodeSystems.SNOMED_CT, "705417005");
    private static final String DO_NOT_PERFORM =
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform";

    private static String deviceRequest(String fields) {
      return resource("DeviceRequest", "dr1", """
          "intent": "order",
          "codeCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "705417005"}]},""" + fields);
    }

    @ParameterizedTest(name = "doNotPerform {0}")
    @CsvSource({"true, true", "false, false", ", false"})
    void serviceRequest(Boolean doNotPerform, boolean expected) {
      ServiceRequest request = readOne(bundle(PATIENT, resource("ServiceRequest", "sr1", """
          "status": "active", "intent": "original-order",
          "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
          "authoredOn": "2024-03-05\""""
          + (doNotPerform == null ? "" : ", \"doNotPerform\": " + doNotPerform))))
          .serviceRequests().get(0);

      assertThat(request).isEqualTo(new ServiceRequest("sr1", RequestStatus.ACTIVE,
          RequestIntent.ORIGINAL_ORDER, CodeableConcept.of(HBA1C),
          ClinicalTime.of(LocalDate.of(2024, 3, 5)), expected));
    }

    @Test
    void deviceRequestCodeAndStatus() {
      DeviceRequest request = readOne(bundle(PATIENT, deviceRequest("""
          "status": "on-hold", "authoredOn": "2024-01-08\""""))).deviceRequests().get(0);

      assertThat(request).isEqualTo(new DeviceRequest("dr1", RequestStatus.ON_HOLD,
          RequestIntent.ORDER, CodeableConcept.of(WALKER),
          ClinicalTime.of(LocalDate.of(2024, 1, 8)), false));
    }

    @Test
    void aDeviceRequestWithoutStatusIsUnknown() {
      DeviceRequest request = readOne(bundle(PATIENT, deviceRequest("\"priority\": \"routine\"")))
          .deviceRequests().get(0);

      assertThat(request.status()).isEqualTo(RequestStatus.UNKNOWN);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform, true, true",
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform, false, false",
        "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPeform, true, true"})
    void theQiCoreDoNotPerformModifierExtension(String url, boolean value, boolean expected) {
      FhirData data = read(bundle(PATIENT, deviceRequest("""
          "status": "active",
          "modifierExtension": [{"url": "%s", "valueBoolean": %s}]""".formatted(url, value))));

      assertThat(data.onlyPatient().deviceRequests()).singleElement()
          .extracting(DeviceRequest::doNotPerform).isEqualTo(expected);
      assertThat(data.warnings()).isEmpty();
    }

    @Test
    void aDoNotPerformModifierWithoutABooleanLeavesTheResourceOut() {
      // Without valueBoolean the request could be an order not to do it: never read as an order.
      FhirData data = read(bundle(PATIENT, deviceRequest("""
          "status": "active",
          "modifierExtension": [{"url": "%s", "valueString": "true"}]""".formatted(
          DO_NOT_PERFORM))));

      assertThat(data.onlyPatient().deviceRequests()).isEmpty();
      assertThat(data.warnings()).singleElement().satisfies(w ->
          assertThat(w.message()).contains("not understood").contains("left out"));
    }

    @Test
    void anUnknownModifierExtensionLeavesTheResourceOutWithAWarning() {
      FhirData data = read(bundle(PATIENT, deviceRequest("""
          "status": "active",
          "modifierExtension": [
            {"url": "%s", "valueBoolean": true},
            {"url": "http://example.org/fhir/StructureDefinition/reverses-meaning",
             "valueBoolean": true}]""".formatted(DO_NOT_PERFORM))));

      assertThat(data.onlyPatient().deviceRequests()).isEmpty();
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("DeviceRequest");
        assertThat(w.id()).isEqualTo("dr1");
        assertThat(w.message())
            .contains("http://example.org/fhir/StructureDefinition/reverses-meaning")
            .contains("left out");
      });
    }

    @Test
    void aDeviceRequestWithoutCodeCodeableConceptIsLeftOutWithAWarning() {
      FhirData data = read(bundle(PATIENT, resource("DeviceRequest", "dr1", """
          "status": "active", "intent": "order",
          "codeReference": {"reference": "Device/d1"}""")));

      assertThat(data.onlyPatient().deviceRequests()).isEmpty();
      assertThat(data.warnings()).singleElement().extracting(DataWarning::message)
          .asString().contains("codeCodeableConcept");
    }
  }

  @Nested
  class InputStructure {

    @Test
    void unknownResourceTypesAreCountedAsSkipped() {
      FhirData data = read(bundle(PATIENT,
          "{\"resourceType\": \"Organization\", \"id\": \"org1\"}",
          "{\"resourceType\": \"Practitioner\", \"id\": \"dr1\"}",
          "{\"resourceType\": \"Organization\", \"name\": \"no id needed when skipped\"}",
          "{\"resourceType\": \"Medication\", \"id\": \"unused\"}"));

      assertThat(data.skipped()).isEqualTo(Map.of("Organization", 2, "Practitioner", 1));
      assertThat(data.onlyPatient().size()).isEqualTo(1);
      assertThat(data.warnings()).isEmpty();
    }

    @Test
    void anEntryWithoutAResourceIsIgnored() {
      FhirData data = read(entries("{\"resource\": " + PATIENT + "}",
          "{\"request\": {\"method\": \"DELETE\", \"url\": \"Observation/o9\"}}"));

      assertThat(data.onlyPatient().size()).isEqualTo(1);
      assertThat(data.skipped()).isEmpty();
    }

    @Test
    void aBundleWithoutEntriesHasNoPatients() {
      FhirData data = read("{\"resourceType\": \"Bundle\", \"type\": \"searchset\"}");

      assertThat(data.patients()).isEmpty();
      assertThat(data.skipped()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"urn:oid:2.16.840.1.113883.6.96", "SNOMED-CT",
        "https://snomed.info/sct", "http://snomed.info/sct/"})
    void aCodeSystemAliasBecomesItsCanonicalUri(String alias) {
      Condition condition = readOne(bundle(PATIENT, resource("Condition", "c1",
          "\"code\": {\"coding\": [{\"system\": \"" + alias + "\", \"code\": \"44054006\"}]}")))
          .conditions().get(0);

      assertThat(condition.code().codings()).singleElement()
          .extracting(Code::system).isEqualTo("http://snomed.info/sct");
      assertThat(condition.code().hasCoding(DIABETES)).isTrue();
    }

    @Test
    void twoPatientsGetTwoRecordsWithTheirOwnFacts() {
      FhirData data = read(bundle(
          "{\"resourceType\": \"Patient\", \"id\": \"ann\", \"birthDate\": \"1950-02-03\"}",
          "{\"resourceType\": \"Patient\", \"id\": \"bob\", \"birthDate\": \"1980-12-24\"}",
          """
          {"resourceType": "Condition", "id": "c-bob", "subject": {"reference": "Patient/bob"},
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}""",
          """
          {"resourceType": "Condition", "id": "c-ann", "subject": {"reference": "Patient/ann"},
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]}}""",
          """
          {"resourceType": "Observation", "id": "o-bob", "status": "final",
           "subject": {"reference": "Patient/bob"},
           "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
           "valueQuantity": {"value": 5.4, "system": "http://unitsofmeasure.org", "code": "%"}}"""));

      assertThat(data.patients()).extracting(r -> r.patient().id()).containsExactly("ann", "bob");
      PatientRecord ann = data.patients().get(0);
      PatientRecord bob = data.patients().get(1);
      assertThat(ann.patient().birthDate()).isEqualTo(LocalDate.of(1950, 2, 3));
      assertThat(ann.facts().map(f -> f.resourceType() + "/" + f.id()))
          .containsExactly("Patient/ann", "Condition/c-ann");
      assertThat(bob.patient().birthDate()).isEqualTo(LocalDate.of(1980, 12, 24));
      assertThat(bob.facts().map(f -> f.resourceType() + "/" + f.id()))
          .containsExactly("Patient/bob", "Condition/c-bob", "Observation/o-bob");
      assertThat(bob.observations().get(0).valueQuantity()).isEqualTo(Quantity.of("5.4", "%"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "by type and id         | Patient/p1",
        "by fullUrl urn:uuid    | urn:uuid:0c1e2b44-5d3f-4e51-9f5a-3a6f0f1d2c9b",
        "by absolute URL        | http://example.org/fhir/Patient/p1"})
    void aSubjectReference(String form, String reference) {
      FhirData data = read(entries(
          entry("urn:uuid:0c1e2b44-5d3f-4e51-9f5a-3a6f0f1d2c9b",
              "{\"resourceType\": \"Patient\", \"id\": \"p1\"}"),
          "{\"resource\": {\"resourceType\": \"Procedure\", \"id\": \"pr1\", "
              + "\"status\": \"completed\", \"subject\": {\"reference\": \"" + reference + "\"}, "
              + "\"code\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", "
              + "\"code\": \"73761001\"}]}}}"));

      assertThat(data.onlyPatient().procedures()).extracting(Procedure::id).containsExactly("pr1");
      assertThat(data.warnings()).isEmpty();
    }

    @Test
    void onePatientPerInputRepointsADanglingSubjectWithAWarning() {
      String json = bundle(PATIENT, resource("Condition", "c1",
          "\"code\": " + SNOMED_DIABETES).replace("Patient/p1", "Patient/deck-123"));

      assertThatThrownBy(() -> read(json))
          .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
            assertThat(e.path()).isEqualTo("$.entry[1].resource.subject.reference");
            assertThat(e.getMessage()).contains("Patient/deck-123");
          });

      FhirData data = read(FhirReader.create().onePatientPerInput(), json);
      assertThat(data.onlyPatient().conditions()).extracting(Condition::id).containsExactly("c1");
      assertThat(data.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Condition");
        assertThat(w.id()).isEqualTo("c1");
        assertThat(w.message()).contains("Patient/deck-123").contains("not in the input");
      });
    }

    @Test
    void onePatientPerInputStaysStrictWithTwoPatients() {
      String json = bundle(PATIENT, "{\"resourceType\": \"Patient\", \"id\": \"p2\"}",
          resource("Condition", "c1", "\"code\": " + SNOMED_DIABETES)
              .replace("Patient/p1", "Patient/deck-123"));

      assertThatThrownBy(() -> read(FhirReader.create().onePatientPerInput(), json))
          .isInstanceOfSatisfying(InvalidPatientDataException.class, e ->
              assertThat(e.path()).isEqualTo("$.entry[2].resource.subject.reference"));
    }

    @Test
    void severalFilesAreOneInput() {
      FhirData data = FhirReader.create().read(List.of(
          FhirInputs.path("split-case/colonoscopy.json"),
          FhirInputs.path("split-case/patient.json")));

      PatientRecord record = data.onlyPatient();
      assertThat(record.patient())
          .isEqualTo(new Patient("split-1", LocalDate.of(1955, 8, 17), AdministrativeGender.MALE));
      assertThat(record.procedures()).containsExactly(new Procedure("split-colonoscopy",
          EventStatus.COMPLETED, CodeableConcept.of(Code.of(CodeSystems.SNOMED_CT, "73761001")),
          Period.at("2019-04-02")));
    }

    @Test
    void aFileThatNeedsAnotherFileNamesItself() {
      assertThatThrownBy(() -> FhirReader.create().read(
          FhirInputs.path("split-case/colonoscopy.json")))
          .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
            assertThat(e.source()).endsWith("colonoscopy.json");
            assertThat(e.path()).isEqualTo("$.subject.reference");
          });
    }

    @Test
    void theBundleWithEveryResourceTypeReadsWholly() {
      FhirData data = FhirReader.create().read(FhirInputs.path(FhirInputs.EVERY_RESOURCE_TYPE));

      PatientRecord record = data.onlyPatient();
      assertThat(record.facts().map(f -> f.resourceType() + "/" + f.id())).containsExactly(
          "Patient/p1", "Condition/c1", "Observation/o1", "Observation/o2", "Observation/o3",
          "Observation/o4", "MedicationRequest/mr1", "MedicationRequest/mr2", "Procedure/pr1",
          "Immunization/im1", "Encounter/e1", "AllergyIntolerance/a1", "ServiceRequest/sr1",
          "DeviceRequest/dr1", "MedicationDispense/md1");
      assertThat(data.skipped()).isEqualTo(Map.of("Organization", 1));
      assertThat(data.warnings()).isEmpty();
    }

    @Test
    void theTwoInpatientsBundle() {
      FhirData data = FhirReader.create().read(FhirInputs.path(FhirInputs.TWO_INPATIENTS));

      assertThat(data.patients()).extracting(r -> r.patient().id()).containsExactly("pa", "pb");
      assertThat(data.patients().get(0).facts().map(f -> f.id()))
          .containsExactly("pa", "c-a", "o-a", "enc-a");
      assertThat(data.patients().get(1).facts().map(f -> f.id()))
          .containsExactly("pb", "o-b", "pr-b");
      assertThat(data.skipped()).isEqualTo(Map.of("Practitioner", 1));
      assertThat(data.warnings()).extracting(DataWarning::toString)
          .containsExactly("Patient/pb: birth date 1990-07 has no day, so the age is not known "
              + "exactly; the birth date was left out");
    }

    @Test
    void theOrdersBundle() {
      FhirData data = FhirReader.create().read(FhirInputs.path(FhirInputs.ORDERS));

      PatientRecord record = data.onlyPatient();
      assertThat(record.medicationRequests()).singleElement().satisfies(m -> {
        assertThat(m.doNotPerform()).isTrue();
        assertThat(m.medication().hasCoding(Code.of(CodeSystems.RXNORM, "617312"))).isTrue();
      });
      assertThat(record.serviceRequests()).singleElement()
          .extracting(ServiceRequest::doNotPerform).isEqualTo(true);
      assertThat(record.deviceRequests()).singleElement().satisfies(d -> {
        assertThat(d.doNotPerform()).isTrue();
        assertThat(d.status()).isEqualTo(RequestStatus.UNKNOWN);
      });
      assertThat(record.allergies()).singleElement()
          .extracting(AllergyIntolerance::verificationStatus).isEqualTo(VerificationStatus.REFUTED);
      assertThat(record.immunizations()).singleElement()
          .extracting(Immunization::status).isEqualTo(EventStatus.NOT_DONE);
      assertThat(data.skipped()).isEqualTo(Map.of("Coverage", 1));
      assertThat(data.warnings()).isEmpty();
    }
  }
}
