package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per patient of the CMS measure packs, each alone and all twenty-one in one evaluation, over a
 * population of at least {@value #POPULATION} patients.
 *
 * <p>{@code source=deck}: the patients of the measures' test decks ({@code ecqm/tests} in the
 * conformance folder, every case of every measure), cycled to fill the population, each evaluated
 * with its own case's measurement period. {@code source=synthea}: the Synthea patients, whose
 * encounter codes fall outside these measures' value sets, so the packs mostly reject them early;
 * evaluated for the measurement period 2025. One thread, {@code Mode.SampleTime}, µs per patient;
 * for {@code measure=ALL} divide by the number of measure packs (twenty-one) for the cost per
 * patient-measure.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 1)
public class MeasureBenchmark {

  /** The least number of patients evaluated in turn. */
  static final int POPULATION = 10_000;

  /** The measurement period for Synthea patients. */
  static final EvaluationContext YEAR_2025 = EvaluationContext
      .at(LocalDate.of(2025, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));

  /** One engine and one population for the trial. */
  @State(Scope.Benchmark)
  public static class Population {
    /** A measure id such as CMS125, or ALL for every measure pack in one engine. */
    @Param({"CMS117", "CMS122", "CMS124", "CMS125", "CMS130", "CMS156", "CMS165", "CMS506",
        "CMS951", "CMS131", "CMS138", "CMS146", "CMS153", "CMS154", "CMS347", "CMS349", "CMS22",
        "CMS69", "CMS2", "CMS144", "CMS135", "ALL"})
    public String measure;

    /** Where the patients come from: deck or synthea. */
    @Param({"deck", "synthea"})
    public String source;

    /**
     * Whether the engine answers a record on which no rule could fire without a rule session (its
     * default); {@code -p shortcut=true,false} compares both in one run.
     */
    @Param({"true"})
    public boolean shortcut;

    CdsEngine engine;
    PatientRecord[] patients;
    EvaluationContext[] contexts;
    private int next;

    /** Builds the engine and reads the population. */
    @Setup(Level.Trial)
    public void open() throws IOException {
      Path conformance = FhirReadBenchmark.Corpus.bundleFolder().getParent().getParent();
      Path ecqm = conformance.resolve("ecqm");
      List<RulePack> packs = ShippedRulePacks.measures().stream()
          .filter(p -> measure.equals("ALL")
              || p.measures().stream().anyMatch(m -> m.id().equals(measure)))
          .toList();
      if (packs.isEmpty()) {
        throw new IllegalStateException("no shipped measure pack for " + measure);
      }
      engine = CdsEngine.builder().addRulePacks(packs)
          .addValueSets(ecqm.resolve("vocabulary/valueset"))
          .answerUntouchedRecordsWithoutSession(shortcut).build();
      List<PatientRecord> records = new ArrayList<>();
      List<EvaluationContext> contexts = new ArrayList<>();
      if (source.equals("deck")) {
        readDeck(ecqm, records, contexts);
      } else {
        readSynthea(conformance.resolve("synthea/bundles"), records, contexts);
      }
      int size = Math.max(POPULATION, records.size());
      patients = new PatientRecord[size];
      this.contexts = new EvaluationContext[size];
      for (int i = 0; i < size; i++) {
        patients[i] = records.get(i % records.size());
        this.contexts[i] = contexts.get(i % records.size());
      }
      System.out.printf("%n%s on %s: %d distinct patients cycled to %d%n", measure, source,
          records.size(), size);
    }

    /** Releases the engine. */
    @TearDown(Level.Trial)
    public void close() {
      engine.close();
    }

    private static void readDeck(Path ecqm, List<PatientRecord> records,
        List<EvaluationContext> contexts) throws IOException {
      Map<String, EvaluationContext> periods = new HashMap<>();
      for (String line : Files.readAllLines(ecqm.resolve("expected.tsv"))) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        LocalDate end = LocalDate.parse(f[4]);
        periods.putIfAbsent(f[0] + "/" + f[1], EvaluationContext
            .at(end.atTime(23, 59, 59).atZone(ZoneOffset.UTC))
            .withMeasurementPeriod(LocalDate.parse(f[3]), end));
      }
      FhirReader reader = FhirReader.create().onePatientPerInput();
      List<String> cases = new ArrayList<>(periods.keySet());
      cases.sort(null);
      for (String key : cases) {
        try (Stream<Path> list = Files.list(ecqm.resolve("tests").resolve(key))) {
          records.add(reader.read(list.filter(p -> p.toString().endsWith(".json")).sorted()
              .toList()).onlyPatient());
          contexts.add(periods.get(key));
        } catch (InvalidPatientDataException e) {
          System.out.println("skipped unreadable case " + key + ": " + e.getMessage());
        }
      }
    }

    private static void readSynthea(Path bundles, List<PatientRecord> records,
        List<EvaluationContext> contexts) {
      FhirReader reader = FhirReader.create();
      try (Stream<Path> list = Files.list(bundles)) {
        for (Path bundle : list.sorted().toList()) {
          for (PatientRecord record : reader.read(bundle).patients()) {
            records.add(record);
            contexts.add(YEAR_2025);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    EvaluationResult evaluateNext() {
      int i = next;
      next = next + 1 == patients.length ? 0 : next + 1;
      return engine.evaluate(patients[i], contexts[i]);
    }
  }

  /** Evaluates the next patient of the population. */
  @Benchmark
  public EvaluationResult evaluate(Population population) {
    return population.evaluateNext();
  }
}
