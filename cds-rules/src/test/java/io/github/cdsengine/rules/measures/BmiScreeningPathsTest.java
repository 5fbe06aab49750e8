package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.rule.Population;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS69 (PCSBMIScreenAndFollowUpFHIR.cql 0.2.000) on the deck case "Enc first day of MP, normal
 * BMI at 24.9, no intervention needed": one qualifying encounter on 2025-01-01 00:00 to 00:30 and
 * a BMI of 24.9 kg/m2 (vital signs), in the numerator. Facts added here change the BMI, add
 * follow-ups, diagnoses and refusals.
 */
class BmiScreeningPathsTest {

  static final Code BMI = Code.of("http://loinc.org", "39156-5");
  /** SNOMED CT "Referral to dietitian": in "Referrals Where Weight Assessment May Occur". */
  static final Code DIETITIAN = Code.of(SNOMED_CT, "103699006");
  /** ICD-10-CM E66.09 "Other obesity due to excess calories": in "Overweight or Obese". */
  static final Code OBESITY = Code.of(ICD_10_CM, "E66.09");
  /** ICD-10-CM R63.6 "Underweight": in "Underweight". */
  static final Code UNDERWEIGHT = Code.of(ICD_10_CM, "R63.6");
  /** SNOMED CT "Procedure contraindicated": in "Medical Reason". */
  static final Code MEDICAL_REASON = Code.of(SNOMED_CT, "183932001");
  static final CodeableConcept HEALTH_CONCERN = CodeableConcept.of(Code.of(
      "http://hl7.org/fhir/us/core/CodeSystem/condition-category", "health-concern"));

  static CdsEngine engine;
  static PatientRecord patient;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS69");
    patient = MeasureDecks.patient("PCSBMIScreenAndFollowUpFHIR/"
        + "42e6b4d6-defc-4ec5-894f-e3333e3039a3");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static int count(EvaluationResult result, Population population) {
    return result.measure("CMS69", 1).orElseThrow().count(population);
  }

  static EvaluationResult evaluate(ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, patient, added);
  }

  static Observation bmi(String id, String value, String category) {
    return observation(id, BMI).on("2025-03-01T10:00:00Z").value(value, "kg/m2")
        .category(category).build();
  }

  static ServiceRequest referral(String authoredOn, Code reason) {
    return new ServiceRequest("referral", RequestStatus.ACTIVE, RequestIntent.ORDER,
        CodeableConcept.of(DIETITIAN), ClinicalTime.parse(authoredOn), false, null,
        reason == null ? null : CodeableConcept.of(reason), null);
  }

  /**
   * "class !~ virtual" is true for an encounter with no class (CQL's equivalence is never
   * null): the deck patient's visit, without its class, still qualifies; a virtual one does not.
   */
  @ParameterizedTest(name = "visit class {0}: initial population {1}")
  @CsvSource(nullValues = "none", value = {"none, 1", "AMB, 1", "VR, 0"})
  void aVisitQualifiesUnlessItsClassIsVirtual(String encounterClass, int initialPopulation) {
    Encounter deckVisit = patient.facts().filter(Encounter.class::isInstance)
        .map(Encounter.class::cast).findFirst().orElseThrow();
    Encounter visit = new Encounter(deckVisit.id(), deckVisit.status(),
        encounterClass == null ? null
            : Code.of("http://terminology.hl7.org/CodeSystem/v3-ActCode", encounterClass),
        deckVisit.type(), deckVisit.period(), null);
    PatientRecord withoutVisit = PatientRecord.builder(patient.patient())
        .addAll(patient.facts().filter(f -> f != patient.patient() && f != deckVisit).toList())
        .build();

    EvaluationResult result = MeasureDecks.evaluate(engine, withoutVisit, visit);
    assertThat(count(result, Population.INITIAL_POPULATION)).isEqualTo(initialPopulation);
  }

  @Test
  void aNormalBmiIsInTheNumerator() {
    EvaluationResult result = evaluate();
    assertThat(count(result, Population.NUMERATOR)).isOne();
    assertThat(result.recommendations()).isEmpty();
  }

  /** Another BMI in the period: a high or low one takes the normal one out of the numerator. */
  @ParameterizedTest(name = "second BMI {0}: numerator {1}")
  @CsvSource({"18.5, 1", "24.99, 1", "25, 0", "18.49, 0", "0, 1"})
  void aHighOrLowBmiNeedsAFollowUp(String value, int numerator) {
    EvaluationResult result = evaluate(bmi("second", value, "vital-signs"));
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
    assertThat(result.recommendations()).hasSize(1 - numerator);
  }

  @Test
  void aBmiOfAnotherCategoryIsNotABmi() {
    assertThat(count(evaluate(bmi("second", "30", "procedure")), Population.NUMERATOR)).isOne();
  }

  @Test
  void aHighBmiWithoutFollowUpIsAGapThatSaysWhatCloses() {
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"));
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms69-bmi-screening-and-follow-up");
      assertThat(r.detail()).contains("25 kg/m2 or more").contains("USPSTF (2018)")
          .contains("grade B");
    });
  }

  @ParameterizedTest(name = "referral on {0} with reason {1}: numerator {2}")
  @CsvSource(nullValues = "none", value = {"2025-03-01T11:00:00Z, E66.09, 1",
      "2025-03-01T11:00:00Z, none, 0", "2026-01-01T11:00:00Z, E66.09, 0"})
  void aReferralForObesityInThePeriodIsAFollowUp(String authoredOn, String reason,
      int numerator) {
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"),
        referral(authoredOn, reason == null ? null : Code.of(ICD_10_CM, reason)));
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
  }

  @ParameterizedTest(name = "obesity from {0}, status {1}: numerator {2}")
  @CsvSource({"2025-02-01, ACTIVE, 1", "2025-03-01, ACTIVE, 1", "2025-03-02, ACTIVE, 0",
      "2025-02-01, INACTIVE, 0"})
  void aReferralCountsAfterAnActiveObesityDiagnosis(String onset,
      ConditionClinicalStatus status, int numerator) {
    Condition obesity = Condition.builder("obesity", CodeableConcept.of(OBESITY))
        .clinicalStatus(status).onset(ClinicalTime.parse(onset)).category(HEALTH_CONCERN)
        .build();
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"),
        referral("2025-03-01T11:00:00Z", null), obesity);
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
  }

  /**
   * "High BMI Interventions Performed" ties the procedure to the diagnosis through
   * "performed as DateTime" (the compiled ELM's cast): a procedure performed over a period casts
   * to null, so only its reason code can make it a follow-up. ("Low BMI Interventions Performed"
   * reads performed.toInterval() instead.)
   */
  @ParameterizedTest(name = "diet performed {0} to {1}: numerator {2}")
  @CsvSource(nullValues = "none", value = {"2025-03-01T11:00:00Z, none, 1",
      "2025-03-01T11:00:00Z, 2025-03-01T11:30:00Z, 0"})
  void aHighBmiFollowUpPerformedMeetsTheDiagnosisOnlyAsADateTime(String start, String end,
      int numerator) {
    Condition obesity = Condition.builder("obesity", CodeableConcept.of(OBESITY))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse("2025-02-01"))
        .category(HEALTH_CONCERN).build();
    // SNOMED CT 182922004 "Dietary regime": in "Follow Up for Above Normal BMI".
    Procedure diet = new Procedure("diet", EventStatus.COMPLETED,
        CodeableConcept.of(Code.of(SNOMED_CT, "182922004")),
        end == null ? io.github.cdsengine.core.model.Period.at(start)
            : new io.github.cdsengine.core.model.Period(ClinicalTime.parse(start),
                ClinicalTime.parse(end)),
        List.of());
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"), diet, obesity);
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void aLowBmiReferralNeedsAnUnderweightHealthConcern() {
    Condition underweight = Condition.builder("underweight", CodeableConcept.of(UNDERWEIGHT))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse("2025-01-15"))
        .category(HEALTH_CONCERN).build();
    Condition onTheProblemList = Condition.builder("underweight", CodeableConcept.of(UNDERWEIGHT))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse("2025-01-15"))
        .category(CodeableConcept.of(Code.of(
            "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")))
        .build();
    assertThat(count(evaluate(bmi("second", "17", "vital-signs"),
        referral("2025-03-01T11:00:00Z", null), underweight), Population.NUMERATOR)).isOne();
    assertThat(count(evaluate(bmi("second", "17", "vital-signs"),
        referral("2025-03-01T11:00:00Z", null), onTheProblemList), Population.NUMERATOR))
        .isZero();
  }

  @ParameterizedTest(name = "referral not ordered on {0}: exception {1}")
  @CsvSource({"2025-01-01T00:20:00Z, 1", "2025-01-02T00:20:00Z, 0"})
  void aFollowUpNotOrderedForAMedicalReasonOnTheVisitDayIsAnException(String authoredOn,
      int exception) {
    ServiceRequest notOrdered = new ServiceRequest("not-ordered", RequestStatus.COMPLETED,
        RequestIntent.ORDER, CodeableConcept.of(DIETITIAN), ClinicalTime.parse(authoredOn),
        true, null, null, CodeableConcept.of(MEDICAL_REASON));
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"), notOrdered);
    assertThat(count(result, Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @Test
  void aBmiNotMeasuredForAMedicalReasonIsAnException() {
    Observation notMeasured = Observation.builder("not-measured", ObservationStatus.CANCELLED,
            CodeableConcept.of(BMI))
        .effective(io.github.cdsengine.core.model.Period.at("2025-01-01T00:10:00Z"))
        .notDoneReason(CodeableConcept.of(MEDICAL_REASON)).build();
    EvaluationResult result = evaluate(bmi("second", "31", "vital-signs"), notMeasured);
    assertThat(count(result, Population.DENOMINATOR_EXCEPTION)).isOne();
    assertThat(result.recommendations()).isEmpty();
  }
}
