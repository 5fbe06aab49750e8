package io.github.cdsengine.core.model;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

/**
 * One dosage instruction of a medication order (FHIR {@code Dosage}), as recorded: the dose and
 * how often it is taken, from which daily doses and morphine milligram equivalents are computed.
 *
 * @param dose the amount per administration ({@code doseAndRate.doseQuantity}), or {@code null}
 * @param frequency administrations per period ({@code timing.repeat.frequency}), or {@code null}
 * @param period the length of that period ({@code timing.repeat.period}), or {@code null}
 * @param periodUnit its unit, a FHIR UCUM time code: s, min, h, d, wk, mo or a; or {@code null}
 * @param timesOfDay the times of day it is taken ({@code timing.repeat.timeOfDay}); may be empty
 * @param bounds when the instruction applies ({@code timing.repeat.boundsPeriod}), or
 *     {@code null}
 * @param asNeeded whether it is taken as needed ({@code asNeededBoolean}), or {@code null}
 * @param frequencyMax the most administrations per period ({@code timing.repeat.frequencyMax}),
 *     or {@code null}
 * @param doseRangeHigh the highest amount per administration when the dose is given as a range
 *     ({@code doseAndRate.doseRange.high}), or {@code null}
 */
public record Dosage(Quantity dose, Integer frequency, BigDecimal period, String periodUnit,
    List<LocalTime> timesOfDay, Period bounds, Boolean asNeeded, Integer frequencyMax,
    Quantity doseRangeHigh) {

  /** The period units FHIR's Timing allows. */
  public static final Set<String> PERIOD_UNITS = Set.of("s", "min", "h", "d", "wk", "mo", "a");

  /**
   * Copies the times of day and checks the period unit.
   *
   * @param dose the amount per administration ({@code doseAndRate.doseQuantity}), or {@code null}
   * @param frequency administrations per period ({@code timing.repeat.frequency}), or {@code null}
   * @param period the length of that period ({@code timing.repeat.period}), or {@code null}
   * @param periodUnit its unit, a FHIR UCUM time code: s, min, h, d, wk, mo or a; or {@code null}
   * @param timesOfDay the times of day it is taken ({@code timing.repeat.timeOfDay}); may be empty
   * @param bounds when the instruction applies ({@code timing.repeat.boundsPeriod}), or {@code
   *     null}
   * @param asNeeded whether it is taken as needed ({@code asNeededBoolean}), or {@code null}
   * @param frequencyMax the most administrations per period ({@code timing.repeat.frequencyMax}),
   *     or {@code null}
   * @param doseRangeHigh the highest amount per administration when the dose is given as a range
   *     ({@code doseAndRate.doseRange.high}), or {@code null}
   * @throws IllegalArgumentException quoting an unknown period unit
   */
  public Dosage {
    timesOfDay = timesOfDay == null ? List.of() : List.copyOf(timesOfDay);
    if (periodUnit != null && !PERIOD_UNITS.contains(periodUnit)) {
      throw new IllegalArgumentException("unknown timing period unit '" + periodUnit
          + "'; expected one of s, min, h, d, wk, mo, a");
    }
  }

  /**
   * A dosage with no maximum frequency and no dose range recorded.
   *
   * @param dose the amount per administration ({@code doseAndRate.doseQuantity}), or {@code null}
   * @param frequency administrations per period ({@code timing.repeat.frequency}), or {@code null}
   * @param period the length of that period ({@code timing.repeat.period}), or {@code null}
   * @param periodUnit its unit, a FHIR UCUM time code: s, min, h, d, wk, mo or a; or {@code null}
   * @param timesOfDay the times of day it is taken ({@code timing.repeat.timeOfDay}); may be empty
   * @param bounds when the instruction applies ({@code timing.repeat.boundsPeriod}), or {@code
   *     null}
   * @param asNeeded whether it is taken as needed ({@code asNeededBoolean}), or {@code null}
   */
  public Dosage(Quantity dose, Integer frequency, BigDecimal period, String periodUnit,
      List<LocalTime> timesOfDay, Period bounds, Boolean asNeeded) {
    this(dose, frequency, period, periodUnit, timesOfDay, bounds, asNeeded, null, null);
  }
}
