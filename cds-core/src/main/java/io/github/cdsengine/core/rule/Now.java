package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The evaluation's clinical "now", inserted as a fact into every evaluation; rules compute every
 * lookback through it and never from the system clock.
 *
 * <p>A lookback of N years (months, days) is the window that ends today and starts the day after
 * the same date N years earlier: something done 9 years and 364 days ago is within 10 years,
 * something done exactly 10 years ago is not, since on that anniversary the interval has run out.
 * Something dated after the evaluation instant is never within a lookback. An instant falls on
 * the calendar day of the evaluation's time zone; a date-only time is taken as recorded.
 *
 * <p>A time recorded only as a year or a month is within a lookback only if every day it could
 * have been, up to today, is: a colonoscopy recorded as "2015" does not count as within 10 years
 * in June 2025, since it may have been in January 2015, while a test recorded as "2025" counts as
 * within a year on 2025-06-15 (a recorded test has happened, so its days after today are not in
 * question). It has happened once its first day has come. So uncertainty about the past makes a
 * screening due rather than hiding that it is.
 *
 * @param instant the evaluation instant
 * @param zone the evaluation's time zone, which fixes the calendar day of instants
 * @param today the calendar date of the instant in the zone
 */
public record Now(Instant instant, ZoneId zone, LocalDate today) {

  /**
   * Checks that today is the instant's date in the zone.
   *
   * @param instant the evaluation instant
   * @param zone the evaluation's time zone, which fixes the calendar day of instants
   * @param today the calendar date of the instant in the zone
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if today does not match instant and zone
   */
  public Now {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(today, "today");
    if (!today.equals(ClinicalTime.dateOf(instant, zone))) {
      throw new IllegalArgumentException(
          "today " + today + " is not the date of " + instant + " in " + zone);
    }
  }

  /**
   * The clinical now for an instant seen from a time zone.
   *
   * @param instant the evaluation instant; never null
   * @param zone the clinic's time zone; never null
   * @return the now, with today the instant's date in {@code zone}
   */
  public static Now of(Instant instant, ZoneId zone) {
    return new Now(instant, zone, ClinicalTime.dateOf(instant, zone));
  }

  /**
   * Whether {@code time} is within the last {@code years} years (see the class comment).
   *
   * @param time the time to test, or {@code null}
   * @param years the lookback in years, at least 1, e.g. 10 for a colonoscopy
   * @return true when {@code time} has happened and its first possible day is after the same
   *     date {@code years} years before today; false for {@code null}
   * @throws IllegalArgumentException if {@code years} is less than 1
   */
  public boolean withinYears(ClinicalTime time, int years) {
    requirePositive(years, "years");
    return within(time, today.minusYears(years));
  }

  /**
   * Whether the latest time of {@code period} is within the last {@code years} years.
   *
   * @param period the period whose latest known time is tested, or {@code null}
   * @param years the lookback in years
   * @return true when that time is within the lookback; false for {@code null}
   */
  public boolean withinYears(Period period, int years) {
    requirePositive(years, "years");
    return period != null && withinYears(period.latest(), years);
  }

  /**
   * Whether {@code time} is within the last {@code months} months.
   *
   * @param time the time to test, or {@code null}
   * @param months the lookback in months
   * @return true when {@code time} is within the lookback; false for {@code null}
   */
  public boolean withinMonths(ClinicalTime time, int months) {
    requirePositive(months, "months");
    return within(time, today.minusMonths(months));
  }

  /**
   * Whether the latest time of {@code period} is within the last {@code months} months.
   *
   * @param period the period whose latest known time is tested, or {@code null}
   * @param months the lookback in months
   * @return true when that time is within the lookback; false for {@code null}
   */
  public boolean withinMonths(Period period, int months) {
    requirePositive(months, "months");
    return period != null && withinMonths(period.latest(), months);
  }

  /**
   * Whether {@code time} is within the last {@code days} days.
   *
   * @param time the time to test, or {@code null}
   * @param days the lookback in days
   * @return true when {@code time} is within the lookback; false for {@code null}
   */
  public boolean withinDays(ClinicalTime time, int days) {
    requirePositive(days, "days");
    return within(time, today.minusDays(days));
  }

  /**
   * Whether the latest time of {@code period} is within the last {@code days} days.
   *
   * @param period the period whose latest known time is tested, or {@code null}
   * @param days the lookback in days
   * @return true when that time is within the lookback; false for {@code null}
   */
  public boolean withinDays(Period period, int days) {
    requirePositive(days, "days");
    return period != null && withinDays(period.latest(), days);
  }

  /**
   * Whether {@code time} is on or before the evaluation instant.
   *
   * @param time the time to test, or {@code null}
   * @return true when its first possible day (an instant: the instant itself) is not after now;
   *     false for {@code null}
   */
  public boolean hasHappened(ClinicalTime time) {
    if (time == null) {
      return false;
    }
    return time.instant() != null ? !time.instant().isAfter(instant) : !time.date().isAfter(today);
  }

  /**
   * The calendar date of {@code time} in the evaluation's zone, or {@code null} for null.
   *
   * @param time the time, or {@code null}
   * @return the date the time falls on (the first day for a year or a month), or {@code null}
   */
  public LocalDate dateOf(ClinicalTime time) {
    return time == null ? null : time.dateIn(zone);
  }

  /**
   * The calendar date of the latest time of {@code period}, or {@code null} for null.
   *
   * @param period the period, or {@code null}
   * @return the date of its latest known time, or {@code null}
   */
  public LocalDate dateOf(Period period) {
    return period == null ? null : period.latest().dateIn(zone);
  }

  private static void requirePositive(int length, String unit) {
    if (length < 1) {
      throw new IllegalArgumentException("a lookback must be at least 1, got " + length + " " + unit);
    }
  }

  private boolean within(ClinicalTime time, LocalDate anniversary) {
    return hasHappened(time) && time.earliestDate(zone).isAfter(anniversary);
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()},
   * and the evaluation instant dates the patient's visit or order.
   */
  @Override
  public String toString() {
    return "Now[evaluation instant not shown]";
  }
}
