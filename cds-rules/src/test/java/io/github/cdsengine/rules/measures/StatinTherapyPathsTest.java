package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.model.AdverseEvent;
import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.rule.Population;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS347 (StatinTherapyforthePreventionandTreatmentofCardiovascularDiseaseFHIR.cql 0.2.000) on
 * the deck case "Enc first day of MP, age 40 day before start of MP, has diabetes since 2000": in
 * the population 3 denominator (diabetes at 40 to 75) with no statin, a care gap; its annual
 * wellness visit is 2025-01-01 08:00 to 09:15 UTC.
 */
class StatinTherapyPathsTest {

  /** Atorvastatin 10 MG / ezetimibe: in "Moderate Intensity Statin Therapy". */
  static final Code STATIN = Code.of(RXNORM, "1422086");
  /** Rosuvastatin: in "Statin Allergen". */
  static final Code ROSUVASTATIN = Code.of(RXNORM, "301542");
  /** Procedure contraindicated: in "Medical Reason". */
  static final Code CONTRAINDICATED = Code.of(SNOMED_CT, "183932001");

  static CdsEngine engine;
  static PatientRecord diabetic;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS347");
    diabetic = MeasureDecks.patient("StatinTherapyforthePreventionandTreatmentofCardiovascular"
        + "DiseaseFHIR/5bbad8cc-56b9-4802-a5da-7de376a461f0");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult group3(ClinicalFact... added) {
    MeasureResult result = MeasureDecks.evaluate(engine, diabetic, added)
        .measure("CMS347", 3).orElseThrow();
    assertThat(result.count(Population.DENOMINATOR)).isOne();
    return result;
  }

  static MedicationRequest notOrdered(String authored, Code reason, RequestStatus status) {
    return MedicationRequest.builder("no-statin", status, RequestIntent.ORDER,
            CodeableConcept.of(STATIN))
        .doNotPerform(true).authoredOn(ClinicalTime.parse(authored))
        .reasonCode(reason == null ? null : CodeableConcept.of(reason)).build();
  }

  @Test
  void theGapNamesThePopulationAndTheDocumentedReasonsThatExclude() {
    EvaluationResult result = MeasureDecks.evaluate(engine, diabetic);

    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms347-statin-therapy");
      assertThat(r.detail()).contains("diabetes at age 40 to 75").contains("population 3")
          .contains("statin allergy").contains("medical reason").contains("risk discussion");
    });
  }

  @ParameterizedTest(name = "statin written {0}: numerator {1}")
  @CsvSource({"2024-12-31, 0", "2025-01-01, 1", "2025-12-31, 1", "2026-01-01, 0"})
  void aStatinWrittenDuringThePeriodCounts(String authored, int numerator) {
    assertThat(group3(order("s", STATIN).authoredOn(authored).build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void aStatinWrittenBeforeWhoseDosageBoundsOverlapThePeriodCounts() {
    Dosage dosage = new Dosage(null, 1, null, null, List.of(),
        new Period(ClinicalTime.parse("2024-06-01"), ClinicalTime.parse("2025-01-01")), null,
        null, null);

    assertThat(group3(order("s", STATIN).authoredOn("2024-06-01").dosage(dosage).build())
        .count(Population.NUMERATOR)).isOne();
  }

  @Test
  void anOrderNotToGiveAStatinIsNotInTheNumerator() {
    assertThat(group3(notOrdered("2025-03-01", null, RequestStatus.COMPLETED))
        .count(Population.NUMERATOR)).isZero();
  }

  @ParameterizedTest(name = "not ordered at {0}, status {2}: exception {3}")
  @CsvSource({
      "2025-01-01T08:30:00Z, true, COMPLETED, 1",
      "2025-01-01T09:15:00Z, true, COMPLETED, 1",
      "2025-01-01T09:16:00Z, true, COMPLETED, 0",
      // A day against the visit's instants on that day is uncertain.
      "2025-01-01, true, COMPLETED, 0",
      "2025-01-01T08:30:00Z, false, COMPLETED, 0",
      "2025-01-01T08:30:00Z, true, ACTIVE, 0",
  })
  void aMedicalReasonNotToOrderDuringTheVisitIsAnException(String authored, boolean reason,
      RequestStatus status, int exception) {
    assertThat(group3(notOrdered(authored, reason ? CONTRAINDICATED : null, status))
        .count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @ParameterizedTest(name = "adverse event recorded {0}: exception {1}")
  @CsvSource({"2025-01-01, 1", "2026-01-01, 0"})
  void anAdverseReactionToAStatinRecordedInThePeriodIsAnException(String recorded,
      int exception) {
    AdverseEvent reaction = new AdverseEvent("ae", CodeableConcept.of(ROSUVASTATIN),
        ClinicalTime.parse(recorded), null);

    assertThat(group3(reaction).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @ParameterizedTest(name = "allergy {0}, onset {1}: exception {2}")
  @CsvSource({"ACTIVE, 2025-03-01, 1", "INACTIVE, 2025-03-01, 0", "ACTIVE, 2024-03-01, 0"})
  void anActiveStatinAllergyStartingInThePeriodIsAnException(AllergyClinicalStatus status,
      String onset, int exception) {
    AllergyIntolerance allergy = new AllergyIntolerance("a", status, null,
        CodeableConcept.of(ROSUVASTATIN), null, ClinicalTime.parse(onset));

    assertThat(group3(allergy).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }
}
