package io.github.cdsengine.core.evaluation;


/** What an evaluation does when a rule throws or a bound on the evaluation is reached. */
public enum FailurePolicy {
  /**
   * The default: return the result with the failures listed and {@link
   * EvaluationResult#complete()} false. What rules concluded before the failure is kept, so a
   * throwing action in one guideline does not hide another guideline's alert; an exception in a
   * rule's conditions stops the evaluation there (see {@link io.github.cdsengine.core.CdsEngine}). A host must show that
   * the result is incomplete.
   */
  REPORT,
  /**
   * Throw {@link EvaluationException} and return nothing, for hosts that would rather show no
   * recommendations than a possibly incomplete set.
   */
  FAIL_CLOSED
}
