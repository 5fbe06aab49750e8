package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static io.github.cdsengine.core.testing.Facts.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Conformance;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS144 (HFBetaBlockerTherapyforLVSDFHIR.cql 1.4.000 with AHAOverall 2.8.000) on the deck case
 * "Patient with Result: moderate/severe LVSD": in the denominator with no beta blocker, a care
 * gap. Its office visits are 2025-04-14 14:40 to 14:50 and 2025-07-20 11:50 (UTC), both heart
 * failure visits after a severe LVSD diagnosis of 2025-04-14 14:41.
 */
class BetaBlockerTherapyPathsTest {

  /** In "Beta Blocker Therapy for LVSD". */
  static final Code BETA_BLOCKER = Code.of(RXNORM, "200031");
  /** In "Beta Blocker Therapy Ingredient". */
  static final Code INGREDIENT = Code.of(RXNORM, "10600");
  static final Code HEART_RATE = Code.of(LOINC, "8867-4");
  /** In "Atrioventricular Block". */
  static final Code AV_BLOCK = Code.of(SNOMED_CT, "195042002");
  /** In "Cardiac Pacer". */
  static final Code PACER = Code.of(SNOMED_CT, "175142009");
  /** Left ventricular systolic dysfunction, and the severity "Severe" (in "Moderate or Severe"). */
  static final Code LVSD = Code.of(SNOMED_CT, "134401001");
  static final Code SEVERE = Code.of(SNOMED_CT, "24484000");
  /** In "Heart Transplant Complications". */
  static final Code TRANSPLANT_COMPLICATION = Code.of(SNOMED_CT, "213151004");

  static CdsEngine engine;
  static PatientRecord lvsd;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS144");
    lvsd = MeasureDecks.patient("HFBetaBlockerTherapyforLVSDFHIR/"
        + "fa464596-2149-4aab-8091-15be83e4c561");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult cms144(ClinicalFact... added) {
    MeasureResult result = MeasureDecks.evaluate(engine, lvsd, added)
        .measure("CMS144", 1).orElseThrow();
    assertThat(result.count(Population.DENOMINATOR)).isOne();
    return result;
  }

  static Condition confirmed(String id, Code code, String onset) {
    return Condition.builder(id, CodeableConcept.of(code))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .verificationStatus(VerificationStatus.CONFIRMED)
        .onset(ClinicalTime.parse(onset)).build();
  }

  static Dosage bounds(String start, String end) {
    return new Dosage(null, 1, null, null, List.of(), new Period(ClinicalTime.parse(start),
        end == null ? null : ClinicalTime.parse(end)), null, null, null);
  }

  @Test
  void theGapNamesTheGuidelineAndTheDocumentedReasonsThatExclude() {
    EvaluationResult result = MeasureDecks.evaluate(engine, lvsd);

    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms144-beta-blocker-therapy-for-lvsd");
      assertThat(r.detail()).contains("CMS144").contains("heart rates below 50")
          .contains("allergy or intolerance").contains("atrioventricular block")
          .contains("AHA/ACC/HFSA").contains("Class I").contains("treating clinician");
    });
  }

  @ParameterizedTest(name = "beta blocker written {0}, {1}: numerator {2}")
  @CsvSource({
      "2025-04-14T23:00:00Z, ACTIVE, 1",      // the visit's day, after it ended: "day of"
      "2025-07-20T11:50:00Z, COMPLETED, 1",
      "2025-04-15T09:00:00Z, ACTIVE, 0",
      "2025-04-14T14:45:00Z, CANCELLED, 0",
      "2025-04-14T14:45:00Z, DRAFT, 0"})
  void aBetaBlockerWrittenOnTheDayOfAnLvsdVisitCounts(String authored, RequestStatus status,
      int numerator) {
    assertThat(cms144(order("b", BETA_BLOCKER).authoredOn(authored).status(status).build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void anOrderNotToGiveABetaBlockerIsNotInTheNumerator() {
    MedicationRequest notGiven = MedicationRequest.builder("b", RequestStatus.COMPLETED,
            RequestIntent.ORDER, CodeableConcept.of(BETA_BLOCKER))
        .doNotPerform(true).authoredOn(ClinicalTime.parse("2025-04-14T14:45:00Z")).build();

    assertThat(cms144(notGiven).count(Population.NUMERATOR)).isZero();
  }

  @ParameterizedTest(name = "dosing {0} to {1}: numerator {2}")
  @CsvSource({
      "2025-01-01, , 1",                     // runs on past the visits
      "2025-01-01, 2025-04-15, 1",           // ends the day after the April visit
      "2025-01-01, 2025-04-14, 0",           // ends on its day: overlaps, not after
      "2025-07-21, , 0"})                    // starts after both visits
  void aBetaBlockerWhoseFirstDosingRunsPastAnLvsdVisitCounts(String start, String end,
      int numerator) {
    MedicationRequest taking = order("b", BETA_BLOCKER).authoredOn("2024-06-01")
        .dosage(bounds(start, end)).build();

    assertThat(cms144(taking).count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @ParameterizedTest(name = "rates {0} at {1} and {2} at {3}, {4}: exception {5}")
  @CsvSource({
      "45, 2025-04-14T14:42:00Z, 45, 2025-04-14T14:45:00Z, FINAL, 1",
      "55, 2025-04-14T14:42:00Z, 45, 2025-04-14T14:45:00Z, FINAL, 0",
      "45, 2025-04-14T14:42:00Z, 50, 2025-04-14T14:45:00Z, FINAL, 0",
      // The earlier reading outside the visit: no prior reading during it.
      "45, 2025-04-14T14:39:00Z, 45, 2025-04-14T14:45:00Z, FINAL, 0",
      // The later reading must be final, amended or corrected.
      "45, 2025-04-14T14:42:00Z, 45, 2025-04-14T14:45:00Z, PRELIMINARY, 0"})
  void twoConsecutiveHeartRatesBelowFiftyDuringAnLvsdVisitAreAnException(String firstRate,
      String firstAt, String secondRate, String secondAt, ObservationStatus secondStatus,
      int exception) {
    assertThat(cms144(
        observation("hr1", HEART_RATE).on(firstAt).value(firstRate, "/min").build(),
        observation("hr2", HEART_RATE).on(secondAt).value(secondRate, "/min")
            .status(secondStatus).build())
        .count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @Test
  void onlyTheLatestEarlierReadingCountsAsThePriorOne() {
    // 45 at 14:41, 60 at 14:43, 45 at 14:45: the reading before 14:45 is 60.
    assertThat(cms144(
        observation("hr1", HEART_RATE).on("2025-04-14T14:41:00Z").value("45", "/min").build(),
        observation("hr2", HEART_RATE).on("2025-04-14T14:43:00Z").value("60", "/min").build(),
        observation("hr3", HEART_RATE).on("2025-04-14T14:45:00Z").value("45", "/min").build())
        .count(Population.DENOMINATOR_EXCEPTION)).isZero();
  }

  @ParameterizedTest(name = "allergy {0} {1} from {2} to {3}: exception {4}")
  @CsvSource({
      "ACTIVE, CONFIRMED, 2025-01-01, , 1",
      "ACTIVE, CONFIRMED, , , 1",
      "ACTIVE, CONFIRMED, 2025-01-01, 2025-04-15, 1",
      "ACTIVE, CONFIRMED, 2025-01-01, 2025-03-01, 0",
      "ACTIVE, CONFIRMED, 2025-07-21, , 0",
      "ACTIVE, UNCONFIRMED, 2025-01-01, , 0",
      "INACTIVE, CONFIRMED, 2025-01-01, , 0"})
  void anAllergyToABetaBlockerIngredientLastingPastAnLvsdVisitIsAnException(
      AllergyClinicalStatus status, VerificationStatus verification, String onset, String last,
      int exception) {
    AllergyIntolerance allergy = new AllergyIntolerance("a", status, verification,
        CodeableConcept.of(INGREDIENT), null, onset == null ? null : ClinicalTime.parse(onset),
        last == null ? null : ClinicalTime.parse(last));

    assertThat(cms144(allergy).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @Test
  void atrioventricularBlockIsAnExceptionUnlessAPacerIsInPlace() {
    Condition block = confirmed("av", AV_BLOCK, "2025-01-20");
    Procedure pacer = new Procedure("p", EventStatus.COMPLETED, CodeableConcept.of(PACER),
        Period.at("2024-06-05T13:20:00Z"));
    Procedure laterPacer = new Procedure("p", EventStatus.COMPLETED, CodeableConcept.of(PACER),
        Period.at("2025-08-01T10:00:00Z"));

    assertThat(cms144(block).count(Population.DENOMINATOR_EXCEPTION)).isOne();
    assertThat(cms144(block, pacer).count(Population.DENOMINATOR_EXCEPTION)).isZero();
    assertThat(cms144(block, laterPacer).count(Population.DENOMINATOR_EXCEPTION)).isOne();
  }

  // Deliberate deviation (common/heart-failure.drl): with no onset recorded, the diagnosis is
  // prevalent from the earliest time, so it precedes every visit. The deck case's own diagnosis
  // (severe LVSD from 2025-04-14 14:41) is replaced by one with no onset.
  @Test
  void anLvsdDiagnosisWithNoOnsetPrecedesEveryVisit() {
    Conformance.assumePresent(engine != null, "no conformance folder");
    Condition noOnset = Condition.builder("lvsd", CodeableConcept.of(LVSD))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .verificationStatus(VerificationStatus.CONFIRMED)
        .severity(CodeableConcept.of(SEVERE)).build();
    PatientRecord base = PatientRecord.builder(lvsd.patient())
        .addAll(lvsd.facts().filter(f -> f != lvsd.patient())
            .filter(f -> !(f instanceof Condition c) || !c.code().codings().contains(LVSD))
            .toList())
        .build();

    assertThat(MeasureDecks.evaluate(engine, base).measure("CMS144", 1).orElseThrow()
        .count(Population.DENOMINATOR)).as("no LVSD finding left").isZero();
    assertThat(MeasureDecks.evaluate(engine, base, noOnset).measure("CMS144", 1).orElseThrow()
        .count(Population.DENOMINATOR)).isOne();
  }

  @ParameterizedTest(name = "complication recorded {0}: exclusion {1}")
  @CsvSource({
      "2025-04-14T14:49:00Z, 1",
      "2025-07-20T11:49:59Z, 1",
      "2025-07-20T11:50:00Z, 0"})             // at the last visit's end: not before it
  void aTransplantComplicationDiagnosedBeforeAnLvsdVisitEndsExcludes(String recorded,
      int exclusion) {
    Condition complication = Condition.builder("tc", CodeableConcept.of(TRANSPLANT_COMPLICATION))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .verificationStatus(VerificationStatus.CONFIRMED)
        .recorded(ClinicalTime.parse(recorded)).build();

    assertThat(cms144(complication).count(Population.DENOMINATOR_EXCLUSION))
        .isEqualTo(exclusion);
  }
}
