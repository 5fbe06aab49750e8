package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.Population;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The measures' CQL retrieves Conditions with no verification-status filter (CMS130 "Malignant
 * Neoplasm", CMS124 "Absence of Cervix", CMS951 "Has CKD Stage 5 or ESRD Diagnosis Overlaps
 * Measurement Period", Hospice "Has Hospice Services"), so a diagnosis of any verification status
 * counts there; the engine deliberately leaves out an entered-in-error one, as each measure
 * file's "Deliberate deviations" section states. Each test adds one diagnosis, onset in 2020, to
 * a deck case that is in the denominator and not excluded.
 */
class EnteredInErrorMeasuresTest extends DenominatorCases {



  static Condition diagnosis(String code, String verification) {
    return Condition.builder("dx-" + code, CodeableConcept.of(Code.of(SNOMED_CT, code)))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .verificationStatus(
            verification.equals("none") ? null : VerificationStatus.fromCode(verification))
        .onset(ClinicalTime.parse("2020-05-01")).build();
  }

  @ParameterizedTest(name = "{0} {1} ({2}): excluded {3}")
  @CsvSource({
      // Malignant neoplasm, overlapping lesion of colon ("Malignant Neoplasm of Colon").
      "CMS130, 187757001,         none,             1",
      "CMS130, 187757001,         confirmed,        1",
      "CMS130, 187757001,         entered-in-error, 0",
      // Full care by hospice ("Hospice Diagnosis", Hospice "Has Hospice Services").
      "CMS130, 170935008,         confirmed,        1",
      "CMS130, 170935008,         entered-in-error, 0",
      // History of total hysterectomy ("Congenital or Acquired Absence of Cervix").
      "CMS124, 10738891000119107, confirmed,        1",
      "CMS124, 10738891000119107, entered-in-error, 0",
      // Chronic kidney disease stage 5 ("Chronic Kidney Disease, Stage 5").
      "CMS951, 433146000,         confirmed,        1",
      "CMS951, 433146000,         entered-in-error, 0",
  })
  void aDiagnosisEnteredInErrorExcludesNobody(String measure, String code, String verification,
      int excluded) {
    PatientRecord base = switch (measure) {
      case "CMS130" -> screeningAge;
      case "CMS124" -> woman64;
      default -> diabetic;
    };
    EvaluationResult result = MeasureDecks.evaluate(engine, base, diagnosis(code, verification));
    assertThat(result.measure(measure, 1).orElseThrow().count(Population.DENOMINATOR)).isOne();
    assertThat(result.measure(measure, 1).orElseThrow()
        .count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(excluded);
  }
}
