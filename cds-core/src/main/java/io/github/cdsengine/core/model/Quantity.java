package io.github.cdsengine.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A measured amount with its unit.
 *
 * @param value the amount, exactly as recorded
 * @param unit the UCUM unit code, e.g. {@code mg/dL} or {@code mm[Hg]}
 */
public record Quantity(BigDecimal value, String unit) {

  /**
   * Checks that value and unit are present.
   *
   * @throws NullPointerException if value or unit is null
   */
  public Quantity {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(unit, "unit");
  }

  /** Creates a quantity from a decimal string, such as {@code Quantity.of("7.5", "%")}. */
  public static Quantity of(String value, String unit) {
    return new Quantity(new BigDecimal(value), unit);
  }
}
