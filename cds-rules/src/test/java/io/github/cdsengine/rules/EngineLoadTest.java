package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Load: eight threads sharing one engine make 8,000,000 evaluations of the Synthea patients (a
 * million each, taking the next from one counter), give exactly the results one thread gives, and the heap retained
 * after the first 100,000 evaluations does not grow by the last 100,000.
 *
 * <p>Tagged {@code stress}: the default build leaves it out; {@code mvn -Pstress} runs it (and
 * {@code .ci/run} does), in about 3.5 minutes on 2 cores. {@code -Dcds.stress.evaluations=N}
 * sets the total for a quicker run.
 *
 * <p>Retained heap is the used heap after a forced full collection: {@link System#gc()} is called
 * until the used heap ({@link MemoryMXBean#getHeapMemoryUsage()}) stops falling (three
 * collections in a row within 64 KiB of the lowest seen), with every worker idle, and the lowest
 * figure is taken. It is measured after the first 100,000 evaluations and after the last
 * 100,000.
 */
@Tag("stress")
class EngineLoadTest {

  static final int THREADS = 8;
  static final long PHASE = 100_000;
  /**
   * Growth of retained heap allowed between the two measurements: 4 MiB. A leak of one object
   * (16 bytes at least) per evaluation over the 900,000 evaluations between them retains more
   * than 13 MiB; the noise of the measurement after full collections is well under 1 MiB.
   */
  static final long TOLERANCE_BYTES = 4L << 20;

  @Test
  void eightThreadsGiveOneThreadsResultsWithoutRetainingHeap() throws Exception {
    Path bundles = Conformance.directory("synthea/bundles");
    long total = Long.getLong("cds.stress.evaluations", 8_000_000L);
    assertThat(total).as("cds.stress.evaluations").isGreaterThanOrEqualTo(3 * PHASE);

    List<PatientRecord> patients = new ArrayList<>();
    FhirReader reader = FhirReader.create();
    try (Stream<Path> list = Files.list(bundles)) {
      for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
        patients.addAll(reader.read(file).patients());
      }
    }
    assertThat(patients).as("Synthea patients").hasSizeGreaterThan(50);
    EvaluationContext context = EvaluationContext.on(LocalDate.of(2025, 6, 15), ZoneOffset.UTC);

    try (CdsEngine engine = CdsEngine.builder()
        .addRulePacks(ShippedRulePacks.guidelines()).build()) {
      List<EvaluationResult> expected = new ArrayList<>();
      for (PatientRecord patient : patients) {
        expected.add(comparable(engine.evaluate(patient, context)));
      }
      assertThat(expected).as("the run must see recommendations at all")
          .anyMatch(r -> !r.recommendations().isEmpty());

      AtomicLong mismatches = new AtomicLong();
      AtomicReference<String> firstMismatch = new AtomicReference<>();
      AtomicLong next = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        long started = System.nanoTime();
        Evaluation one = end ->
            evaluateNext(end, engine, context, patients, expected, next, mismatches,
                firstMismatch);
        runUpTo(PHASE, pool, one);
        long afterFirst = retainedHeap();
        runUpTo(total - PHASE, pool, one);
        long beforeLast = retainedHeap();
        runUpTo(total, pool, one);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long afterLast = retainedHeap();

        System.out.printf("EngineLoadTest: %,d evaluations of %d patients on %d threads in %s"
                + " (%.1f µs each); retained heap after the first %,d: %,d bytes, before the"
                + " last %,d: %,d bytes, after them: %,d bytes (growth %,d bytes)%n",
            next.get(), patients.size(), THREADS, took,
            took.toNanos() / 1000.0 / next.get(), PHASE, afterFirst, PHASE, beforeLast,
            afterLast, afterLast - afterFirst);
        assertThat(next.get()).isEqualTo(total);
        assertThat(mismatches.get()).as("results that differ from one thread's: first %s",
            firstMismatch.get()).isZero();
        assertThat(afterLast - afterFirst)
            .as("retained heap growth from the first %,d evaluations to the last", PHASE)
            .isLessThan(TOLERANCE_BYTES);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** One evaluation, if the count of evaluations is still below {@code end}. */
  interface Evaluation {
    boolean runBelow(long end);
  }

  /** Runs evaluations on every thread of {@code pool} until their count reaches {@code end}. */
  static void runUpTo(long end, ExecutorService pool, Evaluation one) throws Exception {
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        while (one.runBelow(end)) {
          // evaluates
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  /** Claims the next evaluation below {@code end}, runs it and checks its result. */
  static boolean evaluateNext(long end, CdsEngine engine, EvaluationContext context,
      List<PatientRecord> patients, List<EvaluationResult> expected, AtomicLong next,
      AtomicLong mismatches, AtomicReference<String> firstMismatch) {
    long i = next.getAndUpdate(n -> n < end ? n + 1 : n);
    if (i >= end) {
      return false;
    }
    int patient = (int) (i % patients.size());
    EvaluationResult result = comparable(engine.evaluate(patients.get(patient), context));
    if (!result.equals(expected.get(patient))) {
      mismatches.incrementAndGet();
      firstMismatch.compareAndSet(null, "evaluation " + i + " of patient "
          + result.patientId() + ": " + summary(result) + " against " + summary(
              expected.get(patient)));
    }
    return true;
  }

  /** The result without its elapsed time, the one field that may differ between runs. */
  static EvaluationResult comparable(EvaluationResult r) {
    return new EvaluationResult(r.patientId(), r.instant(), r.recommendations(), r.withheld(),
        r.measures(), r.warnings(), r.failures(), Duration.ZERO, r.ruleSet());
  }

  /** Ids only: recommendation ids shown and withheld, warning and failure counts. */
  static String summary(EvaluationResult r) {
    return "shown " + r.recommendations().stream().map(x -> x.id()).toList()
        + ", withheld " + r.withheld().stream().map(w -> w.recommendation().id()).toList()
        + ", " + r.warnings().size() + " warnings, failed rules "
        + r.failures().stream().map(f -> f.rule()).toList();
  }

  /** Used heap after full collections, once it stops falling. */
  static long retainedHeap() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long lowest = Long.MAX_VALUE;
    int steady = 0;
    for (int round = 0; round < 20 && steady < 3; round++) {
      System.gc();
      Thread.sleep(100);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used < lowest - (64 << 10)) {
        steady = 0;
      } else {
        steady++;
      }
      lowest = Math.min(lowest, used);
    }
    return lowest;
  }
}
