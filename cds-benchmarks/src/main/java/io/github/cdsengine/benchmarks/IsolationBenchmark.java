package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.isolated.IsolatedEngine;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.rules.ShippedRulePacks;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per evaluation (p50, p99) of one typical patient, in process and isolated: the same
 * shipped guideline packs, the same patient (about 200 facts, the first of {@link
 * ColorectalScreeningBenchmark}'s pool), evaluated again and again on one thread. The difference
 * is the price of isolation: writing the record and context as JSON, two pipe transfers, reading
 * the result back, on top of the evaluation in the worker.
 *
 * <p>Before measuring, the isolated result is checked to be the in-process result, byte for byte
 * as {@code ResultJson.standard()} writes them.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class IsolationBenchmark {

  /** Both engines and the patient. */
  @State(Scope.Benchmark)
  public static class Clinic {
    CdsEngine inProcess;
    CdsEngine isolated;
    PatientRecord patient;

    /** Builds both engines from the shipped guideline packs and checks they agree. */
    @Setup(Level.Trial)
    public void open() {
      List<RulePack> packs = ShippedRulePacks.guidelines();
      inProcess = CdsEngine.builder().addRulePacks(packs).build();
      IsolatedEngine.Builder builder = IsolatedEngine.builder().maxHeap("256m");
      packs.forEach(pack -> builder.addRulePack(pack.id()));
      isolated = builder.build();
      patient = SyntheticPatients.generate(1, ColorectalScreeningBenchmark.SEED,
          ColorectalScreeningBenchmark.CLINIC_DAY.date()).get(0);
      String expected = ResultJson.standard().write(
          inProcess.evaluate(patient, ColorectalScreeningBenchmark.CLINIC_DAY));
      String actual = ResultJson.standard().write(
          isolated.evaluate(patient, ColorectalScreeningBenchmark.CLINIC_DAY));
      if (!expected.equals(actual)) {
        throw new IllegalStateException("the isolated result differs from the in-process one");
      }
    }

    /** Stops the worker and releases the in-process engine's sessions. */
    @TearDown(Level.Trial)
    public void close() {
      isolated.close();
      inProcess.close();
    }
  }

  /** The in-process engine evaluates the patient. */
  @Benchmark
  public EvaluationResult inProcess(Clinic clinic) {
    return clinic.inProcess.evaluate(clinic.patient, ColorectalScreeningBenchmark.CLINIC_DAY);
  }

  /** The isolated engine, one worker, evaluates the patient. */
  @Benchmark
  public EvaluationResult isolated(Clinic clinic) {
    return clinic.isolated.evaluate(clinic.patient, ColorectalScreeningBenchmark.CLINIC_DAY);
  }
}
