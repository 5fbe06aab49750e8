package io.github.cdsengine.core.rule;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A period of calendar days, both ends included, such as a quality measure's measurement period
 * from 2024-01-01 to 2024-12-31. Inserted as a fact when the evaluation context has one.
 *
 * @param start the first day
 * @param end the last day
 */
public record MeasurementPeriod(LocalDate start, LocalDate end) {

  /**
   * Checks that start is not after end.
   *
   * @throws NullPointerException if start or end is null
   * @throws IllegalArgumentException if start is after end
   */
  public MeasurementPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isAfter(end)) {
      throw new IllegalArgumentException(
          "measurement period starts after it ends: " + start + " > " + end);
    }
  }

  /** Whether {@code date} is within the period, both ends included. */
  public boolean includes(LocalDate date) {
    return date != null && !date.isBefore(start) && !date.isAfter(end);
  }
}
