package io.github.cdsengine.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Disposition;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.Coding;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.testing.Facts;
import io.github.cdsengine.core.testing.TestRules;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Snoozes given in the evaluation input: a snoozed recommendation is withheld with its reason
 * while the snooze is active, shown again from its end exactly, and a critical one only where its
 * pack allows it.
 */
class SnoozeTest {

  static final Instant SNOOZED_AT = Instant.parse("2025-06-15T09:30:00Z");
  static final Snooze WARNING_30_DAYS =
      Snooze.of("screen", SNOOZED_AT, Duration.ofDays(30));
  static final PatientRecord PATIENT =
      PatientRecord.builder(Facts.patient("pt-1", LocalDate.of(1970, 3, 1))).build();

  static RuleFile rules(String name) {
    return TestRules.file(name,
        TestRules.recommending("Alert " + name, "alert-" + name.replace(".drl", ""),
            "USPSTF:A", "acute-alert", "critical", "    PatientAge(years >= 18)", "Act now."),
        TestRules.recommending("Screen " + name, name.equals("guarded.drl") ? "screen"
            : "screen-" + name.replace(".drl", ""), "USPSTF:A", "screening", "warning",
            "    PatientAge(years >= 18)", "Screen."),
        TestRules.recommending("Counsel " + name, name.equals("guarded.drl") ? "counsel"
            : "counsel-" + name.replace(".drl", ""), "USPSTF:B", "screening", "info",
            "    PatientAge(years >= 18)", "Counsel."));
  }

  /** A pack whose critical recommendation may not be snoozed, and one whose may. */
  static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder()
        .addRulePack(new RulePack("guarded", "1.0.0", "Guarded", List.of(rules("guarded.drl")),
            List.of()))
        .addRulePack(RulePack.builder("lenient", "1.0.0", "Lenient")
            .rules(List.of(rules("lenient.drl"))).allowCriticalSnooze(true).build())
        .build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static EvaluationContext at(Instant instant, Snooze... snoozes) {
    return EvaluationContext.at(instant, ZoneOffset.UTC).withSnoozes(List.of(snoozes));
  }

  @ParameterizedTest(name = "{0}: withheld {1}")
  @CsvSource({
      "2025-06-15T09:29:59.999999999Z, false",  // before the snooze
      "2025-06-15T09:30:00Z, true",             // its first instant
      "2025-07-15T09:29:59.999999999Z, true",   // its last instant
      "2025-07-15T09:30:00Z, false",            // its end: shown again
      "2025-08-01T00:00:00Z, false"})
  void aSnoozedRecommendationIsWithheldFromItsStartUntilItsEndExactly(Instant instant,
      boolean withheld) {
    EvaluationResult result = engine.evaluate(PATIENT, at(instant, WARNING_30_DAYS));

    assertThat(result.recommendation("screen").isPresent()).isEqualTo(!withheld);
    assertThat(result.withheld("screen").isPresent()).isEqualTo(withheld);
    assertThat(result.recommendation("counsel")).isPresent();
    assertThat(result.warnings()).isEmpty();
    if (withheld) {
      WithheldRecommendation snoozed = result.withheld("screen").orElseThrow();
      assertThat(snoozed.disposition()).isEqualTo(Disposition.SNOOZED);
      assertThat(snoozed.reasons()).containsExactly(new WithheldRecommendation.Reason(
          Disposition.SNOOZED, "(snooze)", "snoozed by a clinician until 2025-07-15T09:30:00Z",
          List.of()));
      assertThat(snoozed.recommendation().severity()).isEqualTo(Severity.WARNING);
    }
  }

  /**
   * A critical recommendation the interruptive-alert budget shows as info is still critical for
   * snoozing: its card offers no snooze reason where its pack does not allow critical snoozes
   * (the engine would refuse that snooze at the next evaluation anyway), and does where it does.
   */
  @Test
  void aCriticalCardDemotedToInfoOffersASnoozeOnlyWhereItsPackAllows() {
    EvaluationResult result = engine.evaluate(PATIENT, EvaluationContext.at(SNOOZED_AT,
        ZoneOffset.UTC).withInterruptiveBudget(InterruptiveBudget.of(0, Duration.ZERO)));
    Recommendation guarded = result.recommendation("alert-guarded").orElseThrow();
    Recommendation lenient = result.recommendation("alert-lenient").orElseThrow();
    assertThat(guarded.severity()).isEqualTo(Severity.INFO);
    assertThat(guarded.demotedFrom()).contains(Severity.CRITICAL);
    assertThat(result.recommendation("counsel").orElseThrow().demotedFrom()).isEmpty();

    Card strict = CardMapper.create().withSnoozeReasons(false).card("h", guarded);
    assertThat(strict.indicator()).isEqualTo("info");
    assertThat(strict.overrideReasons()).extracting(Coding::code)
        .doesNotContain("snooze-7d", "snooze-30d", "snooze-90d");
    assertThat(CardMapper.create().withSnoozeReasons(true).card("h", lenient)
        .overrideReasons()).extracting(Coding::code).contains("snooze-30d");
    // A warning demoted to info is offered a snooze as before.
    assertThat(CardMapper.create().withSnoozeReasons(false)
        .card("h", result.recommendation("screen").orElseThrow()).overrideReasons())
        .extracting(Coding::code).contains("snooze-30d");
  }

  @Test
  void theReasonGivesTheEndInTheClinicsZone() {
    EvaluationResult result = engine.evaluate(PATIENT,
        EvaluationContext.at(SNOOZED_AT, ZoneId.of("America/New_York"))
            .withSnoozes(List.of(WARNING_30_DAYS)));

    assertThat(result.withheld("screen").orElseThrow().reasons().get(0).text())
        .isEqualTo("snoozed by a clinician until 2025-07-15T05:30:00-04:00");
  }

  @Test
  void withoutSnoozesTheResultIsTheSameAsBefore() {
    EvaluationContext plain = EvaluationContext.at(SNOOZED_AT, ZoneOffset.UTC);
    String before = ResultJson.standard().write(engine.evaluate(PATIENT, plain));

    assertThat(ResultJson.standard().write(engine.evaluate(PATIENT, plain.withSnoozes(
        List.of(Snooze.of("no-such-recommendation", SNOOZED_AT, Duration.ofDays(1)),
            Snooze.of("screen", SNOOZED_AT.minus(Duration.ofDays(40)), Duration.ofDays(30)))))))
        .isEqualTo(before);
    assertThat(engine.evaluate(PATIENT, plain).recommendations())
        .extracting(Recommendation::id).contains("screen", "alert-guarded");
  }

  @Test
  void overlappingSnoozesWithholdUntilTheLastEnds() {
    EvaluationResult result = engine.evaluate(PATIENT, at(SNOOZED_AT.plus(Duration.ofDays(8)),
        Snooze.of("screen", SNOOZED_AT, Duration.ofDays(7)), WARNING_30_DAYS,
        Snooze.of("screen", SNOOZED_AT.plus(Duration.ofDays(1)), Duration.ofDays(7))));

    assertThat(result.withheld("screen").orElseThrow().reasons()).singleElement()
        .extracting(WithheldRecommendation.Reason::text)
        .isEqualTo("snoozed by a clinician until 2025-07-15T09:30:00Z");
  }

  @Test
  void aCriticalRecommendationOfAPackThatDoesNotAllowItIsShownAndTheSnoozeIgnoredVisibly() {
    EvaluationResult result = engine.evaluate(PATIENT,
        at(SNOOZED_AT, Snooze.of("alert-guarded", SNOOZED_AT, Duration.ofDays(7))));

    assertThat(result.recommendation("alert-guarded").orElseThrow().severity())
        .isEqualTo(Severity.CRITICAL);
    assertThat(result.withheld("alert-guarded")).isEmpty();
    assertThat(result.warnings()).containsExactly(new DataWarning("Snooze", "alert-guarded",
        "the snooze of alert-guarded until 2025-06-22T09:30:00Z was not applied: the "
            + "recommendation is critical and its rule pack does not allow critical "
            + "recommendations to be snoozed (allowCriticalSnooze in pack.json)"));
  }

  @Test
  void aCriticalRecommendationOfAPackThatAllowsItIsSnoozed() {
    EvaluationResult result = engine.evaluate(PATIENT,
        at(SNOOZED_AT, Snooze.of("alert-lenient", SNOOZED_AT, Duration.ofDays(7))));

    assertThat(result.withheld("alert-lenient").orElseThrow().disposition())
        .isEqualTo(Disposition.SNOOZED);
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void rulesOutsidePacksNeverLetACriticalRecommendationBeSnoozed() {
    try (CdsEngine loose = CdsEngine.builder().addRules(rules("lenient.drl")).build()) {
      EvaluationResult result = loose.evaluate(PATIENT,
          at(SNOOZED_AT, Snooze.of("alert-lenient", SNOOZED_AT, Duration.ofDays(7)),
              Snooze.of("screen-lenient", SNOOZED_AT, Duration.ofDays(7))));

      assertThat(result.recommendation("alert-lenient")).isPresent();
      assertThat(result.withheld("screen-lenient")).isPresent();
      assertThat(result.warnings()).extracting(DataWarning::id).containsExactly("alert-lenient");
    }
  }

  @Test
  void aFileSharedWithAPackThatDoesNotAllowItDoesNotAllowIt() {
    RuleFile shared = rules("lenient.drl");
    try (CdsEngine both = CdsEngine.builder()
        .addRulePack(RulePack.builder("lenient", "1.0.0", "Lenient").rules(List.of(shared))
            .allowCriticalSnooze(true).build())
        .addRulePack(new RulePack("strict", "1.0.0", "Strict", List.of(shared), List.of()))
        .build()) {
      EvaluationResult result = both.evaluate(PATIENT,
          at(SNOOZED_AT, Snooze.of("alert-lenient", SNOOZED_AT, Duration.ofDays(7))));

      assertThat(result.recommendation("alert-lenient")).isPresent();
      assertThat(result.warnings()).extracting(DataWarning::id).containsExactly("alert-lenient");
    }
  }

  @Test
  void theAuditRecordSaysSnoozed() {
    EvaluationResult result = engine.evaluate(PATIENT, at(SNOOZED_AT, WARNING_30_DAYS));
    AuditRecord audit = AuditRecord.of(result, engine,
        "a host secret of thirty-two bytes!".getBytes(StandardCharsets.UTF_8));

    assertThat(audit.decisions()).contains(new AuditRecord.Decision("screen",
        AuditRecord.Disposition.SNOOZED, List.of("Screen guarded.drl", "(snooze)")));
    assertThat(AuditRecord.fromJson(audit.toJson())).isEqualTo(audit);
  }

  @Test
  void packJsonSaysWhetherCriticalRecommendationsMayBeSnoozed(@TempDir Path folder)
      throws Exception {
    Files.writeString(folder.resolve("rules.drl"), rules("rules.drl").content());
    Files.writeString(folder.resolve("allows.json"), """
        {"id": "p", "version": "1", "title": "P", "rules": ["rules.drl"],
         "allowCriticalSnooze": true}""");
    Files.writeString(folder.resolve("silent.json"), """
        {"id": "p", "version": "1", "title": "P", "rules": ["rules.drl"]}""");
    Files.writeString(folder.resolve("wrong.json"), """
        {"id": "p", "version": "1", "title": "P", "rules": ["rules.drl"],
         "allowCriticalSnooze": "yes"}""");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, null)) {
      assertThat(RulePack.load("allows.json", loader).allowCriticalSnooze()).isTrue();
      assertThat(RulePack.load("silent.json", loader).allowCriticalSnooze()).isFalse();
      assertThatThrownBy(() -> RulePack.load("wrong.json", loader))
          .isInstanceOf(InvalidDataException.class)
          .hasMessageContaining("$.allowCriticalSnooze")
          .hasMessageContaining("true or false is required");
    }
  }

  @Test
  void aSnoozeThatEndsBeforeItBeginsOrNamesNothingIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Snooze("screen", SNOOZED_AT, SNOOZED_AT))
        .withMessageContaining("from 2025-06-15T09:30:00Z until 2025-06-15T09:30:00Z");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Snooze.of("screen", SNOOZED_AT, Duration.ofDays(-1)))
        .withMessageContaining("PT-24H");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Snooze.of(" ", SNOOZED_AT, Duration.ofDays(1)))
        .withMessageContaining("' '");
    assertThatThrownBy(() -> EvaluationContext.at(SNOOZED_AT, ZoneOffset.UTC)
        .withSnoozes(java.util.Arrays.asList(WARNING_30_DAYS, null)))
        .isInstanceOf(NullPointerException.class);
  }
}
