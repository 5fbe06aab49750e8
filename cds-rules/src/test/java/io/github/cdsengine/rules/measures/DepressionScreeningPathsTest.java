package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.rule.Population;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS2 (PCSDepressionScreenAndFollowUpFHIR.cql 0.2.000) on the deck case "Adult with previous
 * positive adult depression screening and medication request follow up within 2 days": 18 on the
 * first day of the period, a visit on 2025-06-21 08:00 to 08:15, a positive adult screening on
 * 2025-06-15 and a depression medication ordered on 2025-06-22, in the numerator. The tests take
 * the order or the screening away ({@link #withoutThe}) and add others.
 */
class DepressionScreeningPathsTest {

  static final Code ADULT_SCREENING = Code.of("http://loinc.org", "73832-8");
  static final Code NEGATIVE = Code.of(SNOMED_CT, "428171000124102");
  /** RxNorm 1000048, doxepin 10 MG Oral Capsule: in "Adult Depression Medications". */
  static final Code DOXEPIN = Code.of("http://www.nlm.nih.gov/research/umls/rxnorm", "1000048");
  /** SNOMED CT "Procedure contraindicated": in "Medical Reason". */
  static final Code MEDICAL_REASON = Code.of(SNOMED_CT, "183932001");

  static CdsEngine engine;
  static PatientRecord patient;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS2");
    patient = MeasureDecks.patient("PCSDepressionScreenAndFollowUpFHIR/"
        + "82e5d95b-b448-4931-b166-2e432f7413d3");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** The deck patient without its facts of {@code type}. */
  static PatientRecord withoutThe(Class<?> type) {
    if (patient == null) {
      return null;
    }
    return PatientRecord.builder(patient.patient())
        .addAll(patient.facts().filter(f -> f != patient.patient() && !type.isInstance(f))
            .toList()).build();
  }

  static int count(EvaluationResult result, Population population) {
    return result.measure("CMS2", 1).orElseThrow().count(population);
  }

  static MedicationRequest doxepin(String authoredOn) {
    return MedicationRequest.builder("doxepin", RequestStatus.ACTIVE, RequestIntent.ORDER,
        CodeableConcept.of(DOXEPIN)).authoredOn(ClinicalTime.parse(authoredOn)).build();
  }

  @Test
  void thePositiveScreeningFollowedUpIsInTheNumerator() {
    EvaluationResult result = MeasureDecks.evaluate(engine, patient);
    assertThat(count(result, Population.NUMERATOR)).isOne();
    assertThat(result.recommendations()).isEmpty();
  }

  @Test
  void aPositiveScreeningWithoutFollowUpIsAGapThatSaysSo() {
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(MedicationRequest.class));
    assertThat(count(result, Population.NUMERATOR)).isZero();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms2-depression-screening-and-follow-up");
      assertThat(r.detail()).contains("is positive").contains("USPSTF (2016)")
          .contains("grade B");
    });
  }

  /** The visit ends on 2025-06-21: an order on that day or the two days after follows it up. */
  @ParameterizedTest(name = "medication ordered {0}: numerator {1}")
  @CsvSource({"2025-06-21T08:15:00Z, 1", "2025-06-23T23:59:00Z, 1", "2025-06-24T00:00:00Z, 0",
      "2025-06-20T12:00:00Z, 0"})
  void aMedicationFollowsUpOnTheVisitsLastDayOrTheTwoAfter(String authoredOn, int numerator) {
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(MedicationRequest.class),
        doxepin(authoredOn));
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
  }

  /**
   * A screening whose result is neither the negative nor the positive finding (a score, here)
   * counts for nothing, but it is on record: the care gap must not say that none is.
   */
  @Test
  void aScreeningTheMeasureCannotReadIsAGapThatDoesNotDenyIt() {
    Observation score = observation("score", ADULT_SCREENING).on("2025-06-20T09:00:00Z")
        .value("12", "{score}").build();
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(Observation.class), score);

    assertThat(count(result, Population.NUMERATOR)).isZero();
    assertThat(result.recommendations()).singleElement().satisfies(r ->
        assertThat(r.detail()).doesNotContain("No depression screening")
            .contains("neither negative nor positive").contains("USPSTF (2016)"));
  }

  @Test
  void aLaterNegativeScreeningIsTheMostRecent() {
    Observation negative = observation("negative", ADULT_SCREENING)
        .on("2025-06-20T09:00:00Z").value(NEGATIVE).build();
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(MedicationRequest.class),
        negative);
    assertThat(count(result, Population.NUMERATOR)).isOne();
  }

  /** The screening must end on the visit's first day or in the 14 days before it. */
  @ParameterizedTest(name = "negative screening on {0}: numerator {1}")
  @CsvSource({"2025-06-07T09:00:00Z, 1", "2025-06-06T23:59:00Z, 0", "2025-06-21T23:00:00Z, 1",
      "2025-06-22T00:00:00Z, 0"})
  void aScreeningCountsInTheFourteenDaysBeforeTheVisit(String effective, int numerator) {
    Observation negative = observation("negative", ADULT_SCREENING).on(effective)
        .value(NEGATIVE).build();
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(Observation.class),
        negative);
    assertThat(count(result, Population.NUMERATOR)).isEqualTo(numerator);
  }

  @ParameterizedTest(name = "bipolar disorder from {0}: excluded {1}")
  @CsvSource({"2025-06-20, 1", "2025-06-21T07:59:00Z, 1", "2025-06-21T08:00:00Z, 0",
      // A day against the visit's start on that day is uncertain in CQL.
      "2025-06-21, 0"})
  void bipolarDisorderBeforeTheVisitExcludes(String onset, int excluded) {
    // ICD-10-CM F31.9, bipolar disorder, unspecified: in "Bipolar Disorder".
    Condition bipolar = Condition.builder("bipolar", CodeableConcept.of(Code.of(ICD_10_CM,
            "F31.9")))
        .onset(ClinicalTime.parse(onset))
        .category(CodeableConcept.of(Code.of(
            "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")))
        .build();
    assertThat(count(MeasureDecks.evaluate(engine, patient, bipolar),
        Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @ParameterizedTest(name = "screening not done, issued {0}: exception {1}")
  @CsvSource({"2025-06-21T08:10:00Z, 1", "2025-06-21T08:16:00Z, 0"})
  void aScreeningNotDoneDuringTheVisitIsAnExceptionWithoutAScreening(String issued,
      int exception) {
    Observation notDone = Observation.builder("not-done", ObservationStatus.CANCELLED,
            CodeableConcept.of(ADULT_SCREENING))
        .issued(ClinicalTime.parse(issued)).notDoneReason(CodeableConcept.of(MEDICAL_REASON))
        .build();
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(Observation.class),
        notDone);
    assertThat(count(result, Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
    assertThat(result.recommendations()).hasSize(1 - exception);
  }

  @Test
  void aScreeningNotDoneIsNoExceptionWhenOneWasDone() {
    Observation notDone = Observation.builder("not-done", ObservationStatus.CANCELLED,
            CodeableConcept.of(ADULT_SCREENING))
        .issued(ClinicalTime.parse("2025-06-21T08:10:00Z"))
        .notDoneReason(CodeableConcept.of(MEDICAL_REASON)).build();
    EvaluationResult result = MeasureDecks.evaluate(engine, withoutThe(MedicationRequest.class),
        notDone);
    assertThat(count(result, Population.DENOMINATOR_EXCEPTION)).isZero();
  }
}
