package io.github.cdsengine.hooks.service;

import static io.github.cdsengine.hooks.service.ClientTokens.claims;
import static io.github.cdsengine.hooks.service.ClientTokens.header;
import static io.github.cdsengine.hooks.service.ClientTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.testing.TestRules;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Client authentication over HTTP (CDS Hooks 2.0, "Trusting CDS Clients"): a server whose one
 * trusted client publishes its keys at an HTTPS JWK Set endpoint. A good token is let in; every
 * bad one is answered 401 with a JSON error that says why, and nothing is evaluated.
 */
class ClientAuthenticationTest {

  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final String ISSUER = "https://ehr.example.org";
  static final String JWKS_PATH = "/ehr/jwks.json";
  static final String SERVICE = "/cds-services/" + ServiceCatalog.LOOSE_RULES_SERVICE;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  /** A patient-view request with the patient and every other template "no data" (null). */
  static final String REQUEST = """
      {"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "hook": "patient-view",
       "context": {"userId": "Practitioner/1", "patientId": "p1"},
       "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "female",
         "birthDate": "1970-01-01"}%s}}
      """.formatted(io.github.cdsengine.core.hooks.CdsServices.PREFETCH.keySet().stream()
          .filter(key -> !key.equals("patient")).map(key -> ", \"" + key + "\": null")
          .collect(java.util.stream.Collectors.joining()));

  static final RSAKey RSA = ClientTokens.rsa("rsa-1");
  static final ECKey EC = ClientTokens.ec("ec-1");
  /** A key of the client's that its JWK Set does not hold. */
  static final ECKey UNPUBLISHED = ClientTokens.ec("not-in-the-set");

  @TempDir
  static Path tls;
  static JwksEndpoint jwks;
  static CdsHooksServer server;
  static final AtomicInteger FEEDBACK = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    jwks = JwksEndpoint.start(tls);
    jwks.serve(JWKS_PATH, ClientTokens.jwks(RSA, EC));
    CdsEngine engine = CdsEngine.builder().addRules(TestRules.file("everyone.drl",
        TestRules.recommending("Every patient", "every-patient", "USPSTF:A", "screening",
            "info", "    Patient()", "shown for every patient"))).build();
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(), p -> null, engine, ServiceMain::cards))
        .authenticator(JwtClientAuthenticator.builder()
            .trustIssuer(ISSUER, jwks.url(JWKS_PATH))
            .sslContext(jwks.trust())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build())
        .feedback((service, entry) -> FEEDBACK.incrementAndGet())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("UTC"))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (jwks != null) {
      jwks.close();
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** A good token's claims for a call of the service. */
  static JWTClaimsSet.Builder call() {
    return claims(ISSUER, url(SERVICE), NOW);
  }

  static HttpResponse<String> post(String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> callWith(String token) throws Exception {
    return post(SERVICE, "Bearer " + token, REQUEST);
  }

  /** Service calls evaluated so far. */
  static long evaluations() {
    return server.registry().find("cds.calls").timers().stream().mapToLong(Timer::count).sum();
  }

  /** Calls the service with this Authorization header; expects a 401 saying {@code why}. */
  static void assertRefused(String authorization, String why) throws Exception {
    long before = evaluations();
    HttpResponse<String> response = post(SERVICE, authorization, REQUEST);
    assertUnauthorized(response, why);
    if (authorization != null && authorization.length() > 20) {
      assertThat(response.body()).doesNotContain(authorization.substring(7));
    }
    assertThat(evaluations()).as("evaluations").isEqualTo(before);
  }

  static void assertUnauthorized(HttpResponse<String> response, String why) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("error").asText()).startsWith("unauthenticated: ").contains(why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS384", "ES384"})
  void aTokenSignedByATrustedClientIsLetIn(String alg) throws Exception {
    long before = evaluations();
    JWK key = alg.equals("RS384") ? RSA : EC;
    HttpResponse<String> response = callWith(sign(key, call().build()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("cards")).hasSize(1);
    assertThat(evaluations()).isEqualTo(before + 1);
  }

  @Test
  void anAudienceArrayHoldingTheServiceUrlIsLetIn() throws Exception {
    HttpResponse<String> response = callWith(sign(EC, call()
        .audience(List.of("https://other.example.org/cds-services", url(SERVICE))).build()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void aMissingHeaderIsRefused() throws Exception {
    assertRefused(null, "missing Authorization header");
  }

  @Test
  void anotherSchemeOrNoJwtIsRefused() throws Exception {
    assertRefused("Basic ZWhyOnNlY3JldA==", "not a Bearer token");
    assertRefused("Bearer not-a-jwt", "malformed token");
    assertRefused("Bearer " + sign(EC, call().build()).substring(5), "malformed token");
  }

  @Test
  void aRefusedCallHasItsAccessLogLineAndIsCountedByRouteAndStatus() throws Exception {
    // One access line per request, refusals included: they are what an attack looks like.
    Logger access = (Logger) LoggerFactory.getLogger("io.github.cdsengine.hooks.service.access");
    Level level = access.getLevel();
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    access.setLevel(Level.INFO);
    try {
      assertRefused(null, "missing Authorization header");
      ServerConnectionTest.eventually(() -> assertThat(logged(lines))
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).startsWith("POST call ").contains("status=401")));
    } finally {
      access.detachAppender(lines);
      access.setLevel(level);
    }
    assertThat(server.registry().find("cds.http.requests").tag("route", "call")
        .tag("status", "401").timer()).isNotNull();
  }

  @Test
  void noClientTokenIsLoggedWithEveryLoggerAtTrace() throws Exception {
    // Jetty's HTTP parser echoes every header it parses at DEBUG, Authorization included. A
    // token refused here (another URL's audience) is still good where it was meant to go.
    String accepted = sign(EC, call().build());
    String refused = sign(RSA, call().audience("https://cds.example.org" + SERVICE).build());
    List<ILoggingEvent> events;
    try (TraceLogs logs = TraceLogs.start()) {
      assertThat(callWith(accepted).statusCode()).isEqualTo(200);
      assertThat(callWith(refused).statusCode()).isEqualTo(401);
      ServerConnectionTest.eventually(() -> assertThat(logs.events())
          .extracting(ILoggingEvent::getLoggerName).contains(
              "io.github.cdsengine.hooks.service.access"));
      events = logs.events();
    }
    String log = events.stream().map(e -> e.getLoggerName() + " "
        + e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
            : " " + e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
    assertThat(log).as("Jetty must log at TRACE for the test to mean anything")
        .contains("org.eclipse.jetty");
    for (String token : List.of(accepted, refused)) {
      // Its signature, and its claims, which a log line could carry without the rest.
      String[] parts = token.split("\\.");
      assertThat(log).doesNotContain(parts[2]).doesNotContain(parts[1]);
    }
  }

  /** What {@code appender} holds now; it appends under its own lock. */
  static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  @Test
  void aTokenInTheQueryStringIsRefused() throws Exception {
    long before = evaluations();
    String token = sign(EC, call().build());
    HttpResponse<String> response = post(SERVICE + "?access_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8), null, REQUEST);
    assertUnauthorized(response, "query string");
    assertThat(response.body()).doesNotContain(token);
    assertThat(evaluations()).isEqualTo(before);
  }

  @ParameterizedTest(name = "exp {0} s from now: {1}")
  @CsvSource({"-61, 401", "-60, 200", "0, 200", "1, 200"})
  void anExpiredTokenIsRefusedPastTheClockSkew(long expFromNow, int status) throws Exception {
    Instant exp = NOW.plusSeconds(expFromNow);
    String token = sign(RSA, call().issueTime(Date.from(exp.minusSeconds(120)))
        .expirationTime(Date.from(exp)).build());
    if (status == 401) {
      assertRefused("Bearer " + token, "expired");
    } else {
      assertThat(callWith(token).statusCode()).isEqualTo(status);
    }
  }

  @ParameterizedTest(name = "iat {0} s from now: {1}")
  @CsvSource({"61, 401", "60, 200"})
  void aTokenIssuedInTheFutureIsRefusedPastTheClockSkew(long iatFromNow, int status)
      throws Exception {
    Instant iat = NOW.plusSeconds(iatFromNow);
    String token = sign(EC, call().issueTime(Date.from(iat))
        .expirationTime(Date.from(iat.plusSeconds(300))).build());
    if (status == 401) {
      assertRefused("Bearer " + token, "not yet valid: iat");
    } else {
      assertThat(callWith(token).statusCode()).isEqualTo(status);
    }
  }

  @Test
  void aTokenNotValidBeforeALaterTimeIsRefused() throws Exception {
    assertRefused("Bearer " + sign(EC, call().notBeforeTime(Date.from(NOW.plusSeconds(61)))
        .build()), "not yet valid: nbf");
  }

  @ParameterizedTest(name = "lifetime {0} s: {1}")
  @CsvSource({"301, 401", "300, 200"})
  void aTokenLivesAtMostFiveMinutes(long lifetime, int status) throws Exception {
    String token = sign(RSA, call().expirationTime(Date.from(NOW.plusSeconds(lifetime)))
        .build());
    if (status == 401) {
      assertRefused("Bearer " + token, "lifetime too long");
    } else {
      assertThat(callWith(token).statusCode()).isEqualTo(status);
    }
  }

  @Test
  void aTokenForAnotherUrlIsRefused() throws Exception {
    assertRefused("Bearer " + sign(EC, call().audience("https://cds.example.org" + SERVICE)
        .build()), "wrong audience");
    // A token for discovery does not open a service call.
    assertRefused("Bearer " + sign(EC, call().audience(url("/cds-services")).build()),
        "wrong audience");
  }

  @Test
  void anUnknownIssuerIsRefused() throws Exception {
    assertRefused("Bearer " + sign(EC, claims("https://stranger.example.org", url(SERVICE), NOW)
        .build()), "unknown issuer 'https://stranger.example.org'");
  }

  @Test
  void aKeyIdNotInTheIssuersSetIsRefused() throws Exception {
    assertRefused("Bearer " + sign(UNPUBLISHED, call().build()), "unknown kid 'not-in-the-set'");
  }

  @Test
  void aKeyOfTheSetUsedWithAnotherAlgorithmIsRefused() throws Exception {
    // Signed by the EC key, but naming the RSA key: the RSA key cannot verify ES384.
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(RSA.getKeyID()).build();
    assertRefused("Bearer " + sign(EC, header, call().build()), "alg not allowed");
  }

  @Test
  void aReplayedTokenIsRefused() throws Exception {
    String token = sign(EC, call().build());
    assertThat(callWith(token).statusCode()).isEqualTo(200);
    assertRefused("Bearer " + token, "replayed jti");
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "iat", "jti", "aud", "iss"})
  void aTokenWithoutARequiredClaimIsRefused(String claim) throws Exception {
    JWTClaimsSet.Builder claims = call().claim(claim, null);
    assertRefused("Bearer " + sign(RSA, claims.build()), "no " + claim + " claim");
  }

  @Test
  void anUnsignedTokenIsRefused() throws Exception {
    String unsigned = new PlainJWT(call().build()).serialize();
    assertThat(unsigned).startsWith("eyJhbGciOiJub25lIn0.");
    assertRefused("Bearer " + unsigned, "alg not allowed: none");
  }

  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    // The classic confusion: HS256 with the client's public key as the shared secret.
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(RSA.getKeyID()).build(), call().build());
    forged.sign(new MACSigner(RSA.toRSAPublicKey().getEncoded()));
    assertRefused("Bearer " + forged.serialize(), "alg not allowed: 'HS256'");
  }

  @Test
  void anotherRsaAlgorithmIsRefused() throws Exception {
    SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(RSA.getKeyID()).build(), call().build());
    rs256.sign(new RSASSASigner(RSA));
    assertRefused("Bearer " + rs256.serialize(), "alg not allowed: 'RS256'");
  }

  @Test
  void aTamperedPayloadIsRefused() throws Exception {
    String[] parts = sign(EC, call().build()).split("\\.");
    String other = Base64URL.encode(call().subject("admin").build().toString()).toString();
    assertRefused("Bearer " + parts[0] + "." + other + "." + parts[2], "bad signature");
  }

  @Test
  void aSignatureByAnotherKeyUnderAPublishedKidIsRefused() throws Exception {
    ECKey impostor = new ECKey.Builder(ClientTokens.ec("x")).keyID(EC.getKeyID()).build();
    assertRefused("Bearer " + sign(impostor, call().build()), "bad signature");
  }

  @Test
  void aJkuHeaderMustBeTheConfiguredJwkSetUrl() throws Exception {
    String attacker = "https://attacker.example.org/jwks.json";
    assertRefused("Bearer " + sign(EC, header(EC).jwkURL(URI.create(attacker)).build(),
        call().build()), "jku does not match");
    HttpResponse<String> same = callWith(sign(EC, header(EC).jwkURL(jwks.url(JWKS_PATH))
        .build(), call().build()));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
  }

  @Test
  void anotherTypIsRefused() throws Exception {
    assertRefused("Bearer " + sign(EC, header(EC).type(new JOSEObjectType("at+jwt")).build(),
        call().build()), "typ 'at+jwt' is not JWT");
  }

  @Test
  void discoveryAndFeedbackNeedATokenToo() throws Exception {
    HttpResponse<String> discovery = HTTP.send(HttpRequest.newBuilder(
        URI.create(url("/cds-services"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertUnauthorized(discovery, "missing Authorization header");
    HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(
        URI.create(url("/cds-services"))).header("Authorization", "Bearer "
            + sign(RSA, claims(ISSUER, url("/cds-services"), NOW).build())).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);

    String feedback = """
        {"feedback": [{"card": "abc", "outcome": "overridden",
          "outcomeTimestamp": "2025-03-01T12:00:00Z"}]}""";
    String path = SERVICE + "/feedback";
    assertUnauthorized(post(path, "Bearer " + sign(EC, call().build()), feedback),
        "wrong audience");
    assertThat(FEEDBACK.get()).isZero();
    HttpResponse<String> accepted = post(path, "Bearer "
        + sign(EC, claims(ISSUER, url(path), NOW).build()), feedback);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(FEEDBACK.get()).isEqualTo(1);
  }

  @Test
  void theJwkSetIsFetchedOnceForManyRequests() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(callWith(sign(i % 2 == 0 ? RSA : EC, call().build())).statusCode())
          .isEqualTo(200);
    }
    assertRefused("Bearer " + sign(UNPUBLISHED, call().build()), "unknown kid");
    // The clock stands still: the cached set never goes stale, and an unknown kid may not
    // trigger a second fetch within the minimum interval after the first.
    assertThat(jwks.fetches(JWKS_PATH)).isEqualTo(1);
  }

  @Test
  void healthSaysAuthenticationIsRequired() throws Exception {
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(url("/health")))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(health.body()).path("authentication").asText())
        .isEqualTo("required");
  }
}
