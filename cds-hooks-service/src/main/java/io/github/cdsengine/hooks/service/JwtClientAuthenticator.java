package io.github.cdsengine.hooks.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets in a request only with a client token as CDS Hooks 2.0 "Trusting CDS Clients" asks: an
 * {@code Authorization: Bearer} JWT signed by a client on this service's allow-list of issuers.
 *
 * <p>A token is accepted when all of these hold:
 * <ul>
 *   <li>it is a JWS signed with {@code RS384} (RSA, at least 2048 bits) or {@code ES384} (EC
 *       P-384); {@code none}, HMAC and every other algorithm are refused;
 *   <li>its header names the key ({@code kid}); its {@code typ}, if present, is {@code JWT};
 *   <li>its {@code iss} is a trusted issuer and the signature verifies with that issuer's key of
 *       that {@code kid}, from the JWK Set configured for the issuer (fetched over HTTPS and
 *       cached, or given as a local file). A {@code jku} header, if present, must equal the
 *       configured URL: a {@code jku} is never fetched;
 *   <li>its {@code aud} (a string, or an array holding it) is the URL the client addressed;
 *   <li>it has {@code exp}, {@code iat} and {@code jti}; it has not expired, was not issued (nor
 *       is valid, {@code nbf}) only in the future, and lives at most {@value #MAX_LIFETIME_SECONDS}
 *       seconds, each time allowing the configured clock skew;
 *   <li>its {@code jti} was not used before by the same issuer: each is remembered until the
 *       token expires.
 * </ul>
 * A refusal's message says which of these failed, never quoting the token. {@code sub} is
 * optional (CDS Hooks does not require it): the client's subject is the issuer when absent.
 *
 * <p>Build with {@link #builder()}; thread-safe.
 */
public final class JwtClientAuthenticator implements ClientAuthenticator {

  /**
   * The default bound on remembered {@code jti}s: 1,000,000, enough for about 2,700 calls a
   * second sustained with tokens valid 5 minutes and the default 60 s clock skew, in about 110 MB.
   */
  public static final int DEFAULT_REPLAY_CACHE_CAPACITY = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(JwtClientAuthenticator.class);

  /** The longest a token may live, from {@code iat} to {@code exp}: five minutes. */
  public static final long MAX_LIFETIME_SECONDS = 300;

  /** The default allowance for clocks that disagree: 60 seconds. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  /** The accepted signature algorithms: the two CDS Hooks 2.0 recommends. */
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384,
      JWSAlgorithm.ES384);
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_TOKEN_CHARS = 8192;
  private static final int MAX_JTI_CHARS = 256;
  private static final int MAX_QUOTED_CHARS = 80;

  private final Map<String, IssuerKeys> issuers;
  private final Clock clock;
  private final Duration skew;
  private final ReplayCache replays;

  private JwtClientAuthenticator(Map<String, IssuerKeys> issuers, Clock clock, Duration skew,
      ReplayCache replays) {
    this.issuers = issuers;
    this.clock = clock;
    this.skew = skew;
    this.replays = replays;
  }

  /**
   * A builder; at least one issuer must be trusted.
   *
   * @return a builder with the defaults: the system's UTC clock, a skew of 60 s, fetched JWK
   *     Sets used for 10 minutes and fetched at most every 30 s, 100,000 remembered {@code jti}s,
   *     the JVM's default TLS trust
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The issuers trusted.
   *
   * @return their {@code iss} values, in the order they were trusted
   */
  public Set<String> issuers() {
    return issuers.keySet();
  }

  @Override
  public Client authenticate(String authorization, String audience) throws Unauthenticated {
    Objects.requireNonNull(audience, "audience");
    SignedJWT jwt = signed(bearer(authorization));
    JWSHeader header = jwt.getHeader();
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Unauthenticated("malformed token: its claims are not a JWT claims set");
    }
    String issuer = claims.getIssuer();
    if (issuer == null || issuer.isBlank()) {
      throw new Unauthenticated("malformed token: no iss claim");
    }
    IssuerKeys keys = issuers.get(issuer);
    if (keys == null) {
      throw new Unauthenticated("unknown issuer " + quote(issuer) + ": not a trusted client");
    }
    URI jku = header.getJWKURL();
    if (jku != null && (keys.url() == null || !keys.url().toString().equals(jku.toString()))) {
      throw new Unauthenticated("jku does not match: the header's jku " + quote(jku.toString())
          + " is not the JWK Set URL configured for issuer " + quote(issuer));
    }
    Instant now = clock.instant();
    JWK key = keyFor(header, keys.withKid(header.getKeyID(), now), issuer);
    verify(jwt, key);
    Instant expiry = checkTimes(claims, now);
    checkAudience(claims, audience);
    String jti = claims.getJWTID();
    if (jti == null || jti.isBlank()) {
      throw new Unauthenticated("malformed token: no jti claim");
    }
    if (jti.length() > MAX_JTI_CHARS) {
      throw new Unauthenticated("malformed token: jti longer than " + MAX_JTI_CHARS
          + " characters");
    }
    switch (replays.use(issuer, jti, expiry.plus(skew), now)) {
      case REPLAY -> throw new Unauthenticated("replayed jti: this token was already used; "
          + "send a new token with each request");
      case FULL -> {
        LOG.warn("the replay cache is full of unexpired tokens; refusing new ones until some "
            + "expire (raise replayCacheCapacity if this is regular load)");
        throw new Unauthenticated("too many recent tokens to remember; retry shortly");
      }
      default -> { }
    }
    return new Client(issuer, claims.getSubject() != null ? claims.getSubject() : issuer);
  }

  /** The token of an {@code Authorization: Bearer} header. */
  private static String bearer(String authorization) throws Unauthenticated {
    if (authorization == null || authorization.isBlank()) {
      throw new Unauthenticated("missing Authorization header: send 'Authorization: Bearer "
          + "<JWT>' signed by a trusted client");
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
      throw new Unauthenticated("malformed Authorization header: not a Bearer token");
    }
    String token = value.substring(space + 1).strip();
    if (token.isEmpty()) {
      throw new Unauthenticated("malformed Authorization header: the Bearer token is empty");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new Unauthenticated("malformed token: longer than " + MAX_TOKEN_CHARS
          + " characters");
    }
    return token;
  }

  /** The token as a signed JWT with an accepted algorithm, a kid and no other typ than JWT. */
  private static SignedJWT signed(String token) throws Unauthenticated {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new Unauthenticated("malformed token: not a JWT in compact form");
    }
    if (jwt instanceof PlainJWT) {
      throw new Unauthenticated("alg not allowed: none (an unsigned token); sign with RS384 or "
          + "ES384");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new Unauthenticated("malformed token: an encrypted JWT; send a signed one");
    }
    JWSHeader header = signed.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new Unauthenticated("alg not allowed: " + quote(header.getAlgorithm().getName())
          + "; sign with RS384 or ES384");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !type.getType().equalsIgnoreCase(JOSEObjectType.JWT.getType())) {
      throw new Unauthenticated("malformed token: typ " + quote(type.getType())
          + " is not JWT");
    }
    if (header.getKeyID() == null || header.getKeyID().isBlank()) {
      throw new Unauthenticated("malformed token: the header has no kid");
    }
    return signed;
  }

  /** The first of the issuer's keys with the token's kid that fits its algorithm. */
  private static JWK keyFor(JWSHeader header, List<JWK> candidates, String issuer)
      throws Unauthenticated {
    JWSAlgorithm alg = header.getAlgorithm();
    for (JWK key : candidates) {
      if (fits(key, alg)) {
        return key;
      }
    }
    JWK key = candidates.get(0);
    throw new Unauthenticated("alg not allowed for this key: key " + quote(key.getKeyID())
        + " of issuer " + quote(issuer) + " is not a " + (alg.equals(JWSAlgorithm.RS384)
            ? "RSA key of at least " + MIN_RSA_BITS + " bits" : "P-384 EC key")
        + " usable to verify " + alg.getName());
  }

  private static boolean fits(JWK key, JWSAlgorithm alg) {
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
      return false;
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return false;
    }
    if (key.getKeyOperations() != null
        && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
      return false;
    }
    if (alg.equals(JWSAlgorithm.RS384)) {
      return key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
    }
    return key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
  }

  private static void verify(SignedJWT jwt, JWK key) throws Unauthenticated {
    boolean valid;
    try {
      JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
          : new ECDSAVerifier((ECKey) key);
      valid = jwt.verify(verifier);
    } catch (JOSEException e) {
      valid = false;
    }
    if (!valid) {
      throw new Unauthenticated("bad signature: the token was not signed by key "
          + quote(key.getKeyID()) + ", or was altered since");
    }
  }

  /** Checks exp, iat and nbf against now and the lifetime; returns exp. */
  private Instant checkTimes(JWTClaimsSet claims, Instant now) throws Unauthenticated {
    Instant exp = instant(claims.getExpirationTime(), "exp");
    Instant iat = instant(claims.getIssueTime(), "iat");
    if (now.isAfter(exp.plus(skew))) {
      throw new Unauthenticated("expired: exp " + exp + " is before now " + now
          + " (clock skew allowed: " + skew.toSeconds() + " s)");
    }
    if (iat.isAfter(now.plus(skew))) {
      throw new Unauthenticated("not yet valid: iat " + iat + " is after now " + now
          + " (clock skew allowed: " + skew.toSeconds() + " s)");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
      throw new Unauthenticated("not yet valid: nbf " + nbf.toInstant() + " is after now "
          + now + " (clock skew allowed: " + skew.toSeconds() + " s)");
    }
    if (exp.isBefore(iat)) {
      throw new Unauthenticated("malformed token: exp " + exp + " is before iat " + iat);
    }
    // With iat at most now + skew, this also keeps exp within 5 minutes (+ skew) of now.
    long lifetime = Duration.between(iat, exp).toSeconds();
    if (lifetime > MAX_LIFETIME_SECONDS) {
      throw new Unauthenticated("lifetime too long: exp is " + lifetime + " s after iat; at "
          + "most " + MAX_LIFETIME_SECONDS + " s");
    }
    return exp;
  }

  private static Instant instant(Date date, String claim) throws Unauthenticated {
    if (date == null) {
      throw new Unauthenticated("malformed token: no " + claim + " claim");
    }
    return date.toInstant();
  }

  private static void checkAudience(JWTClaimsSet claims, String audience)
      throws Unauthenticated {
    List<String> aud = claims.getAudience();
    if (aud == null || aud.isEmpty()) {
      throw new Unauthenticated("malformed token: no aud claim");
    }
    if (!aud.contains(audience)) {
      throw new Unauthenticated("wrong audience: the token is not for " + quote(audience)
          + " (aud names " + aud.size() + " other URL" + (aud.size() == 1 ? "" : "s") + ")");
    }
  }

  /** A value from a token, quoted for a message: bounded, printable ASCII only. */
  static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder quoted = new StringBuilder("'");
    for (int i = 0; i < value.length() && i < MAX_QUOTED_CHARS; i++) {
      char c = value.charAt(i);
      quoted.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return quoted.append(value.length() > MAX_QUOTED_CHARS ? "...'" : "'").toString();
  }

  /** Builds a {@link JwtClientAuthenticator}. */
  public static final class Builder {

    private final Map<String, Object> issuers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration skew = DEFAULT_CLOCK_SKEW;
    private Duration cacheTtl = Duration.ofMinutes(10);
    private Duration minRefetchInterval = Duration.ofSeconds(30);
    private int replayCacheCapacity = DEFAULT_REPLAY_CACHE_CAPACITY;
    private SSLContext trust;

    private Builder() {}

    /**
     * Trusts an issuer whose keys are the JWK Set at {@code jwkSetUrl}, fetched over HTTPS when
     * first needed and cached. A token of this issuer with a {@code jku} header must name this
     * URL.
     *
     * @param issuer the issuer's {@code iss}, exactly as its tokens carry it
     * @param jwkSetUrl the issuer's JWK Set URL; {@code https} only
     * @return this builder
     * @throws IllegalArgumentException quoting the value if the issuer is blank or trusted
     *     already, or the URL is not an absolute {@code https} URL
     */
    public Builder trustIssuer(String issuer, URI jwkSetUrl) {
      Objects.requireNonNull(jwkSetUrl, "jwkSetUrl");
      if (!"https".equalsIgnoreCase(jwkSetUrl.getScheme()) || jwkSetUrl.getHost() == null) {
        throw new IllegalArgumentException("the JWK Set URL of issuer '" + issuer + "' must be "
            + "an absolute https URL, not '" + jwkSetUrl + "'");
      }
      add(issuer, jwkSetUrl);
      return this;
    }

    /**
     * Trusts an issuer whose keys are in a local JWK Set file (for air-gapped sites, or the
     * development key); read when the authenticator is built. Tokens of this issuer must not
     * carry a {@code jku} header, as no URL is configured to compare it with.
     *
     * @param issuer the issuer's {@code iss}, exactly as its tokens carry it
     * @param jwkSetFile a JWK Set of public keys, each with a {@code kid}
     * @return this builder
     * @throws IllegalArgumentException quoting the value if the issuer is blank or trusted
     *     already
     */
    public Builder trustIssuer(String issuer, Path jwkSetFile) {
      add(issuer, Objects.requireNonNull(jwkSetFile, "jwkSetFile"));
      return this;
    }

    /**
     * Trusts an issuer whose keys are given as a JWK Set's JSON; as for a local file.
     *
     * @param issuer the issuer's {@code iss}, exactly as its tokens carry it
     * @param jwkSetJson a JWK Set of public keys, each with a {@code kid}
     * @return this builder
     * @throws IllegalArgumentException quoting the value if the issuer is blank or trusted
     *     already, or if the JSON is not such a JWK Set
     */
    public Builder trustIssuerKeys(String issuer, String jwkSetJson) {
      Objects.requireNonNull(jwkSetJson, "jwkSetJson");
      add(issuer, IssuerKeys.local(issuer, jwkSetJson, "the JWK Set of issuer '" + issuer + "'"));
      return this;
    }

    private void add(String issuer, Object keys) {
      Objects.requireNonNull(issuer, "issuer");
      if (issuer.isBlank()) {
        throw new IllegalArgumentException("an issuer must not be blank: '" + issuer + "'");
      }
      if (issuers.putIfAbsent(issuer, keys) != null) {
        throw new IllegalArgumentException("issuer '" + issuer + "' is trusted twice");
      }
    }

    /**
     * The clock tokens' times are checked against.
     *
     * @param clock the clock; the system's UTC clock by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far the client's clock may disagree with this service's: {@code exp}, {@code iat}
     * and {@code nbf} are each checked with this allowance.
     *
     * @param skew the allowance; {@link #DEFAULT_CLOCK_SKEW} by default
     * @return this builder
     * @throws IllegalArgumentException quoting the value if it is negative or over 5 minutes
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("the clock skew must be between 0 and 5 minutes: "
            + skew);
      }
      this.skew = skew;
      return this;
    }

    /**
     * How fetched JWK Sets are cached: each is used for {@code ttl}, then fetched again; a
     * token naming a {@code kid} the set lacks makes it fetched again, but never twice within
     * {@code minRefetchInterval}. When a fetch fails the last set is used on for at most one
     * more {@code ttl}.
     *
     * @param ttl how long a fetched set is used; 10 minutes by default
     * @param minRefetchInterval the least time between two fetches of one issuer's set; 30 s
     *     by default
     * @return this builder
     * @throws IllegalArgumentException quoting the values if either is not positive
     */
    public Builder jwkSetCache(Duration ttl, Duration minRefetchInterval) {
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(minRefetchInterval, "minRefetchInterval");
      if (ttl.isNegative() || ttl.isZero() || minRefetchInterval.isNegative()
          || minRefetchInterval.isZero()) {
        throw new IllegalArgumentException("the JWK Set cache durations must be positive: ttl "
            + ttl + ", minRefetchInterval " + minRefetchInterval);
      }
      this.cacheTtl = ttl;
      this.minRefetchInterval = minRefetchInterval;
      return this;
    }

    /**
     * How many unexpired {@code jti}s are remembered at most; when that many are, new tokens
     * are refused until some expire (never is a possible replay let in).
     *
     * @param capacity the bound; {@value #DEFAULT_REPLAY_CACHE_CAPACITY} by default
     * @return this builder
     * @throws IllegalArgumentException quoting the value if it is not positive
     */
    public Builder replayCacheCapacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("the replay cache capacity must be positive: "
            + capacity);
      }
      this.replayCacheCapacity = capacity;
      return this;
    }

    /**
     * The TLS trust JWK Sets are fetched with.
     *
     * @param trust the SSL context; the JVM's default ({@code javax.net.ssl.trustStore}) by
     *     default
     * @return this builder
     */
    public Builder sslContext(SSLContext trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    /**
     * The authenticator; local JWK Set files are read now.
     *
     * @return the authenticator
     * @throws IllegalStateException if no issuer is trusted
     * @throws IllegalArgumentException naming the file if a JWK Set file cannot be read or is
     *     not a JWK Set of public keys, each with a {@code kid}
     */
    public JwtClientAuthenticator build() {
      if (issuers.isEmpty()) {
        throw new IllegalStateException("no issuer is trusted: call trustIssuer at least once");
      }
      IssuerKeys.Source https = null;
      IssuerKeys.CachePolicy policy = new IssuerKeys.CachePolicy(cacheTtl, minRefetchInterval);
      Map<String, IssuerKeys> keys = new LinkedHashMap<>();
      for (Map.Entry<String, Object> issuer : issuers.entrySet()) {
        Object source = issuer.getValue();
        if (source instanceof URI url) {
          if (https == null) {
            https = new HttpsJwkSets(trust != null ? trust : defaultTrust());
          }
          keys.put(issuer.getKey(), IssuerKeys.fetched(issuer.getKey(), url, https, policy));
        } else if (source instanceof Path file) {
          keys.put(issuer.getKey(), IssuerKeys.local(issuer.getKey(), read(file),
              file.toString()));
        } else {
          keys.put(issuer.getKey(), (IssuerKeys) source);
        }
      }
      return new JwtClientAuthenticator(Collections.unmodifiableMap(keys), clock,
          skew, new ReplayCache(replayCacheCapacity));
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the JWK Set file " + file + ": "
            + e.getClass().getSimpleName() + " " + e.getMessage());
      }
    }

    private static SSLContext defaultTrust() {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
      }
    }
  }
}
