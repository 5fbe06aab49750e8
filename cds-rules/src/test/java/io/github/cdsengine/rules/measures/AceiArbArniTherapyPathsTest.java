package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
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
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.Population;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CMS135 (HFACEIorARBorARNIforLVSDFHIR.cql 0.2.000 with AHAOverall 2.8.000) on the deck case
 * "Patient GE 18years old with two ambulatory encounters, HF diagnosis and LVEF <= 40% is not
 * prescribed ACE/ARB": in the denominator with no ACE inhibitor, ARB or ARNI, a care gap. Its
 * office visits, both heart failure visits after a severe LVSD diagnosis of their first minute,
 * are 2025-02-03 and 2025-03-01, 08:00 to 08:15 UTC. The pregnancy and medication-reference
 * expectations were cross-checked with fqm-execution 1.8.6 on the same case.
 */
class AceiArbArniTherapyPathsTest {

  /** Sacubitril 49 MG / valsartan 51 MG: in "ACE Inhibitor or ARB or ARNI". */
  static final Code ARNI = Code.of(RXNORM, "1656349");
  /** Substance with ACE inhibitor mechanism of action. */
  static final Code ACE_INHIBITOR_SUBSTANCE = Code.of(SNOMED_CT, "372733002");
  static final Code PREGNANCY = Code.of(SNOMED_CT, "11082009");
  static final Code RENAL_FAILURE_BY_ACE_INHIBITOR = Code.of(SNOMED_CT, "422593004");
  /** In "Allergy to ACE Inhibitor or ARB". */
  static final Code ACE_INHIBITOR_ALLERGY = Code.of(SNOMED_CT, "609541004");

  static CdsEngine engine;
  static PatientRecord lvsd;

  @BeforeAll
  static void readCase() {
    engine = MeasureDecks.engine("CMS135");
    lvsd = MeasureDecks.patient("HFACEIorARBorARNIforLVSDFHIR/"
        + "d297e68e-3f02-42a8-a59f-a5a4cecbd47d");
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static MeasureResult cms135(ClinicalFact... added) {
    MeasureResult result = MeasureDecks.evaluate(engine, lvsd, added)
        .measure("CMS135", 1).orElseThrow();
    assertThat(result.count(Population.DENOMINATOR)).isOne();
    return result;
  }

  static Condition condition(String id, Code code, ConditionClinicalStatus status, String onset,
      String abatement) {
    return Condition.builder(id, CodeableConcept.of(code)).clinicalStatus(status)
        .verificationStatus(status == null ? null : VerificationStatus.CONFIRMED)
        .onset(ClinicalTime.parse(onset))
        .abatement(abatement == null ? null : ClinicalTime.parse(abatement)).build();
  }

  @Test
  void theGapNamesTheGuidelineAndTheDocumentedReasonsThatExclude() {
    EvaluationResult result = MeasureDecks.evaluate(engine, lvsd);

    assertThat(result.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("cms135-acei-arb-arni-therapy-for-lvsd");
      assertThat(r.detail()).contains("CMS135").contains("pregnancy")
          .contains("allergy or intolerance").contains("angioedema").contains("AHA/ACC/HFSA")
          .contains("Class I").contains("treating clinician");
    });
  }

  @ParameterizedTest(name = "ARNI written {0}, {1}: numerator {2}")
  @CsvSource({
      "2025-02-03T20:00:00Z, ACTIVE, 1",       // the visit's day, after it ended: "day of"
      "2025-03-01T08:10:00Z, COMPLETED, 1",
      "2025-02-04T08:00:00Z, ACTIVE, 0",
      "2025-02-03T08:10:00Z, ON_HOLD, 0"})
  void anOrderWrittenOnTheDayOfAnLvsdVisitCounts(String authored, RequestStatus status,
      int numerator) {
    assertThat(cms135(order("r", ARNI).authoredOn(authored).status(status).build())
        .count(Population.NUMERATOR)).isEqualTo(numerator);
  }

  @Test
  void anOrderNamingItsDrugThroughAMedicationResourceDoesNotCount() {
    // The compiled ELM of this measure joins no Medication: only the order's own code counts.
    assertThat(cms135(order("r", ARNI).authoredOn("2025-02-03T08:10:00Z")
        .product(new Medication(null, List.of())).build())
        .count(Population.NUMERATOR)).isZero();
  }

  @Test
  void anOrderWhoseDosingRunsPastAnLvsdVisitCounts() {
    Dosage running = new Dosage(null, 1, null, null, List.of(),
        new Period(ClinicalTime.parse("2025-01-01"), null), null, null, null);

    assertThat(cms135(order("r", ARNI).authoredOn("2024-12-20").dosage(running).build())
        .count(Population.NUMERATOR)).isOne();
  }

  @ParameterizedTest(name = "pregnancy {0} from {1} to {2}: exception {3}")
  @CsvSource({
      "ACTIVE, 2024-05-03T08:00:00Z, , 1",     // nine months before the February visit's start
      "ACTIVE, 2024-05-03T07:59:00Z, , 0",
      "ACTIVE, 2025-03-01T08:00:00Z, , 1",     // at the March visit's start
      "ACTIVE, 2025-03-01T08:00:01Z, , 0",
      "ACTIVE, 2025-01-01, , 1",
      "ACTIVE, 2025-03-01, , 0",               // a day against the visit's start instant
      "RESOLVED, 2025-01-01, 2025-01-20, 1",   // no status test: a resolved pregnancy counts
      ", 2025-01-01, , 0"})                    // neither active nor abated: no prevalence
  void aPregnancyStartingUpToNineMonthsBeforeAnLvsdVisitIsAnException(
      ConditionClinicalStatus status, String onset, String abatement, int exception) {
    assertThat(cms135(condition("p", PREGNANCY, status, onset, abatement))
        .count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @ParameterizedTest(name = "ingredient allergy {0} {1}: exception {2}")
  @CsvSource({
      "ACTIVE, CONFIRMED, 1",
      "INACTIVE, CONFIRMED, 0",
      "ACTIVE, UNCONFIRMED, 0"})
  void anAllergyToAnIngredientIsAnException(AllergyClinicalStatus status,
      VerificationStatus verification, int exception) {
    AllergyIntolerance allergy = new AllergyIntolerance("a", status, verification,
        CodeableConcept.of(ACE_INHIBITOR_SUBSTANCE), null, ClinicalTime.parse("2004"), null);

    assertThat(cms135(allergy).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @ParameterizedTest(name = "diagnosed allergy from {0}: exception {1}")
  @CsvSource({"2024-09-25, 1", "2025-03-01T23:00:00Z, 1", "2025-03-02, 0"})
  void aDiagnosedAllergyOverlappingAfterAnLvsdVisitIsAnException(String onset, int exception) {
    assertThat(cms135(condition("d", ACE_INHIBITOR_ALLERGY, ConditionClinicalStatus.ACTIVE,
        onset, null)).count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }

  @ParameterizedTest(name = "renal failure from {0} to {1}: exception {2}")
  @CsvSource({
      "2025-02-03T08:10:00Z, , 1",
      "2025-03-02, , 0",                        // after both visits' days
      "2024-01-01, 2025-02-02, 0"})             // ended the day before the first visit
  void renalFailureCausedByAnAceInhibitorAtAnLvsdVisitIsAnException(String onset,
      String abatement, int exception) {
    assertThat(cms135(condition("rf", RENAL_FAILURE_BY_ACE_INHIBITOR,
        ConditionClinicalStatus.ACTIVE, onset, abatement))
        .count(Population.DENOMINATOR_EXCEPTION)).isEqualTo(exception);
  }
}
