package io.github.cdsengine.core.model;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ObservationTest {

  private static final CodeableConcept HBA1C =
      CodeableConcept.of(Code.of(LOINC, "4548-4"));
  private static final CodeableConcept POSITIVE =
      CodeableConcept.of(Code.of(SNOMED_CT, "10828004"));
  private static final Quantity SEVEN_PERCENT = Quantity.of("7.0", "%");

  private static Observation withValues(Quantity quantity, CodeableConcept concept,
      Boolean bool) {
    return Observation.builder("o1", ObservationStatus.FINAL, HBA1C).valueQuantity(quantity)
        .valueConcept(concept).valueBoolean(bool).build();
  }

  @Test
  void onlyAQuantityValueIsAQuantityAsCqlReadsIt() {
    assertThat(withValues(SEVEN_PERCENT, null, null).quantity()).isEqualTo(SEVEN_PERCENT);
    Observation integer = Observation.builder("o1", ObservationStatus.FINAL, HBA1C)
        .valueQuantity(Quantity.of("8", "1")).valueType(ObservationValueType.INTEGER).build();
    assertThat(integer.valueQuantity()).isEqualTo(Quantity.of("8", "1"));
    assertThat(integer.hasValue()).isTrue();
    assertThat(integer.quantity()).isNull();
    assertThat(withValues(null, POSITIVE, null).quantity()).isNull();
    assertThat(withValues(null, null, null).quantity()).isNull();
  }

  @Test
  void oneValueOfAnyKindIsAccepted() {
    assertThat(withValues(SEVEN_PERCENT, null, null).valueQuantity()).isEqualTo(SEVEN_PERCENT);
    assertThat(withValues(null, POSITIVE, null).valueConcept()).isEqualTo(POSITIVE);
    assertThat(withValues(null, null, Boolean.FALSE).valueBoolean()).isFalse();
    assertThat(withValues(null, null, null).valueQuantity()).isNull();
  }

  @Test
  void quantityAndConceptTogetherAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withValues(SEVEN_PERCENT, POSITIVE, null))
        .withMessage("Observation 'o1' has 2 values; at most one of valueQuantity, valueConcept,"
            + " valueBoolean and valueString may be set");
  }

  @Test
  void textAndAQuantityTogetherAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Observation.builder("o1", ObservationStatus.FINAL,
                new CodeableConcept(List.of(Code.of(LOINC, "70146-6")), null))
            .valueQuantity(SEVEN_PERCENT).valueString("POS").build())
        .withMessageContaining("has 2 values");
  }

  @Test
  void quantityAndBooleanTogetherAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withValues(SEVEN_PERCENT, null, Boolean.TRUE))
        .withMessageContaining("'o1' has 2 values");
  }

  @Test
  void conceptAndBooleanTogetherAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withValues(null, POSITIVE, Boolean.TRUE))
        .withMessageContaining("'o1' has 2 values");
  }

  @Test
  void allThreeValuesAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withValues(SEVEN_PERCENT, POSITIVE, Boolean.TRUE))
        .withMessageContaining("'o1' has 3 values");
  }

  @Test
  void missingComponentsReadAsEmpty() {
    assertThat(withValues(null, null, null).components()).isEmpty();
  }

  @Test
  void componentsAreCopiedAndUnmodifiable() {
    ObservationComponent systolic = new ObservationComponent(
        CodeableConcept.of(Code.of(LOINC, "8480-6")), Quantity.of("140", "mm[Hg]"),
        null);
    List<ObservationComponent> components = new ArrayList<>(List.of(systolic));
    Observation bloodPressure = Observation.builder("bp1", ObservationStatus.FINAL,
        CodeableConcept.of(Code.of(LOINC, "85354-9"))).components(components).build();

    components.clear();

    assertThat(bloodPressure.components()).containsExactly(systolic);
    assertThatThrownBy(() -> bloodPressure.components().add(systolic))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void componentCodeIsRequired() {
    assertThatNullPointerException()
        .isThrownBy(() -> new ObservationComponent(null, SEVEN_PERCENT, null))
        .withMessage("observation component code");
  }

  @ParameterizedTest
  @CsvSource({
      "registered,       false",
      "preliminary,      false",
      "final,            true",
      "amended,          true",
      "corrected,        true",
      "cancelled,        false",
      "entered-in-error, false",
      "unknown,          false",
  })
  void isResultOnlyWhenFinalAmendedOrCorrected(String status, boolean result) {
    Observation observation = Observation.builder("o1", ObservationStatus.fromCode(status),
        HBA1C).valueQuantity(SEVEN_PERCENT).build();

    assertThat(observation.isResult()).isEqualTo(result);
  }

  private static Observation typed(ObservationValueType type) {
    return Observation.builder("o1", ObservationStatus.FINAL, HBA1C).valueType(type).build();
  }

  @Test
  void everyCarriedValueIsAValueOfItsType() {
    assertThat(withValues(SEVEN_PERCENT, null, null).valueType())
        .isEqualTo(ObservationValueType.QUANTITY);
    assertThat(withValues(null, POSITIVE, null).valueType())
        .isEqualTo(ObservationValueType.CODEABLE_CONCEPT);
    assertThat(withValues(null, null, Boolean.FALSE).valueType())
        .isEqualTo(ObservationValueType.BOOLEAN);
    Observation text = Observation.builder("o1", ObservationStatus.FINAL, HBA1C)
        .valueString("Negative").build();
    assertThat(text.valueType()).isEqualTo(ObservationValueType.STRING);
    assertThat(List.of(withValues(SEVEN_PERCENT, null, null), withValues(null, POSITIVE, null),
        withValues(null, null, Boolean.FALSE), text)).allMatch(Observation::hasValue);
  }

  @Test
  void noValueIsNoResult() {
    Observation none = withValues(null, null, null);
    assertThat(none.hasValue()).isFalse();
    assertThat(none.valueType()).isNull();
  }

  @Test
  void falseAndEmptyLookingValuesAreStillValues() {
    // CQL's "value is not null" is true of false and of zero: only a missing value is null.
    assertThat(withValues(null, null, Boolean.FALSE).hasValue()).isTrue();
    assertThat(withValues(Quantity.of("0", "%"), null, null).hasValue()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ObservationValueType.class)
  void aValueOfAnyTypeIsAValueEvenWithNoDetailKept(ObservationValueType type) {
    assertThat(typed(type).hasValue()).isTrue();
    assertThat(typed(type).valueType()).isEqualTo(type);
  }

  @Test
  void anIntegerIsCarriedAsAQuantity() {
    Observation count = Observation.builder("o1", ObservationStatus.FINAL, HBA1C)
        .valueQuantity(Quantity.of("3", "1")).valueType(ObservationValueType.INTEGER).build();
    assertThat(count.valueType()).isEqualTo(ObservationValueType.INTEGER);
  }

  @Test
  void aValueTypeThatDisagreesWithTheValueIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Observation.builder("o1", ObservationStatus.FINAL, HBA1C)
            .valueString("Negative").valueType(ObservationValueType.QUANTITY).build())
        .withMessage("Observation 'o1' has a valueString but its value type is Quantity");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Observation.builder("o1", ObservationStatus.FINAL, HBA1C)
            .valueQuantity(SEVEN_PERCENT).valueType(ObservationValueType.RANGE).build())
        .withMessage("Observation 'o1' has a valueQuantity but its value type is Range");
  }

  @Test
  void theValueTypeNamesItsFhirElement() {
    assertThat(ObservationValueType.SAMPLED_DATA.element()).isEqualTo("valueSampledData");
    assertThat(ObservationValueType.DATE_TIME.element()).isEqualTo("valueDateTime");
    assertThat(ObservationValueType.fromCode("string")).isEqualTo(ObservationValueType.STRING);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ObservationValueType.fromCode("Attachment"))
        .withMessageContaining("unknown ObservationValueType 'Attachment'");
  }
}
