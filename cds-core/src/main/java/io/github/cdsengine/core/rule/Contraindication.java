package io.github.cdsengine.core.rule;

import java.util.Objects;

/**
 * Withholds a recommendation because acting on it could harm this patient, e.g. a vaccine in a patient with an anaphylactic allergy to it.
 *
 * <p>The recommendation stays in the result's withheld list with this reason, the rule that
 * inserted it and the facts that rule matched.
 *
 * @param recommendationId the {@code @recommendation} id to withhold; it must be the id of a
 *     recommendation in the same rule set, or the engine build fails
 * @param reason why, for the clinician
 */
public record Contraindication(String recommendationId, String reason) {

  /**
   * Checks both fields.
   *
   * @param recommendationId the {@code @recommendation} id to withhold; it must be the id of a
   *     recommendation in the same rule set, or the engine build fails
   * @param reason why, for the clinician
   * @throws NullPointerException if either is null
   */
  public Contraindication {
    Objects.requireNonNull(recommendationId, "recommendationId");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()} (at
   * TRACE), and the reason may quote patient values, which a log must never carry.
   */
  @Override
  public String toString() {
    return "Contraindication[patient data not shown]";
  }
}
