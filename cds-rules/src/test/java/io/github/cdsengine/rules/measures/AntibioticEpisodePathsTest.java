package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.testing.Facts.observation;
import static io.github.cdsengine.core.testing.Facts.order;
import static io.github.cdsengine.core.testing.Facts.supply;
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
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.rule.Population;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS146 (AppropriateTestingforPharyngitisFHIR.cql 0.1.001) and CMS154
 * (AppropriateTreatmentforUpperRespiratoryInfectionURIFHIR.cql 0.1.001), with the Antibiotic
 * library 1.7.000, at their windows' edges:
 *
 * <ul>
 *   <li>CMS146 on "Qualifying encounter is Office Visit": pharyngitis at a visit on 2025-10-11
 *       (12:45 to 12:59 UTC), an antibiotic ordered on 2025-10-12, no strep test: a care gap;
 *   <li>CMS154 on "Encounter with URI and antibiotics ordered the same day": an upper
 *       respiratory infection at a visit from 2025-01-01T00:00Z, an antibiotic ordered at that
 *       instant: not in the numerator, a care gap.
 * </ul>
 */
class AntibioticEpisodePathsTest {

  /** In "Group A Streptococcus Test". */
  static final Code STREP_TEST = Code.of(LOINC, "11268-0");
  /** Tuberculosis of lung: in "Comorbid Conditions for Respiratory Conditions". */
  static final Code TUBERCULOSIS = Code.of(ICD_10_CM, "A15.0");
  /** Cholera: in "Competing Conditions for Respiratory Conditions". */
  static final Code CHOLERA = Code.of(ICD_10_CM, "A00.0");
  /** Streptococcal pharyngitis: in "Acute Pharyngitis". */
  static final Code STREP_PHARYNGITIS = Code.of(ICD_10_CM, "J02.0");
  /** Minocycline: in the antibiotic value set of both measures. */
  static final Code MINOCYCLINE = Code.of(RXNORM, "1013659");

  static CdsEngine engine;
  static PatientRecord pharyngitis;
  static PatientRecord uri;

  @BeforeAll
  static void readCases() {
    engine = MeasureDecks.engine("CMS146", "CMS154");
    pharyngitis = MeasureDecks.patient(
        "AppropriateTestingforPharyngitisFHIR/d2f3c4a0-b4bb-4407-9a78-e76775ff5bd1");
    uri = MeasureDecks.patient("AppropriateTreatmentforUpperRespiratoryInfectionURIFHIR/"
        + "f36ebb57-2822-42cc-87de-5bcf897e3db7");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult measure(String id, PatientRecord base, ClinicalFact... added) {
    return MeasureDecks.evaluate(engine, base, added).measure(id, 1).orElseThrow();
  }

  static PatientRecord withoutOrders(PatientRecord base) {
    return PatientRecord.builder(base.patient()).addAll(base.facts()
        .filter(f -> f != base.patient() && !(f instanceof MedicationRequest)).toList()).build();
  }

  static Condition condition(String id, Code code, String onset) {
    return Condition.builder(id, CodeableConcept.of(code))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse(onset)).build();
  }

  @Test
  void pharyngitisTreatedWithoutATestIsACareGapNamingTheVisit() {
    EvaluationResult result = MeasureDecks.evaluate(engine, pharyngitis);

    assertThat(result.measure("CMS146", 1).orElseThrow().careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms146-appropriate-testing-for-pharyngitis");
      assertThat(r.detail()).contains("visit of 2025-10-11").contains("strong");
    });
  }

  @ParameterizedTest(name = "strep test {0}: numerator {1}")
  @CsvSource({
      "2025-10-07, 0",
      "2025-10-08, 1",
      "2025-10-14, 1",
      "2025-10-15, 0",
  })
  void aStrepTestFromThreeDaysBeforeToThreeDaysAfterTheVisitCounts(String effective,
      int numerator) {
    assertThat(measure("CMS146", pharyngitis, observation("strep", STREP_TEST).on(effective)
        .value(Code.of("http://snomed.info/sct", "260385009")).category("laboratory").build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void aStrepTestWithoutAResultDoesNotCount() {
    assertThat(measure("CMS146", pharyngitis, observation("strep", STREP_TEST)
        .on("2025-10-11").category("laboratory").build()).count(Population.NUMERATOR)).isZero();
  }

  @ParameterizedTest(name = "antibiotic ordered {0}: episode {1}")
  @CsvSource({
      "2025-10-10, 0",
      "2025-10-11, 1",
      "2025-10-14, 1",
      "2025-10-15, 0",
  })
  void theAntibioticMustBeOrderedOnTheVisitDayOrUpToThreeDaysLater(String authored,
      int episode) {
    assertThat(measure("CMS146", withoutOrders(pharyngitis),
        order("abx", MINOCYCLINE).authoredOn(authored).build())
        .count(Population.INITIAL_POPULATION)).isEqualTo(episode);
  }

  @ParameterizedTest(name = "comorbid condition from {0}: excluded {1}")
  @CsvSource({
      "2024-10-10, 0",
      "2024-10-11, 1",
      "2025-10-11, 1",
      "2025-10-12, 0",
  })
  void aComorbidConditionStartingInTheYearUpToTheEpisodeExcludes(String onset, int excluded) {
    assertThat(measure("CMS146", pharyngitis, condition("tb", TUBERCULOSIS, onset))
        .count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @ParameterizedTest(name = "competing diagnosis from {0}: excluded {1}")
  @CsvSource({
      "2025-10-10, 0",
      "2025-10-11, 1",
      "2025-10-14, 1",
      "2025-10-15, 0",
  })
  void aCompetingDiagnosisUpToThreeDaysAfterTheEpisodeExcludes(String onset, int excluded) {
    assertThat(measure("CMS146", pharyngitis, condition("cholera", CHOLERA, onset))
        .count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @ParameterizedTest(name = "active antibiotic from {0} for {1} days: excluded {2}")
  @CsvSource({
      // Covers 2025-09-01 to 2025-09-10: before the 30 days (2025-09-11 to 2025-10-10).
      "2025-09-01, 10, 0",
      // Covers 2025-09-02 to 2025-09-11: its last day is the window's first.
      "2025-09-02, 10, 1",
  })
  void anActiveAntibioticInTheThirtyDaysBeforeExcludes(String authored, String days,
      int excluded) {
    assertThat(measure("CMS146", pharyngitis, order("earlier", MINOCYCLINE).authoredOn(authored)
        .dispense(supply(null, days, "d", null)).build())
        .count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @Test
  void cms146CountsOnlyActiveOrdersInTheHistoryAndCms154AnyStatus() {
    MedicationRequest stopped = order("earlier", MINOCYCLINE).authoredOn("2025-09-20")
        .dispense(supply(null, "10", "d", null)).status(RequestStatus.STOPPED).build();
    MedicationRequest stoppedBeforeUri = order("earlier", MINOCYCLINE).authoredOn("2024-12-20")
        .dispense(supply(null, "10", "d", null)).status(RequestStatus.STOPPED).build();

    assertThat(measure("CMS146", pharyngitis, stopped).count(Population.DENOMINATOR_EXCLUSION))
        .isZero();
    assertThat(measure("CMS154", uri, stoppedBeforeUri).count(Population.DENOMINATOR_EXCLUSION))
        .isOne();
  }

  @Test
  void anUpperRespiratoryInfectionTreatedTheSameInstantIsACareGapThatNamesNoOrderToStop() {
    EvaluationResult result = MeasureDecks.evaluate(engine, uri);

    MeasureResult cms154 = result.measure("CMS154", 1).orElseThrow();
    assertThat(cms154.count(Population.NUMERATOR)).isZero();
    assertThat(cms154.careGap()).isTrue();
    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms154-appropriate-treatment-for-uri");
      assertThat(r.detail()).contains("visit of 2025-01-01").contains("clinical judgement")
          .doesNotContainIgnoringCase("stop the").doesNotContainIgnoringCase("discontinue");
    });
  }

  @ParameterizedTest(name = "antibiotic ordered {0}: numerator {1}")
  @CsvSource({
      "2025-01-04T00:00:00Z, 0",
      "2025-01-04T00:00:01Z, 1",
      "2024-12-31T23:59:59Z, 1",
      // A day against the visit's instant on the same day is not certainly on or after it.
      "2025-01-01, 1",
      "2025-01-02, 0",
  })
  void anAntibioticFromTheVisitsStartToThreeDaysLaterIsOveruse(String authored, int numerator) {
    assertThat(measure("CMS154", withoutOrders(uri),
        order("abx", MINOCYCLINE).authoredOn(authored).build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void anInfectionThatStartedBeforeTheVisitAndLastsMakesAnEpisodeAResolvedOneDoesNot() {
    PatientRecord noUri = PatientRecord.builder(uri.patient()).addAll(uri.facts()
        .filter(f -> f != uri.patient() && !(f instanceof Condition)).toList()).build();
    Code uriCode = uri.facts().filter(Condition.class::isInstance).map(Condition.class::cast)
        .findFirst().orElseThrow().code().codings().get(0);
    Condition ongoing = condition("uri", uriCode, "2024-12-20");
    Condition resolved = Condition.builder("uri", CodeableConcept.of(uriCode))
        .clinicalStatus(ConditionClinicalStatus.RESOLVED)
        .onset(ClinicalTime.parse("2024-12-20"))
        .abatement(ClinicalTime.parse("2024-12-25")).build();

    assertThat(measure("CMS154", noUri, ongoing).count(Population.INITIAL_POPULATION)).isOne();
    assertThat(measure("CMS154", noUri, resolved).count(Population.INITIAL_POPULATION)).isZero();
  }

  @ParameterizedTest(name = "pharyngitis from {0}: excluded {1}")
  @CsvSource({
      "2025-01-04, 1",
      "2025-01-05, 0",
  })
  void pharyngitisIsACompetingDiagnosisForCms154(String onset, int excluded) {
    assertThat(measure("CMS154", uri, condition("ph", STREP_PHARYNGITIS, onset))
        .count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }

  @ParameterizedTest(name = "born {0}: initial population {1}")
  @CsvSource({
      "2024-10-01, 1",
      "2024-10-02, 0",
  })
  void cms154StartsAtThreeMonthsOld(String born, int initial) {
    Patient base = uri.patient();
    PatientRecord record = PatientRecord.builder(new Patient(base.id(), LocalDate.parse(born),
            base.gender()))
        .addAll(uri.facts().filter(f -> f != base).toList()).build();

    assertThat(measure("CMS154", record).count(Population.INITIAL_POPULATION))
        .isEqualTo(initial);
  }
}
