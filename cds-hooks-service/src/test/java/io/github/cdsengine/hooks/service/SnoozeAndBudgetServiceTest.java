package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snoozes and the interruptive-alert budget through the running service, its feedback store an
 * embedded H2 file: feedback with a snooze reason withholds the card at the next calls until the
 * snooze ends exactly; feedback of any kind keeps the card at info for the repeat window.
 */
class SnoozeAndBudgetServiceTest {

  static final Instant T0 = Instant.parse("2022-12-13T00:00:00Z");
  static final String REQUEST =
      "requests/OpioidCDSREC01/request-example-rec-01-in-outpatient-opioid.json";
  static final String SERVICE = "opioidcds-01";
  static final String RECOMMENDATION = "cdc-opioids-2016-rec-01";
  static final byte[] KEY = Arrays.copyOf(new byte[] {4, 2}, AuditRecord.MIN_KEY_BYTES);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** The evaluation clock, set by each test. */
  static final class SetClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(T0);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @TempDir
  Path folder;
  Path conformance;
  FeedbackStore store;
  StoredFeedback feedback;
  CdsHooksServer server;
  final SetClock clock = new SetClock();
  String body;
  CdsHooksRequest request;

  @BeforeEach
  void start() throws Exception {
    conformance = Conformance.directory("opioid-cds");
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    store = FeedbackStore.open(folder.resolve("cds-feedback").toString());
    feedback = new StoredFeedback(store, KEY, 100);
    // The builder's default budget: the service's.
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(pack), p -> CdsEngine.builder()
            .addRulePack(p).addValueSets(conformance.resolve("vocabulary/valueset")).build(),
            null, ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .feedback(feedback)
        .clock(clock, ZoneId.of("UTC"))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
    body = Files.readString(conformance.resolve(REQUEST));
    try (InputStream in = Files.newInputStream(conformance.resolve(REQUEST))) {
      request = FhirReader.create().readCdsHooksRequest(in, REQUEST);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  HttpResponse<String> post(String path, String content) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(content)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The cards of a call at {@code at}. */
  JsonNode cardsAt(Instant at) throws Exception {
    clock.now.set(at);
    HttpResponse<String> call = post("/cds-services/" + SERVICE, body);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
    return JSON.readTree(call.body()).path("cards");
  }

  /** An override sent at {@code at} by the EHR's clock, received at the same instant. */
  HttpResponse<String> override(String card, String code, Instant at) throws Exception {
    return override(card, code, at, at);
  }

  /** An override sent at {@code at} by the EHR's clock, received at {@code received}. */
  HttpResponse<String> override(String card, String code, Instant at, Instant received)
      throws Exception {
    clock.now.set(received);
    return post("/cds-services/" + SERVICE + "/feedback", """
        {"feedback": [{"card": "%s", "outcome": "overridden",
          "overrideReason": {"reason": {"system": "%s", "code": "%s", "display": "d"}},
          "outcomeTimestamp": "%s"}]}""".formatted(card, CardMapper.OVERRIDE_REASON_SYSTEM,
        code, at));
  }

  static List<String> codes(JsonNode card) {
    List<String> codes = new ArrayList<>();
    card.path("overrideReasons").forEach(r -> codes.add(r.path("code").asText()));
    return codes;
  }

  @Test
  void aSnoozeSentAsFeedbackWithholdsTheCardUntilItsEndExactly() throws Exception {
    JsonNode cards = cardsAt(T0);
    assertThat(cards).hasSize(1);
    JsonNode card = cards.get(0);
    assertThat(card.path("indicator").asText()).isEqualTo("warning");
    assertThat(codes(card)).containsExactly("not-applicable", "already-addressed",
        "patient-declined", "clinical-judgement", "snooze-7d", "snooze-30d", "snooze-90d");

    Instant snoozedAt = T0.plusSeconds(300);
    assertThat(override(card.path("uuid").asText(), "snooze-7d", snoozedAt).statusCode())
        .isEqualTo(200);
    Instant until = snoozedAt.plus(Duration.ofDays(7));
    String patient = AuditRecord.patientHash(request.patientId(), KEY);
    assertThat(store.activeSnoozes(patient, snoozedAt))
        .containsExactly(new Snooze(RECOMMENDATION, snoozedAt, until));

    // The next calls: no card, the recommendation withheld with its reason.
    assertThat(cardsAt(snoozedAt)).isEmpty();
    assertThat(cardsAt(until.minusMillis(1))).isEmpty();
    try (CdsEngine engine = CdsEngine.builder()
        .addRulePack(ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016))
        .addValueSets(conformance.resolve("vocabulary/valueset")).build()) {
      // What the service evaluates with: the store's snoozes in the call's context.
      EvaluationResult result = engine.evaluate(request.record(),
          feedback.withClinicianResponses(request, EvaluationContext.at(until.minusMillis(1),
              ZoneOffset.UTC)));
      WithheldRecommendation withheld = result.withheld(RECOMMENDATION).orElseThrow();
      assertThat(withheld.disposition()).isEqualTo(WithheldRecommendation.Disposition.SNOOZED);
      assertThat(withheld.reasons().get(0).text())
          .isEqualTo("snoozed by a clinician until 2022-12-20T00:05:00Z");
    }

    // From its end exactly the card is back: an interruptive warning again, as the
    // acknowledgement that came with the snooze is older than the repeat window.
    JsonNode back = cardsAt(until);
    assertThat(back).hasSize(1);
    assertThat(back.get(0).path("indicator").asText()).isEqualTo("warning");
  }

  @Test
  void anAcknowledgedCardIsInfoForTheRepeatWindowThenInterruptsAgain() throws Exception {
    JsonNode card = cardsAt(T0).get(0);
    Instant overridden = T0.plusSeconds(60);
    assertThat(override(card.path("uuid").asText(), "patient-declined", overridden)
        .statusCode()).isEqualTo(200);
    assertThat(store.latestAcknowledgements(AuditRecord.patientHash(request.patientId(), KEY),
        overridden)).containsExactly(new Acknowledgement(RECOMMENDATION, overridden));
    assertThat(store.activeSnoozes(AuditRecord.patientHash(request.patientId(), KEY),
        overridden)).isEmpty();

    Instant windowEnd = overridden.plus(Duration.ofHours(
        CdsHooksServer.DEFAULT_REPEAT_WINDOW_HOURS));
    JsonNode within = cardsAt(windowEnd.minusMillis(1));
    assertThat(within).hasSize(1);
    assertThat(within.get(0).path("indicator").asText()).isEqualTo("info");
    assertThat(within.get(0).path("detail").asText()).contains("Shown as info, not warning: "
        + "it was acknowledged for this patient at 2022-12-13T00:01:00Z and interrupts again "
        + "from 2022-12-14T00:01:00Z.");
    // The same card: feedback on it still leads to its recommendation.
    assertThat(within.get(0).path("uuid").asText()).isEqualTo(card.path("uuid").asText());

    JsonNode after = cardsAt(windowEnd);
    assertThat(after.get(0).path("indicator").asText()).isEqualTo("warning");
  }

  /**
   * An EHR clock ahead of the service's, exactly as far as allowed: the snooze starts when the
   * service received it, so the calls between receipt and the EHR's outcome time already
   * withhold the card; it ends the snoozed period after the outcome time. The event keeps the
   * outcome time as sent.
   */
  @Test
  void aSnoozeFromAnEhrClockAheadStartsWhenTheServiceReceivedIt() throws Exception {
    JsonNode card = cardsAt(T0).get(0);
    Instant received = T0.plusSeconds(120);
    Instant outcome = received.plus(CdsHooksServer.DEFAULT_FEEDBACK_CLOCK_SKEW);
    HttpResponse<String> taken = override(card.path("uuid").asText(), "snooze-7d", outcome,
        received);
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    String patient = AuditRecord.patientHash(request.patientId(), KEY);
    Instant until = outcome.plus(Duration.ofDays(7));
    assertThat(store.activeSnoozes(patient, received))
        .containsExactly(new Snooze(RECOMMENDATION, received, until));
    assertThat(store.latestAcknowledgements(patient, received))
        .containsExactly(new Acknowledgement(RECOMMENDATION, received));
    assertThat(store.between(T0, T0.plusSeconds(3600)))
        .extracting(io.github.cdsengine.governance.FeedbackEvent::outcomeTime)
        .containsExactly(outcome);
    // A call after receipt, before the EHR's outcome time: withheld already.
    assertThat(cardsAt(received.plusSeconds(1))).isEmpty();
    assertThat(cardsAt(until.minusMillis(1))).isEmpty();
    assertThat(cardsAt(until)).hasSize(1);
  }

  /**
   * An outcome time further ahead than the allowed skew, by a millisecond: 400 naming the
   * entry's outcome time; none of the request's entries is kept, the card keeps interrupting.
   */
  @Test
  void anOutcomeTimeBeyondTheAllowedSkewIsRefusedWithItsPath() throws Exception {
    String uuid = cardsAt(T0).get(0).path("uuid").asText();
    Instant received = T0.plusSeconds(120);
    Instant tooFar = received.plus(CdsHooksServer.DEFAULT_FEEDBACK_CLOCK_SKEW).plusMillis(1);
    HttpResponse<String> refused = override(uuid, "snooze-7d", tooFar, received);
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode problem = JSON.readTree(refused.body());
    assertThat(problem.path("path").asText()).isEqualTo("$.feedback[0].outcomeTimestamp");
    assertThat(refused.body()).contains("60001 ms ahead", "at most 60000 ms");
    // Two entries, the second too far ahead: the first is not kept either.
    clock.now.set(received);
    HttpResponse<String> both = post("/cds-services/" + SERVICE + "/feedback", """
        {"feedback": [
          {"card": "%1$s", "outcome": "overridden", "outcomeTimestamp": "%2$s"},
          {"card": "%1$s", "outcome": "overridden", "outcomeTimestamp": "%3$s"}]}"""
        .formatted(uuid, received, tooFar));
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(both.body()).path("path").asText())
        .isEqualTo("$.feedback[1].outcomeTimestamp");
    String patient = AuditRecord.patientHash(request.patientId(), KEY);
    assertThat(store.between(T0, T0.plus(Duration.ofDays(1)))).isEmpty();
    assertThat(store.activeSnoozes(patient, tooFar)).isEmpty();
    assertThat(store.latestAcknowledgements(patient, tooFar)).isEmpty();
    assertThat(cardsAt(received).get(0).path("indicator").asText()).isEqualTo("warning");
  }

  /**
   * Feedback sent late is taken, and its snooze still ends the snoozed period after the
   * clinician acted: one that arrives after its period has no effect, one that arrives within
   * it withholds the card for what remains.
   */
  @Test
  void lateFeedbackIsTakenAndItsSnoozeEndsItsPeriodAfterTheClinicianActed() throws Exception {
    String uuid = cardsAt(T0).get(0).path("uuid").asText();
    String patient = AuditRecord.patientHash(request.patientId(), KEY);
    Instant acted = T0.plusSeconds(60);
    Instant received = acted.plus(Duration.ofDays(8));
    assertThat(override(uuid, "snooze-7d", acted, received).statusCode()).isEqualTo(200);
    assertThat(store.between(T0, received)).extracting(
        io.github.cdsengine.governance.FeedbackEvent::outcomeTime).containsExactly(acted);
    assertThat(store.activeSnoozes(patient, acted))
        .containsExactly(new Snooze(RECOMMENDATION, acted, acted.plus(Duration.ofDays(7))));
    assertThat(store.activeSnoozes(patient, received)).isEmpty();
    assertThat(cardsAt(received).get(0).path("indicator").asText()).isEqualTo("warning");

    Instant actedWithin = received.minus(Duration.ofDays(3));
    assertThat(override(uuid, "snooze-7d", actedWithin, received).statusCode())
        .isEqualTo(200);
    Instant until = actedWithin.plus(Duration.ofDays(7));
    assertThat(store.activeSnoozes(patient, received))
        .containsExactly(new Snooze(RECOMMENDATION, actedWithin, until));
    assertThat(cardsAt(received)).isEmpty();
    assertThat(cardsAt(until.minusMillis(1))).isEmpty();
    assertThat(cardsAt(until)).hasSize(1);
  }

  @Test
  void withTheBudgetOffAnAcknowledgedCardKeepsItsSeverity() throws Exception {
    server.close();
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(
            List.of(ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016)),
            p -> CdsEngine.builder().addRulePack(p)
                .addValueSets(conformance.resolve("vocabulary/valueset")).build(),
            null, ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .feedback(feedback)
        .clock(clock, ZoneId.of("UTC"))
        .interruptiveBudget(InterruptiveBudget.OFF)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
    JsonNode card = cardsAt(T0).get(0);
    assertThat(override(card.path("uuid").asText(), "patient-declined", T0).statusCode())
        .isEqualTo(200);
    assertThat(cardsAt(T0.plusSeconds(60)).get(0).path("indicator").asText())
        .isEqualTo("warning");
  }

  @Test
  void theCommandLineSetsTheBudgetAndRefusesNegativeValues() {
    assertThat(ServiceMain.interruptiveBudget(2, 24, false))
        .isEqualTo(CdsHooksServer.DEFAULT_INTERRUPTIVE_BUDGET);
    assertThat(ServiceMain.interruptiveBudget(3, 0, false))
        .isEqualTo(InterruptiveBudget.of(3, Duration.ZERO));
    assertThat(ServiceMain.interruptiveBudget(2, 24, true)).isEqualTo(InterruptiveBudget.OFF);
    for (String[] args : List.of(new String[] {"--max-interruptive-cards", "-1"},
        new String[] {"--repeat-window-hours", "-3"})) {
      StringWriter err = new StringWriter();
      List<String> all = new ArrayList<>(List.of("--allow-unauthenticated", "--feedback-store",
          folder.resolve("cli-store").toString(), "--feedback-key",
          folder.resolve("cli.key").toString()));
      all.addAll(List.of(args));
      int code = ServiceMain.commandLine().setErr(new PrintWriter(err, true))
          .execute(all.toArray(String[]::new));
      assertThat(code).as(err.toString()).isEqualTo(2);
      assertThat(err.toString()).contains(args[0]).contains(args[1]);
    }
    StringWriter out = new StringWriter();
    ServiceMain.commandLine().setOut(new PrintWriter(out, true)).execute("--help");
    assertThat(out.toString()).contains("--max-interruptive-cards", "--repeat-window-hours",
        "--no-interruptive-budget", "(default: 2)", "(default: 24;");
  }
}
