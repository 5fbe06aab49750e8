package io.github.cdsengine.core;

/** What an evaluation does when a rule throws or a bound on the evaluation is reached. */
public enum FailurePolicy {
  /**
   * The default: return the result with the failures listed and {@link
   * EvaluationResult#complete()} false. Recommendations from rules that ran are kept, so a
   * failure in one guideline does not hide another guideline's alert; a host must show that the
   * result is incomplete.
   */
  REPORT,
  /**
   * Throw {@link EvaluationException} and return nothing, for hosts that would rather show no
   * recommendations than a possibly incomplete set.
   */
  FAIL_CLOSED
}
