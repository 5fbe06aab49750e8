package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.BLOOD_PRESSURE_PANEL;
import static io.github.cdsengine.core.testing.Facts.DIASTOLIC;
import static io.github.cdsengine.core.testing.Facts.SYSTOLIC;
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
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.rule.Population;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS22 (PCSBPScreeningFollowUpFHIR.cql 0.2.000) on the deck case "Age 18 or older with
 * encounter on the first day of the MP, BP reading elevated 120/79, no interventions", whose
 * systolic and diastolic are separate observations, not a bp panel: one qualifying encounter on
 * 2025-01-01 08:00 to 11:30 with no reading the measure reads, in the denominator with a care
 * gap. Facts added here give it readings, orders and refusals.
 */
class BloodPressureScreeningPathsTest {

  static final String DAY = "2025-01-01";
  /** SNOMED CT "Follow-up 1 day": in "Follow Up Within 6 Months" and "Follow Up Within 4 Weeks". */
  static final Code FOLLOW_UP = Code.of(SNOMED_CT, "183617005");
  /** SNOMED CT "Lifestyle education": in "Lifestyle Recommendation". */
  static final Code LIFESTYLE = Code.of(SNOMED_CT, "313204009");
  /** SNOMED CT "Urgent referral": in "Referral to Primary Care or Alternate Provider". */
  static final Code REFERRAL = Code.of(SNOMED_CT, "134403003");
  /** ICD-10-CM R03.0: in "Finding of Elevated Blood Pressure or Hypertension". */
  static final Code ELEVATED_FINDING = Code.of(ICD_10_CM, "R03.0");
  /** SNOMED CT "Procedure declined by patient": in "Patient Declined". */
  static final Code DECLINED = Code.of(SNOMED_CT, "105480006");
  /** SNOMED CT "Procedure contraindicated": in "Medical Reason". */
  static final Code MEDICAL_REASON = Code.of(SNOMED_CT, "183932001");
  /** The deck's "Encounter to Screen for Blood Pressure" type. */
  static final Code SCREENING_VISIT = Code.of(SNOMED_CT, "103705002");
  static final Code AMBULATORY = Code.of("http://terminology.hl7.org/CodeSystem/v3-ActCode",
      "AMB");

  static CdsEngine engine;
  static PatientRecord patient;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS22");
    patient = MeasureDecks.patient("PCSBPScreeningFollowUpFHIR/"
        + "8fe101e0-1bbc-43d4-8c98-fe62f0589027");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult cms22(EvaluationResult result) {
    return result.measure("CMS22", 1).orElseThrow();
  }

  static EvaluationResult evaluate(ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, patient, added);
  }

  static Observation reading(String id, String time, int systolic, int diastolic) {
    return reading(id, time, systolic, diastolic, ObservationStatus.FINAL);
  }

  static Observation reading(String id, String time, int systolic, int diastolic,
      ObservationStatus status) {
    return observation(id, BLOOD_PRESSURE_PANEL).status(status).on(time).category("vital-signs")
        .components(
            new ObservationComponent(CodeableConcept.of(SYSTOLIC),
                Quantity.of(String.valueOf(systolic), "mm[Hg]"), null),
            new ObservationComponent(CodeableConcept.of(DIASTOLIC),
                Quantity.of(String.valueOf(diastolic), "mm[Hg]"), null))
        .build();
  }

  static ServiceRequest ordered(String id, Code code, String authoredOn) {
    return new ServiceRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER,
        CodeableConcept.of(code), ClinicalTime.parse(authoredOn), false, null, null, null);
  }

  static ServiceRequest referral(String id, String authoredOn, Code reason) {
    return new ServiceRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER,
        CodeableConcept.of(REFERRAL), ClinicalTime.parse(authoredOn), false, null,
        reason == null ? null : CodeableConcept.of(reason), null);
  }

  static ServiceRequest declined(String id, Code code, RequestStatus status, Code reason) {
    return new ServiceRequest(id, status, RequestIntent.ORDER, CodeableConcept.of(code),
        ClinicalTime.parse(DAY + "T08:40:00Z"), true, null, null, CodeableConcept.of(reason));
  }

  static Encounter visit(String id, String start, String end) {
    return new Encounter(id, EncounterStatus.FINISHED, AMBULATORY,
        CodeableConcept.of(SCREENING_VISIT),
        new Period(ClinicalTime.parse(start), ClinicalTime.parse(end)), null);
  }

  @Test
  void aVisitWithoutAReadingIsAGap() {
    EvaluationResult result = evaluate();

    assertThat(cms22(result).count(Population.DENOMINATOR)).isOne();
    assertThat(cms22(result).count(Population.NUMERATOR)).isZero();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms22-blood-pressure-screening-and-follow-up");
      assertThat(r.detail()).contains("2025-01-01").contains("no blood pressure reading")
          .contains("USPSTF (2021)").contains("grade A");
    });
  }

  /** The last reading's class at the CQL's bounds; only a normal one is in the numerator alone. */
  @ParameterizedTest(name = "{0}/{1}: numerator {2}")
  @CsvSource({
      "119, 79, 1", "1, 1, 1", "0, 79, 0", "119, 0, 0",
      // Elevated (120 to 129 / below 80) or hypertensive: a follow-up is needed.
      "120, 79, 0", "129, 79, 0", "119, 80, 0", "130, 70, 0"})
  void onlyANormalReadingIsInTheNumeratorWithoutFollowUp(int systolic, int diastolic,
      int numerator) {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", systolic, diastolic));

    assertThat(cms22(result).count(Population.NUMERATOR)).isEqualTo(numerator);
    assertThat(cms22(result).careGap()).isEqualTo(numerator == 0);
  }

  @Test
  void theLastReadingDuringTheVisitDecides() {
    EvaluationResult result = evaluate(reading("early", DAY + "T08:05:00Z", 125, 79),
        reading("late", DAY + "T08:30:00Z", 118, 76));
    assertThat(cms22(result).count(Population.NUMERATOR)).isOne();

    EvaluationResult swapped = evaluate(reading("early", DAY + "T08:05:00Z", 118, 76),
        reading("late", DAY + "T08:30:00Z", 125, 79));
    assertThat(cms22(swapped).count(Population.NUMERATOR)).isZero();
  }

  @ParameterizedTest(name = "normal reading at {0}: numerator {1}")
  @CsvSource({"2025-01-01T08:00:00Z, 1", "2025-01-01T11:30:00Z, 1",
      "2025-01-01T07:59:59Z, 0", "2025-01-01T11:30:01Z, 0"})
  void aNormalReadingMustEndDuringTheVisit(String time, int numerator) {
    assertThat(cms22(evaluate(reading("bp", time, 110, 70))).count(Population.NUMERATOR))
        .isEqualTo(numerator);
  }

  @Test
  void aPreliminaryNormalReadingDoesNotCount() {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 110, 70,
        ObservationStatus.PRELIMINARY));
    assertThat(cms22(result).count(Population.NUMERATOR)).isZero();
  }

  @ParameterizedTest(name = "rescreen on {0}, intervention on {1}: numerator {2}")
  @CsvSource({
      "2025-01-01T09:00:00Z, 2025-01-01T09:00:00Z, 1",
      // Both must be ordered on one of the visit's days.
      "2025-01-02T09:00:00Z, 2025-01-01T09:00:00Z, 0",
      "2025-01-01T09:00:00Z, 2025-01-02T09:00:00Z, 0"})
  void anElevatedReadingNeedsARescreenAndAnInterventionOnTheDay(String rescreen,
      String intervention, int numerator) {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 122, 78),
        ordered("rescreen", FOLLOW_UP, rescreen), ordered("education", LIFESTYLE, intervention));

    assertThat(cms22(result).count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void anElevatedReadingWithARescreenOnlyIsAGapThatSaysWhatIsMissing() {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 122, 78),
        ordered("rescreen", FOLLOW_UP, DAY + "T09:00:00Z"));

    assertThat(cms22(result).careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r ->
        assertThat(r.detail()).contains("is elevated").contains("2 to 6 months")
            .contains("referral"));
  }

  @ParameterizedTest(name = "referral with reason {0}: numerator {1}")
  @CsvSource(nullValues = "none", value = {"R03.0, 1", "none, 0"})
  void aReferralCountsWhenItsReasonIsTheReading(String reason, int numerator) {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 122, 78),
        referral("referral", DAY + "T09:00:00Z",
            reason == null ? null : Code.of(ICD_10_CM, reason)));

    assertThat(cms22(result).count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @ParameterizedTest(name = "declined rescreen, status {0}: exception {1}")
  @CsvSource({"COMPLETED, 1", "ACTIVE, 0"})
  void aRescreenThePatientDeclinedIsAnException(RequestStatus status, int exception) {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 122, 78),
        declined("declined", FOLLOW_UP, status, DECLINED));

    assertThat(cms22(result).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
    assertThat(cms22(result).careGap()).isEqualTo(exception == 0);
  }

  @Test
  void aRescreenDeclinedForAMedicalReasonIsNoException() {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 122, 78),
        declined("declined", FOLLOW_UP, RequestStatus.COMPLETED, MEDICAL_REASON));
    assertThat(cms22(result).count(Population.DENOMINATOR_EXCEPTION)).isZero();
  }

  @ParameterizedTest(name = "measurement not taken, issued {0}, reason {1}: exception {2}")
  @CsvSource({"2025-01-01T08:05:00Z, 105480006, 1", "2025-01-01T08:05:00Z, 183932001, 1",
      "2025-01-02T08:05:00Z, 105480006, 0", "2025-01-01T08:05:00Z, 260385009, 0"})
  void aMeasurementNotTakenForAReasonIsAnException(String issued, String reason,
      int exception) {
    Observation notTaken = Observation.builder("not-taken", ObservationStatus.CANCELLED,
            CodeableConcept.of(SYSTOLIC))
        .issued(ClinicalTime.parse(issued))
        .notDoneReason(CodeableConcept.of(Code.of(SNOMED_CT, reason))).build();

    assertThat(cms22(evaluate(notTaken)).count(Population.DENOMINATOR_EXCEPTION))
        .isEqualTo(exception);
  }

  @ParameterizedTest(name = "hypertension from {0}: excluded {1}")
  @CsvSource({"2025-01-01, 1", "2024-06-01, 1", "2025-01-02, 0"})
  void hypertensionDiagnosedByTheVisitExcludesIt(String onset, int excluded) {
    Condition hypertension = Condition.builder("htn",
            CodeableConcept.of(Code.of(ICD_10_CM, "I10")))
        .onset(ClinicalTime.parse(onset))
        .category(CodeableConcept.of(Code.of(
            "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")))
        .build();

    assertThat(cms22(evaluate(hypertension)).count(Population.DENOMINATOR_EXCLUSION))
        .isEqualTo(excluded);
  }

  @Test
  void eachVisitIsAnEpisode() {
    EvaluationResult result = evaluate(reading("bp", DAY + "T08:05:00Z", 110, 70),
        visit("june", "2025-06-02T10:00:00Z", "2025-06-02T10:30:00Z"),
        reading("june-bp", "2025-06-02T10:05:00Z", 124, 70));

    MeasureResult cms22 = cms22(result);
    assertThat(cms22.count(Population.INITIAL_POPULATION)).isEqualTo(2);
    assertThat(cms22.count(Population.DENOMINATOR)).isEqualTo(2);
    assertThat(cms22.count(Population.NUMERATOR)).isOne();
    assertThat(cms22.careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r ->
        assertThat(r.detail()).contains("2025-06-02").contains("is elevated"));
  }

  /**
   * "class !~ virtual": CQL's equivalence is never null, so an encounter with no class is not
   * equivalent to virtual and qualifies (FHIR requires a class; the reader keeps one without,
   * with a warning). A virtual one does not.
   */
  @ParameterizedTest(name = "second visit class {0}: initial population {1}")
  @CsvSource(nullValues = "none", value = {"none, 2", "AMB, 2", "VR, 1"})
  void aVisitQualifiesUnlessItsClassIsVirtual(String encounterClass, int initialPopulation) {
    Encounter june = new Encounter("june", EncounterStatus.FINISHED,
        encounterClass == null ? null
            : Code.of("http://terminology.hl7.org/CodeSystem/v3-ActCode", encounterClass),
        CodeableConcept.of(SCREENING_VISIT),
        new Period(ClinicalTime.parse("2025-06-02T10:00:00Z"),
            ClinicalTime.parse("2025-06-02T10:30:00Z")), null);

    assertThat(cms22(evaluate(june)).count(Population.INITIAL_POPULATION))
        .isEqualTo(initialPopulation);
  }

  @Test
  void aSecondHypertensiveReadingNeedsTheWholeFollowUp() {
    Encounter june = visit("june", "2025-06-02T10:00:00Z", "2025-06-02T10:30:00Z");
    Observation first = reading("bp", DAY + "T08:05:00Z", 134, 82);
    Observation second = reading("june-bp", "2025-06-02T10:05:00Z", 136, 84);
    ServiceRequest januaryRescreen = ordered("jan-rescreen", FOLLOW_UP, DAY + "T09:00:00Z");
    ServiceRequest januaryEducation = ordered("jan-education", LIFESTYLE, DAY + "T09:00:00Z");
    ServiceRequest juneRescreen = ordered("june-rescreen", FOLLOW_UP, "2025-06-02T10:20:00Z");
    // LOINC 11524-6 "EKG study".
    ServiceRequest ecg = ordered("ecg", Code.of("http://loinc.org", "11524-6"),
        "2025-06-02T10:20:00Z");

    EvaluationResult withoutEcg = evaluate(first, januaryRescreen, januaryEducation, june,
        second, juneRescreen);
    assertThat(cms22(withoutEcg).count(Population.NUMERATOR)).isOne();
    assertThat(withoutEcg.recommendations()).singleElement().satisfies(r ->
        assertThat(r.detail()).contains("2025-06-02").contains("hypertensive again")
            .contains("laboratory test or ECG"));

    EvaluationResult complete = evaluate(first, januaryRescreen, januaryEducation, june,
        second, juneRescreen, ecg);
    assertThat(cms22(complete).count(Population.NUMERATOR)).isEqualTo(2);
    assertThat(complete.recommendations()).isEmpty();
  }
}
