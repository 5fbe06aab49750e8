package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS131 (DiabetesEyeExamFHIR.cql 0.0.002) at its lookback boundaries, on the deck case
 * "Qualifying encounter is Preventive Care Services Established Office Visit, 18 and Up": a
 * diabetic adult in the denominator with no eye exam on record.
 */
class DiabetesEyeExamPathsTest {

  /** In "Retinal or Dilated Eye Exam". */
  static final Code EYE_EXAM = Code.of(SNOMED_CT, "252779009");
  /** In "Diabetic Retinopathy". */
  static final Code RETINOPATHY = Code.of(ICD_10_CM, "E08.319");

  static CdsEngine engine;
  static PatientRecord diabetic;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS131");
    diabetic = MeasureDecks.patient("DiabetesEyeExamFHIR/5e00bc73-c96c-47c8-99f9-0d857acb3e72");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static EvaluationResult evaluate(ClinicalFact... added) {
    EvaluationResult result = MeasureDecks.evaluate(engine, diabetic, added);
    assertThat(cms131(result).count(Population.DENOMINATOR)).isOne();
    return result;
  }

  static MeasureResult cms131(EvaluationResult result) {
    return result.measure("CMS131", 1).orElseThrow();
  }

  static Observation exam(String effective) {
    return observation("exam-" + effective, EYE_EXAM).on(effective).category("exam").build();
  }

  static Condition retinopathy() {
    return Condition.builder("dr", CodeableConcept.of(RETINOPATHY))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .onset(ClinicalTime.parse("2020-05-01")).build();
  }

  @ParameterizedTest(name = "exam {0}: numerator {1} without retinopathy, {2} with it")
  @CsvSource({
      "2023-12-31, 0, 0",
      "2024-01-01, 1, 0",
      "2024-12-31, 1, 0",
      "2025-01-01, 1, 1",
      "2025-12-31, 1, 1",
      "2026-01-01, 0, 0",
  })
  void theLookbackIsTheYearBeforeOnlyWithoutRetinopathy(String effective, int without,
      int with) {
    assertThat(cms131(evaluate(exam(effective))).count(Population.NUMERATOR)).isEqualTo(without);
    assertThat(cms131(evaluate(exam(effective), retinopathy())).count(Population.NUMERATOR))
        .isEqualTo(with);
  }

  @Test
  void anExamWithoutAResultCountsButOneOutsideTheExamCategoryDoesNot() {
    assertThat(cms131(evaluate(exam("2025-03-01"))).count(Population.NUMERATOR)).isOne();
    assertThat(cms131(evaluate(observation("e", EYE_EXAM).on("2025-03-01").build()))
        .count(Population.NUMERATOR)).isZero();
  }

  @Test
  void theGapNamesTheLookbackThatApplies() {
    assertThat(evaluate().recommendations()).singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("from 2024-01-01 to 2025-12-31")
            .contains("none on record"));
    assertThat(evaluate(exam("2024-06-01"), retinopathy()).recommendations()).singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("diabetic retinopathy")
            .contains("Last eye exam: 2024-06-01"));
  }
}
