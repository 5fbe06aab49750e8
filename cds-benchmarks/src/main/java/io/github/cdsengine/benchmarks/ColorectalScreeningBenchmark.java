package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Time per patient (p50, p99) of every shipped rule run by the engine, beside the plain-Java
 * floor that decides the same, with one and two threads.
 *
 * <p>Each thread cycles through a fixed pool of synthetic patients of about 200 facts, evaluated
 * at one fixed instant. Before measuring, every patient of the pool is evaluated both ways and
 * the run stops if the answers differ (see {@link FloorCheck}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ColorectalScreeningBenchmark {

  /** The evaluation instant: noon UTC on 2025-06-01, in UTC. */
  static final EvaluationContext CLINIC_DAY =
      EvaluationContext.at(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

  /** The generator's seed: the same pool on every run. */
  static final long SEED = 20250601L;

  /** Patients in the pool. */
  static final int POOL_SIZE = 1_000;

  /** The engine, the floor and the patients, shared by all threads of one run. */
  @State(Scope.Benchmark)
  public static class Clinic {
    /**
     * Whether the engine answers a record on which no rule could fire without a rule session (its
     * default); {@code -p shortcut=true,false} compares both in one run.
     */
    @Param({"true"})
    public boolean shortcut;

    CdsEngine engine;
    PlainJavaColorectalScreening plainJava;
    PatientRecord[] patients;

    /** Builds the engine from every shipped pack, generates the pool and checks the floor. */
    @Setup(Level.Trial)
    public void open() {
      engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines())
          .answerUntouchedRecordsWithoutSession(shortcut).build();
      plainJava = new PlainJavaColorectalScreening(engine.valueSets());
      List<PatientRecord> pool = SyntheticPatients.generate(POOL_SIZE, SEED, CLINIC_DAY.date());
      FloorCheck.verify(engine, plainJava, pool, CLINIC_DAY);
      patients = pool.toArray(PatientRecord[]::new);
    }

    /** Releases the engine's sessions. */
    @TearDown(Level.Trial)
    public void close() {
      engine.close();
    }
  }

  /** One thread's place in the pool; threads start half a pool apart. */
  @State(Scope.Thread)
  public static class Queue {
    private int next;

    /** Starts this thread at its own offset in the pool. */
    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      next = thread.getThreadIndex() * POOL_SIZE / Math.max(thread.getThreadCount(), 1);
    }

    PatientRecord nextPatient(Clinic clinic) {
      PatientRecord patient = clinic.patients[next];
      next = next + 1 == clinic.patients.length ? 0 : next + 1;
      return patient;
    }
  }

  /** The engine evaluates one patient, one thread. */
  @Benchmark
  public EvaluationResult engine(Clinic clinic, Queue queue) {
    return clinic.engine.evaluate(queue.nextPatient(clinic), CLINIC_DAY);
  }

  /** The engine evaluates one patient, two threads sharing the engine. */
  @Benchmark
  @Threads(2)
  public EvaluationResult engineTwoThreads(Clinic clinic, Queue queue) {
    return clinic.engine.evaluate(queue.nextPatient(clinic), CLINIC_DAY);
  }

  /** The plain-Java floor evaluates one patient, one thread. */
  @Benchmark
  public PlainJavaColorectalScreening.Outcome plainJava(Clinic clinic, Queue queue) {
    return clinic.plainJava.evaluate(queue.nextPatient(clinic), CLINIC_DAY);
  }

  /** The plain-Java floor evaluates one patient, two threads. */
  @Benchmark
  @Threads(2)
  public PlainJavaColorectalScreening.Outcome plainJavaTwoThreads(Clinic clinic, Queue queue) {
    return clinic.plainJava.evaluate(queue.nextPatient(clinic), CLINIC_DAY);
  }
}
