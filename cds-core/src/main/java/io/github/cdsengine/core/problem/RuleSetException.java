package io.github.cdsengine.core.problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule set could not be made into an engine: DRL that does not compile, invalid or missing rule
 * metadata, or a reference to a value set or recommendation that is not loaded. Lists every
 * problem found, each with its file and line.
 */
public class RuleSetException extends CdsException {

  private static final long serialVersionUID = 1L;

  /** Every problem found, in file and line order; at least one. */
  private final List<RuleProblem> problems;

  /**
   * An exception listing {@code problems}, at least one.
   *
   * @param problems the problems found, in file and line order; at least one, copied
   */
  public RuleSetException(List<RuleProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Every problem found, in file and line order.
   *
   * @return the problems, in file and line order; never empty, unmodifiable
   */
  public List<RuleProblem> problems() {
    return problems;
  }

  private static String describe(List<RuleProblem> problems) {
    return problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + " in the rule set:\n" + problems.stream().map(RuleProblem::toString)
            .collect(Collectors.joining("\n"));
  }
}
