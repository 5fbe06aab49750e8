package io.github.cdsengine.rules.measures.cms156;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Quantity;
import org.junit.jupiter.api.Test;

/** CMS156's strengths per unit, read by the RxNorm code of the order's medication. */
class MedicationStrengthTest {

  @Test
  void aCapsuleHasItsStrengthInMilligrams() {
    assertThat(MedicationStrength.perUnit(CodeableConcept.of(
        Code.of(MedicationStrength.RXNORM, "1000048")))).isEqualTo(Quantity.of("10", "mg"));
  }

  @Test
  void aSolutionHasItsStrengthInMilligramsPerMillilitre() {
    assertThat(MedicationStrength.perUnit(CodeableConcept.of(
        Code.of(MedicationStrength.RXNORM, "393245")))).isEqualTo(Quantity.of("0.05", "mg/mL"));
  }

  @Test
  void theSameCodeInAnotherSystemOrNoMedicationHasNoStrength() {
    assertThat(MedicationStrength.perUnit(CodeableConcept.of(
        Code.of("http://snomed.info/sct", "1000048")))).isNull();
    assertThat(MedicationStrength.perUnit(null)).isNull();
  }
}
