package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantityTest {

  @Test
  void ofParsesTheDecimalExactly() {
    Quantity a1c = Quantity.of("7.5", "%");

    assertThat(a1c.value()).isEqualByComparingTo(new BigDecimal("7.5"));
    assertThat(a1c.unit()).isEqualTo("%");
  }

  @Test
  void ofKeepsTheRecordedPrecision() {
    assertThat(Quantity.of("7.50", "%").value().toPlainString()).isEqualTo("7.50");
    assertThat(Quantity.of("0.1", "mg/dL").value()).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void ofRejectsANonNumber() {
    assertThatThrownBy(() -> Quantity.of("seven", "%")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void valueAndUnitAreRequired() {
    assertThatNullPointerException().isThrownBy(() -> new Quantity(null, "%")).withMessage("value");
    assertThatNullPointerException().isThrownBy(() -> Quantity.of("1", null)).withMessage("unit");
  }
}
