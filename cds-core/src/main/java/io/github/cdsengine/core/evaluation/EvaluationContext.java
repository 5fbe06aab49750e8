package io.github.cdsengine.core.evaluation;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When an evaluation happens, in clinical time: the instant, the time zone that fixes the
 * calendar day, and optionally a measurement period. The engine never reads the system clock;
 * ages and lookbacks are computed from this.
 *
 * @param instant the evaluation instant
 * @param zone the time zone of the clinic, which fixes today's date and the day of each instant
 * @param measurementPeriod the measurement period for quality-measure rules, or {@code null};
 *     it takes this context's zone
 */
public record EvaluationContext(Instant instant, ZoneId zone, MeasurementPeriod measurementPeriod) {

  /**
   * Checks instant and zone.
   *
   * @param instant the evaluation instant, which dated rules and derived facts such as age are
   *     measured from; never null
   * @param zone the clinic's time zone, which fixes today's date and the calendar day of each
   *     instant; never null
   * @param measurementPeriod the measurement period for quality-measure rules, or {@code null} when
   *     none is evaluated; it is re-expressed in {@code zone}
   * @throws NullPointerException if instant or zone is null
   */
  public EvaluationContext {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    if (measurementPeriod != null) {
      measurementPeriod = measurementPeriod.inZone(zone);
    }
  }

  /**
   * A context at {@code instant} in {@code zone}, with no measurement period.
   *
   * @param instant the evaluation instant
   * @param zone the clinic's time zone
   * @return the context
   */
  public static EvaluationContext at(Instant instant, ZoneId zone) {
    return new EvaluationContext(instant, zone, null);
  }

  /**
   * A context at the instant and zone of {@code dateTime}.
   *
   * @param dateTime the evaluation instant in the clinic's time zone
   * @return the context
   */
  public static EvaluationContext at(ZonedDateTime dateTime) {
    return new EvaluationContext(dateTime.toInstant(), dateTime.getZone(), null);
  }

  /**
   * A context at the start of {@code date} in {@code zone}.
   *
   * @param date the evaluation date
   * @param zone the clinic's time zone
   * @return the context
   */
  public static EvaluationContext on(LocalDate date, ZoneId zone) {
    return at(date.atStartOfDay(zone));
  }

  /**
   * This context with a measurement period of calendar days, both ends included.
   *
   * @param start the period's first day
   * @param end the period's last day
   * @return a context with the same instant and zone and this period
   * @throws IllegalArgumentException if start is after end
   */
  public EvaluationContext withMeasurementPeriod(LocalDate start, LocalDate end) {
    return new EvaluationContext(instant, zone, new MeasurementPeriod(start, end));
  }

  /**
   * The calendar date of the instant in the zone.
   *
   * @return the evaluation's date in the clinic
   */
  public LocalDate date() {
    return ClinicalTime.dateOf(instant, zone);
  }
}
