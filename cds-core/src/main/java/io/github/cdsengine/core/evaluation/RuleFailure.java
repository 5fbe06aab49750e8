package io.github.cdsengine.core.evaluation;

import java.io.Serializable;
import java.util.Objects;

/**
 * A rule that did not run to completion in one evaluation: it threw, or the evaluation reached
 * a bound. Whatever that rule had proposed in the failed firing is discarded.
 *
 * @param rule the rule's name, or {@code (engine)} when no single rule can be named
 * @param error what went wrong: the exception's type and message, or the bound reached
 * @serial exclude
 */
public record RuleFailure(String rule, String error) implements Serializable {

  /**
   * Checks the fields.
   *
   * @param rule the rule's name, or {@code (engine)} when no single rule can be named; never null
   * @param error the exception's type and message, or the bound reached; never null
   * @throws NullPointerException if either field is null
   */
  public RuleFailure {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(error, "error");
  }

  @Override
  public String toString() {
    return rule + ": " + error;
  }
}
