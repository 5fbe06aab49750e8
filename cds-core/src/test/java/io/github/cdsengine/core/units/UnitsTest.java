package io.github.cdsengine.core.units;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.tuple;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

  private static final CodeableConcept GLUCOSE_CODE =
      CodeableConcept.of(Code.of(LOINC, "1558-6"));

  private final List<DataWarning> warnings = new ArrayList<>();
  private final Units units = Units.of(UnitConverter.ucum(), warnings);

  private static Observation glucose(String value, String unit) {
    return observation("obs-1", GLUCOSE_CODE).value(value, unit).build();
  }

  /** above, at least, below, at most, in that order. */
  private boolean[] compare(Observation observation, String value, String unit) {
    return new boolean[] {
        units.valueAbove(observation, value, unit),
        units.valueAtLeast(observation, value, unit),
        units.valueBelow(observation, value, unit),
        units.valueAtMost(observation, value, unit)};
  }

  private boolean[] compare(Observation observation, String value, String unit,
      Analyte analyte) {
    return new boolean[] {
        units.valueAbove(observation, value, unit, analyte),
        units.valueAtLeast(observation, value, unit, analyte),
        units.valueBelow(observation, value, unit, analyte),
        units.valueAtMost(observation, value, unit, analyte)};
  }

  @ParameterizedTest(name = "{0} {1} against 126 mg/dL")
  @CsvSource(delimiter = ';', value = {
      "125.9; mg/dL; false; false; true; true",
      "126; mg/dL; false; true; false; true",
      "126.0; mg/dL; false; true; false; true",
      "126.1; mg/dL; true; true; false; false",
      "1.259; g/L; false; false; true; true",
      "1.26; g/L; false; true; false; true",
      "1.261; g/L; true; true; false; false",
      "1260; mg/L; false; true; false; true",
      "126; mg/dL{fasting}; false; true; false; true"})
  void comparesAtTheBoundaryAfterConversion(String value, String unit, boolean above,
      boolean atLeast, boolean below, boolean atMost) {
    assertThat(compare(glucose(value, unit), "126", "mg/dL"))
        .containsExactly(above, atLeast, below, atMost);
    assertThat(warnings).isEmpty();
  }

  @Test
  void sevenMillimolesOfGlucoseAgainst126MilligramsPerDecilitre() {
    // 7.0 mmol/L x 180.156 g/mol = 1261.092 mg/L = 126.1092 mg/dL: above 126
    BigDecimal asMass = new BigDecimal("7.0").multiply(Analyte.GLUCOSE.molarMass())
        .divide(BigDecimal.TEN);
    assertThat(asMass).isEqualByComparingTo("126.1092");
    boolean above = asMass.compareTo(new BigDecimal(126)) > 0;
    assertThat(above).isTrue();

    assertThat(compare(glucose("7.0", "mmol/L"), "126", "mg/dL", Analyte.GLUCOSE))
        .containsExactly(above, true, !above, false);
    assertThat(warnings).isEmpty();
  }

  @Test
  void a126MilligramsPerDecilitreGlucoseIsBelowSevenMillimoles() {
    // the two forms of the diabetes threshold are not equal: 126 mg/dL is 6.994 mmol/L
    BigDecimal asSubstance = new BigDecimal(1260)
        .divide(Analyte.GLUCOSE.molarMass(), MathContext.DECIMAL64);
    boolean below = asSubstance.compareTo(new BigDecimal("7.0")) < 0;
    assertThat(below).isTrue();

    assertThat(compare(glucose("126", "mg/dL"), "7.0", "mmol/L", Analyte.GLUCOSE))
        .containsExactly(false, !below, below, true);
  }

  @ParameterizedTest(name = "{0} mg/dL against 1 mmol/L glucose")
  @CsvSource(delimiter = ';', value = {
      "18.0155; false; false; true; true",
      "18.0156; false; true; false; true",
      "18.0157; true; true; false; false"})
  void comparesExactlyAtAMolarBoundary(String milligramsPerDecilitre, boolean above,
      boolean atLeast, boolean below, boolean atMost) {
    // 1 mmol/L x 180.156 g/mol = 180.156 mg/L = 18.0156 mg/dL
    assertThat(compare(glucose(milligramsPerDecilitre, "mg/dL"), "1", "mmol/L", Analyte.GLUCOSE))
        .containsExactly(above, atLeast, below, atMost);
  }

  @Test
  void withoutTheAnalyteMassAndSubstanceAreNotComparedAndTheValueIsNotUsed() {
    Observation observation = glucose("7.0", "mmol/L");

    assertThat(compare(observation, "126", "mg/dL")).containsExactly(false, false, false, false);

    assertThat(warnings).singleElement().satisfies(warning -> {
      assertThat(warning.type()).isEqualTo("Observation");
      assertThat(warning.id()).isEqualTo("obs-1");
      assertThat(warning.message()).isEqualTo(
          "unit 'mmol/L' cannot be converted to 'mg/dL'; the value was not used");
    });
  }

  @Test
  void anInvalidUnitIsNotComparedAndWarnsOnce() {
    Observation observation = glucose("130", "mg/dl/");

    assertThat(compare(observation, "126", "mg/dL")).containsExactly(false, false, false, false);
    assertThat(units.valueAtLeast(observation, "126", "mg/dL", Analyte.GLUCOSE)).isFalse();

    assertThat(warnings).singleElement().satisfies(warning -> {
      assertThat(warning.id()).isEqualTo("obs-1");
      assertThat(warning.message()).isEqualTo("unit 'mg/dl/' is not a valid UCUM unit, so it"
          + " cannot be compared with 'mg/dL'; the value was not used");
    });
  }

  @Test
  void warnsOncePerObservationUnitAndThresholdUnit() {
    Observation first = glucose("9", "mmol/L");
    Observation second = observation("obs-2", GLUCOSE_CODE).value("9", "mmol/L").build();

    units.valueAbove(first, "126", "mg/dL");
    units.valueAtLeast(first, "200", "mg/dL");
    units.valueBelow(first, "70", "mg/dL");
    units.valueAbove(first, "126", "mg/dL", Analyte.CREATININE); // mg/dL <-> mmol/L: converts
    units.valueAbove(first, "7", "mm[Hg]");
    units.valueAbove(second, "126", "mg/dL");

    assertThat(warnings).extracting(DataWarning::id, DataWarning::message).containsExactly(
        tuple("obs-1",
            "unit 'mmol/L' cannot be converted to 'mg/dL'; the value was not used"),
        tuple("obs-1",
            "unit 'mmol/L' cannot be converted to 'mm[Hg]'; the value was not used"),
        tuple("obs-2",
            "unit 'mmol/L' cannot be converted to 'mg/dL'; the value was not used"));
  }

  @Test
  void aWarningNamesTheAnalyteWhenOneWasGiven() {
    units.valueAbove(glucose("9", "mmol/L"), "1", "kg", Analyte.GLUCOSE);

    assertThat(warnings).extracting(DataWarning::message).containsExactly(
        "unit 'mmol/L' cannot be converted to 'kg' for glucose; the value was not used");
  }

  @Test
  void eachEvaluationWarnsAfresh() {
    Observation observation = glucose("9", "mmol/L");
    units.valueAbove(observation, "126", "mg/dL");
    Units nextEvaluation = Units.of(UnitConverter.ucum(), warnings);
    nextEvaluation.valueAbove(observation, "126", "mg/dL");

    assertThat(warnings).hasSize(2);
  }

  @Test
  void anUnusableValueIsNeitherAboveNorBelowSoNotMustNotStandForTheOpposite() {
    Observation temperature = observation("obs-3", GLUCOSE_CODE).value("100.4", "[degF]").build();

    assertThat(units.valueAtLeast(temperature, "38.0", "Cel")).isFalse();
    assertThat(units.valueBelow(temperature, "38.0", "Cel")).isFalse();
    assertThat(warnings).extracting(DataWarning::message).containsExactly(
        "unit '[degF]' cannot be converted to 'Cel'; the value was not used");
  }

  @Test
  void theSameSpecialUnitCompares() {
    assertThat(compare(observation("obs-3", GLUCOSE_CODE).value("38.0", "Cel").build(), "38.0",
        "Cel"))
        .containsExactly(false, true, false, true);
  }

  @Test
  void anObservationWithoutAQuantityIsFalseWithoutAWarning() {
    Observation noValue = observation("obs-4", GLUCOSE_CODE).build();
    Observation coded = observation("obs-5", GLUCOSE_CODE).value(Code.of(SNOMED_CT, "10828004"))
        .build();

    assertThat(compare(noValue, "126", "mg/dL")).containsExactly(false, false, false, false);
    assertThat(compare(coded, "7", "mmol/L", Analyte.GLUCOSE))
        .containsExactly(false, false, false, false);
    assertThat(warnings).isEmpty();
  }

  @Test
  void anInvalidThresholdIsTheRuleAuthorsMistake() {
    Observation observation = glucose("130", "mg/dL");
    Observation noValue = observation("obs-4", GLUCOSE_CODE).build();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> units.valueAbove(observation, "12,6", "mg/dL"))
        .withMessage("threshold '12,6' is not a decimal number");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> units.valueAtLeast(observation, "126", "mg/dl/"))
        .withMessage("threshold unit 'mg/dl/' is not a valid UCUM unit");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> units.valueBelow(noValue, "126", "mgdL", Analyte.GLUCOSE))
        .withMessage("threshold unit 'mgdL' is not a valid UCUM unit");
    assertThat(warnings).isEmpty();
  }

  @Test
  void nullArgumentsAreRefused() {
    Observation observation = glucose("130", "mg/dL");

    assertThatNullPointerException().isThrownBy(() -> Units.of(null, warnings))
        .withMessage("converter");
    assertThatNullPointerException().isThrownBy(() -> Units.of(UnitConverter.ucum(), null))
        .withMessage("warnings");
    assertThatNullPointerException().isThrownBy(() -> units.valueAbove(null, "1", "mg/dL"))
        .withMessage("observation");
    assertThatNullPointerException().isThrownBy(() -> units.valueAbove(observation, null, "mg/dL"))
        .withMessage("value");
    assertThatNullPointerException().isThrownBy(() -> units.valueAbove(observation, "1", null))
        .withMessage("unit");
    assertThatNullPointerException()
        .isThrownBy(() -> units.valueAbove(observation, "1", "mg/dL", null))
        .withMessage("analyte");
  }
}
