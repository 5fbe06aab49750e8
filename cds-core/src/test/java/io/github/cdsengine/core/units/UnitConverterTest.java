package io.github.cdsengine.core.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitConverterTest {

  private static final UnitConverter UCUM = UnitConverter.ucum();

  /** UCUM: 1 m[Hg] = 133.3220 kPa, so 1 mm[Hg] = 0.1333220 kPa. */
  private static final BigDecimal KPA_PER_MM_HG = new BigDecimal("0.133322");
  /** UCUM: [lb_av] = 7000 [gr], [gr] = 64.79891 mg. */
  private static final BigDecimal KG_PER_POUND = new BigDecimal("0.45359237");

  private static Optional<BigDecimal> convert(String value, String from, String to) {
    return UCUM.convert(Quantity.of(value, from), to);
  }

  private static Optional<BigDecimal> convert(String value, String from, String to,
      Analyte analyte) {
    return UCUM.convert(Quantity.of(value, from), to, analyte);
  }

  @Test
  void ucumIsLoadedOnceAndShared() {
    assertThat(UnitConverter.ucum()).isSameAs(UCUM);
  }

  @ParameterizedTest(name = "{0} {1} = {3} {2}")
  @CsvSource(delimiter = ';', value = {
      "100; mg/dL; g/L; 1",
      "1; g/L; mg/dL; 100",
      "98.6; mg/dL; g/L; 0.986",
      "1.26; g/L; mg/dL; 126",
      "5.5; mmol/L; umol/L; 5500",
      "88.4; umol/L; mmol/L; 0.0884",
      "120; mm[Hg]; kPa; 15.99864",
      "50; %; 1; 0.5",
      "0.5; 1; %; 50",
      "6.5; %; %{HbA1c}; 6.5",
      "1; [lb_av]; kg; 0.45359237",
      "154; [lb_av]; kg; 69.85322498",
      "1; mg/dl; mg/dL; 1",
      "60; min; h; 1",
      "1000; [IU]/L; [IU]/mL; 1",
      "2; [IU]/L; [iU]/L; 2",
      "126; mg/dL{glucose}; mg/dL; 126",
      "5; umol/mmol; mmol/mol; 5",
      "4.5; 10*9/L; 10*3/uL; 4.5"})
  void convertsThroughUcumExactly(String value, String from, String to, String expected) {
    assertThat(convert(value, from, to)).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo(expected));
  }

  @Test
  void inexactConversionsAreRightTo20SignificantDigits() {
    BigDecimal pounds = new BigDecimal(70).divide(KG_PER_POUND, MathContext.DECIMAL128);
    assertThat(convert("70", "kg", "[lb_av]")).hasValueSatisfying(converted ->
        assertThat(converted).isCloseTo(pounds, within(new BigDecimal("1e-17"))));

    BigDecimal mmHg = new BigDecimal(16).divide(KPA_PER_MM_HG, MathContext.DECIMAL128);
    assertThat(convert("16", "kPa", "mm[Hg]")).hasValueSatisfying(converted ->
        assertThat(converted).isCloseTo(mmHg, within(new BigDecimal("1e-17"))));
  }

  @Test
  void millimetresOfMercuryAndKilopascalsRoundTrip() {
    BigDecimal kPa = convert("120", "mm[Hg]", "kPa").orElseThrow();
    assertThat(kPa).isEqualByComparingTo(new BigDecimal(120).multiply(KPA_PER_MM_HG));
    assertThat(UCUM.convert(new Quantity(kPa, "kPa"), "mm[Hg]"))
        .hasValueSatisfying(back -> assertThat(back).isEqualByComparingTo("120"));
  }

  @Test
  void theSameUnitReturnsTheValueItself() {
    Quantity glucose = Quantity.of("5.50", "mmol/L");
    assertThat(UCUM.convert(glucose, "mmol/L")).containsSame(glucose.value());
    assertThat(UCUM.convert(glucose, "mmol/L", Analyte.GLUCOSE)).containsSame(glucose.value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mg/dl/", "foo", "", "mEq/L", "mg/dL)", "mg)", "(mg", "mg dL", "mg ",
      "10**3"})
  void anInvalidUnitIsNotValidAndConvertsToNothing(String unit) {
    assertThat(UCUM.isValid(unit)).isFalse();
    assertThat(convert("1", unit, "mg/dL")).isEmpty();
    assertThat(convert("1", "mg/dL", unit)).isEmpty();
    assertThat(convert("1", unit, unit)).isEmpty();
    assertThat(convert("1", unit, "mmol/L", Analyte.GLUCOSE)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mg/dL", "mmol/L", "mm[Hg]", "%", "1", "[lb_av]", "10*9/L",
      "mL/min/{1.73_m2}", "meq/L", "Cel", "[degF]", "{score}", "mg/dl", "kg/(m.s2)",
      "mg/dL{(fasting}"})
  void validUnits(String unit) {
    assertThat(UCUM.isValid(unit)).isTrue();
  }

  @Test
  void aUnitLongerThanTheLimitIsInvalid() {
    String longest = "{" + "a".repeat(UnitConverter.MAX_UNIT_LENGTH - 2) + "}";
    assertThat(UCUM.isValid(longest)).isTrue();
    assertThat(UCUM.isValid(longest + "1")).isFalse();
    assertThat(UCUM.isValid("(".repeat(5000) + "g" + ")".repeat(5000))).isFalse();
  }

  @ParameterizedTest(name = "{0} to {1}")
  @CsvSource(delimiter = ';', value = {
      "mg/dL; mmol/L",
      "mmol/L; mg/dL",
      "mg; mL",
      "kg; [lb_av]/d",
      "mm[Hg]; mg/dL"})
  void differentDimensionsDoNotConvert(String from, String to) {
    assertThat(convert("1", from, to)).isEmpty();
  }

  @Test
  void glucoseMassAndSubstanceConcentrationsConvertWithItsMolarMass() {
    BigDecimal molarMass = Analyte.GLUCOSE.molarMass();
    // 126 mg/dL = 1260 mg/L = 1260 / M mmol/L
    BigDecimal expected = new BigDecimal(1260).divide(molarMass, MathContext.DECIMAL128);
    assertThat(convert("126", "mg/dL", "mmol/L", Analyte.GLUCOSE)).hasValueSatisfying(
        converted -> assertThat(converted).isCloseTo(expected, within(new BigDecimal("1e-18"))));
    // 7.0 mmol/L = 7.0 x M mg/L = 0.7 x M mg/dL, exactly 126.1092
    assertThat(convert("7.0", "mmol/L", "mg/dL", Analyte.GLUCOSE)).hasValueSatisfying(
        converted -> assertThat(converted)
            .isEqualByComparingTo(new BigDecimal("0.70").multiply(molarMass))
            .isEqualByComparingTo("126.1092"));
    assertThat(convert("1", "mmol/L", "g/L", Analyte.GLUCOSE)).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("0.180156"));
  }

  @Test
  void creatinineMassAndSubstanceConcentrationsConvertWithItsMolarMass() {
    // 1 mg/dL = 10 mg/L = 10 / M mmol/L = 10000 / M umol/L (about 88.4)
    BigDecimal expected = new BigDecimal(10000)
        .divide(Analyte.CREATININE.molarMass(), MathContext.DECIMAL128);
    assertThat(convert("1", "mg/dL", "umol/L", Analyte.CREATININE)).hasValueSatisfying(
        converted -> assertThat(converted).isCloseTo(expected, within(new BigDecimal("1e-16"))));
    // 1000 umol/L = 1 mmol/L = M mg/L = M / 10 mg/dL
    assertThat(convert("1000", "umol/L", "mg/dL", Analyte.CREATININE))
        .hasValueSatisfying(converted -> assertThat(converted).isEqualByComparingTo("11.312"));
  }

  @Test
  void anAnalyteConvertsOnlyBetweenMassAndAmountOfTheSameKind() {
    assertThat(convert("1", "mg/dL", "mm[Hg]", Analyte.GLUCOSE)).isEmpty();
    assertThat(convert("1", "mg/dL", "mmol", Analyte.GLUCOSE)).isEmpty();
    assertThat(convert("1", "mg/dL", "mmol/mol", Analyte.GLUCOSE)).isEmpty();
    assertThat(convert("1", "mg/d", "mmol/L", Analyte.GLUCOSE)).isEmpty();
    assertThat(convert("180.156", "mg/d", "mmol/d", Analyte.GLUCOSE)).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("1"));
    // directly convertible units convert the same with or without an analyte
    assertThat(convert("100", "mg/dL", "g/L", Analyte.CREATININE)).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("1"));
  }

  @Test
  void specialUnitsConvertOnlyToThemselves() {
    assertThat(convert("38.2", "Cel", "Cel")).contains(new BigDecimal("38.2"));
    assertThat(convert("38.2", "Cel", "K")).isEmpty();
    assertThat(convert("100.4", "[degF]", "Cel")).isEmpty();
    // the library would treat these logarithmic scales as plain factors: 10 dB = 1
    assertThat(convert("10", "dB", "1")).isEmpty();
    assertThat(convert("7.4", "[pH]", "mol/L")).isEmpty();
  }

  @Test
  void amountOfSubstanceIsADimensionOfItsOwn() {
    // UCUM defines the mole as the number 6.0221367e23: the library would convert these
    assertThat(convert("5", "mmol/L", "10*9/L")).isEmpty();
    assertThat(convert("1", "mol", "1")).isEmpty();
    // HbA1c: 53 mmol/mol (IFCC) is about 7.0 % (NGSP), not the 5.3 % UCUM would give
    assertThat(convert("53", "mmol/mol", "%")).isEmpty();
    assertThat(convert("7.0", "%", "mmol/mol")).isEmpty();
  }

  @Test
  void equivalentsAndOsmolesAreNotMoles() {
    // UCUM defines eq and osm as one mole each: the library would convert 5.2 meq/L to 5.2 mmol/L
    assertThat(convert("5.2", "meq/L", "mmol/L")).isEmpty();
    assertThat(convert("2.6", "mmol/L", "meq/L")).isEmpty();
    assertThat(convert("290", "mosm/kg", "mmol/kg")).isEmpty();
    assertThat(convert("5.2", "meq/L", "mg/dL", Analyte.GLUCOSE)).isEmpty();
    assertThat(convert("140", "meq/L", "eq/L")).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("0.14"));
    assertThat(convert("290", "mosm/kg", "osm/kg")).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("0.29"));
  }

  @Test
  void arbitraryUnitsConvertOnlyToTheSameArbitraryUnit() {
    assertThat(convert("5", "[IU]/L", "10*3/L")).isEmpty();
    assertThat(convert("5", "[CFU]/mL", "/mL")).isEmpty();
    assertThat(convert("5", "[IU]/L", "[CFU]/L")).isEmpty();
    assertThat(convert("5", "[CFU]/mL", "[CFU]/L")).hasValueSatisfying(
        converted -> assertThat(converted).isEqualByComparingTo("5000"));
  }

  @Test
  void aUnitWithHugeFactorsIsValidButNotConvertedAndCostsLittle() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertThat(UCUM.isValid("10*999")).isTrue();
      assertThat(convert("1", "10*999", "1")).isEmpty();
      assertThat(convert("1", "Ym99", "m99")).isEmpty();
      assertThat(convert("1", "eq99", "eq99.1")).isEmpty(); // an equivalent costs as a mole
      assertThat(convert("1", "[IU]99", "[IU]99.1")).isEmpty();
    });
    assertThat(convert("1", "10*999", "10*999")).contains(BigDecimal.ONE);
  }

  @Test
  void nullArgumentsAreRefused() {
    Quantity quantity = Quantity.of("1", "mg/dL");
    assertThatNullPointerException().isThrownBy(() -> UCUM.isValid(null)).withMessage("unit");
    assertThatNullPointerException().isThrownBy(() -> UCUM.convert(null, "g/L"))
        .withMessage("quantity");
    assertThatNullPointerException().isThrownBy(() -> UCUM.convert(quantity, null))
        .withMessage("targetUnit");
    assertThatNullPointerException().isThrownBy(() -> UCUM.convert(quantity, "g/L", null))
        .withMessage("analyte");
  }
}
