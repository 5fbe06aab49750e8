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
   * @param value the amount, exactly as recorded
   * @param unit the UCUM unit code, e.g. {@code mg/dL} or {@code mm[Hg]}
   * @throws NullPointerException if value or unit is null
   */
  public Quantity {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(unit, "unit");
  }

  /**
   * Creates a quantity from a decimal string, such as {@code Quantity.of("7.5", "%")}.
   *
   * @param value the amount as a decimal number, e.g. {@code 7.5}; its scale is kept
   * @param unit the UCUM unit code, e.g. {@code %}
   * @return the quantity
   */
  public static Quantity of(String value, String unit) {
    return new Quantity(new BigDecimal(value), unit);
  }
}
