package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.TestRules;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's governance of its cards end to end over HTTP, with the service's default
 * interruptive-alert budget and an embedded feedback store: a loose rules service answering with
 * a critical card and three warnings keeps two interruptive and demotes the rest in ranking
 * order; its critical card offers no snooze and a snooze sent for it anyway is not applied (the
 * loose rules have no pack to allow it); and two services answering one hook instance with the
 * same recommendation give their cards different uuids, each service taking feedback only on its
 * own.
 */
class GovernedCardsServiceTest {

  static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
  static final String LOOSE = ServiceCatalog.LOOSE_RULES_SERVICE;
  static final String HOOK = "e4d3c2b1-0000-4000-8000-000000000001";

  @TempDir
  Path folder;
  final SnoozeAndBudgetServiceTest.SetClock clock = new SnoozeAndBudgetServiceTest.SetClock();
  FeedbackStore store;
  StoredFeedback feedback;
  CdsHooksServer server;

  void start(Supplier<ServiceCatalog> catalog) throws InterruptedException {
    start(catalog, 100);
  }

  /** Starts the service holding {@code capacity} cards in memory. */
  void start(Supplier<ServiceCatalog> catalog, int capacity) throws InterruptedException {
    clock.now.set(T0);
    store = FeedbackStore.open(folder.resolve("cds-feedback").toString());
    feedback = new StoredFeedback(store, ForgottenCardFeedbackContract.KEY, capacity);
    server = CdsHooksServer.builder().catalog(catalog)
        .authenticator(ClientAuthenticator.development())
        .feedback(feedback)
        .clock(clock, ZoneId.of("UTC"))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (feedback != null) {
      feedback.close();
    }
    if (store != null) {
      store.close();
    }
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return ForgottenCardFeedbackContract.HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The whole answer of a call to {@code service} at {@code at}. */
  JsonNode call(String service, String hookInstance, Instant at) throws Exception {
    clock.now.set(at);
    HttpResponse<String> call = post("/cds-services/" + service,
        ForgottenCardFeedbackContract.request(hookInstance, "p-1", "Practitioner/1"));
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    return ForgottenCardFeedbackContract.JSON.readTree(call.body());
  }

  HttpResponse<String> override(String service, String card, String code, Instant at)
      throws Exception {
    clock.now.set(at);
    return post("/cds-services/" + service + "/feedback", """
        {"feedback": [{"card": "%s", "outcome": "overridden",
          "overrideReason": {"reason": {"system": "%s", "code": "%s", "display": "d"}},
          "outcomeTimestamp": "%s"}]}""".formatted(card, CardMapper.OVERRIDE_REASON_SYSTEM,
        code, at));
  }

  /** A rule recommending {@code id} at {@code severity} for every adult. */
  static String adult(String id, String severity) {
    return TestRules.recommending("Rule " + id, id, "USPSTF:A", "screening", severity,
        "    PatientAge(years >= 18)", "detail of " + id);
  }

  /** Loose rules: one critical recommendation and three warnings, all for every adult. */
  static ServiceCatalog criticalAndThreeWarnings() {
    return ServiceCatalog.build(List.of(), p -> null, CdsEngine.builder()
        .addRules(TestRules.file("governed.drl", adult("gov-critical", "critical"),
            adult("gov-warning-1", "warning"), adult("gov-warning-2", "warning"),
            adult("gov-warning-3", "warning")))
        .build(), ServiceMain::cards);
  }

  static List<String> fields(JsonNode cards, String field) {
    List<String> values = new ArrayList<>();
    cards.forEach(card -> values.add(card.path(field).asText()));
    return values;
  }

  static List<String> reasonCodes(JsonNode card) {
    List<String> codes = new ArrayList<>();
    card.path("overrideReasons").forEach(r -> codes.add(r.path("code").asText()));
    return codes;
  }

  @Test
  void theBudgetKeepsTwoInterruptiveCardsAndDemotesTheRestInRankingOrder() throws Exception {
    start(GovernedCardsServiceTest::criticalAndThreeWarnings);
    JsonNode cards = call(LOOSE, HOOK, T0).path("cards");
    assertThat(fields(cards, "summary")).containsExactly("Title of gov-critical",
        "Title of gov-warning-1", "Title of gov-warning-2", "Title of gov-warning-3");
    // The default budget: 2 interruptive cards per call, taken by the two ranked first.
    assertThat(CdsHooksServer.DEFAULT_INTERRUPTIVE_BUDGET.maxInterruptive()).isEqualTo(2);
    assertThat(fields(cards, "indicator")).containsExactly("critical", "warning", "info",
        "info");
    for (int i = 2; i < 4; i++) {
      assertThat(cards.get(i).path("detail").asText()).contains("Shown as info, not warning: "
          + "the interruptive-alert budget of 2 cards per call was taken by recommendations "
          + "ranked above it.");
    }
    assertThat(cards.get(0).path("detail").asText()).doesNotContain("Shown as info");
    assertThat(cards.get(1).path("detail").asText()).doesNotContain("Shown as info");
    // The critical card offers no snooze (no pack allows it); the others do.
    assertThat(reasonCodes(cards.get(0))).doesNotContain("snooze-7d", "snooze-30d",
        "snooze-90d").contains("patient-declined");
    for (int i = 1; i < 4; i++) {
      assertThat(reasonCodes(cards.get(i))).contains("snooze-7d", "snooze-30d", "snooze-90d");
    }
    // Each card named after the service, the hook instance and its recommendation.
    assertThat(fields(cards, "uuid")).containsExactly(
        CardMapper.cardUuid(LOOSE, HOOK, "gov-critical"),
        CardMapper.cardUuid(LOOSE, HOOK, "gov-warning-1"),
        CardMapper.cardUuid(LOOSE, HOOK, "gov-warning-2"),
        CardMapper.cardUuid(LOOSE, HOOK, "gov-warning-3"));

    // The first warning acknowledged: for the repeat window it is info, and the budget's second
    // interruptive place goes to the next warning.
    Instant acknowledged = T0.plusSeconds(60);
    assertThat(override(LOOSE, cards.get(1).path("uuid").asText(), "patient-declined",
        acknowledged).statusCode()).isEqualTo(200);
    JsonNode next = call(LOOSE, "e4d3c2b1-0000-4000-8000-000000000002",
        acknowledged.plusSeconds(60)).path("cards");
    assertThat(fields(next, "summary")).containsExactly("Title of gov-critical",
        "Title of gov-warning-2", "Title of gov-warning-1", "Title of gov-warning-3");
    assertThat(fields(next, "indicator")).containsExactly("critical", "warning", "info",
        "info");
    assertThat(next.get(2).path("detail").asText()).contains("Shown as info, not warning: it "
        + "was acknowledged for this patient at 2026-05-04T10:01:00Z and interrupts again from "
        + "2026-05-05T10:01:00Z.");
    assertThat(next.get(3).path("detail").asText()).contains("interruptive-alert budget of 2");
  }

  @Test
  void aCriticalCardsSnoozeIsNotAppliedWithoutItsPacksLeaveAndTheWarningsIs() throws Exception {
    start(GovernedCardsServiceTest::criticalAndThreeWarnings);
    JsonNode cards = call(LOOSE, HOOK, T0).path("cards");
    Instant snoozed = T0.plusSeconds(30);
    // A client sends a snooze for the critical card although the card offered none, and one
    // for the third warning.
    assertThat(override(LOOSE, cards.get(0).path("uuid").asText(), "snooze-7d", snoozed)
        .statusCode()).isEqualTo(200);
    assertThat(override(LOOSE, cards.get(3).path("uuid").asText(), "snooze-7d", snoozed)
        .statusCode()).isEqualTo(200);

    // After the repeat window, within the snooze: the critical card is back as critical, the
    // snooze reported as not applied; the snoozed warning is withheld.
    Instant later = snoozed.plus(Duration.ofDays(2));
    JsonNode answer = call(LOOSE, "e4d3c2b1-0000-4000-8000-000000000003", later);
    JsonNode shown = answer.path("cards");
    assertThat(fields(shown, "summary")).containsExactly("Title of gov-critical",
        "Title of gov-warning-1", "Title of gov-warning-2");
    assertThat(fields(shown, "indicator")).containsExactly("critical", "warning", "info");
    JsonNode warnings = answer.path("extension").path(CdsHooksResponse.WARNINGS_EXTENSION);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).path("resourceType").asText()).isEqualTo("Snooze");
    assertThat(warnings.get(0).path("id").asText()).isEqualTo("gov-critical");
    assertThat(warnings.get(0).path("message").asText()).isEqualTo("the snooze of "
        + "gov-critical until 2026-05-11T10:00:30Z was not applied: the recommendation is "
        + "critical and its rule pack does not allow critical recommendations to be snoozed "
        + "(allowCriticalSnooze in pack.json)");

    // Within the repeat window the critical card is info, and still offers no snooze.
    JsonNode within = call(LOOSE, "e4d3c2b1-0000-4000-8000-000000000004",
        snoozed.plusSeconds(3600)).path("cards");
    assertThat(within.get(0).path("summary").asText()).isEqualTo("Title of gov-warning-1");
    JsonNode critical = within.get(2);
    assertThat(critical.path("summary").asText()).isEqualTo("Title of gov-critical");
    assertThat(critical.path("indicator").asText()).isEqualTo("info");
    assertThat(reasonCodes(critical)).doesNotContain("snooze-7d");
  }

  /** A pack of one rule recommending {@code shared-check}, answered as a service of its id. */
  static RulePack pack(String id) {
    return RulePack.builder(id, "1.0.0", "Pack " + id).rules(List.of(TestRules.file(
        id + ".drl", adult("shared-check", "warning")))).build();
  }

  @Test
  void twoServicesWithTheSameRecommendationGiveTheirCardsDifferentUuids() throws Exception {
    // One card held in memory: the other is looked up in the store.
    start(() -> ServiceCatalog.build(List.of(pack("clinic-a"), pack("clinic-b")),
        p -> CdsEngine.builder().addRulePack(p).build(), null, ServiceMain::cards), 1);
    String a = call("clinic-a", HOOK, T0).path("cards").get(0).path("uuid").asText();
    // The same call again: the same uuid.
    assertThat(call("clinic-a", HOOK, T0).path("cards").get(0).path("uuid").asText())
        .isEqualTo(a);
    String b = call("clinic-b", HOOK, T0).path("cards").get(0).path("uuid").asText();
    assertThat(a).isEqualTo(CardMapper.cardUuid("clinic-a", HOOK, "shared-check"));
    assertThat(b).isEqualTo(CardMapper.cardUuid("clinic-b", HOOK, "shared-check"));
    assertThat(a).isNotEqualTo(b);
    assertThat(feedback.shownCards().awaitWritten(Duration.ofSeconds(30))).isTrue();
    // Both showings recorded, each its service's.
    assertThat(store.shownCard(a).orElseThrow().serviceId()).isEqualTo("clinic-a");
    assertThat(store.shownCard(b).orElseThrow().serviceId()).isEqualTo("clinic-b");

    // Feedback on A's card (found in the store, B's card being the one in memory) sent to B is
    // not B's, nor is B's card A's: 404, nothing kept.
    Instant at = T0.plusSeconds(10);
    assertThat(override("clinic-b", a, "patient-declined", at).statusCode()).isEqualTo(404);
    assertThat(override("clinic-a", b, "patient-declined", at).statusCode()).isEqualTo(404);
    assertThat(store.between(T0, T0.plusSeconds(3600))).isEmpty();
    assertThat(override("clinic-a", a, "patient-declined", at).statusCode()).isEqualTo(200);
    assertThat(override("clinic-b", b, "already-addressed", at).statusCode()).isEqualTo(200);
    assertThat(store.between(T0, T0.plusSeconds(3600)))
        .extracting(e -> e.cardUuid() + " " + e.serviceId() + " " + e.recommendationId() + " "
            + e.ruleSet() + " " + e.overrideReason().code())
        .containsExactlyInAnyOrder(a + " clinic-a shared-check clinic-a@1.0.0 patient-declined",
            b + " clinic-b shared-check clinic-b@1.0.0 already-addressed");
    assertThat(store.between(T0, T0.plusSeconds(3600))).extracting(FeedbackEvent::patientHash)
        .containsOnly(AuditRecord.patientHash("p-1", ForgottenCardFeedbackContract.KEY));
  }
}
