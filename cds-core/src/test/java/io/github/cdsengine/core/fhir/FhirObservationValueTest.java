package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationValueType;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An observation has a value whenever FHIRHelpers' {@code ToValue} gives one, the test the CMS
 * measures' CQL writes as {@code value is not null} (CMS130 "Fecal Occult Blood Test Performed",
 * CMS124 "Cervical Cytology Within 3 Years", CMS951 "Has Kidney Panel Performed During
 * Measurement Period"): every type FHIR R4 allows for Observation.value[x], whether or not the
 * model keeps its detail.
 */
class FhirObservationValueTest {

  static String observation(String value) {
    return FhirInputs.observation("o1", "29771-3",
        (value.isEmpty() ? "" : value + ", ") + "\"effectiveDateTime\": \"2025-03-01\"");
  }

  static FhirData readValue(String value) {
    return read(bundle(PATIENT, observation(value)));
  }

  static Observation only(FhirData data) {
    return data.onlyPatient().observations().get(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Quantity        | \"valueQuantity\": {\"value\": 6.5, \"system\": \"http://unitsofmeasure.org\", \"code\": \"%\"}",
      "CodeableConcept | \"valueCodeableConcept\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"260385009\"}]}",
      "string          | \"valueString\": \"Negative\"",
      "boolean         | \"valueBoolean\": false",
      "integer         | \"valueInteger\": 0",
      "Range           | \"valueRange\": {\"low\": {\"value\": 1, \"system\": \"http://unitsofmeasure.org\", \"code\": \"mg/dL\"}}",
      "Ratio           | \"valueRatio\": {\"numerator\": {\"value\": 1}, \"denominator\": {\"value\": 160}}",
      "SampledData     | \"valueSampledData\": {\"origin\": {\"value\": 0}, \"period\": 10, \"dimensions\": 1, \"data\": \"1 2 3\"}",
      "time            | \"valueTime\": \"09:30:00\"",
      "dateTime        | \"valueDateTime\": \"2025-02-28T10:00:00Z\"",
      "Period          | \"valuePeriod\": {\"start\": \"2025-02-01\", \"end\": \"2025-02-03\"}"})
  void everyValueTypeIsAValueWithoutWarning(String type, String value) {
    FhirData data = readValue(value);

    assertThat(only(data).hasValue()).isTrue();
    assertThat(only(data).valueType()).isEqualTo(ObservationValueType.fromCode(type));
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void theTableAboveCoversEveryTypeFhirAllows() {
    Set<String> elements = Stream.of(ObservationValueType.values())
        .map(ObservationValueType::element).collect(Collectors.toSet());
    assertThat(elements).containsExactlyInAnyOrder("valueQuantity", "valueCodeableConcept",
        "valueString", "valueBoolean", "valueInteger", "valueRange", "valueRatio",
        "valueSampledData", "valueTime", "valueDateTime", "valuePeriod");
    assertThat(EnumSet.allOf(ObservationValueType.class)).hasSize(11);
  }

  @Test
  void textIsKeptAsGiven() {
    Observation observation = only(readValue("\"valueString\": \"Negative\""));
    assertThat(observation.valueString()).isEqualTo("Negative");
    assertThat(observation.valueType()).isEqualTo(ObservationValueType.STRING);
  }

  @Test
  void noValueElementIsNoValue() {
    Observation observation = only(readValue(""));
    assertThat(observation.hasValue()).isFalse();
    assertThat(observation.valueType()).isNull();
  }

  @Test
  void aDataAbsentReasonIsNoValue() {
    Observation observation = only(readValue("\"dataAbsentReason\": {\"coding\": [{\"system\": "
        + "\"http://terminology.hl7.org/CodeSystem/data-absent-reason\", \"code\": \"error\"}]}"));
    assertThat(observation.hasValue()).isFalse();
  }

  @Test
  void aPrimitiveGivenOnlyAsAnExtensionIsNoValue() {
    // FHIRHelpers.ToValue reads (value as string).value, which is null without "valueString".
    Observation observation = only(readValue("\"_valueString\": {\"extension\": [{\"url\": "
        + "\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\", \"valueCode\": "
        + "\"unknown\"}]}"));
    assertThat(observation.hasValue()).isFalse();
  }

  @Test
  void aQuantityWithoutANumberIsNoValue() {
    // FHIRHelpers.ToQuantity: "when quantity.value is null then null".
    Observation observation = only(readValue("\"valueQuantity\": {\"unit\": \"%\", "
        + "\"system\": \"http://unitsofmeasure.org\", \"code\": \"%\"}"));
    assertThat(observation.hasValue()).isFalse();
  }

  @Test
  void aQuantityWithAComparatorIsAValueThatNoRuleCompares() {
    FhirData data = readValue("\"valueQuantity\": {\"value\": 0.5, \"comparator\": \"<\", "
        + "\"system\": \"http://unitsofmeasure.org\", \"code\": \"mg/dL\"}");
    assertThat(only(data).hasValue()).isTrue();
    assertThat(only(data).valueQuantity()).isNull();
    assertThat(only(data).valueType()).isEqualTo(ObservationValueType.QUANTITY);
    assertThat(data.warnings()).extracting(DataWarning::message).containsExactly(
        "has the value <0.5, not an exact value with a unit; that value was left out");
  }

  @Test
  void aQuantityWithoutAUnitIsAValueThatNoRuleCompares() {
    FhirData data = readValue("\"valueQuantity\": {\"value\": 7}");
    assertThat(only(data).hasValue()).isTrue();
    assertThat(only(data).valueQuantity()).isNull();
    assertThat(data.warnings()).hasSize(1);
  }

  @Test
  void aConceptWithTextAndNoCodingIsAValue() {
    // FHIRHelpers.ToConcept gives a Concept with no codes and the text as its display.
    Observation observation = only(readValue("\"valueCodeableConcept\": {\"text\": "
        + "\"Negative\"}"));
    assertThat(observation.hasValue()).isTrue();
    assertThat(observation.valueConcept().codings()).isEmpty();
    assertThat(observation.valueConcept().text()).isEqualTo("Negative");
    assertThat(observation.valueType()).isEqualTo(ObservationValueType.CODEABLE_CONCEPT);
  }

  @Test
  void aConceptWithNeitherCodingNorTextIsAValueWithNothingToRead() {
    Observation observation = only(readValue("\"valueCodeableConcept\": {\"coding\": []}"));
    assertThat(observation.hasValue()).isTrue();
    assertThat(observation.valueConcept()).isNull();
    assertThat(observation.valueType()).isEqualTo(ObservationValueType.CODEABLE_CONCEPT);
  }

  @Test
  void aConceptGivenAsJsonNullIsNoValueNotACrash() {
    // JSON null reads as an absent element, as it does for every other field.
    Observation observation = only(readValue("\"valueCodeableConcept\": null"));
    assertThat(observation.valueConcept()).isNull();
  }

  @Test
  void anIntegerIsKeptAsACount() {
    Observation observation = only(readValue("\"valueInteger\": 3"));
    assertThat(observation.valueQuantity().value()).isEqualByComparingTo("3");
    assertThat(observation.valueQuantity().unit()).isEqualTo("1");
    assertThat(observation.valueType()).isEqualTo(ObservationValueType.INTEGER);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"valueDateTime\": \"28 February 2025\"                         | $.entry[1].resource.valueDateTime",
      "\"valueTime\": \"9h30\"                                         | $.entry[1].resource.valueTime",
      "\"valuePeriod\": {\"start\": \"2025-02-03\", \"end\": \"2025-02-01\"} | $.entry[1].resource.valuePeriod",
      "\"valueRange\": \"1-3\"                                         | $.entry[1].resource.valueRange",
      "\"valueRatio\": 0.5                                             | $.entry[1].resource.valueRatio",
      "\"valueSampledData\": [1, 2]                                    | $.entry[1].resource.valueSampledData",
      "\"valueString\": 42                                             | $.entry[1].resource.valueString"})
  void aValueOfTheWrongShapeIsRefusedWithItsPath(String value, String path) {
    assertThatThrownBy(() -> readValue(value))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo(path));
  }

  @Test
  void twoValueElementsAreRefused() {
    assertThatThrownBy(() -> readValue("\"valueString\": \"Negative\", \"valueBoolean\": false"))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("has 2 value[x] elements");
  }
}
