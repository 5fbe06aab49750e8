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
 * @param title the recommendation's title in place of the rule's {@code @title}, for a
 *     recommendation whose source words its summary by a pack setting (see {@link
 *     PackSettings}), or {@code null} for the rule's own title
 */
public record Proposal(String detail, String title) {

  /**
   * Checks the detail and title.
   *
   * @param detail a clinician-readable sentence for this patient, e.g. "No colonoscopy in the last
   *     10 years; last colonoscopy: 2012-03-01."
   * @param title the recommendation's title in place of the rule's {@code @title}, for a
   *     recommendation whose source words its summary by a pack setting (see {@link PackSettings}),
   *     or {@code null} for the rule's own title
   * @throws NullPointerException if detail is null
   * @throws IllegalArgumentException if title is blank
   */
  public Proposal {
    Objects.requireNonNull(detail, "detail");
    if (title != null && title.isBlank()) {
      throw new IllegalArgumentException("a proposal's title may be null but not blank: '"
          + title + "'");
    }
  }

  /**
   * A proposal titled by its rule's {@code @title}.
   *
   * @param detail a clinician-readable sentence for this patient, e.g. "No colonoscopy in the last
   *     10 years; last colonoscopy: 2012-03-01."
   */
  public Proposal(String detail) {
    this(detail, null);
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
