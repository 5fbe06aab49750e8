package io.github.cdsengine.rules.measures;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.engine.RuleImages;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped packs' rule images keep every pack's meaning: each combination the build writes an
 * image for (every pack on its own, every pack together, the guideline packs, the measure packs)
 * builds from its image, and answers every measure-deck case, every Synthea patient and every
 * example patient byte for byte as the same packs compiled from source do, in the 2025
 * measurement period. (The conformance and scenario tests of this module run on the images too,
 * since an engine reads one whenever there is one.)
 */
class RuleImageEquivalenceTest {

  private static final List<PatientRecord> PATIENTS = new ArrayList<>();

  @BeforeAll
  static void readPatients() throws IOException {
    Path ecqm = Conformance.directory("ecqm");
    for (Path deck : list(ecqm.resolve("tests"))) {
      for (Path caseFolder : list(deck)) {
        if (Files.isDirectory(caseFolder)) {
          PATIENTS.add(MeasureDecks.read(caseFolder));
        }
      }
    }
    FhirReader reader = FhirReader.create();
    for (Path file : list(Conformance.directory("synthea/bundles"))) {
      PATIENTS.addAll(reader.read(file).patients());
    }
    for (Path file : list(Path.of("..", "cds-examples", "examples", "patients"))) {
      if (file.toString().endsWith(".json")) {
        PATIENTS.addAll(reader.read(file).patients());
      }
    }
    assertThat(PATIENTS).hasSizeGreaterThanOrEqualTo(700);
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }

  @Test
  void everyPackOnItsOwnAnswersAsFromSource() {
    for (RulePack pack : ShippedRulePacks.all()) {
      assertSameAnswers(pack.id(), List.of(pack));
    }
  }

  @Test
  void theUsualCombinationsAnswerAsFromSource() {
    assertSameAnswers("every pack", ShippedRulePacks.all());
    assertSameAnswers("guideline packs", ShippedRulePacks.guidelines());
    assertSameAnswers("measure packs", ShippedRulePacks.measures());
  }

  private static void assertSameAnswers(String what, List<RulePack> packs) {
    String fromImage;
    String fromSource;
    try (CdsEngine engine = builder(packs).build()) {
      assertThat(engine.fromRuleImage()).as(what + " from its image").isTrue();
      fromImage = answers(engine);
    }
    try (CdsEngine engine = builder(packs).ruleImages(RuleImages.none()).build()) {
      assertThat(engine.fromRuleImage()).isFalse();
      fromSource = answers(engine);
    }
    assertThat(fromImage).as(what).isEqualTo(fromSource);
  }

  private static CdsEngine.Builder builder(List<RulePack> packs) {
    return CdsEngine.builder().addRulePacks(packs)
        .addValueSets(Conformance.directory("ecqm").resolve("vocabulary/valueset"))
        .addValueSets(Conformance.directory("opioid-cds").resolve("vocabulary/valueset"));
  }

  private static String answers(CdsEngine engine) {
    StringBuilder out = new StringBuilder();
    for (PatientRecord patient : PATIENTS) {
      EvaluationResult result = engine.evaluate(patient, MeasureDecks.YEAR_2025);
      out.append(ResultJson.standard().write(result)).append('\n');
    }
    return out.toString();
  }
}
