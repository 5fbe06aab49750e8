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

  /**
   * An exception listing {@code failures}, at least one.
   *
   * @param failures the rules that failed and how, in the order the engine reported them; at least
   *     one, copied
   */
  public EvaluationException(List<RuleFailure> failures) {
    super("evaluation failed in " + failures.stream().map(RuleFailure::rule)
        .collect(Collectors.joining(", ")));
    this.failures = List.copyOf(failures);
  }

  /**
   * The rules that failed and how.
   *
   * @return the failed rules, in the order reported; unmodifiable
   */
  public List<RuleFailure> failures() {
    return failures;
  }
}
