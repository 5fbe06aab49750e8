package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static io.github.cdsengine.core.testing.Facts.order;
import static io.github.cdsengine.core.testing.Facts.supply;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS138 (PreventiveCareAndTobaccoUseScreeningAndCessationInterventionFHIR.cql 0.0.001) on the
 * deck case "Patient 12 years old seen for two visits who were screened for tobacco use during
 * MP": a tobacco user (screened 2025-01-01T23:00Z) with no cessation intervention, in the
 * group 2 denominator with a care gap.
 */
class TobaccoScreeningPathsTest {

  /** Smoking and tobacco use cessation counseling: in "Tobacco Use Cessation Counseling". */
  static final Code COUNSELING = Code.of("http://www.ama-assn.org/go/cpt", "99406");
  /** Bupropion: in "Tobacco Use Cessation Pharmacotherapy". */
  static final Code BUPROPION = Code.of(RXNORM, "1232585");
  /** "Tobacco Use Screening". */
  static final Code SCREENING = Code.of("http://loinc.org", "39240-7");
  /** Non-smoker: in "Tobacco Non User". */
  static final Code NON_SMOKER = Code.of(SNOMED_CT, "105539002");

  static CdsEngine engine;
  static PatientRecord user;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS138");
    user = MeasureDecks.patient("PreventiveCareAndTobaccoUseScreeningAndCessationInterventionFHIR/"
        + "1a070602-c572-4581-b438-989aaa417e64");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static int count(EvaluationResult result, int group, Population population) {
    return result.measure("CMS138", group).orElseThrow().count(population);
  }

  static EvaluationResult evaluate(ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, user, added);
  }

  @Test
  void aUserWithoutAnInterventionHasTheCessationGapOnly() {
    EvaluationResult result = evaluate();

    assertThat(count(result, 1, Population.NUMERATOR)).isOne();
    assertThat(count(result, 2, Population.DENOMINATOR)).isOne();
    assertThat(count(result, 2, Population.NUMERATOR)).isZero();
    assertThat(count(result, 3, Population.NUMERATOR)).isZero();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms138-tobacco-cessation-intervention");
      assertThat(r.detail()).contains("from 2024-07-01 to 2025-12-31")
          .contains("nonpregnant adults").contains("grade I");
    });
  }

  @ParameterizedTest(name = "counseling {0}: numerator 2 {1}")
  @CsvSource({"2024-06-30, 0", "2024-07-01, 1", "2025-12-31, 1", "2026-01-01, 0"})
  void counselingFromSixMonthsBeforeThePeriodCounts(String performed, int numerator) {
    Procedure counseling = new Procedure("c", EventStatus.COMPLETED,
        CodeableConcept.of(COUNSELING), Period.at(performed));

    EvaluationResult result = evaluate(counseling);

    assertThat(count(result, 2, Population.NUMERATOR)).isEqualTo(numerator);
    assertThat(count(result, 3, Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void aTobaccoAbuseCounselingConditionStartingInTheSpanCounts() {
    Condition counseled = Condition.builder("z716",
            CodeableConcept.of(Code.of(ICD_10_CM, "Z71.6")))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .onset(ClinicalTime.parse("2024-09-01")).build();

    assertThat(count(evaluate(counseled), 2, Population.NUMERATOR)).isOne();
  }

  @ParameterizedTest(name = "active bupropion from {0} for {1} days: numerator 2 {2}")
  @CsvSource({
      // Wholly within 2024-07-01 to 2025-12-31.
      "2024-07-01, 30, 1",
      // Starting the day before the span: an active order must lie wholly within it.
      "2024-06-30, 30, 0",
  })
  void activePharmacotherapyMustLieWithinTheSpan(String authored, String days, int numerator) {
    assertThat(count(evaluate(order("b", BUPROPION).authoredOn(authored)
        .dispense(supply(null, days, "d", null)).build()), 2, Population.NUMERATOR))
        .isEqualTo(numerator);
  }

  @Test
  void aLaterNonUserScreeningMakesThePatientANonUser() {
    EvaluationResult result = evaluate(observation("later", SCREENING)
        .effective(new Period(ClinicalTime.parse("2025-06-01T10:00:00Z"),
            ClinicalTime.parse("2025-06-01T10:05:00Z")))
        .value(NON_SMOKER).category("survey").build());

    assertThat(count(result, 2, Population.DENOMINATOR)).isZero();
    assertThat(count(result, 1, Population.NUMERATOR)).isOne();
    assertThat(count(result, 3, Population.NUMERATOR)).isOne();
    assertThat(result.recommendations()).isEmpty();
  }

  @Test
  void aLaterScreeningWithNeitherAnswerLeavesGroupOneOpen() {
    EvaluationResult result = evaluate(observation("later", SCREENING)
        .effective(new Period(ClinicalTime.parse("2025-06-01T10:00:00Z"),
            ClinicalTime.parse("2025-06-01T10:05:00Z")))
        .value(Code.of(SNOMED_CT, "261665006")).category("survey").build());

    assertThat(count(result, 1, Population.NUMERATOR)).isZero();
    assertThat(count(result, 2, Population.DENOMINATOR)).isZero();
    assertThat(result.recommendations()).singleElement()
        .satisfies(r -> assertThat(r.id()).isEqualTo("cms138-tobacco-screening-and-cessation"));
  }
}
