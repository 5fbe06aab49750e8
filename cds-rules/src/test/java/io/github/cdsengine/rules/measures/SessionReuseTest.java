package io.github.cdsengine.rules.measures;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A session cleared by deleting its facts ({@link SessionReuse#DELETE_FACTS}, the default) gives
 * every later evaluation exactly the result a session reset by Drools ({@link SessionReuse#RESET})
 * gives: every shipped pack in one engine, over every measure test-deck case (with its own
 * measurement period), every Synthea patient and every opioid CDS Hooks request, in file order,
 * in reverse and shuffled over four threads, so that each session serves patients in many
 * different sequences.
 */
class SessionReuseTest {

  private static final EvaluationContext OPIOID_CLOCK =
      EvaluationContext.on(LocalDate.of(2022, 12, 13), ZoneOffset.UTC);
  private static final EvaluationContext YEAR_2025 = EvaluationContext
      .at(LocalDate.of(2025, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));

  /** One evaluation to repeat: a name for messages and the call. */
  private record Input(String name, Function<CdsEngine, EvaluationResult> evaluation) {}

  @Test
  void deletingFactsGivesWhatAResetGivesInAnyOrder() throws Exception {
    Path ecqm = Conformance.directory("ecqm");
    Path opioid = Conformance.directory("opioid-cds");
    List<Input> inputs = new ArrayList<>();
    inputs.addAll(deckCases(ecqm));
    inputs.addAll(syntheaPatients(Conformance.directory("synthea/bundles")));
    inputs.addAll(opioidRequests(opioid));
    assertThat(inputs).hasSizeGreaterThan(350);

    Map<String, String> reset;
    try (CdsEngine engine = engine(SessionReuse.RESET, ecqm, opioid)) {
      reset = run(engine, inputs, 1);
    }
    String all = String.join("\n", reset.values());
    // Not trivially equal: populations, recommendations with rationale, and data warnings.
    assertThat(all).contains("\"DENOMINATOR_EXCLUSION\"", "\"NUMERATOR\"",
        "\"recommendations\":[{", "\"rationale\":[{", "\"warnings\":[{");

    List<Input> reversed = new ArrayList<>(inputs);
    Collections.reverse(reversed);
    List<Input> shuffled = new ArrayList<>(inputs);
    Collections.shuffle(shuffled, new Random(20261122));
    try (CdsEngine engine = engine(SessionReuse.DELETE_FACTS, ecqm, opioid)) {
      assertThat(run(engine, inputs, 1)).isEqualTo(reset);
      assertThat(run(engine, reversed, 1)).isEqualTo(reset);
      assertThat(run(engine, shuffled, 4)).isEqualTo(reset);
    }
  }

  private static CdsEngine engine(SessionReuse reuse, Path ecqm, Path opioid) {
    return CdsEngine.builder().addRulePacks(ShippedRulePacks.all())
        .addValueSets(ecqm.resolve("vocabulary/valueset"))
        .addValueSets(opioid.resolve("vocabulary/valueset"))
        .sessionReuse(reuse).build();
  }

  /** Each input's result as JSON, by name; every evaluation must complete. */
  private static Map<String, String> run(CdsEngine engine, List<Input> inputs, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (Input input : inputs) {
        results.add(pool.submit(() -> {
          EvaluationResult result = input.evaluation().apply(engine);
          assertThat(result.failures()).as(input.name()).isEmpty();
          return ResultJson.standard().write(result);
        }));
      }
      Map<String, String> byName = new java.util.TreeMap<>();
      for (int i = 0; i < inputs.size(); i++) {
        byName.put(inputs.get(i).name(), results.get(i).get());
      }
      return byName;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Input> deckCases(Path ecqm) throws IOException {
    Map<String, EvaluationContext> periods = new LinkedHashMap<>();
    for (MeasureConformanceTest.Expected expected
        : MeasureConformanceTest.readExpected(ecqm.resolve("expected.tsv"))) {
      periods.putIfAbsent(expected.deck() + "/" + expected.caseId(), EvaluationContext
          .at(expected.end().atTime(23, 59, 59).atZone(ZoneOffset.UTC))
          .withMeasurementPeriod(expected.start(), expected.end()));
    }
    List<Input> inputs = new ArrayList<>();
    for (Map.Entry<String, EvaluationContext> entry : periods.entrySet()) {
      PatientRecord record = MeasureDecks.read(ecqm.resolve("tests").resolve(entry.getKey()));
      inputs.add(new Input("deck " + entry.getKey(),
          engine -> engine.evaluate(record, entry.getValue())));
    }
    return inputs;
  }

  private static List<Input> syntheaPatients(Path bundles) throws IOException {
    FhirReader reader = FhirReader.create();
    List<Input> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(bundles)) {
      for (Path bundle : files.filter(Files::isRegularFile).sorted().toList()) {
        for (PatientRecord record : reader.read(bundle).patients()) {
          inputs.add(new Input("synthea " + bundle.getFileName() + " " + record.patient().id(),
              engine -> engine.evaluate(record, YEAR_2025)));
        }
      }
    }
    return inputs;
  }

  private static List<Input> opioidRequests(Path folder) throws IOException {
    FhirReader reader = FhirReader.create();
    List<Input> inputs = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("expected.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String name = line.split("\t", -1)[0];
      CdsHooksRequest request;
      try (InputStream in = Files.newInputStream(folder.resolve(name))) {
        request = reader.readCdsHooksRequest(in, name);
      }
      inputs.add(new Input("opioid " + name, engine -> engine.evaluate(request.record(), OPIOID_CLOCK)));
    }
    return inputs;
  }
}
