package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.SUBJECT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Observation;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Inputs found by property testing that the reader once got wrong. */
class FhirReaderEdgeCaseTest {

  static final String CODE =
      "\"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"2345-7\"}]}";

  static String observation(String fields) {
    return FhirInputs.observation("o1", "2345-7", fields);
  }

  static String condition(String clinicalStatus) {
    return "{\"resourceType\": \"Condition\", \"id\": \"c1\", \"clinicalStatus\": "
        + clinicalStatus + ", \"code\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", "
        + "\"code\": \"34000006\"}]}, " + SUBJECT + "}";
  }

  static InvalidPatientDataException refused(String json) {
    try {
      read(json);
    } catch (InvalidPatientDataException e) {
      return e;
    }
    throw new AssertionError("expected InvalidPatientDataException for " + json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"too-long-number", "too-deep", "too-large-exponent"})
  void jsonBeyondTheParsersLimitsIsInvalidPatientData(String kind) {
    String json = switch (kind) {
      case "too-long-number" -> "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"x\":1"
          + "0".repeat(1000) + "}";
      case "too-deep" -> "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"x\":" + "[".repeat(1001)
          + "]".repeat(1001) + "}";
      default -> "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"x\":1e2147483648}";
    };
    assertThat(refused(json).path()).isEqualTo("$");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"valueBoolean\": true, \"valueQuantity\": {\"value\": 1}",
      "\"valueInteger\": 3, \"valueBoolean\": true",
      "\"valueInteger\": 3, \"valueQuantity\": {\"value\": 250, \"unit\": \"mg\"}"})
  void twoValuesAreRefused(String values) {
    InvalidPatientDataException e = refused(bundle(PATIENT, observation(values)));
    assertThat(e.path()).isEqualTo("$.entry[1].resource");
    assertThat(e.getMessage()).contains("2 value[x] elements");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"effectivePeriod\": {\"start\": \"2020-01-01\", \"end\": \"+999999999-12-31T23:59:59-18:00\"} | end",
      "\"effectivePeriod\": {\"start\": \"-999999999-01-01T00:00:00+18:00\", \"end\": \"2020-01-01\"} | start"})
  void datesOutsideFhirsFormatAreRefused(String period, String field) {
    assertThat(refused(bundle(PATIENT, observation(period))).path())
        .isEqualTo("$.entry[1].resource.effectivePeriod." + field);
  }

  @Test
  void aPeriodOfInstantsThatEndsBeforeItStartsIsRefused() {
    assertThat(refused(bundle(PATIENT, observation("\"effectivePeriod\": {\"start\": "
        + "\"2023-05-01T10:00:00Z\", \"end\": \"2023-05-01T09:00:00Z\"}"))).getMessage())
        .contains("ends (2023-05-01T09:00:00Z) before it starts");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"display\": \"Ann\"} | $.entry[1].resource.subject.reference",
      "{\"reference\": 42} | $.entry[1].resource.subject.reference",
      "{\"reference\": \"Condition/c1\"} | $.entry[1].resource.subject.reference"})
  void onePatientPerInputStillRefusesAMalformedSubject(String subject, String path) {
    String json = bundle(PATIENT, observation("\"valueBoolean\": true").replace(SUBJECT,
        "\"subject\": " + subject));
    assertThatThrownBy(() -> read(FhirReader.create().onePatientPerInput(), json))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo(path));
  }

  @Test
  void aBirthDateWithATimeIsRefused() {
    assertThat(refused("{\"resourceType\": \"Patient\", \"id\": \"p1\", "
        + "\"birthDate\": \"1980-05-01T08:00:00Z\"}").path()).isEqualTo("$.birthDate");
  }

  @ParameterizedTest
  @CsvSource({"120.0, 120.0", "7.50, 7.50", "0.000100, 0.000100"})
  void decimalsKeepThePrecisionTheyWereWrittenWith(String written, String expected) {
    Observation observation = read(bundle(PATIENT, observation("\"valueQuantity\": {\"value\": "
        + written + ", \"system\": \"http://unitsofmeasure.org\", \"code\": \"mg/dL\"}")))
        .onlyPatient().observations().get(0);
    assertThat(observation.valueQuantity().value().toPlainString()).isEqualTo(expected);
    assertThat(observation.valueQuantity().value()).isEqualTo(new BigDecimal(expected));
  }

  @Test
  void aQuantityWithAComparatorIsNotAnExactValue() {
    FhirData data = read(bundle(PATIENT, observation("\"valueQuantity\": {\"value\": 5.7, "
        + "\"comparator\": \"<\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"%\"}")));
    assertThat(data.onlyPatient().observations().get(0).valueQuantity()).isNull();
    assertThat(data.warnings()).extracting(DataWarning::message)
        .containsExactly("has the value <5.7, not an exact value with a unit; that value was "
            + "left out");
  }

  @Test
  void aQuantityWithoutAUnitIsLeftOutNotTakenAsDimensionless() {
    FhirData data = read(bundle(PATIENT, observation("\"valueQuantity\": {\"value\": 7}")));
    assertThat(data.onlyPatient().observations().get(0).valueQuantity()).isNull();
    assertThat(data.warnings()).extracting(DataWarning::message).containsExactly(
        "has the value 7 with no unit, not an exact value with a unit; that value was left out");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Observation | \"effectiveTiming\": {\"event\": [\"2025-03-01\"]} | effectiveTiming",
      "Procedure | \"performedString\": \"last spring\" | performedString",
      "Condition | \"onsetAge\": {\"value\": 40} | onsetAge"})
  void aChoiceTypeTheModelDoesNotCarryIsAWarning(String type, String field, String name) {
    String resource = switch (type) {
      case "Observation" -> observation(field);
      case "Procedure" -> "{\"resourceType\": \"Procedure\", \"id\": \"x1\", \"status\": "
          + "\"completed\", " + CODE + ", " + SUBJECT + ", " + field + "}";
      default -> condition("{\"coding\": [{\"system\": "
          + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\", \"code\": \"active\"}]}")
          .replace(SUBJECT, SUBJECT + ", " + field);
    };
    assertThat(read(bundle(PATIENT, resource)).warnings()).extracting(DataWarning::message)
        .containsExactly("has " + name + ", a type of " + name.replaceAll("[A-Z].*", "")
            + "[x] that is not carried; that element was left out");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"coding\": [{\"code\": \"resolved\"}]}", "{\"text\": \"resolved\"}"})
  void aClinicalStatusWithoutItsCodeSystemIsRefusedNotTakenAsActive(String status) {
    InvalidPatientDataException e = refused(bundle(PATIENT, condition(status)));
    assertThat(e.path()).isEqualTo("$.entry[1].resource.clinicalStatus");
    assertThat(e.getMessage()).contains("condition-clinical");
  }

  @Test
  void theStatusCodingIsFoundAfterATranslation() {
    FhirData data = read(bundle(PATIENT, condition("{\"coding\": [{\"system\": "
        + "\"http://snomed.info/sct\", \"code\": \"413322009\"}, {\"system\": "
        + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\", \"code\": \"resolved\"}]}")));
    assertThat(data.onlyPatient().conditions().get(0).clinicalStatus())
        .isEqualTo(ConditionClinicalStatus.RESOLVED);
    assertThat(data.onlyPatient().conditions().get(0).isActive()).isFalse();
  }

  @Test
  void aUnitCodeFromAnotherSystemIsNotTakenForUcum() {
    FhirData data = read(bundle(PATIENT, observation("\"valueQuantity\": {\"value\": 7.5, "
        + "\"system\": \"http://snomed.info/sct\", \"code\": \"118582008\"}")));
    assertThat(data.onlyPatient().observations().get(0).valueQuantity()).isNull();
    assertThat(data.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("with no unit"));
  }

  @Test
  void aSubpotentDoseIsLeftOut() {
    FhirData data = read(bundle(PATIENT, "{\"resourceType\": \"Immunization\", \"id\": \"i1\", "
        + "\"status\": \"completed\", \"isSubpotent\": true, \"vaccineCode\": {\"coding\": "
        + "[{\"system\": \"http://hl7.org/fhir/sid/cvx\", \"code\": \"08\"}]}, "
        + "\"patient\": {\"reference\": \"Patient/p1\"}, \"occurrenceDateTime\": \"2024-01-01\"}"));
    assertThat(data.onlyPatient().immunizations()).isEmpty();
    assertThat(data.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("subpotent"));
  }

  @Test
  void aValueBeyondClinicalMagnitudesIsRefused() {
    assertThat(refused(bundle(PATIENT, observation("\"valueQuantity\": {\"value\": 1E-2147483647, "
        + "\"system\": \"http://unitsofmeasure.org\", \"code\": \"g/L\"}"))).path())
        .isEqualTo("$.entry[1].resource.valueQuantity.value");
  }

  @Test
  void aNonObjectStatusCodingIsRefusedNotSkipped() {
    assertThat(refused(bundle(PATIENT, condition("{\"coding\": [\"a\", {\"system\": "
        + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\", \"code\": \"resolved\"}]}")))
        .path()).isEqualTo("$.entry[1].resource.clinicalStatus.coding[0]");
  }

  @Test
  void aPatientWithAModifierExtensionIsRefused() {
    assertThat(refused("{\"resourceType\": \"Patient\", \"id\": \"p1\", \"modifierExtension\": "
        + "[{\"url\": \"http://example.org/x\", \"valueBoolean\": true}]}").path())
        .isEqualTo("$.modifierExtension");
  }

  @Test
  void aBundleInsideABundleIsRead() {
    String inner = bundle(PATIENT, observation("\"valueBoolean\": true"));
    FhirData data = read("{\"resourceType\": \"Bundle\", \"type\": \"collection\", "
        + "\"entry\": [{\"resource\": " + inner + "}]}");
    assertThat(data.onlyPatient().observations()).hasSize(1);
    assertThat(data.skipped()).isEmpty();
  }

  @Test
  void aDiagnosisOfALeftOutConditionIsLeftOutToo() {
    String condition = "{\"resourceType\": \"Condition\", \"id\": \"c1\", " + SUBJECT + "}";
    String encounter = "{\"resourceType\": \"Encounter\", \"id\": \"e1\", \"status\": \"finished\", "
        + "\"class\": {\"system\": \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \"AMB\"}, "
        + SUBJECT + ", \"diagnosis\": [{\"condition\": {\"reference\": \"Condition/c1\"}}]}";
    FhirData data = read(bundle(PATIENT, condition, encounter));
    assertThat(data.onlyPatient().encounters().get(0).diagnoses()).isEmpty();
    assertThat(data.warnings()).extracting(DataWarning::type)
        .containsExactlyInAnyOrder("Condition", "Encounter");
  }

  @Test
  void aPeriodWithOnlyAnEndKeepsItsStartUnknown() {
    io.github.cdsengine.core.model.Period effective = read(bundle(PATIENT,
        observation("\"effectivePeriod\": {\"end\": \"2024-05-01\"}, \"valueBoolean\": true")))
        .onlyPatient().observations().get(0).effective();
    assertThat(effective.start()).isNull();
    assertThat(effective.end().toString()).isEqualTo("2024-05-01");
  }

  @Test
  void aDateBesideAnInstantOfTheSameLocalDayIsNotBackwards() {
    assertThat(read(bundle(PATIENT, observation("\"effectivePeriod\": {\"start\": "
        + "\"2024-05-01T22:00:00-05:00\", \"end\": \"2024-05-01\"}, \"valueBoolean\": true")))
        .onlyPatient().observations()).hasSize(1);
  }
}
