package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.evaluation.Category;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvidenceGrade;
import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Evaluation results become cards: summary, detail, indicator, source, links, uuids. */
class CardMapperTest {

  static final Guideline CDC = new Guideline("CDC", "Guideline for Prescribing Opioids",
      "2016", "https://www.cdc.gov/mmwr/volumes/65/rr/rr6501e1.htm");

  static Recommendation recommendation(String id, String title, Severity severity,
      List<MatchedFact> rationale, String note) {
    return new Recommendation(id, title, "Consider naloxone.", severity,
        Category.MEDICATION_SAFETY, EvidenceGrade.parse("CDC:A/4"), CDC, List.of("rule " + id),
        rationale, List.of(), note, "severity " + severity.code());
  }

  static EvaluationResult result(List<Recommendation> shown,
      List<WithheldRecommendation> withheld, List<RuleFailure> failures) {
    return new EvaluationResult("p1", Instant.parse("2022-12-13T00:00:00Z"), shown, withheld,
        List.of(), List.of(), failures, Duration.ZERO, "test-rules");
  }

  @Test
  void cardHasTheLiteralShape() throws Exception {
    Recommendation naloxone = recommendation("opioid-naloxone", "Offer naloxone",
        Severity.WARNING, List.of(new MatchedFact("MedicationRequest", "med_1", null),
            new MatchedFact("PatientAge", "p1", "52 years")), "Dose from the draft order.");
    String json = CardMapper.create()
        .response("hook-1", result(List.of(naloxone), List.of(), List.of())).toJson();
    String uuid = CardMapper.cardUuid("hook-1", "opioid-naloxone");
    String detail = "Consider naloxone.\\n\\n**Evidence:** CDC:A/4 (strong), CDC, "
        + "*Guideline for Prescribing Opioids* (2016)\\n\\n**Because:**\\n"
        + "\\n- MedicationRequest/med\\\\_1\\n- PatientAge/p1 (52 years)"
        + "\\n\\n**Note:** Dose from the draft order.";
    String reasons = "[{\"system\":\"urn:io.github.cdsengine:override-reason\","
        + "\"code\":\"not-applicable\",\"display\":\"Does not apply to this patient\"},"
        + "{\"system\":\"urn:io.github.cdsengine:override-reason\","
        + "\"code\":\"already-addressed\",\"display\":\"Already addressed\"},"
        + "{\"system\":\"urn:io.github.cdsengine:override-reason\","
        + "\"code\":\"patient-declined\",\"display\":\"Patient declined\"},"
        + "{\"system\":\"urn:io.github.cdsengine:override-reason\","
        + "\"code\":\"clinical-judgement\","
        + "\"display\":\"Clinical judgement: benefit outweighs risk\"}]";
    assertThat(json).isEqualTo("{\"cards\":[{\"uuid\":\"" + uuid + "\","
        + "\"summary\":\"Offer naloxone\",\"detail\":\"" + detail + "\","
        + "\"indicator\":\"warning\","
        + "\"source\":{\"label\":\"CDC\",\"url\":\"https://www.cdc.gov/mmwr/volumes/65/rr/rr6501e1.htm\"},"
        + "\"overrideReasons\":" + reasons + ","
        + "\"links\":[{\"label\":\"Guideline for Prescribing Opioids (2016)\","
        + "\"url\":\"https://www.cdc.gov/mmwr/volumes/65/rr/rr6501e1.htm\","
        + "\"type\":\"absolute\"}]}]}");
    assertThat(new ObjectMapper().readTree(json).path("cards").path(0).path("detail").asText())
        .contains("- MedicationRequest/med\\_1");
  }

  @Test
  void oneCardPerShownRecommendationInRankingOrderAndNoneForWithheld() {
    Recommendation critical = recommendation("b-critical", "Critical", Severity.CRITICAL,
        List.of(), null);
    Recommendation info = recommendation("a-info", "Info", Severity.INFO, List.of(), null);
    Recommendation hidden = recommendation("c-hidden", "Hidden", Severity.WARNING, List.of(),
        null);
    WithheldRecommendation withheld = new WithheldRecommendation(hidden,
        WithheldRecommendation.Disposition.SUPPRESSED, List.of(new WithheldRecommendation.Reason(
            WithheldRecommendation.Disposition.SUPPRESSED, "end of life", "hospice",
            List.of())));
    CdsHooksResponse response = CardMapper.create()
        .response("h", result(List.of(critical, info), List.of(withheld), List.of()));
    assertThat(response.cards()).extracting(Card::summary).containsExactly("Critical", "Info");
    assertThat(response.cards()).extracting(Card::indicator).containsExactly("critical", "info");
    assertThat(response.cards()).extracting(Card::uuid).doesNotContain(
        CardMapper.cardUuid("h", "c-hidden"));
    assertThat(response.cards().get(1).detail()).doesNotContain("Because").doesNotContain("Note");
  }

  @Test
  void uuidsAreDeterministicPerHookInstanceAndRecommendation() {
    String uuid = CardMapper.cardUuid("d1e0b4ec-1d5c-4d2b-8c6f-0f5f0f0f0f0f", "opioid-naloxone");
    assertThat(uuid).isEqualTo(CardMapper.cardUuid("d1e0b4ec-1d5c-4d2b-8c6f-0f5f0f0f0f0f",
        "opioid-naloxone"));
    assertThat(UUID.fromString(uuid).version()).isEqualTo(3);
    assertThat(uuid).isEqualTo(UUID.nameUUIDFromBytes(
        "d1e0b4ec-1d5c-4d2b-8c6f-0f5f0f0f0f0f\u0000opioid-naloxone".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)).toString());
    assertThat(CardMapper.cardUuid("h2", "opioid-naloxone")).isNotEqualTo(
        CardMapper.cardUuid("h1", "opioid-naloxone"));
    assertThat(CardMapper.cardUuid("a", "bc")).isNotEqualTo(CardMapper.cardUuid("ab", "c"));
    Recommendation r = recommendation("x", "X", Severity.INFO, List.of(), null);
    EvaluationResult result = result(List.of(r), List.of(), List.of());
    assertThat(CardMapper.create().response("h", result).toJson())
        .isEqualTo(CardMapper.create().response("h", result).toJson());
  }

  /** CDS Hooks asks for a summary of fewer than 140 characters: 139 is kept, 140 is cut. */
  @ParameterizedTest
  @CsvSource({"138, true", "139, true", "140, false", "141, false"})
  void summaryIsKeptUpTo139CharactersAndCutFrom140(int length, boolean kept) {
    String title = "word ".repeat(28).substring(0, length - 5) + "abcde";
    assertThat(title).hasSize(length);
    String summary = CardMapper.summary(title);
    if (kept) {
      assertThat(summary).isEqualTo(title);
    } else {
      assertThat(summary).endsWith("\u2026").hasSizeLessThanOrEqualTo(Card.MAX_SUMMARY);
      assertThat(title).startsWith(summary.substring(0, summary.length() - 1));
    }
    assertThat(Card.MAX_SUMMARY).isEqualTo(139);
  }

  @Test
  void summaryOfExactly140CharactersIsCutAtAWordBoundary() {
    String title = "word ".repeat(27) + "abcde";
    assertThat(title).hasSize(140);
    assertThat(CardMapper.summary(title)).isEqualTo("word ".repeat(26) + "word\u2026")
        .hasSize(135);
  }

  @Test
  void summaryOf139CharactersIsKeptWhole() {
    String title = "word ".repeat(27) + "abcd";
    assertThat(title).hasSize(139);
    assertThat(CardMapper.summary(title)).isEqualTo(title);
    assertThat(CardMapper.summary("  " + title + "  ")).isEqualTo(title);
  }

  @Test
  void summaryOf141CharactersIsCutAtAWordBoundary() {
    String title = "word ".repeat(27) + "abcdef";
    assertThat(title).hasSize(141);
    String summary = CardMapper.summary(title);
    assertThat(summary).isEqualTo("word ".repeat(26) + "word\u2026");
    assertThat(summary.length()).isLessThanOrEqualTo(139);
  }

  @ParameterizedTest
  @ValueSource(ints = {138, 139, 140, 141, 142, 200, 1000})
  void summaryNeverExceeds139AndNeverSplitsAWord(int length) {
    StringBuilder title = new StringBuilder();
    int word = 0;
    while (title.length() < length) {
      title.append(title.length() == 0 ? "" : " ").append("w").append(word++);
    }
    String text = title.substring(0, length).strip();
    String summary = CardMapper.summary(text);
    assertThat(summary.length()).isLessThanOrEqualTo(139);
    if (text.length() <= 139) {
      assertThat(summary).isEqualTo(text);
    } else {
      String kept = summary.substring(0, summary.length() - 1);
      assertThat(summary).endsWith("\u2026");
      assertThat(text).startsWith(kept);
      assertThat(text.charAt(kept.length())).isEqualTo(' ');
    }
  }

  @Test
  void summaryOfOneLongWordIsCutInsideWithoutSplittingASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    String title = "a".repeat(138) + emoji + "bbb";
    String summary = CardMapper.summary(title);
    assertThat(summary).isEqualTo("a".repeat(138) + "\u2026");
    assertThat(CardMapper.summary("x".repeat(300))).isEqualTo("x".repeat(138) + "\u2026");
    // The cut would fall between the halves of the emoji: the whole emoji goes.
    assertThat(CardMapper.summary("a".repeat(137) + emoji + "bbb"))
        .isEqualTo("a".repeat(137) + "\u2026");
  }

  @Test
  void summaryCutDropsTrailingPunctuation() {
    String title = "a".repeat(135) + ", more words after the cut";
    assertThat(CardMapper.summary(title)).isEqualTo("a".repeat(135) + "\u2026");
  }

  @Test
  void incompleteResultGetsALastCardNamingTheRulesButNotTheirMessages() {
    Recommendation r = recommendation("x", "X", Severity.CRITICAL, List.of(), null);
    CdsHooksResponse response = CardMapper.create().response("h", result(List.of(r), List.of(),
        List.of(new RuleFailure("Opioid dose rule", "value 90 mg for patient Jane"))));
    assertThat(response.cards()).hasSize(2);
    Card last = response.cards().get(1);
    assertThat(last.indicator()).isEqualTo("warning");
    assertThat(last.uuid()).isEqualTo(CardMapper.cardUuid("h", CardMapper.INCOMPLETE_ID));
    assertThat(last.detail()).contains("Opioid dose rule").doesNotContain("Jane")
        .doesNotContain("90 mg");
  }

  @Test
  void suggestionsComeFromTheSourceAndSetSelectionBehaviour() {
    Recommendation r = recommendation("x", "X", Severity.INFO, List.of(), null);
    SuggestionSource source = (recommendation, hook) -> recommendation.id().equals("x")
        ? List.of(new Suggestion("Discuss with the patient", CardMapper.cardUuid(hook, "x/s1"),
            true, List.of()))
        : List.of();
    Card card = CardMapper.create().withSuggestions(source).withOverrideReasons(List.of())
        .card("h", r);
    assertThat(card.suggestions()).extracting(Suggestion::label)
        .containsExactly("Discuss with the patient");
    assertThat(card.selectionBehavior()).isEqualTo("at-most-one");
    assertThat(card.overrideReasons()).isEmpty();
    assertThat(CardMapper.create().card("h", r).suggestions()).isEmpty();
    assertThat(CardMapper.create().card("h", r).selectionBehavior()).isNull();
  }

  @Test
  void aSourceMayLetTheClinicianAcceptAnyOfItsSuggestions() {
    Recommendation r = recommendation("x", "X", Severity.INFO, List.of(), null);
    SuggestionSource both = new SuggestionSource() {
      @Override
      public List<Suggestion> suggestions(Recommendation recommendation, String hook) {
        return List.of(new Suggestion("Order a urine drug screen", null, true, List.of()),
            new Suggestion("Order naloxone", null, true, List.of()));
      }

      @Override
      public SelectionBehavior selectionBehavior(Recommendation recommendation) {
        return SelectionBehavior.ANY;
      }
    };
    Card card = CardMapper.create().withSuggestions(both).card("h", r);
    assertThat(card.selectionBehavior()).isEqualTo("any");
    assertThat(card.suggestions()).extracting(Suggestion::isRecommended).containsExactly(true,
        true);
    // The same two recommended suggestions under the default, at-most-one, are refused.
    SuggestionSource atMostOne = both::suggestions;
    assertThatThrownBy(() -> CardMapper.create().withSuggestions(atMostOne).card("h", r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at-most-one")
        .hasMessageContaining("Order a urine drug screen");
  }

  @Test
  void overrideReasonsWithoutADisplayAreRefusedWhenSet() {
    Coding bare = new Coding("urn:x", "declined", null);
    assertThatThrownBy(() -> CardMapper.create().withOverrideReasons(List.of(bare)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("urn:x|declined").hasMessageContaining("display");
    assertThat(CardMapper.DEFAULT_OVERRIDE_REASONS).allSatisfy(
        reason -> assertThat(reason.display()).isNotBlank());
  }

  @Test
  void aServiceWithoutADefinitionAnswersForTheRecommendationIdsItIsGiven() {
    Recommendation shown = recommendation("shown", "Shown", Severity.INFO, List.of(), null);
    Recommendation other = recommendation("other", "Other", Severity.WARNING, List.of(), null);
    io.github.cdsengine.core.model.PatientRecord record =
        io.github.cdsengine.core.model.PatientRecord.builder(
            new io.github.cdsengine.core.model.Patient("p1", null, null)).build();
    CdsHooksRequest request = new CdsHooksRequest("patient-view", "h", new CdsHooksRequest.Context(
        "p1", null, "Practitioner/1", List.of(), List.of()), record, java.util.Map.of());
    EvaluationResult result = result(List.of(other, shown), List.of(),
        List.of(new RuleFailure("Some rule", "boom")));
    CdsHooksResponse response = CardMapper.create().response(request, result,
        java.util.Set.of("shown"));
    assertThat(response.cards()).extracting(Card::summary)
        .containsExactly("Shown", "Decision support is incomplete for this patient");
    assertThat(CardMapper.create().response(request, result(List.of(other), List.of(),
        List.of()), java.util.Set.of()).cards()).isEmpty();
  }
}
