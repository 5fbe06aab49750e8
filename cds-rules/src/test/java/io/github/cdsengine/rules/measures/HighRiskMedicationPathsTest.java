package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Facts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS156 numerator paths the CMS test deck leaves out: a single order with a refill, same-day
 * orders whose covered periods start on different days, the anti-infective 90-day sum, the
 * digoxin average daily dose, and a benzodiazepine with a treated diagnosis. Each test adds orders
 * to the deck case "IPPass Patient65AtEndofMP" (in the denominator, not excluded, no orders).
 */
class HighRiskMedicationPathsTest {

  static final Code GLIMEPIRIDE = Code.of(RXNORM, "1361493");
  static final Code NITROFURANTOIN = Code.of(RXNORM, "1648759");
  static final Code DIGOXIN_0_25 = Code.of(RXNORM, "197606");
  static final Code DIGOXIN_0_125 = Code.of(RXNORM, "197604");
  static final Code CLOBAZAM = Code.of(RXNORM, "1366192");
  static final Code ANXIETY = Code.of(ICD_10_CM, "F41.1");

  static CdsEngine engine;
  static PatientRecord older;
  static int nextId;

  @BeforeAll
  static void build() {
    engine = MeasureDecks.engine("CMS156");
    older = MeasureDecks.patient(
        "UseofHighRiskMedicationsintheElderlyFHIR/79c12ad7-f7de-4b87-93c3-ef85e0a644f0");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static EvaluationResult evaluate(ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, older, added);
  }

  static int numerator(EvaluationResult result, int group) {
    return result.measure("CMS156", group).orElseThrow().count(Population.NUMERATOR);
  }

  static MedicationRequest order(Code medication, String authoredOn, DispenseRequest dispense,
      Dosage... dosage) {
    return Facts.order("mr" + ++nextId, medication).authoredOn(authoredOn).dispense(dispense)
        .dosage(dosage).build();
  }

  static DispenseRequest supply(String quantity, String days, Integer refills) {
    return Facts.supply(quantity, days, "d", refills);
  }

  static Dosage startingOn(String day) {
    return Dosage.builder().bounds(new Period(ClinicalTime.parse(day), null)).build();
  }

  @Test
  void noOrderIsNoNumerator() {
    EvaluationResult result = evaluate();
    assertThat(numerator(result, 1) + numerator(result, 2) + numerator(result, 3)).isZero();
    assertThat(result.recommendations()).isEmpty();
  }

  @ParameterizedTest(name = "one order with {0} refills: numerator 1 {1}")
  @CsvSource({"0, 0", "1, 1"})
  void aSingleOrderCountsWithARefill(int refills, int expected) {
    EvaluationResult result = evaluate(order(GLIMEPIRIDE, "2025-03-01T10:00:00Z",
        supply(null, "30", refills)));
    assertThat(numerator(result, 1)).isEqualTo(expected);
    assertThat(numerator(result, 3)).isEqualTo(expected);
    assertThat(numerator(result, 2)).isZero();
  }

  @ParameterizedTest(name = "same-day orders starting {0} and {1}: numerator 1 {2}")
  @CsvSource({
      "2025-03-01, 2025-03-15, 1",
      "2025-03-01, 2025-03-01, 0",
      "2025-03-01, 2026-01-01, 0",
  })
  void sameDayOrdersCountWhenTheirPeriodsStartOnDifferentDays(String first, String second,
      int expected) {
    EvaluationResult result = evaluate(
        order(GLIMEPIRIDE, "2025-03-01T09:00:00Z", supply(null, "14", null), startingOn(first)),
        order(GLIMEPIRIDE, "2025-03-01T10:00:00Z", supply(null, "14", null),
            startingOn(second)));
    assertThat(numerator(result, 1)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "anti-infectives {0} + {1} days: numerator 1 {2}")
  @CsvSource({"45, 45, 0", "46, 45, 1", "30, 60, 0"})
  void antiInfectivesCountAbove90DaysInAll(String first, String second, int expected) {
    EvaluationResult result = evaluate(
        order(NITROFURANTOIN, "2025-02-01T10:00:00Z", supply(null, first, null)),
        order(NITROFURANTOIN, "2025-06-01T10:00:00Z", supply(null, second, null)));
    assertThat(numerator(result, 1)).isEqualTo(expected);
  }

  @Test
  void digoxinCountsAboveAnAverageOf0125MgADay() {
    assertThat(numerator(evaluate(
        order(DIGOXIN_0_25, "2025-02-01T10:00:00Z", supply("30", "30", null)),
        order(DIGOXIN_0_25, "2025-03-01T10:00:00Z", supply("30", "30", null))), 1))
        .as("0.25 mg a day").isEqualTo(1);
    assertThat(numerator(evaluate(
        order(DIGOXIN_0_125, "2025-02-01T10:00:00Z", supply("30", "30", null)),
        order(DIGOXIN_0_125, "2025-03-01T10:00:00Z", supply("30", "30", null))), 1))
        .as("0.125 mg a day is not above").isZero();
  }

  @Test
  void aBenzodiazepineWithGeneralizedAnxietyIsNotNumerator2() {
    MedicationRequest first = order(CLOBAZAM, "2025-02-01T10:00:00Z", supply(null, "30", null));
    MedicationRequest second = order(CLOBAZAM, "2025-05-01T10:00:00Z", supply(null, "30", null));
    EvaluationResult without = evaluate(first, second);
    assertThat(numerator(without, 2)).isEqualTo(1);
    assertThat(without.recommendations()).extracting(r -> r.id())
        .containsExactly("cms156-antipsychotic-benzodiazepine");
    Condition anxiety = Condition.builder("c1", CodeableConcept.of(ANXIETY))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse("2024-06-01"))
        .build();
    assertThat(numerator(evaluate(first, second, anxiety), 2)).isZero();
    Condition afterIndex = Condition.builder("c2", CodeableConcept.of(ANXIETY))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse("2025-02-02"))
        .build();
    assertThat(numerator(evaluate(first, second, afterIndex), 2))
        .as("diagnosed after the first order").isEqualTo(1);
  }
}
