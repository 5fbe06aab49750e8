package io.github.cdsengine.core.rule;

import java.util.Objects;

/**
 * What a recommending rule inserts when it fires: the rule's {@code @recommendation} metadata
 * says what is recommended, and the proposal carries the patient-specific detail.
 *
 * <p>The engine links the proposal to the rule that inserted it and to the facts that rule
 * matched, which become the recommendation's rationale.
 *
 * @param detail a clinician-readable sentence for this patient, e.g. "No colonoscopy in the
 *     last 10 years; last colonoscopy: 2012-03-01."
 */
public record Proposal(String detail) {

  /**
   * Checks the detail.
   *
   * @throws NullPointerException if detail is null
   */
  public Proposal {
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Proposal[patient data not shown]";
  }
}
