package io.github.cdsengine.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Facts;
import io.github.cdsengine.core.testing.TestRules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The interruptive-alert budget: off by default; at the budget nothing changes, one over demotes
 * the lowest-ranked interruptive recommendation to info with its reason; an acknowledged
 * recommendation does not interrupt again until the repeat window's end exactly.
 */
class InterruptiveBudgetTest {

  static final Instant NOW = Instant.parse("2025-06-15T09:30:00Z");
  static final PatientRecord PATIENT =
      PatientRecord.builder(Facts.patient("pt-1", LocalDate.of(1970, 3, 1))).build();
  /** Ranked: alert (critical), interaction, then screen-a and screen-b (warning), then counsel. */
  static final List<String> RANKED = List.of("alert", "interaction", "screen-a", "screen-b",
      "counsel");

  static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder().addRulePack(new RulePack("budget", "1.0.0", "Budget",
        List.of(TestRules.file("budget.drl",
            TestRules.recommending("Counsel", "counsel", "USPSTF:B", "screening", "info",
                "    PatientAge(years >= 18)", "Counsel."),
            TestRules.recommending("Screen B", "screen-b", "USPSTF:B", "screening", "warning",
                "    PatientAge(years >= 18)", "Screen B."),
            TestRules.recommending("Screen A", "screen-a", "USPSTF:B", "screening", "warning",
                "    PatientAge(years >= 18)", "Screen A."),
            TestRules.recommending("Interaction", "interaction", "USPSTF:B",
                "medication-safety", "warning", "    PatientAge(years >= 18)", "Interacts."),
            TestRules.recommending("Alert", "alert", "USPSTF:B", "acute-alert", "critical",
                "    PatientAge(years >= 18)", "Act now."))),
        List.of())).build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static EvaluationResult evaluate(InterruptiveBudget budget, Acknowledgement... acknowledged) {
    return engine.evaluate(PATIENT, EvaluationContext.at(NOW, ZoneOffset.UTC)
        .withInterruptiveBudget(budget).withAcknowledgements(List.of(acknowledged)));
  }

  static List<String> severities(EvaluationResult result) {
    return result.recommendations().stream()
        .map(r -> r.id() + " " + r.severity().code()).toList();
  }

  @Test
  void offByDefaultNothingIsDemoted() {
    EvaluationResult result = engine.evaluate(PATIENT, EvaluationContext.at(NOW, ZoneOffset.UTC));

    assertThat(severities(result)).containsExactly("alert critical", "interaction warning",
        "screen-a warning", "screen-b warning", "counsel info");
    assertThat(EvaluationContext.at(NOW, ZoneOffset.UTC).interruptiveBudget())
        .isEqualTo(InterruptiveBudget.OFF);
  }

  @Test
  void exactlyAtTheBudgetNothingIsDemoted() {
    EvaluationResult plain = engine.evaluate(PATIENT, EvaluationContext.at(NOW, ZoneOffset.UTC));

    assertThat(ResultJson.standard().write(evaluate(InterruptiveBudget.of(4, Duration.ZERO))))
        .isEqualTo(ResultJson.standard().write(plain));
  }

  @Test
  void oneOverTheBudgetTheLowestRankedInterruptiveRecommendationIsDemotedAndSaysWhy() {
    EvaluationResult result = evaluate(InterruptiveBudget.of(3, Duration.ZERO));

    assertThat(severities(result)).containsExactly("alert critical", "interaction warning",
        "screen-a warning", "counsel info", "screen-b info");
    Recommendation demoted = result.recommendation("screen-b").orElseThrow();
    assertThat(demoted.detail()).isEqualTo("Screen B. Shown as info, not warning: the "
        + "interruptive-alert budget of 3 cards per call was taken by recommendations ranked "
        + "above it.");
    assertThat(demoted.rankReason()).isEqualTo(
        "severity info (demoted from warning), evidence USPSTF:B (moderate), "
            + "category screening, then id");
    assertThat(demoted.title()).isEqualTo("Title of screen-b");
    assertThat(result.withheld()).isEmpty();
  }

  @ParameterizedTest(name = "at most {0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "0 | alert info, interaction info, counsel info, screen-a info, screen-b info",
      "1 | alert critical, interaction info, counsel info, screen-a info, screen-b info",
      "2 | alert critical, interaction warning, counsel info, screen-a info, screen-b info",
      "5 | alert critical, interaction warning, screen-a warning, screen-b warning, counsel info"})
  void theBudgetKeepsTheHighestRankedAndDemotesTheRest(int max, String expected) {
    assertThat(String.join(", ", severities(evaluate(InterruptiveBudget.of(max,
        Duration.ZERO))))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "acknowledged {0} before: interrupts {1}")
  @CsvSource({
      "PT0S, false",                  // acknowledged at the evaluation instant
      "PT23H59M59.999999999S, false", // the window's last instant
      "PT24H, true",                  // its end exactly: interrupts again
      "PT48H, true"})
  void anAcknowledgedRecommendationDoesNotInterruptAgainWithinTheRepeatWindow(Duration ago,
      boolean interrupts) {
    EvaluationResult result = evaluate(InterruptiveBudget.of(Integer.MAX_VALUE,
        Duration.ofHours(24)), new Acknowledgement("interaction", NOW.minus(ago)));

    Recommendation interaction = result.recommendation("interaction").orElseThrow();
    assertThat(interaction.severity()).isEqualTo(interrupts ? Severity.WARNING : Severity.INFO);
    if (!interrupts) {
      assertThat(interaction.detail()).startsWith("Interacts. Shown as info, not warning: it was "
          + "acknowledged for this patient at ").endsWith(" and interrupts again from "
          + AlertText.format(NOW.minus(ago).plus(Duration.ofHours(24))) + ".");
    }
    // The others are untouched.
    assertThat(result.recommendation("screen-a").orElseThrow().severity())
        .isEqualTo(Severity.WARNING);
  }

  @Test
  void theLatestAcknowledgementNotAfterTheInstantCounts() {
    // An acknowledgement after the evaluation instant (a later response, an evaluation replayed)
    // has no effect; of the others the latest counts.
    EvaluationResult result = evaluate(InterruptiveBudget.of(Integer.MAX_VALUE,
        Duration.ofHours(24)),
        new Acknowledgement("interaction", NOW.minus(Duration.ofHours(30))),
        new Acknowledgement("interaction", NOW.plusSeconds(1)),
        new Acknowledgement("alert", NOW.minus(Duration.ofHours(30))),
        new Acknowledgement("alert", NOW.minus(Duration.ofHours(2))));

    assertThat(severities(result)).containsExactly("interaction warning", "screen-a warning",
        "screen-b warning", "alert info", "counsel info");
  }

  @Test
  void aRepeatDemotedRecommendationLeavesItsPlaceInTheBudgetToTheNext() {
    EvaluationResult result = evaluate(InterruptiveBudget.of(2, Duration.ofHours(24)),
        new Acknowledgement("interaction", NOW.minus(Duration.ofHours(1))));

    assertThat(severities(result)).containsExactly("alert critical", "screen-a warning",
        "interaction info", "counsel info", "screen-b info");
    assertThat(result.recommendation("interaction").orElseThrow().detail())
        .contains("acknowledged for this patient");
    assertThat(result.recommendation("screen-b").orElseThrow().detail())
        .contains("budget of 2 cards per call");
  }

  @Test
  void onlyTheRecommendationsInScopeAreCountedAndDemoted() {
    EvaluationResult result = evaluate(InterruptiveBudget.of(1, Duration.ofHours(24))
        .onlyFor(Set.of("screen-a", "screen-b", "counsel")),
        new Acknowledgement("interaction", NOW));

    assertThat(severities(result)).containsExactly("alert critical", "interaction warning",
        "screen-a warning", "counsel info", "screen-b info");
  }

  @Test
  void aSnoozedRecommendationTakesNoPlaceInTheBudget() {
    EvaluationResult result = engine.evaluate(PATIENT, EvaluationContext.at(NOW, ZoneOffset.UTC)
        .withInterruptiveBudget(InterruptiveBudget.of(2, Duration.ZERO))
        .withSnoozes(List.of(Snooze.of("interaction", NOW, Duration.ofDays(7)))));

    assertThat(severities(result)).containsExactly("alert critical", "screen-a warning",
        "counsel info", "screen-b info");
    assertThat(result.withheld("interaction")).isPresent();
  }

  @Test
  void theSameInputGivesTheSameBytes() {
    InterruptiveBudget budget = InterruptiveBudget.of(2, Duration.ofHours(24));
    Acknowledgement acknowledged = new Acknowledgement("screen-a", NOW.minusSeconds(60));
    String first = ResultJson.standard().write(evaluate(budget, acknowledged));
    for (int i = 0; i < 20; i++) {
      assertThat(ResultJson.standard().write(evaluate(budget, acknowledged))).isEqualTo(first);
    }
  }

  @Test
  void aNegativeBudgetOrWindowIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InterruptiveBudget.of(-1, Duration.ZERO))
        .withMessageContaining("-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InterruptiveBudget.of(2, Duration.ofHours(-1)))
        .withMessageContaining("PT-1H");
    assertThat(InterruptiveBudget.of(Integer.MAX_VALUE, Duration.ZERO).off()).isTrue();
    assertThat(InterruptiveBudget.of(2, Duration.ZERO).off()).isFalse();
  }

  /** The instant as the result words it, in UTC. */
  static final class AlertText {
    static String format(Instant instant) {
      return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME
          .format(instant.atZone(ZoneOffset.UTC));
    }
  }
}
