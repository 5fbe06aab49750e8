package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.GOOD;
import static io.github.cdsengine.core.EngineFailureTest.JAN_2025;
import static io.github.cdsengine.core.EngineFailureTest.adult;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Facts;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.pack.RuleFile;

/**
 * Nothing of one evaluation reaches the next through a reused rule session, whichever way the
 * session is readied ({@link SessionReuse}): not the patient's facts, not what rules inserted.
 */
class EngineSessionReuseTest {

  /** Each evaluation inserts one Marker; a second one in a session would be a leak. */
  private static final RuleFile MARKERS = file("markers.drl",
      "declare Marker\n    patientId : String\nend\n\n",
      GOOD,
      supporting("Mark the patient", "    $p : Patient()", "    insert(new Marker($p.id()));"),
      recommending("Leaked marker", "leaked", "USPSTF:A", "screening", "critical",
          "    $p : Patient()\n    exists Marker(patientId != $p.id())", "a fact of another patient"),
      recommending("Two patients", "two-patients", "USPSTF:A", "screening", "critical",
          "    Patient($id : id)\n    Patient(id != $id)", "two patients in one session"));

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void nothingOfOnePatientReachesTheNext(SessionReuse reuse) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(MARKERS)
        .sessionReuse(reuse).build()) {
      for (int i = 0; i < 50; i++) {
        PatientRecord patient = PatientRecord.builder(
            Facts.patient("p" + i, LocalDate.of(1950 + i % 40, 6, 15))).build();
        EvaluationResult result = engine.evaluate(patient, JAN_2025);
        assertThat(result.failures()).isEmpty();
        assertThat(result.recommendations()).extracting(Recommendation::id)
            .as("patient %d", i).containsExactly("good");
      }
    }
  }

  /** The same, with each patient's marker in a named entry point. */
  private static final RuleFile ENTRY_POINT_MARKERS = file("entry-point-markers.drl",
      "declare Marker\n    patientId : String\nend\n\n",
      GOOD,
      supporting("Mark the patient in an entry point", "    $p : Patient()",
          "    drools.getEntryPoint(\"marks\").insert(new Marker($p.id()));"),
      recommending("Leaked marker", "leaked", "USPSTF:A", "screening", "critical",
          "    $p : Patient()\n    exists Marker(patientId != $p.id()) from entry-point \"marks\"",
          "a fact of another patient"));

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void nothingInANamedEntryPointReachesTheNextPatient(SessionReuse reuse) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy()
        .addRules(ENTRY_POINT_MARKERS).sessionReuse(reuse).build()) {
      for (int i = 0; i < 20; i++) {
        PatientRecord patient = PatientRecord.builder(
            Facts.patient("p" + i, LocalDate.of(1950 + i, 6, 15))).build();
        EvaluationResult result = engine.evaluate(patient, JAN_2025);
        assertThat(result.failures()).isEmpty();
        assertThat(result.recommendations()).extracting(Recommendation::id)
            .as("patient %d", i).containsExactly("good");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SessionReuse.class)
  void afterFailedEvaluationsTheNextPatientEvaluatesCleanly(SessionReuse reuse) {
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy()
        .addRules(EngineFailureTest.throwingAction()).sessionReuse(reuse).build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(engine.evaluate(adult(), JAN_2025).failures()).hasSize(1);
      }
      PatientRecord child = PatientRecord.builder(
          Facts.patient("child", LocalDate.of(2020, 6, 15))).build();
      // The throwing rule matches every patient; the adult's "good" must not carry over.
      EvaluationResult result = engine.evaluate(child, JAN_2025);
      assertThat(result.failures()).extracting(RuleFailure::rule)
          .containsExactly("Throws after proposing");
      assertThat(result.recommendations()).isEmpty();
    }
  }

  @Test
  void theOptionIsRequired() {
    assertThatThrownBy(() -> CdsEngine.builder().sessionReuse(null))
        .isInstanceOf(NullPointerException.class);
  }
}
