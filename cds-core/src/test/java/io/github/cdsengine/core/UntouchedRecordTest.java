package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.Facts.condition;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.pack.RuleFile;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A record on which no rule could fire is answered without a rule session, with the result a
 * session gives; whenever a rule could fire, or the engine cannot tell, a session is taken.
 */
class UntouchedRecordTest {

  private static final EvaluationContext JAN_2025 =
      EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC);
  private static final Code DIABETES = Code.of(CodeSystems.SNOMED_CT, "44054006");

  private static final String SCREENING_50_TO_75 = recommending("Screening", "screening",
      "USPSTF:A", "screening", "warning",
      "    $age : PatientAge(years >= 50, years <= 75)\n    not Condition()", "due");
  private static final String ON_A_CONDITION = recommending("On a condition", "condition-care",
      "USPSTF:B", "screening", "info", "    Condition(verificationStatus != VerificationStatus.REFUTED)",
      "care");

  /** A patient {@code years} old on the evaluation date, with these facts. */
  private static PatientRecord aged(int years, io.github.cdsengine.core.model.ClinicalFact... facts) {
    return PatientRecord.builder(patient("p1", LocalDate.of(2025 - years, 1, 1)))
        .addAll(List.of(facts)).build();
  }

  /**
   * Whether {@code record} takes a session, after checking that the result is the same with the
   * shortcut on and off.
   */
  private static boolean takesSession(RuleFile files, PatientRecord record) {
    String withSession;
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(files)
        .answerUntouchedRecordsWithoutSession(false).build()) {
      assertThat(EngineSessions.takesSession(engine, record, JAN_2025)).isTrue();
      withSession = ResultJson.standard().write(engine.evaluate(record, JAN_2025));
    }
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(files).build()) {
      assertThat(ResultJson.standard().write(engine.evaluate(record, JAN_2025)))
          .isEqualTo(withSession);
      return EngineSessions.takesSession(engine, record, JAN_2025);
    }
  }

  @ParameterizedTest
  @CsvSource({"44, false", "49, false", "50, true", "62, true", "75, true", "76, false",
      "95, false"})
  void anAgeTestOutsideTheRecordsAgeSkipsTheSession(int years, boolean session) {
    RuleFile files = file("age.drl", SCREENING_50_TO_75, ON_A_CONDITION);
    assertThat(takesSession(files, aged(years))).isEqualTo(session);
  }

  @Test
  void aFactSomePatternCouldMatchTakesTheSession() {
    RuleFile files = file("age.drl", SCREENING_50_TO_75, ON_A_CONDITION);
    assertThat(takesSession(files, aged(30, condition("c1", DIABETES)))).isTrue();
    // Entered in error, it is never inserted: nothing could match.
    assertThat(takesSession(files,
        aged(30, condition("c1", DIABETES, VerificationStatus.ENTERED_IN_ERROR)))).isFalse();
  }

  @Test
  void aMissingBirthDateIsWarnedAboutWithoutASession() {
    RuleFile files = file("age.drl", SCREENING_50_TO_75, ON_A_CONDITION);
    PatientRecord noBirthDate = PatientRecord.builder(patient("p1", null)).build();
    assertThat(takesSession(files, noBirthDate)).isFalse();
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(files).build()) {
      assertThat(engine.evaluate(noBirthDate, JAN_2025).warnings())
          .singleElement().satisfies(w -> assertThat(w.message()).contains("birth date"));
    }
  }

  @Test
  void aRuleThatCanFireOnAnEmptyRecordAlwaysTakesTheSession() {
    // not alone, no pattern at all, the patient alone, an accumulate: each can fire on nothing.
    for (String when : List.of("    not Condition()", "", "    Patient()",
        "    Number(intValue == 0) from accumulate(Condition(), count(1))")) {
      RuleFile files = file("empty.drl", ON_A_CONDITION,
          recommending("Empty", "empty", "USPSTF:B", "screening", "info", when, "x"));
      assertThat(takesSession(files, aged(30))).as(when).isTrue();
    }
  }

  @Test
  void whatOnlyRulesInsertCannotMatchBeforeARuleFires() {
    // The second rule needs a proposal, which only the first inserts, and that needs a condition.
    RuleFile files = file("chain.drl", ON_A_CONDITION,
        recommending("Chained", "chained", "USPSTF:B", "screening", "info",
            "    Proposal()\n    PatientAge(years >= 18)", "x"));
    assertThat(takesSession(files, aged(30))).isFalse();
    assertThat(takesSession(files, aged(30, condition("c1", DIABETES)))).isTrue();
  }

  @Test
  void aQueryCallNeedsWhatTheQueryNeeds() {
    String query = "query hasCondition()\n    Condition()\nend\n\n";
    RuleFile files = file("query.drl", query,
        recommending("Via query", "via-query", "USPSTF:B", "screening", "info",
            "    PatientAge(years >= 18)\n    exists hasCondition()", "x"));
    assertThat(takesSession(files, aged(30))).isFalse();
    assertThat(takesSession(files, aged(30, condition("c1", DIABETES)))).isTrue();
    RuleFile negated = file("query.drl", query,
        recommending("Not via query", "not-via-query", "USPSTF:B", "screening", "info",
            "    PatientAge(years >= 18)\n    not hasCondition()", "x"));
    assertThat(takesSession(negated, aged(30))).isTrue();
  }

  @Test
  void aConstraintOnThePatientThatCouldThrowAlwaysTakesTheSession() {
    // Evaluated on insert whatever else the rule needs: with no birth date it throws, and the
    // session reports that, so the shortcut must not hide it.
    RuleFile files = file("throws.drl", supporting("Born late",
        "    Patient(birthDate.getYear() > 1900)\n    Condition()", ""));
    PatientRecord noBirthDate = PatientRecord.builder(patient("p1", null)).build();
    assertThat(takesSession(files, noBirthDate)).isTrue();
    assertThat(takesSession(files, aged(30))).isTrue();
  }
}
