package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.Facts.patient;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.terminology.ValueSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MatchedFact;

/**
 * Dispenses reach rules as other record facts do: only when some pattern names them, filtered by
 * the pattern's value set, never when entered in error, with a data warning when a completed
 * one has no hand-over time.
 */
class EngineMedicationDispenseTest {

  private static final Code OXYCODONE = Code.of(RXNORM, "1049621");
  private static final ValueSet OPIOIDS = new ValueSet("test-opioids",
      "http://example.org/ValueSet/test-opioids", "1", "Opioids (test)", Set.of(OXYCODONE));

  private static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder().addValueSet(OPIOIDS).addRules(file("dispense.drl",
        recommending("Opioid dispensed", "opioid-dispensed", "USPSTF:B", "medication-safety",
            "info", "    MedicationDispense(valueSets.includes(\"test-opioids\", medication))",
            "dispensed")))
        .build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static MedicationDispense dispense(String id, MedicationDispenseStatus status,
      Code medication, LocalDate handedOver) {
    return new MedicationDispense(id, status, CodeableConcept.of(medication),
        handedOver == null ? null : ClinicalTime.of(handedOver));
  }

  private static EvaluationResult evaluate(MedicationDispense... dispenses) {
    PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 1, 1)))
        .addAll(List.of(dispenses)).build();
    return engine.evaluate(record, EngineEvaluationTest.JAN_2025);
  }

  @Test
  void aDispenseInTheValueSetIsMatchedAndNamedInTheRationale() {
    EvaluationResult result = evaluate(dispense("md1", MedicationDispenseStatus.COMPLETED,
        OXYCODONE, LocalDate.of(2024, 12, 1)));

    assertThat(result.recommendation("opioid-dispensed").orElseThrow().rationale())
        .contains(new MatchedFact("MedicationDispense", "md1", null));
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void anEnteredInErrorDispenseNeverReachesTheRules() {
    EvaluationResult result = evaluate(dispense("md1", MedicationDispenseStatus.ENTERED_IN_ERROR,
        OXYCODONE, LocalDate.of(2024, 12, 1)));

    assertThat(result.recommendation("opioid-dispensed")).isEmpty();
  }

  @Test
  void aCompletedDispenseWithNoHandOverTimeOrOneAfterNowIsADataWarning() {
    EvaluationResult result = evaluate(
        dispense("undated", MedicationDispenseStatus.COMPLETED, OXYCODONE, null),
        dispense("later", MedicationDispenseStatus.COMPLETED, OXYCODONE,
            LocalDate.of(2025, 1, 2)),
        dispense("preparing", MedicationDispenseStatus.PREPARATION, OXYCODONE, null));

    assertThat(result.warnings()).extracting(DataWarning::toString).containsExactlyInAnyOrder(
        "MedicationDispense/undated: has no date, so no lookback can count it",
        "MedicationDispense/later: is dated 2025-01-02, after the evaluation instant "
            + "2025-01-01T00:00:00Z, so no lookback counts it");
  }
}
