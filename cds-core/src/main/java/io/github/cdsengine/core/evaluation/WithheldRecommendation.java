package io.github.cdsengine.core.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * A recommendation that rules proposed but that other rules withheld for this patient, kept in
 * the result so that a clinician or an auditor can see what was not shown and why.
 *
 * @param recommendation the recommendation as it would have been shown
 * @param disposition {@link Disposition#CONTRAINDICATED} when any reason is a contraindication,
 *     otherwise {@link Disposition#SUPPRESSED} when any is a suppression, otherwise {@link
 *     Disposition#SNOOZED}
 * @param reasons every reason given, sorted by rule name
 */
public record WithheldRecommendation(
    Recommendation recommendation, Disposition disposition, List<Reason> reasons) {

  /** Why a recommendation was withheld. */
  public enum Disposition {
    /** Acting on it could harm this patient. */
    CONTRAINDICATED,
    /** It does not apply to this patient. */
    SUPPRESSED,
    /**
     * A clinician snoozed it for this patient ({@link Snooze}); the reason's rule is {@value
     * #SNOOZE_RULE} and its text "snoozed by a clinician until" the snooze's end.
     */
    SNOOZED;

    /** The rule name a snooze's {@link Reason} gives, as no rule withheld it. */
    public static final String SNOOZE_RULE = "(snooze)";
  }

  /**
   * One rule's reason for withholding.
   *
   * @param disposition whether this rule found a contraindication or a reason not to apply
   * @param rule the rule's name
   * @param text the reason, for the clinician
   * @param rationale the facts the rule matched
   */
  public record Reason(
      Disposition disposition, String rule, String text, List<MatchedFact> rationale) {

    /**
     * Copies the rationale.
     *
     * @param disposition whether this rule found a contraindication or a reason not to apply; never
     *     null
     * @param rule the name of the rule that gave the reason; never null
     * @param text the reason, for the clinician; never null
     * @param rationale the facts the rule matched; copied, never null
     * @throws NullPointerException if any field is null
     */
    public Reason {
      Objects.requireNonNull(disposition, "disposition");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(text, "text");
      rationale = List.copyOf(rationale);
    }
  }

  /**
   * Copies the reasons.
   *
   * @param recommendation the recommendation as it would have been shown; never null
   * @param disposition {@link Disposition#CONTRAINDICATED} when any reason is a contraindication,
   *     otherwise {@link Disposition#SUPPRESSED} when any is a suppression, otherwise {@link
   *     Disposition#SNOOZED}; never null
   * @param reasons every reason given, sorted by rule name; copied, never null
   * @throws NullPointerException if any field is null
   */
  public WithheldRecommendation {
    Objects.requireNonNull(recommendation, "recommendation");
    Objects.requireNonNull(disposition, "disposition");
    reasons = List.copyOf(reasons);
  }
}
