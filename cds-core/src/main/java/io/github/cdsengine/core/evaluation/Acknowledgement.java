package io.github.cdsengine.core.evaluation;

import java.time.Instant;
import java.util.Objects;

/**
 * A clinician's response to a recommendation shown for one patient (accepted, or overridden with
 * any reason): what the repeat window of an {@link InterruptiveBudget} is measured from. Give a
 * patient's acknowledgements to an evaluation with {@link
 * EvaluationContext#withAcknowledgements(java.util.Collection)}.
 *
 * @param recommendationId the id of the recommendation acknowledged, as in {@link
 *     Recommendation#id()}
 * @param at when the clinician responded
 */
public record Acknowledgement(String recommendationId, Instant at) {

  /**
   * Checks the fields.
   *
   * @param recommendationId the id of the recommendation acknowledged; never null or blank
   * @param at when the clinician responded; never null
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException quoting the id if it is blank
   */
  public Acknowledgement {
    Objects.requireNonNull(recommendationId, "recommendationId");
    Objects.requireNonNull(at, "at");
    if (recommendationId.isBlank()) {
      throw new IllegalArgumentException("an acknowledgement names a recommendation id, not '"
          + recommendationId + "'");
    }
  }
}
