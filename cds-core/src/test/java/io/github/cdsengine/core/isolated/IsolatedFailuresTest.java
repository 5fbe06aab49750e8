package io.github.cdsengine.core.isolated;

import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What no bound inside one JVM can contain, contained by a worker JVM: each hostile patient
 * below makes one rule exhaust the heap, loop forever in its action, exit the JVM, throw an
 * Error, or recurse without end. The host gets an incomplete result naming the failure, a fresh
 * worker takes over, and the next patient is evaluated correctly. One engine, built without the
 * rule policy so that a rule can call {@code System.exit}, serves every test.
 */
class IsolatedFailuresTest {

  static final EvaluationContext JAN_2025 =
      EvaluationContext.at(LocalDate.of(2025, 1, 15).atStartOfDay(ZoneOffset.UTC));

  static final String GOOD = recommending("Good", "good", "USPSTF:A", "screening", "info",
      "    PatientAge(years >= 18)", "fine");

  /** A DRL function that calls itself without end. */
  static final String DOWN = "function int down(int depth) {\n"
      + "    return down(depth + 1) + 1;\n}\n\n";

  /** Allocation without end, with nothing but a collection and arrays. */
  static final String HOARD = "    java.util.List hoard = new java.util.ArrayList();\n"
      + "    while (hoard.size() >= 0) { hoard.add(new long[1 << 20]); }";

  /** A loop that never ends and checks nothing. */
  static final String SPIN = "    long turns = 0;\n"
      + "    while (turns >= 0) { turns = (turns + 1) % 1000; }";

  static final RuleFile HOSTILE = file("hostile.drl", GOOD, DOWN,
      supporting("Hoards", "    Patient(id == \"hoard\")", HOARD),
      supporting("Spins", "    Patient(id == \"spin\")", SPIN),
      supporting("Exits", "    Patient(id == \"exit\")", "    System.exit(7);"),
      supporting("Throws an error", "    Patient(id == \"error\")",
          "    throw new OutOfMemoryError(\"thrown by a rule\");"),
      supporting("Recurses", "    Patient(id == \"deep\")", "    down(0);"));

  static final String MAX_HEAP = "64m";
  static final Duration DEADLINE = Duration.ofSeconds(3);

  /** Options that let a test's worker start sooner: the client compiler, the serial collector. */
  static final String[] FAST_START = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

  private static CdsEngine engine;

  @BeforeAll
  static void startWorker() {
    engine = IsolatedEngine.builder().withoutRulePolicy().addRules(HOSTILE)
        .maxHeap(MAX_HEAP).maxEvaluationTime(Duration.ofMillis(200))
        .maxElapsedTime(Duration.ofSeconds(1)).deadline(DEADLINE)
        .jvmOptions(FAST_START).build();
  }

  @AfterAll
  static void stopWorker() {
    engine.close();
  }

  static PatientRecord adult(String id) {
    return PatientRecord.builder(patient(id, LocalDate.of(1970, 6, 15))).build();
  }

  /** The next patient gets the right answer, from the worker in place or its replacement. */
  static void assertServesCorrectly(CdsEngine engine) {
    EvaluationResult next = engine.evaluate(adult("next"), JAN_2025);
    assertThat(next.failures()).isEmpty();
    assertThat(next.recommendations()).extracting(Recommendation::id).containsExactly("good");
  }

  static RuleFailure isolationFailure(EvaluationResult result) {
    assertThat(result.complete()).isFalse();
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.failures()).hasSize(1);
    RuleFailure failure = result.failures().get(0);
    assertThat(failure.rule()).isEqualTo("(isolation)");
    return failure;
  }

  @Test
  void unboundedAllocationIsReportedAsTheWorkersMemory() {
    assertServesCorrectly(engine);
    EvaluationResult result = engine.evaluate(adult("hoard"), JAN_2025);
    assertThat(isolationFailure(result).error())
        .isEqualTo("worker ran out of memory (-Xmx64m)");
    assertThat(result.patientId()).isEqualTo("hoard");
    assertServesCorrectly(engine);
  }

  @Test
  void aLoopThatNeverEndsIsCutAtTheDeadline() {
    assertServesCorrectly(engine); // a worker is ready: what is timed below is the evaluation
    long start = System.nanoTime();
    EvaluationResult result = engine.evaluate(adult("spin"), JAN_2025);
    long took = System.nanoTime() - start;
    assertThat(isolationFailure(result).error()).isEqualTo("worker exceeded the 3 s deadline");
    // The deadline, then the kill (the host waits up to two seconds for the process to go).
    assertThat(Duration.ofNanos(took)).isBetween(DEADLINE, DEADLINE.plusSeconds(4));
    assertServesCorrectly(engine);
  }

  @Test
  void aRuleThatExitsTheJvmIsReportedWithItsStatus() {
    EvaluationResult result = engine.evaluate(adult("exit"), JAN_2025);
    assertThat(isolationFailure(result).error()).isEqualTo("worker exited with code 7");
    assertServesCorrectly(engine);
  }

  @Test
  void anErrorTheEngineHandsBackEndsTheWorker() {
    EvaluationResult result = engine.evaluate(adult("error"), JAN_2025);
    assertThat(isolationFailure(result).error())
        .isEqualTo("the worker's engine threw java.lang.OutOfMemoryError");
    assertServesCorrectly(engine);
  }

  @Test
  void deepRecursionIsTheEnginesOwnReportAndTheWorkerStays() {
    assertServesCorrectly(engine);
    List<Long> before = ((WorkerPool) engine).workerPids();
    EvaluationResult result = engine.evaluate(adult("deep"), JAN_2025);
    assertThat(result.complete()).isFalse();
    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("Recurses");
      assertThat(f.error()).startsWith("java.lang.StackOverflowError")
          .contains("recursed deeper than the thread's stack allows");
    });
    // The rule that concluded before the overflow stands, as in process.
    assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("good");
    assertServesCorrectly(engine);
    assertThat(before).hasSize(1);
    assertThat(((WorkerPool) engine).workerPids()).isEqualTo(before);
  }
}
