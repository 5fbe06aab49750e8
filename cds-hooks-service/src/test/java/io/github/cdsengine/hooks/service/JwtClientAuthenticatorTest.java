package io.github.cdsengine.hooks.service;

import static io.github.cdsengine.hooks.service.ClientTokens.claims;
import static io.github.cdsengine.hooks.service.ClientTokens.header;
import static io.github.cdsengine.hooks.service.ClientTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.cdsengine.hooks.service.ClientAuthenticator.Unauthenticated;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authenticator without a server: its builder's refusals, issuers trusted with a local JWK
 * Set, and the replay cache's bound, expiry and thread safety.
 */
class JwtClientAuthenticatorTest {

  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final String ISSUER = "https://ehr.example.org";
  static final String AUDIENCE = "https://cds.example.org/cds-services";
  static final ECKey KEY = ClientTokens.ec("ec-1");

  static JwtClientAuthenticator local(int replayCapacity) {
    return JwtClientAuthenticator.builder().trustIssuerKeys(ISSUER, ClientTokens.jwks(KEY))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).replayCacheCapacity(replayCapacity).build();
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no issuer is trusted");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder()
        .trustIssuer(ISSUER, URI.create("http://ehr.example.org/jwks.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be an absolute https URL, not 'http://ehr.example.org/");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder()
        .trustIssuer(ISSUER, URI.create("https://ehr.example.org/jwks.json"))
        .trustIssuerKeys(ISSUER, ClientTokens.jwks(KEY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("issuer 'https://ehr.example.org' is trusted twice");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().trustIssuerKeys(" ",
        ClientTokens.jwks(KEY))).hasMessage("an issuer must not be blank: ' '");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().clockSkew(Duration.ofSeconds(-1)))
        .hasMessage("the clock skew must be between 0 and 5 minutes: PT-1S");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().replayCacheCapacity(0))
        .hasMessage("the replay cache capacity must be positive: 0");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder()
        .jwkSetCache(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("must be positive: ttl PT0S");
  }

  @Test
  void aLocalJwkSetMustHoldPublicKeysWithIds(@TempDir Path dir) throws Exception {
    Path privateSet = dir.resolve("private.json");
    Files.writeString(privateSet, new JWKSet(KEY).toString(false));
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().trustIssuer(ISSUER, privateSet)
        .build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(privateSet + ": the JWK Set holds a private or secret key");
    Path noKid = dir.resolve("no-kid.json");
    Files.writeString(noKid, new JWKSet(new ECKey.Builder(KEY.toPublicJWK()).keyID(null)
        .build()).toString());
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().trustIssuer(ISSUER, noKid)
        .build()).hasMessageStartingWith(noKid + ": a key has no kid");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().trustIssuer(ISSUER, missing)
        .build()).hasMessageStartingWith("cannot read the JWK Set file " + missing);
    assertThatThrownBy(() -> JwtClientAuthenticator.builder().trustIssuerKeys(ISSUER, "{}"))
        .hasMessageContaining("not a JWK Set");
  }

  @Test
  void anIssuerTrustedWithAFileIsLetInWithoutAJku(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ehr.jwks.json");
    Files.writeString(file, ClientTokens.jwks(KEY));
    JwtClientAuthenticator authenticator = JwtClientAuthenticator.builder()
        .trustIssuer(ISSUER, file).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    assertThat(authenticator.issuers()).containsExactly(ISSUER);
    ClientAuthenticator.Client client = authenticator.authenticate("Bearer "
        + sign(KEY, claims(ISSUER, AUDIENCE, NOW).build()), AUDIENCE);
    assertThat(client).isEqualTo(new ClientAuthenticator.Client(ISSUER, "ehr-user"));
    // Without sub, the client is its issuer.
    assertThat(authenticator.authenticate("Bearer " + sign(KEY, claims(ISSUER, AUDIENCE, NOW)
        .subject(null).build()), AUDIENCE).subject()).isEqualTo(ISSUER);
    // No URL is configured for it, so no jku can match.
    assertThatThrownBy(() -> authenticator.authenticate("Bearer " + sign(KEY, header(KEY)
        .jwkURL(URI.create("https://ehr.example.org/jwks.json")).build(),
        claims(ISSUER, AUDIENCE, NOW).build()), AUDIENCE))
        .isInstanceOf(Unauthenticated.class).hasMessageStartingWith("jku does not match");
  }

  @Test
  void messagesQuoteTokenValuesBoundedAndPrintable() throws Exception {
    String odd = "https://x.example/\n" + "y".repeat(200);
    assertThatThrownBy(() -> local(10).authenticate("Bearer " + sign(KEY,
        claims(odd, AUDIENCE, NOW).build()), AUDIENCE))
        .hasMessage("unknown issuer '" + "https://x.example/?" + "y".repeat(61)
            + "...': not a trusted client");
  }

  @Test
  void replayedJtisAreRefusedUntilTheirTokensExpire() {
    ReplayCache cache = new ReplayCache(10);
    Instant exp = NOW.plusSeconds(300);
    assertThat(cache.use(ISSUER, "a", exp, NOW)).isEqualTo(ReplayCache.Use.FIRST);
    assertThat(cache.use(ISSUER, "a", exp, NOW.plusSeconds(1))).isEqualTo(ReplayCache.Use.REPLAY);
    // Another issuer's jti is its own.
    assertThat(cache.use("https://other.example.org", "a", exp, NOW))
        .isEqualTo(ReplayCache.Use.FIRST);
    assertThat(cache.use(ISSUER, "a", exp, exp)).isEqualTo(ReplayCache.Use.REPLAY);
    // Past its expiry the entry is forgotten: the token itself is refused as expired by then.
    assertThat(cache.use(ISSUER, "b", exp.plusSeconds(300), exp.plusSeconds(1)))
        .isEqualTo(ReplayCache.Use.FIRST);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void issuerAndJtiAreKeptApartInTheKey() {
    ReplayCache cache = new ReplayCache(10);
    Instant exp = NOW.plusSeconds(300);
    assertThat(cache.use("a", "bc", exp, NOW)).isEqualTo(ReplayCache.Use.FIRST);
    assertThat(cache.use("ab", "c", exp, NOW)).isEqualTo(ReplayCache.Use.FIRST);
    assertThat(ReplayCache.key("a", "bc")).isNotEqualTo(ReplayCache.key("ab", "c"));
    // A million distinct jtis give a million keys (no collision in practice).
    java.util.Set<Long> keys = new java.util.HashSet<>();
    for (int i = 0; i < 1_000_000; i++) {
      keys.add(ReplayCache.key(ISSUER, java.util.UUID.nameUUIDFromBytes(
          java.nio.ByteBuffer.allocate(4).putInt(i).array()).toString()));
    }
    assertThat(keys).hasSize(1_000_000);
  }

  @Test
  void aFullReplayCacheRefusesNewTokensRatherThanForgetOne() throws Exception {
    JwtClientAuthenticator authenticator = local(2);
    for (int i = 0; i < 2; i++) {
      authenticator.authenticate("Bearer " + sign(KEY, claims(ISSUER, AUDIENCE, NOW).build()),
          AUDIENCE);
    }
    assertThatThrownBy(() -> authenticator.authenticate("Bearer " + sign(KEY,
        claims(ISSUER, AUDIENCE, NOW).build()), AUDIENCE))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("too many recent tokens");
  }

  @Test
  void aTokenSentConcurrentlyIsLetInOnce() throws Exception {
    JwtClientAuthenticator authenticator = local(1000);
    String token = "Bearer " + sign(KEY, claims(ISSUER, AUDIENCE, NOW).build());
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Boolean> attempt = () -> {
          go.await();
          try {
            authenticator.authenticate(token, AUDIENCE);
            return true;
          } catch (Unauthenticated e) {
            assertThat(e).hasMessageStartingWith("replayed jti");
            return false;
          }
        };
        outcomes.add(pool.submit(attempt));
      }
      go.countDown();
      int letIn = 0;
      for (Future<Boolean> outcome : outcomes) {
        letIn += outcome.get() ? 1 : 0;
      }
      assertThat(letIn).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
