package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.GOOD;
import static io.github.cdsengine.core.EngineFailureTest.JAN_2025;
import static io.github.cdsengine.core.EngineFailureTest.adult;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static io.github.cdsengine.core.testing.Facts.condition;
import static io.github.cdsengine.core.testing.Facts.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.PatientRecord;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.DataWarning;

/**
 * The time bound on one evaluation stops a rule that takes too long, reports it by name, and
 * leaves the engine serving the next patient normally.
 */
class EngineTimeBoundTest {

  /**
   * A DRL function that spins until its thread has spent {@code ms} milliseconds of CPU time,
   * checking nothing but that clock: the same work however loaded the machine is.
   */
  static final String SPIN = "function boolean spin(long ms) {\n"
      + "    java.lang.management.ThreadMXBean threads =\n"
      + "        java.lang.management.ManagementFactory.getThreadMXBean();\n"
      + "    long end = threads.getCurrentThreadCpuTime() + ms * 1_000_000L;\n"
      + "    long turns = 0;\n"
      + "    while (threads.getCurrentThreadCpuTime() < end) { turns++; }\n"
      + "    return turns >= 0;\n}\n\n";

  /** An action that sleeps for {@code ms} milliseconds, as a blocked action would wait. */
  static String nap(long ms) {
    return "    Thread.sleep(" + ms + "L);\n";
  }

  /** A rule warning the rule named {@code rule} inserts once its action has run to its end. */
  static String done(String rule) {
    return "    insert(new RuleWarning(\"Patient\", \"slow\", \"" + rule + " done\"));";
  }

  /** A backstop no load reaches, for the tests of the CPU bound alone. */
  private static final Duration NO_BACKSTOP = Duration.ofSeconds(120);

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static PatientRecord slowPatient() {
    return PatientRecord.builder(patient("slow", LocalDate.of(1970, 6, 15))).build();
  }

  static void assertNormal(CdsEngine engine) {
    EvaluationResult next = engine.evaluate(adult(), JAN_2025);
    assertThat(next.complete()).isTrue();
    assertThat(next.recommendations()).extracting(Recommendation::id).containsExactly("good");
  }

  @Test
  void aLongActionIsStoppedAfterItReturnsAndNamed() {
    // Two actions of 1.5 s of CPU time each for the slow patient; the bound is 400 ms of CPU
    // time (generous for a cold engine), so the first to fire is named and the second never fires.
    RuleFile rules = file("spin.drl", GOOD, SPIN,
        supporting("Spins first", "    Patient(id == \"slow\")",
            "    spin(1500);\n" + done("Spins first")),
        supporting("Spins second", "    Patient(id == \"slow\")",
            "    spin(1500);\n" + done("Spins second")));
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(400)).maxElapsedTime(NO_BACKSTOP).build()) {
      assertNormal(engine); // warm: a fresh engine's first evaluation builds its network
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isIn("Spins first", "Spins second");
        assertThat(f.error()).contains("stopped after 400 ms of CPU time", "maxEvaluationTime",
            "rule \"" + f.rule() + "\" was firing when the time ran out");
        // One action ran to its end, the other never started.
        assertThat(result.warnings()).extracting(DataWarning::message)
            .containsExactly(f.rule() + " done");
      });
      assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
      assertNormal(engine);
    }
  }

  @Test
  void anActionThatWaitsLongerThanTheCpuBoundIsNotCut() {
    // A thread that waits (for a core, or here asleep) spends no CPU time: 1 s of waiting under
    // a CPU bound of 200 ms and a backstop of 5 s completes normally.
    RuleFile rules = file("wait.drl", GOOD,
        supporting("Waits", "    Patient(id == \"slow\")", nap(1000) + done("Waits")));
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(200)).maxElapsedTime(Duration.ofSeconds(5))
        .build()) {
      assertNormal(engine);
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      assertThat(result.failures()).isEmpty();
      assertThat(result.complete()).isTrue();
      assertThat(result.warnings()).extracting(DataWarning::message).containsExactly("Waits done");
      assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
      assertNormal(engine);
    }
  }

  @Test
  void aBlockedActionIsStoppedAtTheBackstop() {
    // An action asleep for a minute: the CPU bound never sees it, the backstop of 600 ms halts
    // the session and interrupts the sleep, and the thread comes back without the interrupt.
    RuleFile rules = file("blocked.drl", GOOD,
        supporting("Blocks", "    Patient(id == \"slow\")", nap(60000) + done("Blocks")),
        supporting("Blocks too", "    Patient(id == \"slow\")",
            nap(60000) + done("Blocks too")));
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(200)).maxElapsedTime(Duration.ofMillis(600))
        .build()) {
      assertNormal(engine);
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isIn("Blocks", "Blocks too");
        assertThat(f.error()).contains("stopped after 600 ms of elapsed time", "maxElapsedTime",
            "rule \"" + f.rule() + "\" was firing when the time ran out");
      });
      assertThat(result.warnings()).isEmpty();
      assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(600))
          .isLessThan(Duration.ofSeconds(30));
      assertNormal(engine);
    }
  }

  @Test
  void theBackstopIsFiveTimesTheCpuBoundByDefaultAndNotBelowIt() {
    assertThat(CdsEngine.Builder.DEFAULT_ELAPSED_TIME_FACTOR).isEqualTo(5);
    RuleFile rules = file("blocked.drl", GOOD,
        supporting("Blocks", "    Patient(id == \"slow\")", nap(60000)));
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(150)).build()) {
      assertNormal(engine);
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      assertThat(result.failures()).singleElement().satisfies(f ->
          assertThat(f.error()).contains("stopped after 750 ms of elapsed time"));
    }
    assertThatThrownBy(() -> CdsEngine.builder().addRules(rules)
        .maxEvaluationTime(Duration.ofSeconds(2)).maxElapsedTime(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxElapsedTime (PT1S)").hasMessageContaining("PT2S");
    assertThatThrownBy(() -> CdsEngine.builder().maxElapsedTime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> CdsEngine.builder().maxElapsedTime(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aModifyLoopIsStoppedByTimeWhenTheFiringBoundIsHigh() {
    RuleFile rules = file("loop.drl", GOOD, "declare Counter\n    value : long\nend\n\n",
        supporting("Start counting", "    Patient(id == \"slow\")", "    insert(new Counter(0));"),
        supporting("Count forever", "    $c : Counter(value >= 0)",
            "    modify($c) { setValue($c.getValue() + 1) };"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules)
        .maxRuleFirings(Integer.MAX_VALUE - 1).maxEvaluationTime(Duration.ofMillis(400))
        .maxElapsedTime(NO_BACKSTOP).build()) {
      assertNormal(engine);
      long cpuBefore = THREADS.getCurrentThreadCpuTime();
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      Duration cpu = Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - cpuBefore);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.error()).contains("stopped after 400 ms of CPU time");
        // The time runs out either in the action or in the matching that follows it.
        assertThat(f.rule().equals("Count forever")
            || f.error().contains("after rule \"Count forever\" fired")).isTrue();
      });
      // Stopped within the sweep period (40 ms) and a firing of the 400 ms, in CPU time: the
      // same on an idle machine and a loaded one, where elapsed time may be many times longer.
      assertThat(cpu).isLessThan(Duration.ofMillis(1500));
      assertNormal(engine);
    }
  }

  @Test
  void aSlowConstraintIsStoppedBeforeAnyRuleFires() {
    // Ten conditions each cost 200 ms in the rule's constraint: the time runs out while the rule
    // is matched, outside any firing, so the engine is named.
    RuleFile rules = file("slow-constraint.drl", GOOD, SPIN,
        supporting("Slow constraint", "    Patient(id == \"slow\")\n    Condition(spin(200))", ""));
    PatientRecord.Builder slow = PatientRecord.builder(patient("slow", LocalDate.of(1970, 6, 15)));
    for (int i = 0; i < 10; i++) {
      slow.add(condition("c" + i, new Code(SNOMED_CT, "4400" + i, null)));
    }
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(400)).maxElapsedTime(NO_BACKSTOP).build()) {
      assertNormal(engine); // warm: a fresh engine's first evaluation builds its network
      EvaluationResult result = engine.evaluate(slow.build(), JAN_2025);
      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("(engine)");
        assertThat(f.error()).contains("stopped after 400 ms");
        assertThat(f.error()).containsAnyOf("before any rule fired", "while matching");
      });
      assertNormal(engine);
    }
  }

  @Test
  void failClosedThrowsNamingTheRuleThatRanOut() {
    RuleFile rules = file("spin.drl", GOOD, SPIN,
        supporting("Spins", "    Patient(id == \"slow\")", "    spin(1500);"));
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(rules)
        .maxEvaluationTime(Duration.ofMillis(400)).maxElapsedTime(NO_BACKSTOP)
        .failurePolicy(FailurePolicy.FAIL_CLOSED)
        .build()) {
      assertNormal(engine);
      assertThatThrownBy(() -> engine.evaluate(slowPatient(), JAN_2025))
          .isInstanceOfSatisfying(EvaluationException.class, e -> {
            assertThat(e.failures()).extracting(RuleFailure::rule).containsExactly("Spins");
            assertThat(e.getMessage()).contains("Spins");
          });
      assertNormal(engine);
    }
  }

  @Test
  void aRuleThatThrowsIsReportedAndTheNextPatientEvaluatesNormally() {
    RuleFile rules = file("throws.drl", GOOD,
        supporting("Throws", "    Patient(id == \"slow\")",
            "    throw new IllegalStateException(\"broken action\");"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult result = engine.evaluate(slowPatient(), JAN_2025);
      assertThat(result.failures()).extracting(RuleFailure::rule).containsExactly("Throws");
      assertNormal(engine);
    }
  }

  @Test
  void theBoundIsPositiveAndOneSecondByDefault() {
    assertThat(CdsEngine.Builder.DEFAULT_MAX_EVALUATION_TIME).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> CdsEngine.builder().maxEvaluationTime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> CdsEngine.builder().maxEvaluationTime(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.005");
    assertThatThrownBy(() -> CdsEngine.builder().maxEvaluationTime(null))
        .isInstanceOf(NullPointerException.class);
  }
}
