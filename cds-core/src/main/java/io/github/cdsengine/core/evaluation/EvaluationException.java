package io.github.cdsengine.core.evaluation;

import java.util.List;
import java.util.stream.Collectors;
import io.github.cdsengine.core.problem.CdsException;

/**
 * Thrown instead of returning an incomplete result when the engine is built with
 * {@link FailurePolicy#FAIL_CLOSED} and a rule failed. Names every rule that failed.
 */
public class EvaluationException extends CdsException {

  private static final long serialVersionUID = 1L;

  /** The rules that failed and how, at least one. */
  private final List<RuleFailure> failures;

  /** An exception listing {@code failures}, at least one. */
  public EvaluationException(List<RuleFailure> failures) {
    super("evaluation failed in " + failures.stream().map(RuleFailure::rule)
        .collect(Collectors.joining(", ")));
    this.failures = List.copyOf(failures);
  }

  /** The rules that failed and how. */
  public List<RuleFailure> failures() {
    return failures;
  }
}
