package io.github.cdsengine.rules.measures;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.EngineSessions;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.core.scenario.ScenarioReader;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Answering a record on which no rule could fire without a rule session gives the whole result a
 * session gives: for every shipped pack alone and all of them in one engine, over every measure
 * test-deck case (with its own measurement period), every Synthea patient (measurement period
 * 2025), every opioid CDS Hooks request and every example scenario, results compared whole as
 * JSON (recommendations with rationale, withheld ones, measure populations, data warnings,
 * failures). And the shortcut is taken: for some inputs of every measure pack alone.
 */
class UntouchedRecordsTest {

  private static final EvaluationContext OPIOID_CLOCK =
      EvaluationContext.on(LocalDate.of(2022, 12, 13), ZoneOffset.UTC);
  private static final EvaluationContext YEAR_2025 = EvaluationContext
      .at(LocalDate.of(2025, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));

  /** One evaluation: a name for messages, the record and its context. */
  private record Input(String name, PatientRecord record, EvaluationContext context) {}

  @Test
  void answeringWithoutASessionGivesWhatASessionGives() throws Exception {
    Path ecqm = Conformance.directory("ecqm");
    Path opioid = Conformance.directory("opioid-cds");
    List<Input> inputs = new ArrayList<>();
    inputs.addAll(deckCases(ecqm));
    inputs.addAll(syntheaPatients(Conformance.directory("synthea/bundles")));
    inputs.addAll(opioidRequests(opioid));
    inputs.addAll(scenarios(Path.of("../cds-examples/examples/scenarios")));
    assertThat(inputs).hasSizeGreaterThan(400);

    Map<String, Integer> shortcuts = new TreeMap<>();
    List<List<RulePack>> ruleSets = new ArrayList<>();
    ruleSets.add(ShippedRulePacks.all());
    for (RulePack pack : ShippedRulePacks.all()) {
      ruleSets.add(List.of(pack));
    }
    for (List<RulePack> packs : ruleSets) {
      String name = packs.size() == 1 ? packs.get(0).id() : "all packs";
      Map<String, String> withSession;
      try (CdsEngine engine = engine(packs, ecqm, opioid, false)) {
        withSession = run(engine, inputs);
      }
      try (CdsEngine engine = engine(packs, ecqm, opioid, true)) {
        int skipped = 0;
        for (Input input : inputs) {
          if (!EngineSessions.takesSession(engine, input.record(), input.context())) {
            skipped++;
          }
        }
        shortcuts.put(name, skipped);
        assertThat(run(engine, inputs)).as(name).isEqualTo(withSession);
      }
    }
    // The shortcut is real: every measure pack alone answers some of these inputs without a
    // session (most of them are other measures' patients).
    for (RulePack pack : ShippedRulePacks.measures()) {
      assertThat(shortcuts.get(pack.id())).as(pack.id() + " of " + shortcuts).isPositive();
    }
  }

  private static CdsEngine engine(List<RulePack> packs, Path ecqm, Path opioid,
      boolean shortcut) {
    return CdsEngine.builder().addRulePacks(packs)
        .addValueSets(ecqm.resolve("vocabulary/valueset"))
        .addValueSets(opioid.resolve("vocabulary/valueset"))
        .answerUntouchedRecordsWithoutSession(shortcut).build();
  }

  /** Each input's result as JSON, or the failure it threw, by name. */
  private static Map<String, String> run(CdsEngine engine, List<Input> inputs) {
    Map<String, String> byName = new TreeMap<>();
    for (Input input : inputs) {
      String result;
      try {
        result = ResultJson.standard().write(engine.evaluate(input.record(), input.context()));
      } catch (RuntimeException e) {
        result = "threw " + e;
      }
      byName.put(input.name(), result);
    }
    return byName;
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
      inputs.add(new Input("deck " + entry.getKey(),
          MeasureDecks.read(ecqm.resolve("tests").resolve(entry.getKey())), entry.getValue()));
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
              record, YEAR_2025));
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
      inputs.add(new Input("opioid " + name, request.record(), OPIOID_CLOCK));
    }
    return inputs;
  }

  /** Every example scenario, its draft orders marked, in its own context. */
  private static List<Input> scenarios(Path folder) throws IOException {
    List<Input> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        Scenario scenario = ScenarioReader.read(file);
        inputs.add(new Input("scenario " + folder.relativize(file),
            Scenario.withDraftOrders(scenario.record(), scenario.draftOrders()),
            scenario.context()));
      }
    }
    assertThat(inputs).as("scenarios in " + folder.toAbsolutePath()).hasSizeGreaterThan(50);
    return inputs;
  }
}
