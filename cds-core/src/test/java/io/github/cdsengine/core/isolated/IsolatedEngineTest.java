package io.github.cdsengine.core.isolated;

import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.FAST_START;
import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.GOOD;
import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.HOARD;
import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.JAN_2025;
import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.adult;
import static io.github.cdsengine.core.isolated.IsolatedFailuresTest.isolationFailure;
import static io.github.cdsengine.core.testing.TestRules.COLONOSCOPY;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.testing.Facts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An isolated engine with the rule policy on, through the public API: the same answers and the
 * same description as the in-process engine, a heap exhausted with allowed code contained, the
 * failure policy honoured, configuration errors reported by build(), workers shared by threads,
 * and no process left after close().
 */
class IsolatedEngineTest {

  /** Colonoscopy screening against a value set, and a rule that hoards memory for one patient. */
  private static final RuleFile RULES = file("isolated.drl", GOOD,
      recommending("Screen", "screen", "USPSTF:A", "screening", "warning",
          "    PatientAge(years >= 45)\n"
              + "    not Procedure(valueSets.includes(\"test-colonoscopy\", code))",
          "no colonoscopy on record"),
      supporting("Hoards", "    Patient(id == \"hoard\")", HOARD));

  /** The next patient gets the right answer, from the worker in place or its replacement. */
  private static void assertServesCorrectly(CdsEngine engine) {
    EvaluationResult next = engine.evaluate(adult("next"), JAN_2025);
    assertThat(next.failures()).isEmpty();
    assertThat(next.recommendations()).extracting(r -> r.id()).containsExactly("screen", "good");
  }

  private static IsolatedEngine.Builder isolated() {
    return IsolatedEngine.builder().addRules(RULES).addValueSet(COLONOSCOPY).maxHeap("64m")
        .jvmOptions(FAST_START);
  }

  private static List<PatientRecord> patients() {
    List<PatientRecord> patients = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      PatientRecord.Builder record = PatientRecord.builder(
          Facts.patient("p" + i, LocalDate.of(1950 + 5 * i, 1 + i % 12, 10)));
      if (i % 3 == 0) {
        record.add(Facts.procedure("c" + i, COLONOSCOPY.codes().iterator().next(),
            LocalDate.of(2020, 5, 1)));
      }
      patients.add(record.build());
    }
    return patients;
  }

  private static String json(CdsEngine engine, List<PatientRecord> patients, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> lines = new ArrayList<>();
      for (PatientRecord patient : patients) {
        lines.add(pool.submit(() ->
            ResultJson.standard().write(engine.evaluate(patient, JAN_2025))));
      }
      StringBuilder out = new StringBuilder();
      for (Future<String> line : lines) {
        out.append(line.get()).append('\n');
      }
      return out.toString();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersAndDescribesAsTheInProcessEngineDoes() throws Exception {
    List<PatientRecord> patients = patients();
    try (CdsEngine inProcess = CdsEngine.builder().addRules(RULES).addValueSet(COLONOSCOPY)
            .build();
        CdsEngine isolated = isolated().workers(2).build()) {
      String expected = json(inProcess, patients, 1);
      assertThat(expected).contains("\"id\":\"screen\"", "\"id\":\"good\"");
      assertThat(json(isolated, patients, 1)).isEqualTo(expected);
      assertThat(json(isolated, patients, 4)).isEqualTo(expected);
      EvaluationResult one = isolated.evaluate(patients.get(1), JAN_2025);
      assertThat(one).usingRecursiveComparison().ignoringFields("elapsed")
          .isEqualTo(inProcess.evaluate(patients.get(1), JAN_2025));

      assertThat(isolated.rules()).isEqualTo(inProcess.rules());
      assertThat(isolated.packs()).isEqualTo(inProcess.packs());
      assertThat(isolated.ruleSet()).isEqualTo(inProcess.ruleSet());
      assertThat(isolated.measures()).isEqualTo(inProcess.measures());
      assertThat(isolated.valueSets().all())
          .containsExactlyInAnyOrderElementsOf(inProcess.valueSets().all());
      assertThat(isolated.valueSets().find("test-colonoscopy")).contains(COLONOSCOPY);
    }
  }

  @Test
  void allowedCodeThatExhaustsTheHeapIsContainedAndFailClosedThrows() {
    try (CdsEngine engine = isolated().build()) {
      assertThat(isolationFailure(engine.evaluate(adult("hoard"), JAN_2025)).error())
          .isEqualTo("worker ran out of memory (-Xmx64m)");
      assertServesCorrectly(engine);
    }
    try (CdsEngine engine = isolated().failurePolicy(FailurePolicy.FAIL_CLOSED).build()) {
      assertThatThrownBy(() -> engine.evaluate(adult("hoard"), JAN_2025))
          .isInstanceOfSatisfying(EvaluationException.class, e ->
              assertThat(e.failures()).containsExactly(
                  new RuleFailure("(isolation)", "worker ran out of memory (-Xmx64m)")));
      assertServesCorrectly(engine);
    }
  }

  @Test
  void theRulePolicyIsOnInTheWorkerAndItsProblemsReachTheHost() {
    RuleFile exits = file("exits.drl", GOOD,
        supporting("Exits", "    Patient(id == \"exit\")", "    System.exit(7);"));
    RuleSetException inProcess = assertThrowsRuleSet(() ->
        CdsEngine.builder().addRules(exits).build());
    RuleSetException isolated = assertThrowsRuleSet(() ->
        IsolatedEngine.builder().addRules(exits).jvmOptions(FAST_START).build());
    assertThat(isolated.problems()).isNotEmpty().isEqualTo(inProcess.problems());
  }

  private static RuleSetException assertThrowsRuleSet(Runnable build) {
    try {
      build.run();
    } catch (RuleSetException e) {
      return e;
    }
    throw new AssertionError("expected the build to fail");
  }

  @Test
  void configurationErrorsAreReportedByBuild() {
    assertThatThrownBy(() -> IsolatedEngine.builder().addRulePack("no-such-pack")
        .jvmOptions(FAST_START).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no rule pack with the id 'no-such-pack' on the worker's class");
    assertThatThrownBy(() -> IsolatedEngine.builder().jvmOptions(FAST_START).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no rules");
    assertThatThrownBy(() -> IsolatedEngine.builder()
        .jvmOptions("-agentlib:jdwp=transport=dt_socket,server=y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no agents");
    assertThatThrownBy(() -> IsolatedEngine.builder().maxHeap("lots"))
        .hasMessage("maxHeap must be a size such as 256m or 1g: 'lots'");
    assertThatThrownBy(() -> IsolatedEngine.builder().addRules(RULES)
        .deadline(java.time.Duration.ofSeconds(1)).build())
        .hasMessage("deadline (1 s) must be at least the worker engine's elapsed-time backstop"
            + " (5 s)");
    assertThatThrownBy(() -> IsolatedEngine.builder().addRules(RULES)
        .javaExecutable(java.nio.file.Path.of("/no/such/java")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot start a worker JVM with /no/such/java");
  }

  @Test
  void aRequestOverTheMessageLimitIsRefusedBeforeItIsSent() {
    PatientRecord.Builder big = PatientRecord.builder(Facts.patient("big",
        LocalDate.of(1960, 1, 1)));
    for (int i = 0; i < 200; i++) {
      big.add(Facts.condition("c" + i, COLONOSCOPY.codes().iterator().next()));
    }
    try (CdsEngine engine = isolated().maxMessageBytes(16 * 1024).build()) {
      assertThatThrownBy(() -> engine.evaluate(big.build(), JAN_2025))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("over the 16384-byte limit (maxMessageBytes)");
      assertServesCorrectly(engine);
    }
  }

  @Test
  void closeLeavesNoWorkerRunning() throws Exception {
    CdsEngine engine = isolated().workers(2).build();
    assertServesCorrectly(engine);
    List<Long> pids = new ArrayList<>();
    long until = System.nanoTime() + 60_000_000_000L;
    while (pids.size() < 2 && System.nanoTime() < until) {
      Thread.sleep(100); // the second worker starts in the background
      pids = ((WorkerPool) engine).workerPids();
    }
    assertThat(pids).hasSize(2);
    assertThat(pids).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue()));
    engine.close();
    assertThat(pids).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(Worker.class.getName())))
        .isEmpty();
    assertThatThrownBy(() -> engine.evaluate(adult("late"), JAN_2025))
        .isInstanceOf(IllegalStateException.class).hasMessage("the engine is closed");
  }
}
