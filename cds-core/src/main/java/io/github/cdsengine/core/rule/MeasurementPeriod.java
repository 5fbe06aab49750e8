package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Period;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A period of calendar days, both ends included, such as a quality measure's measurement period
 * from 2024-01-01 to 2024-12-31, with the time zone that fixes the calendar day of instants.
 * Inserted as a fact when the evaluation context has one; the context supplies the zone.
 *
 * <p>The tests are the day-precision interval tests quality measures use ("during day of",
 * "ends during day of", "overlaps day of", "ends on or before day of end of"), written once.
 * A time recorded only as a year or a month satisfies a test only if every day it could be does.
 * An ongoing period (no end) has not ended, so it is never during or ending within a period; a
 * period with no recorded start is never during or starting within one.
 *
 * @param start the first day
 * @param end the last day
 * @param zone the time zone of the evaluation, or {@code null} until a context sets it
 */
public record MeasurementPeriod(LocalDate start, LocalDate end, ZoneId zone) {

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

  /** A period of days whose zone the evaluation context will set. */
  public MeasurementPeriod(LocalDate start, LocalDate end) {
    this(start, end, null);
  }

  /** This period with {@code zone} as the zone that fixes the day of instants. */
  public MeasurementPeriod inZone(ZoneId zone) {
    return new MeasurementPeriod(start, end, Objects.requireNonNull(zone, "zone"));
  }

  /** Whether {@code date} is within the period, both ends included. */
  public boolean includes(LocalDate date) {
    return date != null && !date.isBefore(start) && !date.isAfter(end);
  }

  /** Whether every day {@code time} could be is within the period ("during day of"). */
  public boolean includesTime(ClinicalTime time) {
    return time != null && includes(time.earliestDate(zone())) && includes(time.latestDate(zone()));
  }

  /** Whether {@code period} starts and ends within this period ("during day of"). */
  public boolean contains(Period period) {
    return period != null && period.end() != null && includesTime(period.start())
        && includesTime(period.end());
  }

  /** Whether {@code period} has ended within this period ("ends during day of"). */
  public boolean endsWithin(Period period) {
    return period != null && period.end() != null && includesTime(period.end());
  }

  /** Whether {@code period} starts within this period ("starts during day of"). */
  public boolean startsWithin(Period period) {
    return period != null && includesTime(period.start());
  }

  /**
   * Whether {@code period} certainly has a day in common with this one ("overlaps day of"):
   * every day its start could be is by this period's last day, and every day its end could be is
   * on or after this period's first. An ongoing period overlaps from its start on.
   */
  public boolean overlaps(Period period) {
    if (period == null) {
      return false;
    }
    if (period.start() == null) {
      // With the start unknown, only an end within this period makes the overlap certain.
      return includesTime(period.end());
    }
    if (period.start().latestDate(zone()).isAfter(end)) {
      return false;
    }
    return period.end() == null || !period.end().earliestDate(zone()).isBefore(start);
  }

  /** Whether {@code period} has ended by this period's last day ("ends on or before day of end"). */
  public boolean endsByEnd(Period period) {
    return period != null && period.end() != null
        && !period.end().latestDate(zone()).isAfter(end);
  }

  /** Whether {@code time} is on or before this period's last day (every day it could be). */
  public boolean byEnd(ClinicalTime time) {
    return time != null && !time.latestDate(zone()).isAfter(end);
  }

  /**
   * This period extended back by {@code years} years from its start, such as CMS130's
   * "Interval[start of Measurement Period - 9 years, end of Measurement Period]".
   *
   * @throws IllegalArgumentException if {@code years} is negative
   */
  public MeasurementPeriod extendedBack(int years) {
    if (years < 0) {
      throw new IllegalArgumentException("cannot extend a period back by " + years + " years");
    }
    return new MeasurementPeriod(start.minusYears(years), end, zone);
  }

  @Override
  public ZoneId zone() {
    if (zone == null) {
      throw new IllegalStateException("measurement period " + start + " to " + end
          + " has no time zone; an EvaluationContext gives it the evaluation's zone");
    }
    return zone;
  }
}
