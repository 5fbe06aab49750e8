package io.github.cdsengine.rules.measures.cms69;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A weight diagnosis against an intervention's day, as QI-Core's prevalenceInterval() reads it. */
class WeightDiagnosisTest {

  static Condition diagnosis(ConditionClinicalStatus status, String onset, String abatement) {
    Condition.Builder builder = Condition.builder("c",
            CodeableConcept.of(Code.of("http://hl7.org/fhir/sid/icd-10-cm", "E66.09")))
        .clinicalStatus(status);
    if (onset != null) {
      builder.onset(ClinicalTime.parse(onset));
    }
    if (abatement != null) {
      builder.abatement(ClinicalTime.parse(abatement));
    }
    return builder.build();
  }

  @ParameterizedTest(name = "{0} from {1} to {2}, intervention {3}: starts by {4}, not ended {5}")
  @CsvSource(nullValues = "none", value = {
      "ACTIVE, 2025-03-01, none, 2025-03-01T10:00:00Z, true, true",
      "ACTIVE, 2025-03-02, none, 2025-03-01T10:00:00Z, false, true",
      "ACTIVE, none, none, 2025-03-01T10:00:00Z, true, true",
      "RECURRENCE, 2025-01-01, none, 2025-03-01T10:00:00Z, true, true",
      // An inactive diagnosis with no abatement has an unknown end.
      "INACTIVE, 2025-01-01, none, 2025-03-01T10:00:00Z, true, false",
      "INACTIVE, 2025-01-01, 2025-03-01, 2025-03-01T10:00:00Z, true, true",
      "INACTIVE, 2025-01-01, 2025-02-28, 2025-03-01T10:00:00Z, true, false",
      // A month against a day is uncertain.
      "ACTIVE, 2025-03, none, 2025-03-10T10:00:00Z, false, true",
      "RESOLVED, 2025-01-01, 2025-03, 2025-03-10T10:00:00Z, true, false"})
  void daysAreComparedAsTheCqlComparesThem(ConditionClinicalStatus status, String onset,
      String abatement, String time, boolean startsBy, boolean notEnded) {
    Condition condition = diagnosis(status, onset, abatement);
    ClinicalTime at = ClinicalTime.parse(time);
    assertThat(WeightDiagnosis.startsByDayOf(condition, at, ZoneOffset.UTC)).isEqualTo(startsBy);
    assertThat(WeightDiagnosis.notEndedBeforeDayOf(condition, at, ZoneOffset.UTC))
        .isEqualTo(notEnded);
  }

  @ParameterizedTest(name = "{0}: active {1}")
  @CsvSource({"ACTIVE, true", "RECURRENCE, true", "RELAPSE, true", "INACTIVE, false",
      "REMISSION, false", "RESOLVED, false"})
  void activeIsActiveRecurrenceOrRelapse(ConditionClinicalStatus status, boolean active) {
    assertThat(WeightDiagnosis.isActive(diagnosis(status, "2025-01-01", null)))
        .isEqualTo(active);
  }
}
