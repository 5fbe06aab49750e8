package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.GOOD;
import static io.github.cdsengine.core.EngineFailureTest.JAN_2025;
import static io.github.cdsengine.core.EngineFailureTest.adult;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.testing.TestRules;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rule code that recurses without end fails its own evaluation, named like any other rule
 * failure; its rule session is discarded and the engine goes on serving. Other errors reach the
 * host as themselves.
 */
class EngineStackOverflowTest {

  /** A DRL function that calls itself without end. */
  private static final String DOWN = "function int down(int depth) {\n"
      + "    return down(depth + 1) + 1;\n}\n\n";

  private static PatientRecord deepPatient() {
    return PatientRecord.builder(patient("deep", LocalDate.of(1970, 6, 15))).build();
  }

  private static void assertNormal(CdsEngine engine) {
    EvaluationResult next = engine.evaluate(adult(), JAN_2025);
    assertThat(next.failures()).isEmpty();
    assertThat(next.recommendations()).extracting(Recommendation::id).containsExactly("good");
  }

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void aFunctionThatRecursesInAnActionFailsItsEvaluationOnly(SessionReuse reuse) {
    RuleFile rules = file("recursion.drl", GOOD, DOWN,
        supporting("Recurses", "    Patient(id == \"deep\")", "    down(0);"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).sessionReuse(reuse).build()) {
      assertNormal(engine);
      EvaluationResult result = engine.evaluate(deepPatient(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("Recurses");
        assertThat(f.error()).startsWith("java.lang.StackOverflowError")
            .contains("recursed deeper than the thread's stack allows");
      });
      // The other rule's conclusion from before the overflow stands.
      assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("good");
      for (int i = 0; i < 3; i++) {
        assertNormal(engine);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void aFunctionThatRecursesInAConstraintFailsItsEvaluationOnly(SessionReuse reuse) {
    RuleFile rules = file("recursion.drl", GOOD, DOWN,
        supporting("Recurses in its condition", "    Patient(id == \"deep\", down(0) > 0)", ""));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).sessionReuse(reuse).build()) {
      assertNormal(engine);
      EvaluationResult result = engine.evaluate(deepPatient(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f ->
          assertThat(f.error()).startsWith("java.lang.StackOverflowError"));
      for (int i = 0; i < 3; i++) {
        assertNormal(engine);
      }
    }
  }

  @Test
  void failClosedThrowsOnARecursion() {
    RuleFile rules = file("recursion.drl", GOOD, DOWN,
        supporting("Recurses", "    Patient(id == \"deep\")", "    down(0);"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules)
        .failurePolicy(FailurePolicy.FAIL_CLOSED).build()) {
      assertThatThrownBy(() -> engine.evaluate(deepPatient(), JAN_2025))
          .isInstanceOfSatisfying(EvaluationException.class, e ->
              assertThat(e.failures()).extracting(RuleFailure::rule).containsExactly("Recurses"));
      assertNormal(engine);
    }
  }

  /**
   * Every evaluation reports its rule session's identity as a warning, first; the deep patient's
   * then recurses, and the patient named "oom" throws an OutOfMemoryError.
   */
  private static final RuleFile SESSION_IDENTITY = file("session-identity.drl", GOOD, DOWN,
      "rule \"Session identity\"\n" + TestRules.CITATION + "    salience 100\n"
          + "when\n    $p : Patient()\nthen\n"
          + "    insert(new RuleWarning(\"Patient\", $p.id(), \"session \""
          + " + System.identityHashCode(kcontext.getKieRuntime())));\nend\n\n",
      supporting("Recurses", "    Patient(id == \"deep\")", "    down(0);"),
      supporting("Runs out of memory", "    Patient(id == \"oom\")",
          "    throw new OutOfMemoryError(\"thrown by a test rule\");"));

  private static String session(EvaluationResult result) {
    List<String> sessions = result.warnings().stream().map(DataWarning::message)
        .filter(m -> m.startsWith("session ")).toList();
    assertThat(sessions).hasSize(1);
    return sessions.get(0);
  }

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void theSessionThatOverflowedIsNeverReused(SessionReuse reuse) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(SESSION_IDENTITY)
        .sessionReuse(reuse).build()) {
      // On one thread, healthy sessions are taken again and again.
      List<String> before = sessions(engine, 6);
      assertThat(Set.copyOf(before)).hasSizeLessThan(before.size());
      EvaluationResult overflowed = engine.evaluate(deepPatient(), JAN_2025);
      assertThat(overflowed.failures()).extracting(RuleFailure::rule).containsExactly("Recurses");
      String discarded = session(overflowed);
      List<String> after = sessions(engine, 6);
      assertThat(after).doesNotContain(discarded);
      assertThat(Set.copyOf(after)).hasSizeLessThan(after.size());
    }
  }

  /** The sessions of {@code count} evaluations of a healthy patient, which all succeed. */
  private static List<String> sessions(CdsEngine engine, int count) {
    List<String> sessions = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.failures()).isEmpty();
      sessions.add(session(result));
    }
    return sessions;
  }

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void anOutOfMemoryErrorIsRethrownAndItsSessionDiscarded(SessionReuse reuse) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(SESSION_IDENTITY)
        .sessionReuse(reuse).build()) {
      List<String> before = sessions(engine, 6);
      PatientRecord oom = PatientRecord.builder(patient("oom", LocalDate.of(1970, 6, 15))).build();
      assertThatThrownBy(() -> engine.evaluate(oom, JAN_2025))
          .isInstanceOf(OutOfMemoryError.class).hasMessage("thrown by a test rule");
      // The evaluation that threw took one of the sessions used before (one under DELETE_FACTS,
      // one of the pool's under RESET, where the whole pool is replaced): none is used again.
      List<String> after = sessions(engine, 6);
      assertThat(after).doesNotContainAnyElementsOf(before);
      assertNormal(engine);
    }
  }
}
