package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static io.github.cdsengine.core.testing.Facts.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.PatientRecord;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.testing.TestRules;

/** A rule that throws or runs away is reported by name, and the engine stays usable. */
class EngineFailureTest {

  static final EvaluationContext JAN_2025 =
      EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC);

  static PatientRecord adult() {
    return PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15))).build();
  }

  static final String GOOD = recommending("Good", "good", "USPSTF:A", "screening", "info",
      "    PatientAge(years >= 18)", "fine");

  static RuleFile throwingAction() {
    return file("throws.drl", GOOD,
        "rule \"Throws after proposing\"\n    @recommendation(\"doomed\")\n    @title(\"T\")\n"
            + "    @evidence(\"USPSTF:A\")\n    @category(\"screening\")\n    @severity(\"critical\")\n"
            + TestRules.CITATION + "when\n    Patient()\nthen\n"
            + "    insert(new Proposal(\"half done\"));\n"
            + "    throw new IllegalStateException(\"broken action\");\nend\n");
  }

  @Test
  void aRuleWhoseActionThrowsIsReportedAndTheOtherRulesStand() {
    try (CdsEngine engine = CdsEngine.builder().addRules(throwingAction()).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("Throws after proposing");
        assertThat(f.error()).contains("IllegalStateException", "broken action");
      });
      // What the failed firing proposed is discarded; the other rule's recommendation stands.
      assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("good");
      // The pooled session is clean for the next patient.
      EvaluationResult again = engine.evaluate(adult(), JAN_2025);
      assertThat(again.failures()).hasSize(1);
      assertThat(again.recommendations()).extracting(Recommendation::id).containsExactly("good");
    }
  }

  @Test
  void failClosedThrowsNamingTheRule() {
    try (CdsEngine engine = CdsEngine.builder().addRules(throwingAction())
        .failurePolicy(FailurePolicy.FAIL_CLOSED).build()) {
      assertThatThrownBy(() -> engine.evaluate(adult(), JAN_2025))
          .isInstanceOfSatisfying(EvaluationException.class, e -> {
            assertThat(e.failures()).extracting(RuleFailure::rule)
                .containsExactly("Throws after proposing");
            assertThat(e.getMessage()).contains("Throws after proposing");
          });
    }
  }

  @Test
  void aConstraintThatThrowsIsReportedWithItsRule() {
    RuleFile rules = file("constraint.drl", GOOD,
        supporting("Bad constraint", "    Patient(id.substring(99).isEmpty())", ""));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("Bad constraint");
        assertThat(f.error()).contains("StringIndexOutOfBoundsException");
      });
      // The next patient, whose id is long enough, evaluates cleanly on the same engine.
      EvaluationResult next = engine.evaluate(PatientRecord.builder(patient(
          "p".repeat(120), LocalDate.of(1970, 6, 15))).build(), JAN_2025);
      assertThat(next.complete()).isTrue();
      assertThat(next.recommendations()).extracting(Recommendation::id).containsExactly("good");
    }
  }

  @Test
  void aRunawayRuleIsStoppedByTheFiringBoundAndNamed() {
    RuleFile rules = file("loop.drl", GOOD, "declare Counter\n    value : int\nend\n\n",
        supporting("Start counting", "    Patient()", "    insert(new Counter(0));"),
        supporting("Count forever", "    $c : Counter(value >= 0)",
            "    modify($c) { setValue($c.getValue() + 1) };"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).maxRuleFirings(500).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("Count forever");
        assertThat(f.error()).contains("stopped at 500 rule firings");
      });
      assertThat(engine.evaluate(adult(), JAN_2025).failures()).hasSize(1);
    }
  }

  @Test
  void theFiringBoundIsExact() {
    RuleFile rules = file("two.drl",
        recommending("First", "first", "USPSTF:A", "screening", "info", "    Patient()", "1"),
        recommending("Second", "second", "USPSTF:A", "screening", "info", "    Patient()", "2"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).maxRuleFirings(1).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.recommendations()).hasSize(1);
      assertThat(result.failures()).singleElement()
          .satisfies(f -> assertThat(f.error()).contains("stopped at 1 rule firings"));
    }
    assertThatThrownBy(() -> CdsEngine.builder().maxRuleFirings(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRuleThatThrowsAfterWithholdingStillWithholds() {
    RuleFile rules = file("withhold-then-throw.drl", GOOD,
        supporting("Withholds then throws", "    Patient()",
            "    insert(new Contraindication(\"good\", \"allergy\"));\n"
                + "    throw new IllegalStateException(\"after withholding\");"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.recommendations()).isEmpty();
      assertThat(result.withheld("good")).isPresent();
      assertThat(result.failures()).extracting(RuleFailure::rule)
          .containsExactly("Withholds then throws");
    }
  }

  @Test
  void anExceptionMessageIsNeverTakenForARuleName() {
    RuleFile rules = file("leak.drl", GOOD,
        "function boolean boom(String id) {\n"
            + "    throw new IllegalArgumentException(\"rule out: patient \" + id + \" SECRET\");\n}\n\n",
        supporting("Eval throws", "    $p : Patient()\n    eval(boom($p.id()))", ""));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isIn("Eval throws", "(engine)");
        assertThat(f.error()).contains("SECRET");
      });
    }
  }

  @Test
  void closingWaitsForEvaluationsUnderWay() throws Exception {
    RuleFile rules = file("slow.drl",
        recommending("Slow", "slow", "USPSTF:A", "screening", "info", "    Patient()",
            "slow\"));\n    io.github.cdsengine.core.testing.RuleSignals.SLOW_RULE_STARTED.countDown();\n"
                + "    try { Thread.sleep(600); } catch (InterruptedException e) { }\n"
                + "    insert(new Proposal(\"after sleep\"));\n"
                + "    io.github.cdsengine.core.testing.RuleSignals.SLOW_RULE_FINISHED.countDown();\n"
                + "    insert(new Proposal(\"finished"));
    // The rule blocks on purpose (Thread.sleep), which the rule policy refuses.
    CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules).build();
    java.util.concurrent.CompletableFuture<EvaluationResult> running =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.evaluate(adult(), JAN_2025));
    assertThat(io.github.cdsengine.core.testing.RuleSignals.SLOW_RULE_STARTED.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    engine.close();
    assertThat(io.github.cdsengine.core.testing.RuleSignals.SLOW_RULE_FINISHED.getCount())
        .as("close() returned only after the rule's action had finished").isZero();
    EvaluationResult result = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(result.complete()).isTrue();
    assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("slow");
    assertThatThrownBy(() -> engine.evaluate(adult(), JAN_2025))
        .isInstanceOf(IllegalStateException.class);
  }
}
