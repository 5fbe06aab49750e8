package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service fetches the prefetch data a request lacks from a real FHIR server (HAPI FHIR's
 * plain server, {@link HapiFhirServer}) with the request's bearer token, or answers 412 naming
 * each template and why: no token, 401, 403, 404, 500, a slow server, a result over the page or
 * byte bound, a {@code next} link to another origin. Every CDC opioid request without its prefetch
 * gets the cards it gets with it; another patient's data on the server is left out with a warning
 * in the response; the token reaches the FHIR server as {@code Authorization: Bearer} and never
 * the service's log.
 */
class PrefetchFetchTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  static final String TOKEN = "test-token-" + UUID.randomUUID();
  /** The rec-01 request whose patient the single-request tests use. */
  static final String REC_01 =
      "requests/OpioidCDSREC01/request-example-rec-01-in-outpatient-opioid.json";
  static final String OBSERVATIONS = "observations";

  /**
   * The default pages and bytes; time enough for the test FHIR server to page 10,000 entries on
   * a busy two-core machine (HAPI takes up to a few seconds a page there).
   */
  static final FetchLimits ROOMY = new FetchLimits(FetchLimits.DEFAULT.maxPages(),
      FetchLimits.DEFAULT.maxBytes(), Duration.ofSeconds(60), Duration.ofMinutes(5));

  /**
   * One page under what the 10,000-entry search needs (it has 10 of {@value
   * HapiFhirServer#PAGE_SIZE}), and 8 MiB (the 10,000 entries are some 4 MB).
   */
  static final FetchLimits TIGHT =
      new FetchLimits(9, 8L << 20, Duration.ofSeconds(60), Duration.ofMinutes(5));

  static Path folder;
  static HapiFhirServer fhir;
  static CdsHooksServer roomy;
  static CdsHooksServer tight;
  /** The default limits: 3 s a request. */
  static CdsHooksServer impatient;

  @BeforeAll
  static void start() throws Exception {
    folder = Conformance.directory("opioid-cds");
    fhir = new HapiFhirServer();
    fhir.acceptToken(TOKEN);
    roomy = server(ROOMY);
    tight = server(TIGHT);
    impatient = server(FetchLimits.DEFAULT);
    for (CdsHooksServer server : List.of(roomy, tight, impatient)) {
      assertThat(server.awaitReady(Duration.ofMinutes(3))).isTrue();
    }
  }

  static CdsHooksServer server(FetchLimits fetch) {
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    return CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(pack), p -> CdsEngine.builder()
            .addRulePack(p).addValueSets(folder.resolve("vocabulary/valueset")).build(), null,
            ServiceMain::cards))
        .authenticator(ClientAuthenticator.development())
        .clock(Clock.fixed(CdsHooksServerTest.CLOCK, ZoneOffset.UTC), ZoneId.of("UTC"))
        .limits(new CdsHooksServer.Limits(5_000_000, 64, Duration.ofSeconds(30),
            Duration.ofSeconds(5), fetch))
        .fhirServer(fhir.base())
        .build().start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {roomy, tight, impatient, fhir}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  static HttpResponse<String> post(CdsHooksServer server, String service, JsonNode body)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/cds-services/" + service)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static ObjectNode request(String file) throws Exception {
    return (ObjectNode) JSON.readTree(folder.resolve(file).toFile());
  }

  /** The request without its prefetch, naming the test FHIR server and giving a token. */
  static ObjectNode fetching(ObjectNode request, String token) {
    ObjectNode copy = request.deepCopy();
    copy.remove("prefetch");
    copy.put("fhirServer", fhir.base());
    copy.putObject("fhirAuthorization").put("access_token", token).put("token_type", "Bearer")
        .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "cds-service");
    return copy;
  }

  /** The rec-01 request's data on the FHIR server; the request without it, with the token. */
  static ObjectNode rec01OnTheServer() throws Exception {
    ObjectNode request = request(REC_01);
    fhir.reset(request.path("prefetch"));
    return fetching(request, TOKEN);
  }

  static JsonNode body(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** The 412 answer's templates, by key: each entry's outcome. */
  static Map<String, String> missing(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(412);
    Map<String, String> outcomes = new java.util.LinkedHashMap<>();
    body(response).path("missing").forEach(m -> outcomes.put(m.path("key").asText(),
        m.path("outcome").asText()));
    return outcomes;
  }

  static List<String> warnings(HttpResponse<String> response) throws Exception {
    List<String> messages = new ArrayList<>();
    body(response).path("extension").path(CdsHooksResponse.WARNINGS_EXTENSION)
        .forEach(w -> messages.add(w.path("resourceType").asText() + "/" + w.path("id").asText()
            + ": " + w.path("message").asText()));
    return messages;
  }

  static double fetches(CdsHooksServer server, String outcome) {
    return server.registry().find("cds.prefetch.fetches").tag("outcome", outcome).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void everyOpioidRequestWithoutItsPrefetchGetsTheSameCardsFromTheFhirServer() throws Exception {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("expected.tsv"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split("\t", -1);
        rows.add(new String[] {f[0], f[2].isEmpty() ? CdsHooksServerTest.SERVICE_OF_FOLDER
            .get(f[0].split("/")[1] + " " + f[1]) : f[2]});
      }
    }
    assertThat(rows).hasSizeGreaterThanOrEqualTo(32);
    double fetchedBefore = fetches(roomy, "fetched");
    int withCards = 0;
    for (String[] row : rows) {
      ObjectNode original = request(row[0]);
      fhir.reset(original.path("prefetch"));
      HttpResponse<String> prefetched = post(roomy, row[1], original);
      HttpResponse<String> fetched = post(roomy, row[1], fetching(original, TOKEN));
      assertThat(prefetched.statusCode()).as(row[0] + ": " + prefetched.body()).isEqualTo(200);
      assertThat(fetched.statusCode()).as(row[0] + ": " + fetched.body()).isEqualTo(200);
      assertThat(body(fetched).path("cards")).as(row[0])
          .isEqualTo(body(prefetched).path("cards"));
      withCards += body(fetched).path("cards").isEmpty() ? 0 : 1;
      // Each of the service's 12 templates was asked for, with the token, from fhirServer.
      assertThat(fhir.received()).as(row[0]).hasSize(12)
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
      assertThat(warnings(fetched)).as(row[0])
          .noneMatch(w -> w.contains("prefetch holds none of this service's"))
          .noneMatch(w -> w.contains("has no Patient resource"));
    }
    assertThat(withCards).isGreaterThanOrEqualTo(10);
    assertThat(fetches(roomy, "fetched") - fetchedBefore).isEqualTo(12.0 * rows.size());
  }

  @Test
  void aRequestPrefetchedAgainstAnotherDiscoveryIsReadAsItIsWithAWarning() throws Exception {
    fhir.reset(null);
    HttpResponse<String> response = post(roomy, "opioidcds-01", request(REC_01));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(warnings(response)).anyMatch(w -> w.contains("prefetch holds none of this "
        + "service's prefetch keys (patient, conditions, medicationRequests, observations, "
        + "procedures and 7 more), only others (item1, item2"));
    assertThat(fhir.received()).isEmpty();
  }

  @Test
  void withoutFhirAuthorizationEveryMissingTemplateIs412() throws Exception {
    ObjectNode request = rec01OnTheServer();
    request.remove("fhirAuthorization");
    HttpResponse<String> response = post(roomy, "opioidcds-01", request);
    Map<String, String> missing = missing(response);
    assertThat(missing).hasSize(12).containsEntry("patient", "no-access")
        .containsEntry("medicationRequests", "no-access");
    JsonNode first = body(response).path("missing").get(0);
    assertThat(first.path("template").asText()).isEqualTo("Patient/{{context.patientId}}");
    assertThat(first.path("prefetch").asText()).isEqualTo("absent");
    assertThat(first.path("reason").asText()).contains("no fhirAuthorization");
    assertThat(body(response).path("error").asText()).isNotEmpty();

    request.remove("fhirServer");
    assertThat(body(post(roomy, "opioidcds-01", request)).path("missing").get(0).path("reason")
        .asText()).contains("neither fhirServer nor fhirAuthorization");
    request.put("fhirServer", "ftp://127.0.0.1/fhir");
    request.putObject("fhirAuthorization").put("access_token", TOKEN)
        .put("token_type", "Bearer");
    assertThat(body(post(roomy, "opioidcds-01", request)).path("missing").get(0).path("reason")
        .asText()).contains("not an http or https URL");
    assertThat(fhir.received()).isEmpty();
  }

  @Test
  void aFhirServerNotOnTheListIsNeverCalled() throws Exception {
    fhir.reset(null);
    ObjectNode request = rec01OnTheServer();
    // The same server under another name the list does not hold: localhost for 127.0.0.1.
    request.put("fhirServer", fhir.base().replace("127.0.0.1", "localhost"));
    HttpResponse<String> response = post(roomy, "opioidcds-01", request);
    assertThat(response.statusCode()).isEqualTo(412);
    assertThat(missing(response)).hasSize(12).containsEntry("patient", "no-access");
    assertThat(body(response).path("missing").get(0).path("reason").asText())
        .contains("not one this service may fetch from");
    assertThat(fhir.received()).isEmpty();
    // A URL merely starting with the listed one's text is another server.
    request.put("fhirServer", fhir.base() + "-other");
    assertThat(post(roomy, "opioidcds-01", request).statusCode()).isEqualTo(412);
    assertThat(fhir.received()).isEmpty();
  }

  @Test
  void aPartOfThePrefetchIsKeptAndOnlyTheRestFetched() throws Exception {
    ObjectNode request = rec01OnTheServer();
    JsonNode patient = request(REC_01).path("prefetch").path("item1");
    request.putObject("prefetch").putNull("conditions").set("patient", patient);
    HttpResponse<String> response = post(roomy, "opioidcds-01", request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(fhir.received()).hasSize(10)
        .noneMatch(r -> r.target().contains("/Patient") || r.target().contains("/Condition"));
  }

  @Test
  void aTokenTheFhirServerRefusesIs412() throws Exception {
    ObjectNode request = rec01OnTheServer();
    HttpResponse<String> response = post(roomy, "opioidcds-01", fetching(request(REC_01),
        "another-token"));
    assertThat(missing(response)).hasSize(12).containsValue("unauthorized");
    assertThat(body(response).path("missing").get(0).path("reason").asText())
        .contains("HTTP 401");
    assertThat(request.path("fhirAuthorization").path("access_token").asText())
        .as("the request the server would accept").isEqualTo(TOKEN);
  }

  @Test
  void aForbiddenQueryIs412() throws Exception {
    ObjectNode request = rec01OnTheServer();
    fhir.fail("Condition", 403);
    assertThat(missing(post(roomy, "opioidcds-01", request)))
        .isEqualTo(Map.of("conditions", "forbidden"));
  }

  @Test
  void aPatientTheFhirServerDoesNotHaveIs412() throws Exception {
    ObjectNode request = rec01OnTheServer();
    fhir.reset(null);
    assertThat(missing(post(roomy, "opioidcds-01", request)))
        .isEqualTo(Map.of("patient", "not-found"));
  }

  @Test
  void aFailingFhirServerIs412() throws Exception {
    ObjectNode request = rec01OnTheServer();
    fhir.fail("Observation", 500);
    HttpResponse<String> response = post(roomy, "opioidcds-01", request);
    assertThat(missing(response)).isEqualTo(Map.of(OBSERVATIONS, "server-error"));
    assertThat(body(response).path("missing").get(0).path("reason").asText())
        .contains("HTTP 500");
    assertThat(fetches(roomy, "server-error")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aSlowFhirServerIs412WithinTheTimeout() throws Exception {
    ObjectNode request = rec01OnTheServer();
    fhir.slow("Observation", Duration.ofSeconds(20));
    long start = System.nanoTime();
    HttpResponse<String> response = post(impatient, "opioidcds-01", request);
    long millis = (System.nanoTime() - start) / 1_000_000;
    // On a busy machine another template may time out too; the slow one always does.
    assertThat(missing(response)).containsEntry(OBSERVATIONS, "timeout")
        .allSatisfy((key, outcome) -> assertThat(outcome).isEqualTo("timeout"));
    assertThat(millis).as("answered at the 3 s request timeout, not the server's 20 s")
        .isLessThan(12_000);
    assertThat(fetches(impatient, "timeout")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void tenThousandEntriesArePagedWithinTheBoundsAndRefusedPastThem() throws Exception {
    ObjectNode request = rec01OnTheServer();
    HttpResponse<String> without = post(roomy, "opioidcds-01", request);
    String patient = request.path("context").path("patientId").asText().substring(8);
    for (int i = 0; i < 10_000; i++) {
      fhir.add(observation("filler-" + i, patient, null));
    }
    fhir.forget();
    HttpResponse<String> paged = post(roomy, "opioidcds-01", request);
    assertThat(paged.statusCode()).as(paged.body()).isEqualTo(200);
    assertThat(body(paged).path("cards")).isEqualTo(body(without).path("cards"));
    List<HapiFhirServer.Received> pages = fhir.received().stream()
        .filter(r -> r.target().contains("/Observation") || r.target().contains("_getpages"))
        .toList();
    assertThat(pages).hasSize(10_000 / HapiFhirServer.PAGE_SIZE)
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));

    // One page more than the tight bound allows: refused, the pages past it never asked for.
    fhir.reset(request(REC_01).path("prefetch"));
    for (int i = 0; i < 10_000; i++) {
      fhir.add(observation("filler-" + i, patient, null));
    }
    HttpResponse<String> refused = post(tight, "opioidcds-01", request);
    assertThat(missing(refused)).isEqualTo(Map.of(OBSERVATIONS, "too-large"));
    assertThat(body(refused).path("missing").get(0).path("reason").asText())
        .contains("more than 9 pages");
    assertThat(fhir.received().stream().filter(r -> r.target().contains("_getpages")))
        .hasSize(8);
  }

  @Test
  void answersOverTheByteBoundAreRefused() throws Exception {
    ObjectNode request = rec01OnTheServer();
    String patient = request.path("context").path("patientId").asText().substring(8);
    // 900 resources of about 10 kB: one page, over the tight 8 MiB but under the default 16.
    for (int i = 0; i < 900; i++) {
      fhir.add(observation("large-" + i, patient, "x".repeat(10_000)));
    }
    HttpResponse<String> refused = post(tight, "opioidcds-01", request);
    assertThat(missing(refused)).isEqualTo(Map.of(OBSERVATIONS, "too-large"));
    assertThat(body(refused).path("missing").get(0).path("reason").asText())
        .contains("over " + (8L << 20) + " bytes");
    assertThat(post(roomy, "opioidcds-01", request).statusCode()).isEqualTo(200);
  }

  @Test
  void aNextLinkToAnotherOriginIsNotFollowed() throws Exception {
    ObjectNode request = rec01OnTheServer();
    String patient = request.path("context").path("patientId").asText().substring(8);
    for (int i = 0; i < HapiFhirServer.PAGE_SIZE + 1; i++) {
      fhir.add(observation("filler-" + i, patient, null));
    }
    fhir.linksTo(fhir.otherOrigin());
    HttpResponse<String> response = post(roomy, "opioidcds-01", request);
    assertThat(missing(response)).isEqualTo(Map.of(OBSERVATIONS, "foreign-link"));
    assertThat(fhir.received()).isNotEmpty()
        .noneMatch(r -> r.port() == fhir.otherPort());
  }

  @Test
  void anotherPatientsDataOnTheFhirServerIsLeftOutWithAWarning() throws Exception {
    // rec-05 below 50 MME shows no card; another patient's high-dose opioid order, if it were
    // read as this patient's, would take the total over 50 and show one.
    String file = "requests/OpioidCDSREC05/request-example-rec-05-mme-less-than-fifty.json";
    ObjectNode original = request(file);
    fhir.reset(original.path("prefetch"));
    ObjectNode request = fetching(original, TOKEN);
    HttpResponse<String> alone = post(roomy, "opioidcds-05", request);
    assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);

    ObjectNode order = request(
        "requests/OpioidCDSREC05/request-example-rec-05-mme-greater-than-fifty.json")
        .path("context").path("draftOrders").path("entry").get(0).path("resource").deepCopy();
    order.put("id", "another-patients-order");
    ((ObjectNode) order.get("subject")).put("reference", "Patient/another-patient");
    order.remove("encounter");
    fhir.leak(order);
    HttpResponse<String> leaked = post(roomy, "opioidcds-05", request);
    assertThat(leaked.statusCode()).as(leaked.body()).isEqualTo(200);
    assertThat(body(leaked).path("cards")).isEqualTo(body(alone).path("cards"));
    assertThat(warnings(leaked)).anyMatch(w -> w.startsWith(
        "MedicationRequest/another-patients-order: prefetched under 'medicationRequests'")
        && w.contains("names a patient other than the request's; it was left out"));

    // The same order as this patient's would change the answer: leaving it out mattered.
    fhir.reset(original.path("prefetch"));
    ((ObjectNode) order.get("subject")).put("reference",
        original.path("context").path("patientId").asText());
    fhir.add(order);
    HttpResponse<String> merged = post(roomy, "opioidcds-05", request);
    assertThat(body(merged).path("cards")).isNotEqualTo(body(alone).path("cards"));
  }

  @Test
  void theTokenGoesToTheFhirServerAsABearerHeaderAndNeverToTheLog() throws Exception {
    ObjectNode request = rec01OnTheServer();
    String token = "secret-" + UUID.randomUUID();
    fhir.acceptToken(token);
    List<HttpResponse<String>> responses = new ArrayList<>();
    List<ILoggingEvent> events;
    TraceLogs logs = TraceLogs.start();
    try {
      responses.add(post(roomy, "opioidcds-01", fetching(request(REC_01), token)));
      fhir.fail("Observation", 500);
      responses.add(post(roomy, "opioidcds-01", fetching(request(REC_01), token)));
      responses.add(post(roomy, "opioidcds-01", fetching(request(REC_01), token + "x")));
    } finally {
      logs.close();
      events = logs.events();
      fhir.acceptToken(TOKEN);
    }
    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 412, 412);
    assertThat(fhir.received()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization())
        .startsWith("Bearer " + token));
    // The service's log: every event but the test FHIR server's own (it logs what it receives).
    List<String> log = events.stream()
        .filter(e -> !e.getThreadName().startsWith(HapiFhirServer.THREADS))
        .map(e -> e.getThreadName() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
            + " " + e.getMDCPropertyMap() + (e.getThrowableProxy() == null ? ""
                : " " + e.getThrowableProxy().getMessage()))
        .toList();
    assertThat(log).as("the service must log at TRACE for the test to mean anything")
        .anyMatch(line -> line.contains("io.github.cdsengine.hooks.service.access"));
    assertThat(log.stream().filter(line -> line.contains(token)
        || line.contains(fhir.base() + "/")).limit(5)).isEmpty();
    assertThat(responses).allSatisfy(r -> assertThat(r.body()).doesNotContain(token));
  }

  @Test
  void discoveryTellsClientsToPrefetchOrGiveAToken() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + roomy.port() + "/cds-services")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(body(response).path("services")).isNotEmpty().allSatisfy(s -> assertThat(
        s.path("usageRequirements").asText()).isEqualTo(ServiceCatalog.USAGE_REQUIREMENTS));
  }

  /** A final Observation of the patient that no rule reads, with a note of that many characters. */
  static JsonNode observation(String id, String patient, String note) {
    ObjectNode observation = JSON.createObjectNode().put("resourceType", "Observation")
        .put("id", id).put("status", "final");
    observation.putObject("code").putArray("coding").addObject()
        .put("system", "http://loinc.org").put("code", "8867-4").put("display", "Heart rate");
    observation.putObject("subject").put("reference", "Patient/" + patient);
    observation.put("effectiveDateTime", "2022-12-01T10:00:00Z");
    observation.putObject("valueQuantity").put("value", 72).put("unit", "/min")
        .put("system", "http://unitsofmeasure.org").put("code", "/min");
    if (note != null) {
      observation.putArray("note").addObject().put("text", note);
    }
    return observation;
  }
}
