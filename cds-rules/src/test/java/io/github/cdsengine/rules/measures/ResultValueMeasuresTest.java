package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.rule.Population;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A result counts whatever the type of its value, as the measures' CQL tests {@code value is not
 * null} (FHIRHelpers.ToValue of any value[x]):
 *
 * <ul>
 *   <li>CMS130 (ColonCancerScreeningFHIR.cql) "Fecal Occult Blood Test Performed": {@code where
 *       FecalOccultResult.value is not null}; "Stool DNA with FIT Test Performed": {@code where
 *       sDNATest.value is not null};
 *   <li>CMS124 (CervicalCancerScreeningFHIR.cql) "Cervical Cytology Within 3 Years": {@code and
 *       CervicalCytology.value is not null}; "HPV Test Within 5 Years for Women Age 30 and
 *       Older": {@code and HPVTest.value is not null};
 *   <li>CMS951 (KidneyHealthEvaluationFHIR.cql) "Has Kidney Panel Performed During Measurement
 *       Period": {@code eGFRTest.value is not null} and {@code uACRTest.value is not null}.
 * </ul>
 *
 * Each test adds results to a deck case that is in the denominator, not excluded and not in the
 * numerator (CMS130 "IPPass 46WithAnnualWellness", CMS124 "IPPass 64WithQualifyingEncounter",
 * CMS951 case 80cbaf27).
 */
class ResultValueMeasuresTest extends DenominatorCases {

  /** Hemoglobin.gastrointestinal [Presence] in Stool by Immunologic method: a FIT, in "FOBT". */
  static final Code FIT = Code.of(LOINC, "29771-3");
  /** In "sDNA FIT Test". */
  static final Code SDNA_FIT = Code.of(LOINC, "77353-1");
  /** In "Pap Test". */
  static final Code PAP = Code.of(LOINC, "10524-7");
  /** In "HPV Test". */
  static final Code HPV = Code.of(LOINC, "21440-3");
  /** In "Estimated Glomerular Filtration Rate". */
  static final Code EGFR = Code.of(LOINC, "48642-3");
  /** In "Urine Albumin Creatinine Ratio". */
  static final Code UACR = Code.of(LOINC, "13705-9");
  static final CodeableConcept NEGATIVE = CodeableConcept.of(
      Code.of(SNOMED_CT, "260385009"));

  static int nextId;

  /**
   * A final laboratory result on {@code effective} whose value is of {@code type}: the detail the
   * model keeps for quantities, integers, concepts, yes/no and text, the type alone otherwise;
   * no value at all when {@code type} is null.
   */
  static Observation result(Code code, String effective, ObservationValueType type) {
    Quantity quantity = type == ObservationValueType.QUANTITY ? Quantity.of("12", "ng/mL")
        : type == ObservationValueType.INTEGER ? Quantity.of("0", "1") : null;
    return observation("r" + ++nextId, code).on(effective).value(quantity)
        .value(type == ObservationValueType.CODEABLE_CONCEPT ? NEGATIVE : null)
        .value(type == ObservationValueType.BOOLEAN ? Boolean.FALSE : null)
        .text(type == ObservationValueType.STRING ? "Negative" : null)
        .category("laboratory").valueType(type).build();
  }

  static int numerator(PatientRecord base, String measure, ClinicalFact... added) {
    EvaluationResult result = MeasureDecks.evaluate(engine, base, added);
    assertThat(result.measure(measure, 1).orElseThrow().count(Population.DENOMINATOR))
        .as("the base case is in the %s denominator", measure).isOne();
    return result.measure(measure, 1).orElseThrow().count(Population.NUMERATOR);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ObservationValueType.class)
  void cms130FecalOccultBloodTestWithAValueOfAnyTypeIsInTheNumerator(ObservationValueType type) {
    assertThat(numerator(screeningAge, "CMS130", result(FIT, "2025-06-01", type))).isOne();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ObservationValueType.class)
  void cms130StoolDnaWithAValueOfAnyTypeIsInTheNumerator(ObservationValueType type) {
    assertThat(numerator(screeningAge, "CMS130", result(SDNA_FIT, "2024-01-01", type))).isOne();
  }

  @Test
  void cms130TestsWithoutAValueAreNotInTheNumerator() {
    assertThat(numerator(screeningAge, "CMS130", result(FIT, "2025-06-01", null),
        result(SDNA_FIT, "2025-06-01", null))).isZero();
  }

  @Test
  void cms130FitResultedAsTextNegativeReadFromFhirIsInTheNumeratorWithoutAGap() {
    PatientRecord fromFhir = FhirReader.create().read(new ByteArrayInputStream("""
        {"resourceType": "Bundle", "type": "collection", "entry": [
         {"resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1970-01-01"}},
         {"resource": {"resourceType": "Observation", "id": "fit1", "status": "final",
          "category": [{"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}],
          "code": {"coding": [{"system": "http://loinc.org", "code": "29771-3"}]},
          "subject": {"reference": "Patient/p1"},
          "effectiveDateTime": "2025-06-01",
          "valueString": "Negative"}}]}""".getBytes(StandardCharsets.UTF_8)), "fit.json")
        .onlyPatient();
    Observation fit = fromFhir.observations().get(0);

    EvaluationResult result = MeasureDecks.evaluate(engine, screeningAge, fit);

    assertThat(result.measure("CMS130", 1).orElseThrow().count(Population.NUMERATOR)).isOne();
    assertThat(result.measure("CMS130", 1).orElseThrow().careGap()).isFalse();
    assertThat(result.recommendations())
        .noneMatch(r -> r.guideline().url().endsWith("ColonCancerScreeningFHIR"));
  }

  @Test
  void cms130ATextResultOutsideItsLookbackStillDoesNotCount() {
    // The value test does not widen the window: FOBT during the period, sDNA-FIT from two years
    // before its start ("Interval[start of "Measurement Period" - 2 years, ...]").
    assertThat(numerator(screeningAge, "CMS130",
        result(FIT, "2024-12-31", ObservationValueType.STRING),
        result(SDNA_FIT, "2022-12-31", ObservationValueType.STRING))).isZero();
    assertThat(numerator(screeningAge, "CMS130",
        result(SDNA_FIT, "2023-01-01", ObservationValueType.STRING))).isOne();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ObservationValueType.class)
  void cms124CytologyWithAValueOfAnyTypeIsInTheNumerator(ObservationValueType type) {
    assertThat(numerator(woman64, "CMS124", result(PAP, "2023-01-01", type))).isOne();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ObservationValueType.class)
  void cms124HpvTestWithAValueOfAnyTypeIsInTheNumerator(ObservationValueType type) {
    assertThat(numerator(woman64, "CMS124", result(HPV, "2021-01-01", type))).isOne();
  }

  @Test
  void cms124TestsWithoutAValueAreNotInTheNumerator() {
    assertThat(numerator(woman64, "CMS124", result(PAP, "2025-06-01", null),
        result(HPV, "2025-06-01", null))).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ObservationValueType.class)
  void cms951BothTestsWithAValueOfAnyTypeAreInTheNumerator(ObservationValueType type) {
    assertThat(numerator(diabetic, "CMS951", result(EGFR, "2025-06-01", type),
        result(UACR, "2025-06-01", type))).isOne();
  }

  @Test
  void cms951TextResultsCountAndBothAreStillNeeded() {
    assertThat(numerator(diabetic, "CMS951",
        result(EGFR, "2025-06-01", ObservationValueType.STRING),
        result(UACR, "2025-06-01", ObservationValueType.STRING))).isOne();
    assertThat(numerator(diabetic, "CMS951",
        result(EGFR, "2025-06-01", ObservationValueType.STRING),
        result(UACR, "2025-06-01", null))).isZero();
  }
}
