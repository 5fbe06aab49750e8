package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.BLOOD_PRESSURE_PANEL;
import static io.github.cdsengine.core.testing.Facts.DIASTOLIC;
import static io.github.cdsengine.core.testing.Facts.HBA1C;
import static io.github.cdsengine.core.testing.Facts.SYSTOLIC;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.rule.Population;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CMS122 and CMS165 "lowest reading on the most recent day" paths that the CMS test decks do not
 * exercise: numeric values at the thresholds, several readings on one day, a reading without a
 * value sorting first, units. Each test adds readings to a deck case that is otherwise in the
 * denominator and not excluded (CMS122 "IPPass OfficeVisit", CMS165 "IPPass TelephoneVisit").
 */
class MostRecentDayMeasuresTest {

  /** Yes (qualifier value), the value of the deck's coded glycemic readings. */
  static final Code YES = Code.of(SNOMED_CT, "373066001");

  static CdsEngine engine;
  static PatientRecord diabetic;
  static PatientRecord hypertensive;
  static int nextId;

  @BeforeAll
  static void build() {
    engine = MeasureDecks.engine("CMS122", "CMS165");
    diabetic = MeasureDecks.patient("DiabetesGlycemicStatusAssessmentGreaterThan9PercentFHIR/"
        + "7706188a-f37c-483d-96c2-4d7eab833605");
    hypertensive = MeasureDecks.patient("ControllingHighBloodPressureFHIR/"
        + "6769ebe0-1b45-472a-ba7b-8f9a014d94a6");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static EvaluationResult evaluate(PatientRecord base, ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, base, added);
  }

  static MeasureResult measure(EvaluationResult result, String id) {
    return result.measure(id, 1).orElseThrow();
  }

  static Optional<Recommendation> gap(EvaluationResult result, String measureUrlEnd) {
    return result.recommendations().stream()
        .filter(r -> r.guideline().url().endsWith(measureUrlEnd)).findFirst();
  }

  static Observation a1c(String effective, String value, String unit) {
    return observation("a1c" + ++nextId, HBA1C).on(effective).value(value, unit)
        .category("laboratory").build();
  }

  static Observation bp(String effective, String systolic, String diastolic, String encounter) {
    return observation("bp" + ++nextId, BLOOD_PRESSURE_PANEL).on(effective).components(
            new ObservationComponent(CodeableConcept.of(SYSTOLIC),
                systolic == null ? null : Quantity.of(systolic, "mm[Hg]"), null),
            new ObservationComponent(CodeableConcept.of(DIASTOLIC),
                Quantity.of(diastolic, "mm[Hg]"), null))
        .encounter(encounter).build();
  }

  @ParameterizedTest(name = "HbA1c {0} {1}: numerator {2}")
  @CsvSource({
      "9.1, %, 1",
      "9.0, %, 0",
      "7.2, %, 0",
      "0.095, 1, 1",
      "80, mmol/mol, 0",
  })
  void cms122ComparesTheValueWithNinePercentStrictly(String value, String unit, int numerator) {
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01", value, unit));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isEqualTo(numerator);
    assertThat(gap(result, "GreaterThan9PercentFHIR").map(Recommendation::id))
        .isEqualTo(numerator == 1 ? Optional.of("cms122-glycemic-control") : Optional.empty());
  }

  @Test
  void cms122AHighValueGivesAConcreteGap() {
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01", "10.2", "%"));
    assertThat(gap(result, "GreaterThan9PercentFHIR").orElseThrow().detail())
        .startsWith("HbA1c 10.2 % on 2025-06-01 (the most recent in 2025-01-01 to 2025-12-31) "
            + "is above 9%");
  }

  @Test
  void cms122TakesTheLowestOfTheMostRecentDayOnly() {
    EvaluationResult controlled = evaluate(diabetic, a1c("2025-03-01", "12", "%"),
        a1c("2025-06-01T08:00:00Z", "9.5", "%"), a1c("2025-06-01T17:00:00Z", "8.5", "%"));
    assertThat(measure(controlled, "CMS122").count(Population.NUMERATOR)).isZero();
    assertThat(gap(controlled, "GreaterThan9PercentFHIR")).isEmpty();
    EvaluationResult worse = evaluate(diabetic, a1c("2025-03-01", "6", "%"),
        a1c("2025-06-01", "9.5", "%"));
    assertThat(measure(worse, "CMS122").count(Population.NUMERATOR)).isOne();
  }

  @Test
  void cms122AReadingWithoutAValueOnTheMostRecentDaySortsFirst() {
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01T08:00:00Z", "6.5", "%"),
        a1c("2025-06-01T09:00:00Z", null, null));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isOne();
    assertThat(gap(result, "GreaterThan9PercentFHIR").orElseThrow().id())
        .isEqualTo("cms122-glycemic-status-assessment");
  }

  static Observation a1cValued(String effective, ObservationValueType type) {
    return observation("a1c" + ++nextId, HBA1C).on(effective)
        .value(type == ObservationValueType.CODEABLE_CONCEPT ? CodeableConcept.of(YES) : null)
        .value(type == ObservationValueType.BOOLEAN ? Boolean.TRUE : null)
        .text(type == ObservationValueType.STRING ? "9.1 %" : null)
        .category("laboratory").valueType(type).build();
  }

  /**
   * "Has Most Recent Glycemic Status Assessment Without Result" is {@code ToValue(value) is
   * null}; "Has Most Recent Elevated Glycemic Status Assessment" is {@code (ToValue(value) as
   * Quantity) > 9 '%'}. A value of any other type is neither, so the patient, who has an
   * assessment, is in no part of the numerator.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ObservationValueType.class, names = {"QUANTITY", "INTEGER"},
      mode = EnumSource.Mode.EXCLUDE)
  void cms122AReadingValuedOtherwiseThanByAQuantityIsNeitherWithoutResultNorAbove9(
      ObservationValueType type) {
    EvaluationResult result = evaluate(diabetic, a1cValued("2025-06-01", type));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isZero();
    assertThat(gap(result, "GreaterThan9PercentFHIR")).isEmpty();
  }

  static Observation a1cInteger(String effective, String value) {
    return observation("a1c" + ++nextId, HBA1C).on(effective).value(value, "1")
        .category("laboratory").valueType(ObservationValueType.INTEGER).build();
  }

  /**
   * A valueInteger is a value, so not "without result", but CQL's {@code As Quantity} of an
   * Integer is null, so it is never above 9 %: 8 is not read as 800 % nor 10 as 1,000 %.
   */
  @ParameterizedTest(name = "valueInteger {0}")
  @ValueSource(strings = {"8", "10", "0"})
  void cms122AnIntegerReadingIsNeitherWithoutResultNorAbove9(String value) {
    EvaluationResult result = evaluate(diabetic, a1cInteger("2025-06-01", value));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isZero();
    assertThat(gap(result, "GreaterThan9PercentFHIR")).isEmpty();
  }

  @Test
  void cms122AnIntegerReadingSortsAsNoQuantityAndHidesAHighQuantity() {
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01T08:00:00Z", "9.5", "%"),
        a1cInteger("2025-06-01T09:00:00Z", "5"));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isZero();
  }

  @Test
  void cms122ACodedReadingIsTheLowestOfItsDayAndHidesAHighQuantity() {
    // "sort by QualifyingGlycemicStatusValue" (value as Quantity): the coded reading's null sorts
    // first, so First(...) is the coded reading, which is neither.
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01T08:00:00Z", "9.5", "%"),
        a1cValued("2025-06-01T09:00:00Z", ObservationValueType.CODEABLE_CONCEPT));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isZero();
  }

  @Test
  void cms122AReadingWithNoValueIsStillWithoutResult() {
    EvaluationResult result = evaluate(diabetic, a1c("2025-06-01", null, null));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isOne();
    assertThat(gap(result, "GreaterThan9PercentFHIR").orElseThrow().detail())
        .startsWith("The most recent glycemic status assessment, on 2025-06-01, has no result");
  }

  @Test
  void cms122NoAssessmentIsAGapNamingThePeriod() {
    EvaluationResult result = evaluate(diabetic, a1c("2024-11-05", "7", "%"));
    assertThat(measure(result, "CMS122").count(Population.NUMERATOR)).isOne();
    assertThat(gap(result, "GreaterThan9PercentFHIR").orElseThrow().detail())
        .startsWith("No HbA1c or glucose management indicator result between 2025-01-01 and "
            + "2025-12-31; last one: 2024-11-05.");
  }

  @ParameterizedTest(name = "{0}/{1}: numerator {2}")
  @CsvSource({
      "139, 89, 1",
      "140, 89, 0",
      "139, 90, 0",
  })
  void cms165ComparesBothValuesStrictly(String systolic, String diastolic, int numerator) {
    EvaluationResult result = evaluate(hypertensive, bp("2025-06-01", systolic, diastolic, null));
    assertThat(measure(result, "CMS165").count(Population.NUMERATOR)).isEqualTo(numerator);
    assertThat(gap(result, "ControllingHighBloodPressureFHIR").isPresent())
        .isEqualTo(numerator == 0);
  }

  @Test
  void cms165TakesEachLowestFromAnyReadingOfTheMostRecentDay() {
    EvaluationResult result = evaluate(hypertensive, bp("2025-03-01", "120", "70", null),
        bp("2025-06-01T08:00:00Z", "150", "80", null),
        bp("2025-06-01T09:00:00Z", "135", "95", null));
    assertThat(measure(result, "CMS165").count(Population.NUMERATOR)).isOne();
    EvaluationResult later = evaluate(hypertensive, bp("2025-03-01", "120", "70", null),
        bp("2025-06-01", "150", "95", null));
    assertThat(measure(later, "CMS165").count(Population.NUMERATOR)).isZero();
    assertThat(gap(later, "ControllingHighBloodPressureFHIR").orElseThrow().detail())
        .contains("the most recent reading day, 2025-06-01, has lowest systolic 150 mm[Hg] and "
            + "lowest diastolic 95 mm[Hg]");
  }

  @Test
  void cms165AReadingMissingItsSystolicMakesTheLowestUnknown() {
    EvaluationResult result = evaluate(hypertensive, bp("2025-06-01T08:00:00Z", "120", "70", null),
        bp("2025-06-01T09:00:00Z", null, "70", null));
    assertThat(measure(result, "CMS165").count(Population.NUMERATOR)).isZero();
  }

  @Test
  void cms165IgnoresReadingsTakenInAnEmergencyVisitButNotInAMissingOne() {
    Encounter emergency = new Encounter("er1", EncounterStatus.FINISHED,
        Code.of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER"), null,
        Period.at("2025-06-02"), null);
    EvaluationResult result = evaluate(hypertensive, emergency,
        bp("2025-06-01", "130", "80", null), bp("2025-06-02", "170", "100", "er1"));
    assertThat(measure(result, "CMS165").count(Population.NUMERATOR)).isOne();
    EvaluationResult elsewhere = evaluate(hypertensive,
        bp("2025-06-01", "130", "80", null), bp("2025-06-02", "170", "100", "not-in-record"));
    assertThat(measure(elsewhere, "CMS165").count(Population.NUMERATOR)).isZero();
  }
}
