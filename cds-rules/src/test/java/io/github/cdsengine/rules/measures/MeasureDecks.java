package io.github.cdsengine.rules.measures;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measure engines and test-deck patients for tests that vary a deck case: the deck folder is
 * read in place ({@code ecqm} in the conformance folder), never copied.
 */
final class MeasureDecks {

  /** The 2025 measurement period of the decks, evaluated at its last second, in UTC. */
  static final EvaluationContext YEAR_2025 = EvaluationContext
      .at(LocalDate.of(2025, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));

  private MeasureDecks() {}

  /** The ecqm folder, if present. */
  static Optional<Path> folder() {
    return Conformance.find("ecqm");
  }

  /** An engine with the packs of these measures and the decks' value sets, or null without them. */
  static CdsEngine engine(String... measureIds) {
    Optional<Path> ecqm = folder();
    if (ecqm.isEmpty()) {
      return null;
    }
    Set<String> ids = Set.of(measureIds);
    return CdsEngine.builder().addRulePacks(ShippedRulePacks.measures().stream()
            .filter(p -> p.measures().stream().anyMatch(m -> ids.contains(m.id())))
            .toList())
        .addValueSets(ecqm.get().resolve("vocabulary/valueset")).build();
  }

  /** The patient of one deck case, {@code deck/caseId}, or null without the folder. */
  static PatientRecord patient(String deckCase) {
    Optional<Path> ecqm = folder();
    return ecqm.isEmpty() ? null : read(ecqm.get().resolve("tests").resolve(deckCase));
  }

  /**
   * The patient of a case folder (one resource a file), read as one input whose resources all
   * belong to its one patient, as the decks are laid out.
   */
  static PatientRecord read(Path caseFolder) {
    try (Stream<Path> files = Files.list(caseFolder)) {
      return FhirReader.create().onePatientPerInput()
          .read(files.filter(p -> p.toString().endsWith(".json")).sorted().toList())
          .onlyPatient();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Evaluates {@code base} with {@code added} facts in the 2025 period; the calling test is
   * skipped when the conformance folder is absent, and fails when a rule fails.
   */
  static EvaluationResult evaluate(CdsEngine engine, PatientRecord base, ClinicalFact... added) {
    Conformance.assumePresent(engine != null, "no conformance folder: " + Conformance.find("ecqm"));
    PatientRecord record = PatientRecord.builder(base.patient())
        .addAll(base.facts().filter(f -> f != base.patient()).toList())
        .addAll(List.of(added)).build();
    EvaluationResult result = engine.evaluate(record, YEAR_2025);
    assertThat(result.failures()).isEmpty();
    return result;
  }
}
