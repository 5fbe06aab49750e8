package io.github.cdsengine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.policy.RulePolicy;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.testing.TestRules;
import java.util.List;

/**
 * What the escape tests share: a rule with its citation, the policy's verdict on one file, and
 * the same file run without the policy, to show that what an escape reaches is real.
 */
final class PolicyProbes {

  private PolicyProbes() {}

  /** A rule named {@code name} with the test citation. */
  static String rule(String name, String when, String then) {
    return "rule \"" + name + "\"\n" + TestRules.CITATION + "when\n" + when + "\nthen\n" + then
        + "\nend\n\n";
  }

  /** The policy's problems with {@code file} alone. */
  static List<RuleProblem> policy(RuleFile file) {
    return RulePolicy.check(List.of(file));
  }

  /** Asserts the policy passes {@code file}. */
  static void passes(RuleFile file) {
    List<RuleProblem> problems = policy(file);
    assertThat(problems).as(problems.toString()).isEmpty();
  }

  /** Asserts the policy refuses {@code file} with a reason containing {@code reason}. */
  static void refused(RuleFile file, String reason) {
    List<RuleProblem> problems = policy(file);
    assertThat(problems).as(problems.toString())
        .anySatisfy(p -> assertThat(p.message()).contains(reason));
  }

  /** Builds {@code file} without the policy and evaluates the test adult; the rule failures. */
  static List<String> runWithoutPolicy(RuleFile file) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(file).build()) {
      EvaluationResult result = engine.evaluate(EngineEvaluationTest.adult(),
          EngineEvaluationTest.JAN_2025);
      return result.failures().stream().map(RuleFailure::error).toList();
    }
  }
}
