package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.testing.TestRules;
import io.github.cdsengine.governance.CardIdentity;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.ShownCard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Feedback on a card the service no longer holds in memory is taken from the feedback store:
 * after newer cards took its place, and after the service restarted. Each feedback event is
 * stored with what the card stood for (service, recommendation, rule set, hashed patient and
 * user), exactly as for a card held in memory. {@link H2ForgottenCardFeedbackTest} and {@link
 * PostgresForgottenCardFeedbackTest} run it on both databases.
 */
abstract class ForgottenCardFeedbackContract {

  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String SERVICE = ServiceCatalog.LOOSE_RULES_SERVICE;
  static final String RECOMMENDATION = "adult-check";
  static final byte[] KEY = Arrays.copyOf(new byte[] {9, 1, 9}, AuditRecord.MIN_KEY_BYTES);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  FeedbackStore store;
  StoredFeedback feedback;
  CdsHooksServer server;

  /** Where the store of this test is: the same place each time it is opened in one test. */
  abstract String storeLocation();

  /** Opens the store and starts a service that holds {@code capacity} cards in memory. */
  void start(int capacity) throws InterruptedException {
    store = FeedbackStore.open(storeLocation());
    feedback = new StoredFeedback(store, KEY, capacity);
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(), p -> null, engine(), ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .feedback(feedback)
        .clock(Clock.fixed(T0, ZoneId.of("UTC")), ZoneId.of("UTC"))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  /** Stops the service as at a restart: the server, the shown-card writer, the store. */
  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (feedback != null) {
      feedback.close();
      feedback = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @AfterEach
  void stopAll() {
    stop();
  }

  static CdsEngine engine() {
    return CdsEngine.builder().addRules(TestRules.file("adult.drl",
        TestRules.recommending("Adult", RECOMMENDATION, "USPSTF:A", "screening", "warning",
            "    PatientAge(years >= 18)", "adult"))).build();
  }

  /** A patient-view call for patient {@code patient} by {@code user}. */
  static String request(String hookInstance, String patient, String user) {
    return """
        {"hookInstance": "%s", "hook": "patient-view",
         "context": {"userId": "%s", "patientId": "%s"},
         "prefetch": {"patient": {"resourceType": "Patient", "id": "%s", "gender": "female",
           "birthDate": "1970-01-01"}%s}}
        """.formatted(hookInstance, user, patient, patient,
        io.github.cdsengine.core.hooks.CdsServices.PREFETCH.keySet().stream()
            .filter(key -> !key.equals("patient")).map(key -> ", \"" + key + "\": null")
            .collect(Collectors.joining()));
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The uuid of the one card of a call. */
  String call(String hookInstance, String patient, String user) throws Exception {
    HttpResponse<String> call = post("/cds-services/" + SERVICE,
        request(hookInstance, patient, user));
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    JsonNode cards = JSON.readTree(call.body()).path("cards");
    assertThat(cards).hasSize(1);
    return cards.get(0).path("uuid").asText();
  }

  HttpResponse<String> override(String service, String card, String code, Instant at)
      throws Exception {
    return post("/cds-services/" + service + "/feedback", """
        {"feedback": [{"card": "%s", "outcome": "overridden",
          "overrideReason": {"reason": {"system": "%s", "code": "%s", "display": "d"}},
          "outcomeTimestamp": "%s"}]}""".formatted(card, CardMapper.OVERRIDE_REASON_SYSTEM,
        code, at));
  }

  static FeedbackEvent expected(String card, String code, Instant at, String patient,
      String user, String ruleSet) {
    return new FeedbackEvent(card, SERVICE, RECOMMENDATION, ruleSet,
        FeedbackEvent.Outcome.OVERRIDDEN, new FeedbackEvent.OverrideReason(
            CardMapper.OVERRIDE_REASON_SYSTEM, code), at,
        AuditRecord.patientHash(patient, KEY), AuditRecord.patientHash(user, KEY));
  }

  @Test
  void feedbackOnACardNewerCardsPushedOutOfMemoryIsTakenFromTheStore() throws Exception {
    start(1);
    String first = call("a1f0c5e2-0000-4000-8000-000000000001", "p-1", "Practitioner/7");
    // The second card takes the only place in memory.
    String second = call("a1f0c5e2-0000-4000-8000-000000000002", "p-2", "Practitioner/8");
    assertThat(first).isNotEqualTo(second);
    assertThat(feedback.shownCards().awaitWritten(Duration.ofSeconds(30))).isTrue();

    Instant at = T0.plusSeconds(20);
    assertThat(override(SERVICE, first, "snooze-7d", at).statusCode()).isEqualTo(200);
    String ruleSet = store.shownCard(first).orElseThrow().ruleSet();
    assertThat(store.between(T0, T0.plusSeconds(3600))).containsExactly(
        expected(first, "snooze-7d", at, "p-1", "Practitioner/7", ruleSet));
    // The snooze and acknowledgement are the first card's patient's, by its user; the
    // service's clock stands at T0, so the snooze starts at receipt (T0) and ends 7 days after
    // the outcome time.
    String patient = AuditRecord.patientHash("p-1", KEY);
    assertThat(store.activeSnoozes(patient, T0)).containsExactly(
        new Snooze(RECOMMENDATION, T0, at.plus(Duration.ofDays(7))));
    assertThat(store.activeSnoozes(AuditRecord.patientHash("p-2", KEY), at)).isEmpty();
    // And the second card, held in memory, as before.
    assertThat(override(SERVICE, second, "patient-declined", at).statusCode()).isEqualTo(200);
    assertThat(store.between(T0, T0.plusSeconds(3600))).hasSize(2).contains(
        expected(second, "patient-declined", at, "p-2", "Practitioner/8", ruleSet));
  }

  @Test
  void feedbackAfterARestartIsTakenFromTheStore() throws Exception {
    start(100);
    String card = call("b2e1d6f3-0000-4000-8000-000000000001", "p-3", "Practitioner/9");
    stop();

    start(100);
    Instant at = T0.plusSeconds(45);
    // Sent to another service: not its card, nothing kept.
    HttpResponse<String> elsewhere = override("no-such-service", card, "patient-declined", at);
    assertThat(elsewhere.statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = override(SERVICE, "9d9d9d9d-0000-3000-8000-000000000000",
        "patient-declined", at);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("path").asText())
        .isEqualTo("$.feedback[0].card");

    HttpResponse<String> taken = override(SERVICE, card, "patient-declined", at);
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    // Sent again: one event.
    assertThat(override(SERVICE, card, "patient-declined", at).statusCode()).isEqualTo(200);
    String ruleSet = store.shownCard(card).orElseThrow().ruleSet();
    assertThat(ruleSet).isNotBlank();
    assertThat(store.between(T0, T0.plusSeconds(3600))).containsExactly(
        expected(card, "patient-declined", at, "p-3", "Practitioner/9", ruleSet));
    assertThat(store.latestAcknowledgements(AuditRecord.patientHash("p-3", KEY), at))
        .extracting(a -> a.recommendationId() + " " + a.at())
        .containsExactly(RECOMMENDATION + " " + T0);
  }

  /**
   * A card recorded before the store kept users (schema version 4) cannot be attributed: its
   * feedback is refused as on an unknown card, and nothing is kept.
   */
  @Test
  void feedbackOnACardRecordedWithoutItsUserIsRefused() throws Exception {
    start(100);
    String uuid = CardMapper.cardUuid(SERVICE, "c3f2e7a4-0000-4000-8000-000000000001",
        RECOMMENDATION);
    store.recordShown(List.of(new ShownCard(new CardIdentity(uuid, SERVICE, RECOMMENDATION,
        "local"), T0, AuditRecord.patientHash("p-4", KEY), null)));
    HttpResponse<String> refused = override(SERVICE, uuid, "patient-declined",
        T0.plusSeconds(5));
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(store.between(T0, T0.plusSeconds(3600))).isEmpty();
  }
}
