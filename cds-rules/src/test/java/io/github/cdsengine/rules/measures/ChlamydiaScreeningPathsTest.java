package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.rule.Population;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS153 (ChlamydiaScreeninginWomenFHIR.cql 0.1.000) at its boundaries, on the deck case
 * "Medication active 1 day after the pregnancy test": a woman of the measure's ages whose only
 * sign of sexual activity is a pregnancy test ordered at 2025-01-01T00:00Z, followed the next day
 * by an isotretinoin order, so the pregnancy-test exclusion applies.
 */
class ChlamydiaScreeningPathsTest {

  /** In "XRay Study". */
  static final Code XRAY = Code.of(LOINC, "24533-2");
  /** In "Pap Test". */
  static final Code PAP = Code.of(LOINC, "10524-7");
  /** In "Chlamydia Screening". */
  static final Code CHLAMYDIA = Code.of(LOINC, "14463-4");

  static CdsEngine engine;
  static PatientRecord pregnancyTestThenIsotretinoin;
  static PatientRecord pregnancyTestOnly;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS153");
    pregnancyTestThenIsotretinoin = MeasureDecks.patient(
        "ChlamydiaScreeninginWomenFHIR/7a7a14ea-f8bb-41a5-807e-572d65f27c8a");
    pregnancyTestOnly = pregnancyTestThenIsotretinoin == null ? null
        : without(pregnancyTestThenIsotretinoin, f -> f instanceof MedicationRequest);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static PatientRecord without(PatientRecord base, Predicate<ClinicalFact> left) {
    return PatientRecord.builder(base.patient())
        .addAll(base.facts().filter(f -> f != base.patient() && !left.test(f)).toList()).build();
  }

  static MeasureResult cms153(PatientRecord base, ClinicalFact... added) {
    EvaluationResult result = MeasureDecks.evaluate(engine, base, added);
    return result.measure("CMS153", 1).orElseThrow();
  }

  static ServiceRequest order(String id, Code code, String authoredOn) {
    return new ServiceRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER,
        CodeableConcept.of(code), ClinicalTime.parse(authoredOn), false);
  }

  @Test
  void aPregnancyTestFollowedByIsotretinoinIsExcluded() {
    MeasureResult result = cms153(pregnancyTestThenIsotretinoin);

    assertThat(result.count(Population.DENOMINATOR)).isOne();
    assertThat(result.count(Population.DENOMINATOR_EXCLUSION)).isOne();
    assertThat(result.careGap()).isFalse();
  }

  @Test
  void aPregnancyTestAloneIsASignOfSexualActivityWithACareGap() {
    EvaluationResult result = MeasureDecks.evaluate(engine, pregnancyTestOnly);

    assertThat(result.measure("CMS153", 1).orElseThrow().careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms153-chlamydia-screening");
      assertThat(r.detail()).contains("2025-01-01 to 2025-12-31").contains("grade B");
    });
  }

  @ParameterizedTest(name = "X-ray ordered {0}: excluded {1}")
  @CsvSource({
      "2025-01-01T00:00:00Z, 1",
      "2025-01-07, 1",
      "2025-01-08, 0",
      // Before the pregnancy test's day: not "on or after".
      "2024-12-31, 0",
  })
  void anXrayOnTheTestsDayOrUpToSixDaysLaterExcludes(String xrayOrdered, int excluded) {
    MeasureResult result = cms153(pregnancyTestOnly, order("xray", XRAY, xrayOrdered));

    assertThat(result.count(Population.DENOMINATOR)).isOne();
    assertThat(result.count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @Test
  void anotherSignOfSexualActivityKeepsThePatientInTheDenominator() {
    MeasureResult result = cms153(pregnancyTestThenIsotretinoin,
        order("pap", PAP, "2025-06-01"));

    assertThat(result.count(Population.DENOMINATOR_EXCLUSION)).isZero();
    assertThat(result.careGap()).isTrue();
  }

  @Test
  void aPregnancyTestOnTheFirstDayAsADateIsNotCertainlyDuringThePeriod() {
    // "PregnancyTest.authoredOn during Measurement Period" compares at the recorded precision:
    // the day 2025-01-01 against 2025-01-01T00:00:00.000 is uncertain, so no exclusion; the
    // test still counts as a sign of sexual activity ("during day of").
    PatientRecord dated = without(pregnancyTestThenIsotretinoin, f -> f instanceof ServiceRequest);
    ServiceRequest test = pregnancyTestThenIsotretinoin.facts()
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast)
        .findFirst().orElseThrow();
    ServiceRequest onTheDay = new ServiceRequest(test.id(), test.status(), test.intent(),
        test.code(), ClinicalTime.parse("2025-01-01"), false);

    MeasureResult result = cms153(dated, onTheDay);

    assertThat(result.count(Population.DENOMINATOR)).isOne();
    assertThat(result.count(Population.DENOMINATOR_EXCLUSION)).isZero();
  }

  @ParameterizedTest(name = "chlamydia test {0}: numerator {1}")
  @CsvSource({
      "2025-01-01, 1",
      "2025-12-31, 1",
      "2024-12-31, 0",
      "2026-01-01, 0",
  })
  void aChlamydiaTestWithAResultDuringThePeriodCounts(String effective, int numerator) {
    assertThat(cms153(pregnancyTestOnly, observation("ct", CHLAMYDIA).on(effective)
        .value(Code.of("http://snomed.info/sct", "260385009")).category("laboratory").build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void aChlamydiaTestWithoutAResultOrCategoryDoesNotCount() {
    assertThat(cms153(pregnancyTestOnly,
        observation("ct1", CHLAMYDIA).on("2025-06-01").category("laboratory").build(),
        observation("ct2", CHLAMYDIA).on("2025-06-01")
            .value(Code.of("http://snomed.info/sct", "260385009")).build())
        .count(Population.NUMERATOR)).isZero();
  }

  @Test
  void aManIsNotInTheInitialPopulation() {
    Patient woman = pregnancyTestOnly.patient();
    PatientRecord man = PatientRecord.builder(new Patient(woman.id(), woman.birthDate(),
            AdministrativeGender.MALE))
        .addAll(pregnancyTestOnly.facts().filter(f -> f != woman).toList()).build();

    assertThat(cms153(man).count(Population.INITIAL_POPULATION)).isZero();
  }
}
