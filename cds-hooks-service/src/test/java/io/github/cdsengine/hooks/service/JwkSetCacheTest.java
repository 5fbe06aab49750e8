package io.github.cdsengine.hooks.service;

import static io.github.cdsengine.hooks.service.ClientTokens.claims;
import static io.github.cdsengine.hooks.service.ClientTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.cdsengine.hooks.service.ClientAuthenticator.Unauthenticated;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of a trusted issuer's JWK Set, fetched over HTTPS: fetched once for many tokens,
 * again once its time to live is over, again at once for a new key id (the client rotated its
 * key) but not more often than the minimum interval, and used on through a short outage. A fetch
 * has a deadline, so an endpoint that stops sending cannot hold up the server's calls.
 */
class JwkSetCacheTest {

  static final String ISSUER = "https://ehr.example.org";
  static final String AUDIENCE = "https://cds.example.org/cds-services/some-service";
  static final Duration TTL = Duration.ofMinutes(10);
  static final Duration MIN_REFETCH = Duration.ofSeconds(30);

  @TempDir
  static Path tls;
  static JwksEndpoint jwks;

  /** A clock the test moves. */
  static final class TestClock extends Clock {

    private final AtomicReference<Instant> now;

    TestClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    jwks = JwksEndpoint.start(tls);
  }

  @AfterAll
  static void stop() {
    if (jwks != null) {
      jwks.close();
    }
  }

  static JwtClientAuthenticator authenticator(String path, Clock clock) {
    return JwtClientAuthenticator.builder().trustIssuer(ISSUER, jwks.url(path))
        .sslContext(jwks.trust()).clock(clock).jwkSetCache(TTL, MIN_REFETCH).build();
  }

  static ClientAuthenticator.Client authenticate(JwtClientAuthenticator authenticator,
      com.nimbusds.jose.jwk.JWK key, Instant now) throws Unauthenticated {
    return authenticator.authenticate("Bearer " + sign(key, claims(ISSUER, AUDIENCE, now)
        .build()), AUDIENCE);
  }

  @Test
  void oneFetchServesManyTokensUntilItsTimeToLiveIsOver() throws Exception {
    String path = "/ttl/jwks.json";
    ECKey key = ClientTokens.ec("ec-1");
    jwks.serve(path, ClientTokens.jwks(key));
    TestClock clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
    JwtClientAuthenticator authenticator = authenticator(path, clock);
    for (int i = 0; i < 25; i++) {
      assertThat(authenticate(authenticator, key, clock.instant()).issuer()).isEqualTo(ISSUER);
      clock.advance(Duration.ofSeconds(20));
    }
    assertThat(jwks.fetches(path)).isEqualTo(1);
    clock.advance(TTL);
    authenticate(authenticator, key, clock.instant());
    assertThat(jwks.fetches(path)).isEqualTo(2);
  }

  @Test
  void anUnknownKidFetchesTheSetAgainAtMostOncePerInterval() throws Exception {
    String path = "/rotation/jwks.json";
    RSAKey old = ClientTokens.rsa("2024");
    RSAKey rotated = ClientTokens.rsa("2025");
    ECKey never = ClientTokens.ec("never-published");
    jwks.serve(path, ClientTokens.jwks(old));
    TestClock clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
    JwtClientAuthenticator authenticator = authenticator(path, clock);
    authenticate(authenticator, old, clock.instant());
    assertThat(jwks.fetches(path)).isEqualTo(1);

    // The client rotates its key: the first token with the new kid fetches the set again.
    jwks.serve(path, ClientTokens.jwks(old, rotated));
    clock.advance(MIN_REFETCH);
    authenticate(authenticator, rotated, clock.instant());
    assertThat(jwks.fetches(path)).isEqualTo(2);

    // Tokens naming a kid the set lacks fetch it no more than once per interval.
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> authenticate(authenticator, never, clock.instant()))
          .isInstanceOf(Unauthenticated.class).hasMessageStartingWith("unknown kid");
    }
    assertThat(jwks.fetches(path)).isEqualTo(2);
    clock.advance(MIN_REFETCH);
    assertThatThrownBy(() -> authenticate(authenticator, never, clock.instant()))
        .hasMessageStartingWith("unknown kid 'never-published'");
    assertThat(jwks.fetches(path)).isEqualTo(3);
  }

  @Test
  void anOutageIsBridgedForOneMoreTimeToLiveThenRefused() throws Exception {
    String path = "/outage/jwks.json";
    ECKey key = ClientTokens.ec("ec-1");
    jwks.serve(path, ClientTokens.jwks(key));
    TestClock clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
    JwtClientAuthenticator authenticator = authenticator(path, clock);
    authenticate(authenticator, key, clock.instant());

    jwks.fail(path, 503);
    clock.advance(TTL.plusSeconds(1));
    authenticate(authenticator, key, clock.instant());
    assertThat(jwks.fetches(path)).isEqualTo(2);
    clock.advance(TTL);
    assertThatThrownBy(() -> authenticate(authenticator, key, clock.instant()))
        .isInstanceOf(Unauthenticated.class)
        .hasMessage("the keys of issuer 'https://ehr.example.org' are unavailable: its JWK Set "
            + "could not be fetched; retry later");

    jwks.serve(path, ClientTokens.jwks(key));
    clock.advance(MIN_REFETCH);
    authenticate(authenticator, key, clock.instant());
  }

  @Test
  void aJwkSetServedWithACertificateNotTrustedIsNotUsed() throws Exception {
    String path = "/untrusted/jwks.json";
    ECKey key = ClientTokens.ec("ec-1");
    jwks.serve(path, ClientTokens.jwks(key));
    // The JVM's default trust does not know the endpoint's self-signed certificate.
    JwtClientAuthenticator authenticator = JwtClientAuthenticator.builder()
        .trustIssuer(ISSUER, jwks.url(path)).clock(Clock.fixed(Instant.parse(
            "2025-03-01T12:00:00Z"), ZoneOffset.UTC)).build();
    assertThatThrownBy(() -> authenticate(authenticator, key,
        Instant.parse("2025-03-01T12:00:00Z")))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("unavailable");
    assertThat(jwks.fetches(path)).isZero();
  }

  @Test
  void aJwkSetLargerThanTheBoundIsNotRead() throws Exception {
    String path = "/huge/jwks.json";
    ECKey key = ClientTokens.ec("ec-1");
    String set = ClientTokens.jwks(key);
    jwks.serve(path, set.substring(0, set.length() - 1) + ", \"pad\": \""
        + "x".repeat(HttpsJwkSets.MAX_BYTES) + "\"}");
    Instant now = Instant.parse("2025-03-01T12:00:00Z");
    JwtClientAuthenticator authenticator = authenticator(path, Clock.fixed(now, ZoneOffset.UTC));
    assertThatThrownBy(() -> authenticate(authenticator, key, now))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("unavailable");
    assertThat(jwks.fetches(path)).isEqualTo(1);
  }

  @Test
  void aJwkSetEndpointThatStopsSendingHoldsUpNoCallPastTheFetchDeadline() throws Exception {
    // The endpoint answers 200 and the start of a set, then nothing more: a request timeout
    // that ends when the headers arrive would leave the fetch, and every call waiting for the
    // issuer's keys, hanging for as long as the endpoint keeps the connection open.
    String path = "/stalled/jwks.json";
    jwks.stall(path);
    ECKey key = ClientTokens.ec("ec-1");
    Instant now = Instant.now();
    try (CdsHooksServer server = ServerConnectionTest.empty()
        .authenticator(JwtClientAuthenticator.builder().trustIssuer(ISSUER, jwks.url(path))
            .sslContext(jwks.trust()).build())
        .build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      String discovery = "http://127.0.0.1:" + server.port() + "/cds-services";
      HttpRequest call = HttpRequest.newBuilder(URI.create(discovery))
          .header("Authorization", "Bearer " + sign(key, claims(ISSUER, discovery, now).build()))
          .GET().build();
      HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(40),
          () -> HttpClient.newHttpClient().send(call, HttpResponse.BodyHandlers.ofString()));
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("unavailable");
    }
    assertThat(jwks.fetches(path)).isEqualTo(1);
  }
}
