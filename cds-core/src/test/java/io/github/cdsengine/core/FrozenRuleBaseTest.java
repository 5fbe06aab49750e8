package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.policy.RulePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built rule base cannot be changed by rule code, even code that reaches it: the rule policy
 * refuses the rule context, and behind it the rule base refuses every change. Here the policy is
 * switched off so that the hostile actions really run; each change is refused, the evaluation is
 * reported incomplete with the refusal, and the next evaluation still has every rule.
 */
class FrozenRuleBaseTest {

  private static final String SCREENING = recommending("Screening", "screening", "USPSTF:A",
      "screening", "info", "    Patient()", "screen");

  private static RuleFile hostile(String action) {
    return file("remover.drl", SCREENING,
        supporting("Remover", "    Patient()", "    " + action));
  }

  @Test
  void aRuleThatRemovesAnotherRuleIsStoppedAndTheRuleStays() {
    assertFrozen(hostile("drools.getKieRuntime().getKieBase().removeRule(\"test.rules\", "
        + "\"Screening\");"), "removing a rule");
  }

  @Test
  void aRuleThatRemovesItsPackageIsStoppedAndThePackageStays() {
    assertFrozen(hostile("drools.getKieRuntime().getKieBase().removeKiePackage(\"test.rules\");"),
        "removing a package");
  }

  @Test
  void aRuleThatRemovesAFunctionIsStopped() {
    RuleFile rules = new RuleFile("remover.drl", file("x.drl", SCREENING,
        supporting("Remover", "    Patient()", "    drools.getKieRuntime().getKieBase()"
            + ".removeFunction(\"test.rules\", \"helper\");")).content()
        + "\nfunction String helper() { return \"x\"; }\n");
    assertFrozen(rules, "removing a function");
  }

  @Test
  void thePolicyRefusesTheSameFilesBeforeAnyOfThisCouldRun() {
    assertThat(RulePolicy.check(List.of(hostile("drools.getKieRuntime().getKieBase()"
        + ".removeRule(\"test.rules\", \"Screening\");"))))
        .extracting(p -> p.message())
        .anySatisfy(m -> assertThat(m).contains("the rule context 'drools'"))
        .anySatisfy(m -> assertThat(m).contains("'getKieBase' is refused"));
  }

  private static void assertFrozen(RuleFile rules, String change) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules).build()) {
      int rulesBefore = engine.rules().size();
      for (int i = 0; i < 3; i++) {
        EvaluationResult result = engine.evaluate(EngineEvaluationTest.adult(),
            EngineEvaluationTest.JAN_2025);
        assertThat(result.recommendations()).extracting(Recommendation::id)
            .as("evaluation %d", i).containsExactly("screening");
        assertThat(result.complete()).isFalse();
        assertThat(result.failures()).singleElement().satisfies((RuleFailure f) -> {
          // Drools queues a change to the rule base and makes it between firings, after the
          // action returned, so the refusal stops the evaluation, not the action.
          assertThat(f.rule()).isEqualTo("(engine)");
          assertThat(f.error()).contains("the rule base is frozen once built: " + change);
        });
      }
      assertThat(engine.rules()).hasSize(rulesBefore);
    }
  }
}
