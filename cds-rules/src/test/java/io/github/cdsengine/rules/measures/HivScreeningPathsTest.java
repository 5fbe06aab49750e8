package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.LOINC;
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
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Facts.ObservationBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS349 (HIVScreeningFHIR.cql 0.2.000) at its boundaries, on the deck case "Patient 31 at start
 * of MP, qualifying encounter during MP, no HIV diagnosis" (born 1993-07-31: 15 on 2008-07-31,
 * 66 on 2059-07-31), in the denominator with a care gap.
 */
class HivScreeningPathsTest {

  /** HIV 1+2 Ab [Presence] in Serum: in "Human Immunodeficiency Virus (HIV) Laboratory Test
   * Codes (Ab and Ag)". */
  static final Code HIV_AB = Code.of(LOINC, "7917-8");
  /** The measure's direct reference code "HIV 1 and 2 tests - Meaningful Use set". */
  static final Code HIV_MU_SET = Code.of(LOINC, "75622-1");
  /** ICD-10-CM B20, HIV disease: in "HIV". */
  static final Code HIV_DISEASE = Code.of(ICD_10_CM, "B20");

  static CdsEngine engine;
  static PatientRecord adult;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS349");
    adult = MeasureDecks.patient("HIVScreeningFHIR/415a39a6-74db-4168-b704-291c71c8def9");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult cms349(EvaluationResult result) {
    return result.measure("CMS349", 1).orElseThrow();
  }

  static MeasureResult with(ClinicalFact... added) {
    MeasureResult result = cms349(MeasureDecks.evaluate(engine, adult, added));
    assertThat(result.count(Population.DENOMINATOR)).as("the base case is in the denominator")
        .isOne();
    return result;
  }

  static ObservationBuilder test(Code code, String effective) {
    return observation("hiv-" + code.code() + "-" + effective, code).on(effective)
        .value(Code.of("http://snomed.info/sct", "260385009"));
  }

  @Test
  void theBaseCaseHasACareGapNamingTheAgeFifteenStart() {
    EvaluationResult result = MeasureDecks.evaluate(engine, adult);

    assertThat(cms349(result).careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms349-hiv-screening");
      assertThat(r.detail()).contains("since 2008-07-31").contains("grade A");
    });
  }

  @ParameterizedTest(name = "test on {0}: numerator {1}")
  @CsvSource({
      // The day before the 15th birthday, and the birthday itself.
      "2008-07-30, 0",
      "2008-07-31, 1",
      "2020-03-01, 1",
      // Before the end of the period at the recorded precision: the last day as a date is not.
      "2025-12-30, 1",
      "2025-12-31, 0",
      "2025-12-31T12:00:00Z, 1",
      "2026-01-01, 0",
  })
  void aTestCountsFromAgeFifteenToTheEndOfThePeriod(String effective, int numerator) {
    assertThat(with(test(HIV_AB, effective).build()).count(Population.NUMERATOR))
        .isEqualTo(numerator);
  }

  @Test
  void theDirectReferenceCodeCountsAsTheValueSetDoes() {
    assertThat(with(test(HIV_MU_SET, "2025-03-01").build()).count(Population.NUMERATOR))
        .isOne();
  }

  @Test
  void aTestWithoutAResultOrNotFinalDoesNotCount() {
    assertThat(with(observation("no-value", HIV_AB).on("2025-03-01").build(),
        test(HIV_AB, "2025-03-02").status(ObservationStatus.PRELIMINARY).build())
        .count(Population.NUMERATOR)).isZero();
  }

  @Test
  void aTestOfAnyCategoryCounts() {
    // The CQL tests the status itself, not isLaboratoryTestPerformed: no category is needed.
    assertThat(with(test(HIV_AB, "2025-03-01").category(null).build())
        .count(Population.NUMERATOR)).isOne();
  }

  @ParameterizedTest(name = "onset {0}, {1}: excluded {2}")
  @CsvSource({
      "2024-12-31, CONFIRMED, 1",
      "2025-01-01, CONFIRMED, 0",
      "2024-12-31, REFUTED, 0",
      "2024-12-31, UNCONFIRMED, 1",
      "2024-12, PROVISIONAL, 1",
  })
  void anHivDiagnosisBeforeThePeriodExcludesUnlessRefuted(String onset,
      VerificationStatus verification, int excluded) {
    Condition hiv = Condition.builder("hiv", CodeableConcept.of(HIV_DISEASE))
        .verificationStatus(verification).onset(ClinicalTime.parse(onset)).build();

    assertThat(with(hiv).count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @Test
  void anHivDiagnosisWithNoOnsetIsPrevalentFromEverAndItsClinicalStatusIsNotTested() {
    Condition noOnset = Condition.builder("hiv-1", CodeableConcept.of(HIV_DISEASE))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).build();
    Condition resolved = Condition.builder("hiv-2", CodeableConcept.of(HIV_DISEASE))
        .clinicalStatus(ConditionClinicalStatus.RESOLVED)
        .onset(ClinicalTime.parse("2010-01-01")).build();

    // The prevalence interval's closed null start is CQL's earliest date-time.
    assertThat(with(noOnset).count(Population.DENOMINATOR_EXCLUSION)).isOne();
    assertThat(with(resolved).count(Population.DENOMINATOR_EXCLUSION)).isOne();
  }

  @ParameterizedTest(name = "died {0}: exception {1}")
  @CsvSource({
      "2025-06-01, 1",
      "2025-12-30T08:00:00Z, 1",
      "2025-12-31, 0",
      "2026-01-02, 0",
  })
  void aPatientWhoDiedByTheEndOfThePeriodIsAnException(String died, int exception) {
    Patient base = adult.patient();
    PatientRecord record = PatientRecord.builder(new Patient(base.id(), base.birthDate(),
            base.gender(), ClinicalTime.parse(died)))
        .addAll(adult.facts().filter(f -> f != base).toList()).build();

    EvaluationResult result = MeasureDecks.evaluate(engine, record);

    assertThat(cms349(result).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
    assertThat(cms349(result).careGap()).isEqualTo(exception == 0);
  }
}
