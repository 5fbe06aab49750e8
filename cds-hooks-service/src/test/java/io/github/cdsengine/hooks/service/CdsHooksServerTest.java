package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service over HTTP with the CDC opioid pack: every request of {@code opioid-cds} POSTed to a
 * running server gets the cards {@code expected.tsv} gives, byte for byte the library's answer,
 * and the service's refusals (404, 400 with a JSON path, 413, 503 while starting) and feedback.
 */
class CdsHooksServerTest {

  static final Instant CLOCK = Instant.parse("2022-12-13T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** Services for rows that do not name one, as the library's conformance test maps them. */
  static final Map<String, String> SERVICE_OF_FOLDER = Map.of(
      "OpioidCDSREC08 order-sign", "opioidcds-08-order-sign",
      "OpioidCDSREC08 order-select", "opioidcds-08",
      "OpioidCDSREC10 order-sign", "opioidcds-10-order-sign",
      "OpioidCDSREC10 order-select", "opioidcds-10");

  static Path folder;
  static RulePack pack;
  static CdsEngine library;
  static CdsHooksServer server;
  static final List<Feedback> RECEIVED = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws InterruptedException {
    folder = Conformance.directory("opioid-cds");
    pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    library = CdsEngine.builder().addRulePack(pack)
        .addValueSets(folder.resolve("vocabulary/valueset")).build();
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(pack), p -> CdsEngine.builder()
            .addRulePack(p).addValueSets(folder.resolve("vocabulary/valueset")).build(), null,
            ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .feedback((service, entry) -> RECEIVED.add(entry))
        .clock(Clock.fixed(CLOCK, ZoneOffset.UTC), ZoneId.of("UTC"))
        // The fixed clock stands still; feedback is sent after the calls (as with --at).
        .feedbackClockSkew(null)
        .limits(new CdsHooksServer.Limits(200_000, 64, Duration.ofSeconds(30),
            Duration.ofSeconds(5)))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (library != null) {
      library.close();
    }
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  record Row(String request, String hook, String service, int cards) {}

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("expected.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String service = f[2].isEmpty()
          ? SERVICE_OF_FOLDER.get(f[0].split("/")[1] + " " + f[1]) : f[2];
      rows.add(new Row(f[0], f[1], service, Integer.parseInt(f[3])));
    }
    return rows;
  }

  @Test
  void everyOpioidRequestGetsTheLibrarysCardsOverHttp() throws Exception {
    List<Row> rows = rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(32);
    FhirReader reader = FhirReader.create();
    List<String> disagreements = new ArrayList<>();
    for (Row row : rows) {
      String body = Files.readString(folder.resolve(row.request()));
      HttpResponse<String> response = post("/cds-services/" + row.service(), body);
      assertThat(response.statusCode()).as(row.request() + ": " + response.body())
          .isEqualTo(200);
      ServiceDefinition service = pack.services().stream()
          .filter(s -> s.id().equals(row.service())).findFirst().orElseThrow();
      CdsHooksRequest request;
      try (InputStream in = Files.newInputStream(folder.resolve(row.request()))) {
        request = reader.readCdsHooksRequest(in, row.request());
      }
      EvaluationResult result = library.evaluate(request.record(),
          EvaluationContext.at(CLOCK, ZoneOffset.UTC));
      // The library's answer as that service's (card uuids keyed by the service too), with the
      // evaluation's warnings in the response's extension.
      String expected = ServiceMain.cards(pack).forService(service.id())
          .response(request, result, service)
          .withWarnings(result.warnings()).toJson();
      assertThat(withoutOtherDiscoveryWarning(JSON.readTree(response.body())))
          .as(row.request()).isEqualTo(JSON.readTree(expected));
      int cards = JSON.readTree(response.body()).path("cards").size();
      // One known deviation keeps its count; the library's conformance test checks its text.
      if (cards != row.cards()) {
        disagreements.add(row.request() + ": " + cards + " cards, expected " + row.cards());
      }
    }
    assertThat(disagreements).isEmpty();
  }

  /**
   * The service's answer without the one warning it adds of its own to these requests: their
   * prefetch keys ({@code item1}...) are another discovery document's, read as they are
   * ({@link PrefetchFetchTest} tests that). The rest is the library's answer, byte for byte.
   */
  static JsonNode withoutOtherDiscoveryWarning(JsonNode response) {
    ArrayNode warnings = (ArrayNode) response.path("extension")
        .path(CdsHooksResponse.WARNINGS_EXTENSION);
    assertThat(warnings.get(warnings.size() - 1).path("message").asText())
        .startsWith("the request's prefetch holds none of this service's prefetch keys");
    warnings.remove(warnings.size() - 1);
    if (warnings.isEmpty()) {
      ((ObjectNode) response).remove("extension");
    }
    return response;
  }

  @Test
  void discoveryListsThePacksServices() throws Exception {
    HttpResponse<String> response = get("/cds-services");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode services = JSON.readTree(response.body()).path("services");
    List<String> ids = new ArrayList<>();
    services.forEach(s -> ids.add(s.path("id").asText()));
    assertThat(ids).containsAll(pack.services().stream().map(ServiceDefinition::id).toList());
    assertThat(services.get(0).path("hook").asText()).isNotEmpty();
    assertThat(services.get(0).path("prefetch").isObject()).isTrue();
  }

  @Test
  void anUnknownServiceIs404() throws Exception {
    HttpResponse<String> response = post("/cds-services/no-such-service", "{}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).path("error").asText()).contains("no-such-service");
  }

  @Test
  void malformedJsonIs400NamingThePath() throws Exception {
    HttpResponse<String> response = post("/cds-services/opioidcds-01", "{\"hook\": ");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("path").asText()).startsWith("$");
    assertThat(body.path("error").asText()).isNotEmpty();
  }

  @Test
  void aHookTheServiceDoesNotAnswerIs400() throws Exception {
    String body = Files.readString(folder.resolve(rows().get(0).request()))
        .replace("\"order-sign\"", "\"patient-view\"");
    HttpResponse<String> response = post("/cds-services/opioidcds-01", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("path").asText()).isEqualTo("$.hook");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    HttpResponse<String> response = post("/cds-services/opioidcds-01",
        "{\"pad\": \"" + "x".repeat(300_000) + "\"}");
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void feedbackIsValidatedAndHandedToTheSink() throws Exception {
    String good = """
        {"feedback": [{"card": "abc", "outcome": "overridden",
          "overrideReason": {"reason": {"system": "urn:test", "code": "na",
            "display": "Not applicable"}, "userComment": "seen"},
          "outcomeTimestamp": "2022-12-13T10:00:00Z"},
         {"card": "def", "outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}],
          "outcomeTimestamp": "2022-12-13T10:01:00Z"}]}
        """;
    int before = RECEIVED.size();
    HttpResponse<String> response = post("/cds-services/opioidcds-01/feedback", good);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(RECEIVED.subList(before, RECEIVED.size())).extracting(Feedback::card)
        .containsExactly("abc", "def");

    String bad = """
        {"feedback": [{"card": "abc", "outcome": "accepted",
          "outcomeTimestamp": "2022-12-13T10:00:00Z"}]}
        """;
    HttpResponse<String> refused = post("/cds-services/opioidcds-01/feedback", bad);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("path").asText())
        .isEqualTo("$.feedback[0].acceptedSuggestions");
  }

  @Test
  void anOverriddenCardAcceptsNoSuggestion() throws Exception {
    // CDS Hooks 2.0: suggestions are accepted, a card as a whole is overridden; an entry
    // saying both is as contradictory as an accepted one with an override reason.
    String both = """
        {"feedback": [{"card": "abc", "outcome": "overridden",
          "acceptedSuggestions": [{"id": "s1"}],
          "outcomeTimestamp": "2022-12-13T10:00:00Z"}]}
        """;
    int before = RECEIVED.size();
    HttpResponse<String> refused = post("/cds-services/opioidcds-01/feedback", both);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("path").asText())
        .isEqualTo("$.feedback[0].acceptedSuggestions");
    assertThat(RECEIVED).hasSize(before);
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("ready").asBoolean()).isTrue();
    assertThat(body.path("authentication").asText()).contains("OFF");
    post("/cds-services/opioidcds-01", Files.readString(folder.resolve(rows().get(0).request())));
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("cds_calls_seconds_bucket", "cds_cards_total",
        "service=\"opioidcds-01\"", "cds_http_requests_seconds_count");
  }

  @Test
  void callsAre503UntilTheEnginesAreBuilt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (CdsHooksServer starting = CdsHooksServer.builder()
        .catalog(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ServiceCatalog.build(List.of(), p -> null, null, ServiceMain::cards);
        })
        .authenticator(ClientAuthenticator.development())
        .build().start("127.0.0.1", 0)) {
      URI base = URI.create("http://127.0.0.1:" + starting.port());
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(base.resolve("/health"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(health.body()).path("ready").asBoolean()).isFalse();
      HttpResponse<String> call = HTTP.send(HttpRequest.newBuilder(
          base.resolve("/cds-services/x")).POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(call.statusCode()).isEqualTo(503);
      release.countDown();
      assertThat(starting.awaitReady(Duration.ofSeconds(30))).isTrue();
      assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }
}
