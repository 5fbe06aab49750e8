package io.github.cdsengine.core.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clinician's snooze of one recommendation for one patient: from {@code from} until {@code
 * until}, evaluations of that patient withhold the recommendation with the reason "snoozed by a
 * clinician until ..." ({@link WithheldRecommendation.Disposition#SNOOZED}) instead of showing
 * it. Give a patient's snoozes to an evaluation with {@link
 * EvaluationContext#withSnoozes(java.util.Collection)}.
 *
 * <p>A snooze is active at an instant {@code t} when {@code from <= t < until}: at {@code until}
 * exactly the recommendation is shown again. A snooze of a recommendation that is {@link
 * Severity#CRITICAL} at the evaluation is not applied, unless every rule pack proposing it
 * allows it ({@code "allowCriticalSnooze": true} in its {@code pack.json}); the result then
 * shows the recommendation and says in a data warning that the snooze was ignored.
 *
 * @param recommendationId the id of the recommendation snoozed, as in {@link
 *     Recommendation#id()}
 * @param from the first instant of the snooze: when the clinician snoozed it
 * @param until the first instant after the snooze: the recommendation is shown again from here
 */
public record Snooze(String recommendationId, Instant from, Instant until) {

  /**
   * Checks the fields.
   *
   * @param recommendationId the id of the recommendation snoozed; never null or blank
   * @param from the first instant of the snooze; never null
   * @param until the first instant after the snooze; never null, after {@code from}
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException quoting the values if the id is blank or {@code until} is
   *     not after {@code from}
   */
  public Snooze {
    Objects.requireNonNull(recommendationId, "recommendationId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (recommendationId.isBlank()) {
      throw new IllegalArgumentException("a snooze names a recommendation id, not '"
          + recommendationId + "'");
    }
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("a snooze of " + recommendationId + " ends after it "
          + "begins: from " + from + " until " + until);
    }
  }

  /**
   * A snooze of {@code recommendationId} for {@code period} from {@code from}.
   *
   * @param recommendationId the id of the recommendation snoozed; never null or blank
   * @param from when the clinician snoozed it; never null
   * @param period how long it is snoozed, e.g. {@code Duration.ofDays(30)}; positive
   * @return the snooze, until {@code from.plus(period)}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException quoting the period if it is zero or negative, or the id if
   *     it is blank
   */
  public static Snooze of(String recommendationId, Instant from, Duration period) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a snooze lasts a positive period, not " + period);
    }
    return new Snooze(recommendationId, from, from.plus(period));
  }

  /**
   * Whether the snooze is active at {@code instant}: {@code from <= instant < until}.
   *
   * @param instant the evaluation instant; never null
   * @return {@code true} from {@code from} (included) to {@code until} (left out)
   * @throws NullPointerException if instant is null
   */
  public boolean activeAt(Instant instant) {
    return !instant.isBefore(from) && instant.isBefore(until);
  }
}
