package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.Showing;
import io.github.cdsengine.governance.ShownCard;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback through the running service into an embedded feedback store: the card's
 * recommendation, rule set and hashed patient and user are kept, the same feedback twice once,
 * and feedback on a card the service did not return is 404 with nothing kept.
 */
class StoredFeedbackTest {

  static final Instant CLOCK = Instant.parse("2022-12-13T00:00:00Z");
  static final String REQUEST =
      "requests/OpioidCDSREC01/request-example-rec-01-in-outpatient-opioid.json";
  static final String SERVICE = "opioidcds-01";
  static final byte[] KEY = Arrays.copyOf(new byte[] {7, 1, 3}, AuditRecord.MIN_KEY_BYTES);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  static Path folder;
  static Path conformance;
  static FeedbackStore store;
  static StoredFeedback feedback;
  static CdsHooksServer server;

  @BeforeAll
  static void start() throws InterruptedException {
    conformance = Conformance.directory("opioid-cds");
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    store = FeedbackStore.open(folder.resolve("cds-feedback").toString());
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(pack), p -> CdsEngine.builder()
            .addRulePack(p).addValueSets(conformance.resolve("vocabulary/valueset")).build(),
            null, ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .feedback(feedback = new StoredFeedback(store, KEY, 100))
        .clock(Clock.fixed(CLOCK, ZoneOffset.UTC), ZoneId.of("UTC"))
        // The fixed clock stands still; feedback is sent after the calls (as with --at).
        .feedbackClockSkew(null)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  @AfterAll
  static void stop() {
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

  static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String overridden(String card, String at) {
    return """
        {"feedback": [{"card": "%s", "outcome": "overridden",
          "overrideReason": {"reason": {"system": "http://example.org/override", "code": "x",
            "display": "Not now"}, "userComment": "seen"},
          "outcomeTimestamp": "%s"}]}""".formatted(card, at);
  }

  @Test
  void feedbackOnAReturnedCardIsKeptWithWhatTheCardStoodFor() throws Exception {
    HttpResponse<String> call = post("/cds-services/" + SERVICE,
        Files.readString(conformance.resolve(REQUEST)));
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    JsonNode card = JSON.readTree(call.body()).path("cards").get(0);
    String uuid = card.path("uuid").asText();
    CdsHooksRequest request;
    try (InputStream in = Files.newInputStream(conformance.resolve(REQUEST))) {
      request = FhirReader.create().readCdsHooksRequest(in, REQUEST);
    }
    assertThat(uuid).isEqualTo(CardMapper.cardUuid(SERVICE, request.hookInstance(),
        "cdc-opioids-2016-rec-01"));

    String feedback = overridden(uuid, "2022-12-13T00:05:00.250Z");
    assertThat(post("/cds-services/" + SERVICE + "/feedback", feedback).statusCode())
        .isEqualTo(200);
    // Sent again: 200, kept once.
    assertThat(post("/cds-services/" + SERVICE + "/feedback", feedback).statusCode())
        .isEqualTo(200);

    List<FeedbackEvent> kept = store.between(CLOCK, CLOCK.plusSeconds(3600));
    assertThat(kept).containsExactly(new FeedbackEvent(uuid, SERVICE, "cdc-opioids-2016-rec-01",
        kept.get(0).ruleSet(), FeedbackEvent.Outcome.OVERRIDDEN,
        new FeedbackEvent.OverrideReason("http://example.org/override", "x"),
        Instant.parse("2022-12-13T00:05:00.250Z"),
        AuditRecord.patientHash(request.patientId(), KEY),
        AuditRecord.patientHash(request.context().userId(), KEY)));
    assertThat(kept.get(0).ruleSet()).startsWith(ShippedRulePacks.CDC_OPIOIDS_2016 + "@");
  }

  @Test
  void everyCardReturnedIsRecordedAsShownOnceWithItsPatientHashed() throws Exception {
    String body = Files.readString(conformance.resolve(REQUEST))
        .replaceFirst("\"hookInstance\"\\s*:\\s*\"[^\"]*\"",
            "\"hookInstance\": \"5d4c3b2a-0000-4000-8000-00000000abcd\"");
    HttpResponse<String> call = post("/cds-services/" + SERVICE, body);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    // The same call again (a client retrying): the same cards, recorded once.
    assertThat(post("/cds-services/" + SERVICE, body).statusCode()).isEqualTo(200);
    JsonNode cards = JSON.readTree(call.body()).path("cards");
    assertThat(cards.size()).isPositive();
    assertThat(feedback.shownCards().awaitWritten(Duration.ofSeconds(30))).isTrue();
    CdsHooksRequest request;
    try (InputStream in = new java.io.ByteArrayInputStream(body.getBytes(
        java.nio.charset.StandardCharsets.UTF_8))) {
      request = FhirReader.create().readCdsHooksRequest(in, REQUEST);
    }
    List<ShownCard> recorded = new ArrayList<>();
    store.showings(CLOCK, CLOCK.plusSeconds(1), (Showing s) -> {
      if (s.card().cardUuid().equals(cards.get(0).path("uuid").asText())) {
        recorded.add(s.card());
      }
    });
    assertThat(recorded).hasSize(1);
    ShownCard card = recorded.get(0);
    assertThat(card.serviceId()).isEqualTo(SERVICE);
    assertThat(card.recommendationId()).isEqualTo("cdc-opioids-2016-rec-01");
    assertThat(card.ruleSet()).startsWith(ShippedRulePacks.CDC_OPIOIDS_2016 + "@");
    assertThat(card.shownTime()).isEqualTo(CLOCK);
    assertThat(card.patientHash()).isEqualTo(AuditRecord.patientHash(request.patientId(), KEY))
        .doesNotContain(request.patientId());
    assertThat(feedback.shownCards().dropped()).isZero();
  }

  @Test
  void feedbackOnACardTheServiceDidNotReturnIs404AndKeepsNothing() throws Exception {
    HttpResponse<String> response = post("/cds-services/" + SERVICE + "/feedback",
        overridden("3f1c0d6e-0000-3000-8000-000000000000", "2022-12-13T01:00:00Z"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).path("path").asText())
        .isEqualTo("$.feedback[0].card");
    // A card returned by another service is not this service's.
    HttpResponse<String> call = post("/cds-services/" + SERVICE,
        Files.readString(conformance.resolve(REQUEST)));
    String uuid = JSON.readTree(call.body()).path("cards").get(0).path("uuid").asText();
    assertThat(post("/cds-services/opioidcds-02/feedback",
        overridden(uuid, "2022-12-13T01:00:00Z")).statusCode()).isEqualTo(404);
    assertThat(store.between(CLOCK.plusSeconds(3600), CLOCK.plusSeconds(7200))).isEmpty();
  }
}
