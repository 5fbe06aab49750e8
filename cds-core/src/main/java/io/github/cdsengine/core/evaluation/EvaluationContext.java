package io.github.cdsengine.core.evaluation;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What an evaluation takes besides the patient's record: the instant and the time zone that fixes
 * the calendar day, optionally a measurement period, and the clinicians' responses to this
 * patient's earlier alerts with the site's interruptive-alert budget. The engine never reads the
 * system clock; ages and lookbacks are computed from this.
 *
 * <p>Clinicians' responses travel here, not in a store the engine reads, so that any host can
 * give them: {@linkplain #withSnoozes snoozes} withhold a recommendation with the reason
 * "snoozed by a clinician until ..." ({@link Snooze}), and {@linkplain #withAcknowledgements
 * acknowledgements} start an {@link InterruptiveBudget}'s repeat window. Both are the patient's
 * own: the host passes those of the patient evaluated. With none and {@link
 * InterruptiveBudget#OFF} (the defaults) they change nothing.
 *
 * @param instant the evaluation instant
 * @param zone the time zone of the clinic, which fixes today's date and the day of each instant
 * @param measurementPeriod the measurement period for quality-measure rules, or {@code null};
 *     it takes this context's zone
 * @param snoozes the patient's snoozes; those not active at the instant have no effect
 * @param acknowledgements the patient's acknowledgements, for the budget's repeat window
 * @param interruptiveBudget how many interruptive recommendations the evaluation may show
 */
public record EvaluationContext(Instant instant, ZoneId zone, MeasurementPeriod measurementPeriod,
    List<Snooze> snoozes, List<Acknowledgement> acknowledgements,
    InterruptiveBudget interruptiveBudget) {

  /**
   * Checks instant and zone.
   *
   * @param instant the evaluation instant, which dated rules and derived facts such as age are
   *     measured from; never null
   * @param zone the clinic's time zone, which fixes today's date and the calendar day of each
   *     instant; never null
   * @param measurementPeriod the measurement period for quality-measure rules, or {@code null} when
   *     none is evaluated; it is re-expressed in {@code zone}
   * @param snoozes the patient's snoozes; copied, never null
   * @param acknowledgements the patient's acknowledgements; copied, never null
   * @param interruptiveBudget the budget of interruptive recommendations; never null, {@link
   *     InterruptiveBudget#OFF} for none
   * @throws NullPointerException if instant, zone, a list, an element of one, or the budget is
   *     null
   */
  public EvaluationContext {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    if (measurementPeriod != null) {
      measurementPeriod = measurementPeriod.inZone(zone);
    }
    snoozes = List.copyOf(snoozes);
    acknowledgements = List.copyOf(acknowledgements);
    Objects.requireNonNull(interruptiveBudget, "interruptiveBudget");
  }

  /**
   * A context with no snoozes, no acknowledgements and no interruptive budget.
   *
   * @param instant the evaluation instant; never null
   * @param zone the clinic's time zone; never null
   * @param measurementPeriod the measurement period for quality-measure rules, or {@code null}
   * @throws NullPointerException if instant or zone is null
   */
  public EvaluationContext(Instant instant, ZoneId zone, MeasurementPeriod measurementPeriod) {
    this(instant, zone, measurementPeriod, List.of(), List.of(), InterruptiveBudget.OFF);
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
    return new EvaluationContext(instant, zone, new MeasurementPeriod(start, end), snoozes,
        acknowledgements, interruptiveBudget);
  }

  /**
   * This context with the patient's snoozes: each recommendation snoozed at the instant is
   * withheld with the reason "snoozed by a clinician until ..." (see {@link Snooze}, which also
   * says when a snooze of a critical recommendation is ignored).
   *
   * @param snoozes the patient's snoozes, active or not; replaces those this context holds
   * @return a context like this one with these snoozes
   * @throws NullPointerException if the collection or an element is null
   */
  public EvaluationContext withSnoozes(Collection<Snooze> snoozes) {
    return new EvaluationContext(instant, zone, measurementPeriod, List.copyOf(snoozes),
        acknowledgements, interruptiveBudget);
  }

  /**
   * This context with the patient's acknowledgements, from which the {@linkplain
   * #interruptiveBudget() budget's} repeat window is measured.
   *
   * @param acknowledgements the patient's acknowledgements; replaces those this context holds
   * @return a context like this one with these acknowledgements
   * @throws NullPointerException if the collection or an element is null
   */
  public EvaluationContext withAcknowledgements(Collection<Acknowledgement> acknowledgements) {
    return new EvaluationContext(instant, zone, measurementPeriod, snoozes,
        List.copyOf(acknowledgements), interruptiveBudget);
  }

  /**
   * This context with an interruptive-alert budget (see {@link InterruptiveBudget}).
   *
   * @param budget the budget; {@link InterruptiveBudget#OFF} for none
   * @return a context like this one with this budget
   * @throws NullPointerException if budget is null
   */
  public EvaluationContext withInterruptiveBudget(InterruptiveBudget budget) {
    return new EvaluationContext(instant, zone, measurementPeriod, snoozes, acknowledgements,
        budget);
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
