package io.github.cdsengine.core.units;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Unit-aware comparisons of an observation's value with a threshold, available to rules as the
 * DRL global {@code units}:
 * {@code Observation(valueSets.includes("fasting-glucose", code), units.valueAtLeast(this, "126",
 * "mg/dL"))}.
 *
 * <p>The value is converted to the threshold's unit through UCUM ({@link UnitConverter}), so a
 * result in g/L meets a threshold in mg/dL. Mass and amount of substance (mg/dL and mmol/L) are
 * compared only when the rule names the analyte, whose molar mass makes the conversion:
 * {@code units.valueAtLeast(this, "7.0", "mmol/L", Analyte.GLUCOSE)}.
 *
 * <p><b>A comparison that cannot be made is false.</b> An observation without a quantity ({@link
 * Observation#quantity()}: a coded, text or yes/no value, or an integer, as CQL's {@code value as
 * Quantity} reads them) is false with no warning. One whose unit is not valid UCUM, or does not convert to the threshold's unit,
 * is false and adds a {@link DataWarning} naming the observation and both units: its value is
 * not used. So a rule must not put {@code not} around a comparison to mean the opposite, or an
 * unusable value would count as a low one: write the opposite comparison instead ({@code
 * valueBelow} for "under", not {@code not valueAtLeast}).
 *
 * <p>One instance serves one evaluation: it is cheap to create, collects that evaluation's
 * warnings (at most one per observation, unit and threshold unit, however many constraints ask)
 * and is not thread-safe.
 */
public final class Units {

  private final UnitConverter converter;
  private final List<DataWarning> warnings;
  private final Set<WarningKey> warned = new HashSet<>();

  private Units(UnitConverter converter, List<DataWarning> warnings) {
    this.converter = converter;
    this.warnings = warnings;
  }

  /**
   * Comparisons for one evaluation, converting through {@code converter} and adding data warnings
   * to {@code warnings}.
   *
   * @param converter the converter that checks and converts units, usually {@link
   *     UnitConverter#ucum()}
   * @param warnings the evaluation's data warnings, a mutable list to which a unit that cannot be
   *     compared adds one (see the class description)
   * @return the comparisons
   * @throws NullPointerException if converter or warnings is null
   */
  public static Units of(UnitConverter converter, List<DataWarning> warnings) {
    return new Units(Objects.requireNonNull(converter, "converter"),
        Objects.requireNonNull(warnings, "warnings"));
  }

  /**
   * Whether the observation's value is greater than {@code value} {@code unit}; false when it
   * cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @return true when the value is greater than the threshold; false when it cannot be compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAbove(Observation observation, String value, String unit) {
    return compare(observation, value, unit, null, Comparison.ABOVE);
  }

  /**
   * Whether the observation's value is greater than {@code value} {@code unit}, converting
   * between mass and amount of substance with the molar mass of {@code analyte}; false when it
   * cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @param analyte the substance measured, whose molar mass converts between mg/dL and mmol/L
   * @return true when the value is greater than the threshold; false when it cannot be compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAbove(Observation observation, String value, String unit, Analyte analyte) {
    return compare(observation, value, unit, requireAnalyte(analyte), Comparison.ABOVE);
  }

  /**
   * Whether the observation's value is greater than or equal to {@code value} {@code unit}; false
   * when it cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @return true when the value is greater than or equal to the threshold; false when it cannot be
   *     compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAtLeast(Observation observation, String value, String unit) {
    return compare(observation, value, unit, null, Comparison.AT_LEAST);
  }

  /**
   * Whether the observation's value is greater than or equal to {@code value} {@code unit},
   * converting between mass and amount of substance with the molar mass of {@code analyte}; false
   * when it cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @param analyte the substance measured, whose molar mass converts between mg/dL and mmol/L
   * @return true when the value is greater than or equal to the threshold; false when it cannot be
   *     compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAtLeast(Observation observation, String value, String unit,
      Analyte analyte) {
    return compare(observation, value, unit, requireAnalyte(analyte), Comparison.AT_LEAST);
  }

  /**
   * Whether the observation's value is less than {@code value} {@code unit}; false when it cannot
   * be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @return true when the value is less than the threshold; false when it cannot be compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueBelow(Observation observation, String value, String unit) {
    return compare(observation, value, unit, null, Comparison.BELOW);
  }

  /**
   * Whether the observation's value is less than {@code value} {@code unit}, converting between
   * mass and amount of substance with the molar mass of {@code analyte}; false when it cannot be
   * compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @param analyte the substance measured, whose molar mass converts between mg/dL and mmol/L
   * @return true when the value is less than the threshold; false when it cannot be compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueBelow(Observation observation, String value, String unit, Analyte analyte) {
    return compare(observation, value, unit, requireAnalyte(analyte), Comparison.BELOW);
  }

  /**
   * Whether the observation's value is less than or equal to {@code value} {@code unit}; false
   * when it cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @return true when the value is less than or equal to the threshold; false when it cannot be
   *     compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAtMost(Observation observation, String value, String unit) {
    return compare(observation, value, unit, null, Comparison.AT_MOST);
  }

  /**
   * Whether the observation's value is less than or equal to {@code value} {@code unit},
   * converting between mass and amount of substance with the molar mass of {@code analyte}; false
   * when it cannot be compared (see the class description).
   *
   * @param observation the observation whose value is compared, usually {@code this} in a
   *     constraint
   * @param value the threshold as a decimal number, e.g. {@code "140"}
   * @param unit the threshold's UCUM unit, e.g. {@code mm[Hg]}
   * @param analyte the substance measured, whose molar mass converts between mg/dL and mmol/L
   * @return true when the value is less than or equal to the threshold; false when it cannot be
   *     compared
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if value is not a decimal number or unit is not valid UCUM
   */
  public boolean valueAtMost(Observation observation, String value, String unit,
      Analyte analyte) {
    return compare(observation, value, unit, requireAnalyte(analyte), Comparison.AT_MOST);
  }

  private boolean compare(Observation observation, String value, String unit, Analyte analyte,
      Comparison comparison) {
    Objects.requireNonNull(observation, "observation");
    BigDecimal threshold = threshold(value);
    Objects.requireNonNull(unit, "unit");
    if (!converter.isValid(unit)) {
      throw new IllegalArgumentException("threshold unit '" + unit + "' is not a valid UCUM unit");
    }
    Quantity quantity = observation.quantity();
    if (quantity == null) {
      return false;
    }
    Optional<BigDecimal> converted = analyte == null
        ? converter.convert(quantity, unit)
        : converter.convert(quantity, unit, analyte);
    if (converted.isEmpty()) {
      warn(observation, quantity.unit(), unit, analyte);
      return false;
    }
    return comparison.holds(converted.get().compareTo(threshold));
  }

  private static BigDecimal threshold(String value) {
    Objects.requireNonNull(value, "value");
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("threshold '" + value + "' is not a decimal number", e);
    }
  }

  private static Analyte requireAnalyte(Analyte analyte) {
    return Objects.requireNonNull(analyte, "analyte");
  }

  private void warn(Observation observation, String unit, String targetUnit, Analyte analyte) {
    if (!warned.add(new WarningKey(observation.id(), unit, targetUnit))) {
      return;
    }
    String problem = converter.isValid(unit)
        ? "unit '" + unit + "' cannot be converted to '" + targetUnit + "'"
            + (analyte == null ? "" : " for " + analyte.name().toLowerCase(Locale.ROOT))
        : "unit '" + unit + "' is not a valid UCUM unit, so it cannot be compared with '"
            + targetUnit + "'";
    warnings.add(new DataWarning("Observation", observation.id(),
        problem + "; the value was not used"));
  }

  private record WarningKey(String observationId, String unit, String targetUnit) {}

  private enum Comparison {
    ABOVE, AT_LEAST, BELOW, AT_MOST;

    boolean holds(int order) {
      return switch (this) {
        case ABOVE -> order > 0;
        case AT_LEAST -> order >= 0;
        case BELOW -> order < 0;
        case AT_MOST -> order <= 0;
      };
    }
  }
}
