package io.github.cdsengine.core.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalyteTest {

  /** CIAAW abridged standard atomic weights (Atomic weights of the elements 2013). */
  private static final BigDecimal H = new BigDecimal("1.0080");
  private static final BigDecimal C = new BigDecimal("12.011");
  private static final BigDecimal N = new BigDecimal("14.007");
  private static final BigDecimal O = new BigDecimal("15.999");

  private static BigDecimal formula(int carbon, int hydrogen, int nitrogen, int oxygen) {
    return C.multiply(BigDecimal.valueOf(carbon))
        .add(H.multiply(BigDecimal.valueOf(hydrogen)))
        .add(N.multiply(BigDecimal.valueOf(nitrogen)))
        .add(O.multiply(BigDecimal.valueOf(oxygen)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "GLUCOSE, 6, 12, 0, 6, 180.16",
      "CREATININE, 4, 7, 3, 1, 113.12"})
  void molarMassIsTheFormulaWeightAndAgreesWithPubChem(Analyte analyte, int carbon,
      int hydrogen, int nitrogen, int oxygen, BigDecimal pubChem) {
    assertThat(analyte.molarMass())
        .isEqualByComparingTo(formula(carbon, hydrogen, nitrogen, oxygen));
    assertThat(analyte.molarMass().setScale(2, RoundingMode.HALF_UP))
        .isEqualByComparingTo(pubChem);
  }
}
