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
   * Starts a dosage instruction with nothing recorded.
   *
   * @return a builder in which every component is {@code null} (times of day: empty)
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the components of a dosage instruction; each component not set stays {@code null}
   * (times of day: empty). Not thread-safe.
   */
  public static final class Builder {
    private Quantity dose;
    private Integer frequency;
    private BigDecimal period;
    private String periodUnit;
    private List<LocalTime> timesOfDay = List.of();
    private Period bounds;
    private Boolean asNeeded;
    private Integer frequencyMax;
    private Quantity doseRangeHigh;

    private Builder() {}

    /**
     * Sets the amount per administration ({@code doseAndRate.doseQuantity}).
     *
     * @param dose the amount, or {@code null}
     * @return this builder
     */
    public Builder dose(Quantity dose) {
      this.dose = dose;
      return this;
    }

    /**
     * Sets the number of administrations per period ({@code timing.repeat.frequency}).
     *
     * @param frequency the number, or {@code null}
     * @return this builder
     */
    public Builder frequency(Integer frequency) {
      this.frequency = frequency;
      return this;
    }

    /**
     * Sets the period the frequency counts over ({@code timing.repeat.period} and {@code
     * periodUnit}), such as 1 {@code d} or 4 {@code h}.
     *
     * @param period its length, or {@code null}
     * @param periodUnit its unit, a FHIR UCUM time code: s, min, h, d, wk, mo or a; or {@code
     *     null}
     * @return this builder
     */
    public Builder period(BigDecimal period, String periodUnit) {
      this.period = period;
      this.periodUnit = periodUnit;
      return this;
    }

    /**
     * Sets the times of day it is taken ({@code timing.repeat.timeOfDay}).
     *
     * @param timesOfDay the times; {@code null} or empty when none are recorded
     * @return this builder
     */
    public Builder timesOfDay(List<LocalTime> timesOfDay) {
      this.timesOfDay = timesOfDay;
      return this;
    }

    /**
     * Sets when the instruction applies ({@code timing.repeat.boundsPeriod}).
     *
     * @param bounds the period, or {@code null}
     * @return this builder
     */
    public Builder bounds(Period bounds) {
      this.bounds = bounds;
      return this;
    }

    /**
     * Sets whether it is taken as needed ({@code asNeededBoolean}).
     *
     * @param asNeeded true or false, or {@code null} when not recorded
     * @return this builder
     */
    public Builder asNeeded(Boolean asNeeded) {
      this.asNeeded = asNeeded;
      return this;
    }

    /**
     * Sets the most administrations per period ({@code timing.repeat.frequencyMax}).
     *
     * @param frequencyMax the number, or {@code null}
     * @return this builder
     */
    public Builder frequencyMax(Integer frequencyMax) {
      this.frequencyMax = frequencyMax;
      return this;
    }

    /**
     * Sets the highest amount per administration when the dose is given as a range ({@code
     * doseAndRate.doseRange.high}).
     *
     * @param doseRangeHigh the amount, or {@code null}
     * @return this builder
     */
    public Builder doseRangeHigh(Quantity doseRangeHigh) {
      this.doseRangeHigh = doseRangeHigh;
      return this;
    }

    /**
     * The dosage, checked as the canonical constructor checks it.
     *
     * @return a new dosage with what this builder holds
     * @throws IllegalArgumentException quoting an unknown period unit
     */
    public Dosage build() {
      return new Dosage(dose, frequency, period, periodUnit, timesOfDay, bounds, asNeeded,
          frequencyMax, doseRangeHigh);
    }
  }
}
