package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static io.github.cdsengine.core.testing.Facts.condition;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.Facts.procedure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.evaluation.WithheldRecommendation.Disposition;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.VerificationStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.testing.TestRules;

/** Evaluating patients: ranking, rationale, merging, withholding and data warnings. */
class EngineEvaluationTest {

  static final EvaluationContext JAN_2025 =
      EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC);
  static final Code COLONOSCOPY = Code.of(SNOMED_CT, "73761001");
  static final Code ALLERGY_CODE = Code.of(SNOMED_CT, "91936005");

  static PatientRecord adult() {
    return PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15))).build();
  }

  @Test
  void rankingIsBySeverityThenEvidenceThenCategoryThenId() {
    String adult = "    PatientAge(years >= 18)";
    try (CdsEngine engine = CdsEngine.builder().addRules(file("rank.drl",
        recommending("Info strong", "e-info", "USPSTF:A", "acute-alert", "info", adult, "x"),
        recommending("Critical weak", "d-critical", "USPSTF:C", "screening", "critical", adult, "x"),
        recommending("Warning moderate screening", "c-warning", "USPSTF:B", "screening", "warning", adult, "x"),
        recommending("Warning moderate medication", "z-warning", "USPSTF:B", "medication-safety", "warning", adult, "x"),
        recommending("Warning moderate medication b", "a-warning", "USPSTF:B", "medication-safety", "warning", adult, "x"),
        recommending("Warning strong", "b-warning", "GRADE:strong", "screening", "warning", adult, "x")))
        .build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly(
          "d-critical", "b-warning", "a-warning", "z-warning", "c-warning", "e-info");
      assertThat(result.recommendations().get(1).rankReason())
          .isEqualTo("severity warning, evidence GRADE:strong (strong), category screening, then id");
      assertThat(result.complete()).isTrue();
    }
  }

  @Test
  void rationaleListsTheMatchedFactsByTypeAndId() {
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("rationale.drl", recommending("Had colonoscopy", "after-colonoscopy",
            "USPSTF:A", "screening", "info",
            "    $age : PatientAge(years >= 50)\n"
                + "    $c : Procedure(completed, valueSets.includes(\"test-colonoscopy\", code))",
            "had one")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(procedure("proc-7", COLONOSCOPY, LocalDate.of(2020, 3, 1)))
          .add(procedure("proc-8", Code.of(SNOMED_CT, "80146002"), LocalDate.of(2020, 3, 1)))
          .build();
      Recommendation recommendation = engine.evaluate(record, JAN_2025)
          .recommendation("after-colonoscopy").orElseThrow();
      assertThat(recommendation.rationale()).containsExactly(
          new MatchedFact("PatientAge", "p1", "54 years"),
          new MatchedFact("Procedure", "proc-7", null));
      assertThat(recommendation.rules()).containsExactly("Had colonoscopy");
      assertThat(recommendation.guideline().publisher()).isEqualTo("Test Publisher");
      assertThat(recommendation.detail()).isEqualTo("had one");
    }
  }

  @Test
  void proposalsOfOneRecommendationFromSeveralRulesAreMerged() {
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("merge.drl",
            recommending("By age", "shared", "USPSTF:B", "screening", "info",
                "    PatientAge(years >= 50)", "from age"),
            recommending("By procedure", "shared", "USPSTF:A", "screening", "warning",
                "    Procedure(valueSets.includes(\"test-colonoscopy\", code))", "from procedure")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(procedure("proc-1", COLONOSCOPY, LocalDate.of(2020, 3, 1)))
          .build();
      EvaluationResult result = engine.evaluate(record, JAN_2025);
      assertThat(result.recommendations()).singleElement().satisfies(r -> {
        assertThat(r.rules()).containsExactly("By age", "By procedure");
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.evidenceGrade().grade()).isEqualTo("A");
        assertThat(r.detail()).isEqualTo("from procedure");
        assertThat(r.rationale()).extracting(MatchedFact::type)
            .containsExactly("PatientAge", "Procedure");
      });
    }
  }

  @Test
  void twoFiringsOfOneRuleMakeOneRecommendationWithBothFacts() {
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("twice.drl", recommending("Each colonoscopy", "each", "USPSTF:A",
            "screening", "info", "    Procedure(valueSets.includes(\"test-colonoscopy\", code))",
            "one")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(procedure("proc-1", COLONOSCOPY, LocalDate.of(2020, 3, 1)))
          .add(procedure("proc-2", COLONOSCOPY, LocalDate.of(2021, 3, 1)))
          .build();
      assertThat(engine.evaluate(record, JAN_2025).recommendations()).singleElement()
          .satisfies(r -> assertThat(r.rationale()).extracting(MatchedFact::id)
              .containsExactly("proc-1", "proc-2"));
    }
  }

  private static CdsEngine withholdingEngine() {
    return CdsEngine.builder().addRules(file("withhold.drl",
        recommending("Vaccinate", "vaccinate", "CDC:A", "immunization", "warning",
            "    PatientAge(years >= 18)", "give it"),
        recommending("Screen", "screen", "USPSTF:A", "screening", "warning",
            "    PatientAge(years >= 18)", "screen"),
        supporting("Allergy contraindicates",
            "    $c : Condition(code.hasCoding(Code.of(\"" + SNOMED_CT + "\", \"91936005\")))",
            "    insert(new Contraindication(\"vaccinate\", \"allergic\"));"),
        supporting("Condition suppresses",
            "    $c : Condition(code.hasCoding(Code.of(\"" + SNOMED_CT + "\", \"91936005\")))",
            "    insert(new Suppression(\"vaccinate\", \"not applicable\"));"),
        supporting("Refuted is ignored",
            "    $c : Condition(verificationStatus == VerificationStatus.REFUTED)",
            "    insert(new Suppression(\"screen\", \"refuted condition\"));")))
        .build();
  }

  @Test
  void contraindicatedAndSuppressedRecommendationsAreWithheldWithEveryReason() {
    try (CdsEngine engine = withholdingEngine()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(condition("cond-1", ALLERGY_CODE))
          .build();
      EvaluationResult result = engine.evaluate(record, JAN_2025);
      assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("screen");
      WithheldRecommendation withheld = result.withheld("vaccinate").orElseThrow();
      assertThat(withheld.disposition()).isEqualTo(Disposition.CONTRAINDICATED);
      assertThat(withheld.reasons()).extracting(WithheldRecommendation.Reason::rule)
          .containsExactly("Allergy contraindicates", "Condition suppresses");
      assertThat(withheld.reasons().get(0).rationale())
          .containsExactly(new MatchedFact("Condition", "cond-1", null));
      assertThat(withheld.reasons().get(1).disposition()).isEqualTo(Disposition.SUPPRESSED);
      assertThat(withheld.recommendation().detail()).isEqualTo("give it");
    }
  }

  @Test
  void aSuppressionAloneGivesTheSuppressedDisposition() {
    try (CdsEngine engine = withholdingEngine()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(condition("cond-1", Code.of(SNOMED_CT, "1"), VerificationStatus.REFUTED))
          .build();
      EvaluationResult result = engine.evaluate(record, JAN_2025);
      assertThat(result.withheld("screen").orElseThrow().disposition())
          .isEqualTo(Disposition.SUPPRESSED);
      assertThat(result.recommendations()).extracting(Recommendation::id)
          .containsExactly("vaccinate");
    }
  }

  @Test
  void factsEnteredInErrorAreNeverSeenByRules() {
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("error.drl", recommending("Any colonoscopy", "any", "USPSTF:A",
            "screening", "info", "    Procedure(valueSets.includes(\"test-colonoscopy\", code))",
            "x")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(procedure("proc-1", COLONOSCOPY, EventStatus.ENTERED_IN_ERROR, LocalDate.of(2020, 3, 1)))
          .build();
      assertThat(engine.evaluate(record, JAN_2025).recommendations()).isEmpty();
    }
  }

  @Test
  void aMissingBirthDateIsADataWarningAndNoAgeRuleApplies() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("age.drl",
        recommending("Adult", "adult", "USPSTF:A", "screening", "info",
            "    PatientAge(years >= 18)", "x"),
        recommending("Anyone", "anyone", "USPSTF:A", "screening", "info", "    Patient()", "y")))
        .build()) {
      EvaluationResult noBirthDate = engine.evaluate(
          PatientRecord.builder(new Patient("p2", null, null)).build(), JAN_2025);
      assertThat(noBirthDate.recommendations()).extracting(Recommendation::id)
          .containsExactly("anyone");
      assertThat(noBirthDate.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Patient");
        assertThat(w.id()).isEqualTo("p2");
        assertThat(w.message()).contains("birth date is missing");
      });

      EvaluationResult unborn = engine.evaluate(
          PatientRecord.builder(patient("p3", LocalDate.of(2025, 1, 2))).build(), JAN_2025);
      assertThat(unborn.recommendations()).extracting(Recommendation::id)
          .containsExactly("anyone");
      assertThat(unborn.warnings()).singleElement().satisfies(w -> assertThat(w.message())
          .contains("2025-01-02 is after the evaluation date 2025-01-01"));
    }
  }

  @Test
  void theMeasurementPeriodIsAFactWhenGiven() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("period.drl",
        recommending("In period", "in-period", "USPSTF:A", "screening", "info",
            "    $p : MeasurementPeriod(start.getYear() == 2024)", "x")))
        .build()) {
      assertThat(engine.evaluate(adult(), JAN_2025).recommendations()).isEmpty();
      assertThat(engine.evaluate(adult(), JAN_2025.withMeasurementPeriod(
          LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31))).recommendations()).hasSize(1);
    }
  }

  @Test
  void aClosedEngineRefusesToEvaluateAndArgumentsAreChecked() {
    CdsEngine engine = CdsEngine.builder().addRules(file("x.drl",
        recommending("Anyone", "anyone", "USPSTF:A", "screening", "info", "    Patient()", "y")))
        .build();
    assertThatThrownBy(() -> engine.evaluate((PatientRecord) null, JAN_2025))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("record");
    assertThatThrownBy(() -> engine.evaluate(adult(), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("context");
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.evaluate(adult(), JAN_2025))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  /** Leaving out facts no pattern can match must never change what rules conclude. */
  @Test
  void factsLeftOutOfTheSessionAreOnlyThoseNoPatternCanMatch() {
    Code other = Code.of(SNOMED_CT, "80146002");
    String inSet = "valueSets.includes(\"test-colonoscopy\", code)";
    PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
        .add(procedure("colonoscopy", COLONOSCOPY, LocalDate.of(2020, 3, 1)))
        .add(procedure("appendectomy", other, LocalDate.of(2021, 3, 1)))
        .add(condition("allergy", ALLERGY_CODE))
        .build();

    // Every Procedure pattern tests the value set: only the colonoscopy can match.
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("filtered.drl",
            recommending("In set", "in-set", "USPSTF:A", "screening", "info",
                "    Procedure(completed, " + inSet + ")", "x"),
            recommending("No colonoscopy", "none", "USPSTF:A", "screening", "info",
                "    not Procedure(" + inSet + ", performed != null)", "y")))
        .build()) {
      EvaluationResult result = engine.evaluate(record, JAN_2025);
      assertThat(result.recommendations()).extracting(Recommendation::id).containsExactly("in-set");
      assertThat(result.recommendation("in-set").orElseThrow().rationale())
          .extracting(MatchedFact::id).containsExactly("colonoscopy");
    }

    // One unconstrained Procedure pattern: every procedure must be there.
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("unfiltered.drl",
            recommending("In set", "in-set", "USPSTF:A", "screening", "info",
                "    Procedure(completed, " + inSet + ")", "x"),
            recommending("Any procedure", "any", "USPSTF:A", "screening", "info",
                "    $p : Procedure(id == \"appendectomy\")", "y")))
        .build()) {
      assertThat(engine.evaluate(record, JAN_2025).recommendations())
          .extracting(Recommendation::id).containsExactly("any", "in-set");
    }

    // A value-set test inside an "or" does not restrict the pattern.
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("disjunction.drl",
            recommending("Either", "either", "USPSTF:A", "screening", "info",
                "    Procedure(" + inSet + " || id == \"appendectomy\", code != null)\n"
                    + "    Procedure(id == \"appendectomy\")", "x")))
        .build()) {
      assertThat(engine.evaluate(record, JAN_2025).recommendations()).hasSize(1);
    }

    // A pattern on the supertype sees every fact, whatever the other patterns say.
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("supertype.drl",
            recommending("In set", "in-set", "USPSTF:A", "screening", "info",
                "    Procedure(" + inSet + ")", "x"),
            recommending("Any fact", "count", "USPSTF:A", "screening", "info",
                "    Number(intValue == 4) from accumulate(ClinicalFact(), count(1))", "y")))
        .build()) {
      assertThat(engine.evaluate(record, JAN_2025).recommendations())
          .extracting(Recommendation::id).containsExactly("count", "in-set");
    }
  }

  @Test
  void rulesSeeAPseudoSessionClockNeverTheSystemClock() {
    // Reading the session clock needs kcontext, which the rule policy refuses.
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(file("clock.drl",
        "rule \"Clock\"\n    @recommendation(\"clock\")\n    @title(\"T\")\n"
            + "    @evidence(\"USPSTF:A\")\n    @category(\"screening\")\n    @severity(\"info\")\n"
            + TestRules.CITATION + "when\n    Patient()\nthen\n"
            + "    insert(new Proposal(kcontext.getKieRuntime().getSessionClock().getClass().getName()"
            + " + \" \" + kcontext.getKieRuntime().getSessionClock().getCurrentTime()));\nend\n"))
        .build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(engine.evaluate(adult(), JAN_2025).recommendations().get(0).detail())
            .containsIgnoringCase("pseudo").endsWith(" 0");
      }
    }
  }

  @Test
  void aValueSetTestUnderAnOrDoesNotLeaveFactsOut() {
    Code inY = Code.of(SNOMED_CT, "444783004");
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addValueSet(new io.github.cdsengine.core.terminology.ValueSet("y", "http://example.org/y",
            null, "Y", java.util.Set.of(Code.of(SNOMED_CT, "91936005"))))
        .addRules(file("or.drl",
            recommending("And binds tighter", "and-or", "USPSTF:A", "screening", "info",
                "    Condition(valueSets.includes(\"test-colonoscopy\", code) && clinicalStatus == null"
                    + " || valueSets.includes(\"y\", code))", "x"),
            recommending("Or first", "or-and", "USPSTF:A", "screening", "info",
                "    Condition(active || verificationStatus == VerificationStatus.REFUTED"
                    + " && valueSets.includes(\"test-colonoscopy\", code))", "y")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(condition("in-y", ALLERGY_CODE)).build();
      assertThat(engine.evaluate(record, JAN_2025).recommendations())
          .extracting(Recommendation::id).containsExactly("and-or", "or-and");
      assertThat(inY).isNotNull();
    }
  }

  @Test
  void aRetractedProposalNoLongerCounts() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("tms.drl",
        "declare Stop\nend\n\n",
        recommending("Until stopped", "until", "USPSTF:A", "screening", "info",
            "    Patient()\n    not Stop()", "x").replace("insert(new Proposal", "insertLogical(new Proposal"),
        supporting("Stops", "    PatientAge(years >= 18)", "    insert(new Stop());")))
        .build()) {
      assertThat(engine.evaluate(adult(), JAN_2025).recommendations()).isEmpty();
    }
  }

  @Test
  void aRuleWrittenOnOneLineEndsWhereItEnds() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("oneline.drl",
        recommending("Real", "real", "USPSTF:A", "screening", "info", "    Patient()", "x"),
        "rule \"Helper\" " + TestRules.CITATION.replace("\n", " ")
            + " when Patient(id == \"zzz\") then insert(new Suppression(\"real\", \"x\")); end\n\n",
        recommending("After", "after", "USPSTF:A", "screening", "info", "    Patient()", "y")))
        .build()) {
      assertThat(engine.rules()).hasSize(3);
    }
  }

  @Test
  void mergingTakesTheHighestSeverityAndTheStrongestGrade() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("merge2.drl",
        recommending("Critical weak", "shared", "USPSTF:C", "screening", "critical",
            "    Patient()", "critical"),
        recommending("Warning strong", "shared", "USPSTF:A", "screening", "warning",
            "    Patient()", "warning")))
        .build()) {
      Recommendation merged = engine.evaluate(adult(), JAN_2025).recommendations().get(0);
      assertThat(merged.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(merged.evidenceGrade().grade()).isEqualTo("A");
      assertThat(merged.detail()).isEqualTo("critical");
    }
  }

  @Test
  void undatedOrFutureDonesAreDataWarnings() {
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("dates.drl", recommending("Any colonoscopy", "any", "USPSTF:A",
            "screening", "info", "    Procedure(valueSets.includes(\"test-colonoscopy\", code))",
            "x")))
        .build()) {
      PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15)))
          .add(procedure("future", COLONOSCOPY, LocalDate.of(2025, 1, 2)))
          .add(new io.github.cdsengine.core.model.Procedure("undated", EventStatus.COMPLETED,
              io.github.cdsengine.core.model.CodeableConcept.of(COLONOSCOPY), null))
          .add(procedure("fine", COLONOSCOPY, LocalDate.of(2024, 12, 31)))
          .add(procedure("unrelated", Code.of(SNOMED_CT, "80146002"), LocalDate.of(2030, 1, 1)))
          .build();
      assertThat(engine.evaluate(record, JAN_2025).warnings())
          .extracting(DataWarning::id, w -> w.message().contains("after the evaluation instant")
              || w.message().contains("has no date"))
          .containsExactlyInAnyOrder(
              org.assertj.core.api.Assertions.tuple("future", true),
              org.assertj.core.api.Assertions.tuple("undated", true));
    }
  }
}
