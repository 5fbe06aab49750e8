package io.github.cdsengine.hooks.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.cdsengine.hooks.service.ClientAuthenticator.Unauthenticated;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys one trusted client issuer signs with: either given once (a local JWK Set
 * file, for air-gapped sites) or fetched from the issuer's configured JWK Set URL and cached.
 *
 * <p>A fetched set is used for {@code ttl}, then fetched again. A {@code kid} the set lacks
 * makes it fetched again at once (the issuer may have rotated its key), but never twice within
 * {@code minRefetchInterval}, so unknown key ids cannot make this service hammer the issuer.
 * When a fetch fails the last set is used on for at most one more {@code ttl}.
 */
final class IssuerKeys {

  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

  /** Fetches the JWK Set at a URL, as JSON. */
  @FunctionalInterface
  interface Source {

    /**
     * The JSON of the set at {@code url}.
     *
     * @param url the issuer's configured JWK Set URL
     * @return the JSON
     * @throws IOException if it cannot be fetched
     */
    String fetch(URI url) throws IOException;
  }

  /** How long a fetched set is used, and how often at most it is fetched. */
  record CachePolicy(Duration ttl, Duration minRefetchInterval) {}

  /** The verification keys of one fetch (or of the local file), and when they were fetched. */
  private record Snapshot(List<JWK> keys, Instant fetchedAt) {

    List<JWK> withKid(String kid) {
      return keys.stream().filter(k -> kid.equals(k.getKeyID())).toList();
    }
  }

  private final String issuer;
  private final URI url;
  private final Source source;
  private final CachePolicy policy;
  private volatile Snapshot snapshot;
  /** When a fetch was last tried; guarded by this. */
  private Instant lastAttempt;

  private IssuerKeys(String issuer, URI url, Source source, CachePolicy policy) {
    this.issuer = issuer;
    this.url = url;
    this.source = source;
    this.policy = policy;
  }

  /**
   * An issuer's keys given once.
   *
   * @param issuer the issuer
   * @param json its JWK Set
   * @param origin where the set comes from, for messages (e.g. the file)
   * @throws IllegalArgumentException naming {@code origin} if the set is not a JWK Set of public
   *     keys, each with a {@code kid}
   */
  static IssuerKeys local(String issuer, String json, String origin) {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException(origin + ": not a JWK Set: " + e.getMessage());
    }
    if (set.getKeys().isEmpty()) {
      throw new IllegalArgumentException(origin + ": the JWK Set holds no key");
    }
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw new IllegalArgumentException(origin + ": the JWK Set holds a private or secret key"
            + " (kid " + key.getKeyID() + "); give only the client's public keys");
      }
      if (key.getKeyID() == null) {
        throw new IllegalArgumentException(origin + ": a key has no kid; tokens name their key "
            + "by kid, so every trusted key needs one");
      }
    }
    IssuerKeys keys = new IssuerKeys(issuer, null, null, null);
    keys.snapshot = new Snapshot(verificationKeys(issuer, set), Instant.MIN);
    return keys;
  }

  /**
   * An issuer's keys fetched from its JWK Set URL when first needed.
   *
   * @param issuer the issuer
   * @param url its JWK Set URL
   * @param source fetches the set
   * @param policy how long a set is used, how often at most it is fetched
   */
  static IssuerKeys fetched(String issuer, URI url, Source source, CachePolicy policy) {
    return new IssuerKeys(issuer, Objects.requireNonNull(url, "url"),
        Objects.requireNonNull(source, "source"), Objects.requireNonNull(policy, "policy"));
  }

  /**
   * The configured JWK Set URL, which a token's {@code jku} header must equal.
   *
   * @return the URL; null when the keys were given locally
   */
  URI url() {
    return url;
  }

  /**
   * The issuer's keys with this key id, fetching the set when it is not cached, is stale, or
   * lacks the id (at most once per {@code minRefetchInterval}).
   *
   * @param kid the token's {@code kid}
   * @param now the current instant
   * @return the keys with that id; at least one
   * @throws Unauthenticated if no key has the id, or no set could be had
   */
  List<JWK> withKid(String kid, Instant now) throws Unauthenticated {
    Snapshot current = current(now);
    List<JWK> found = current.withKid(kid);
    if (found.isEmpty() && url != null) {
      synchronized (this) {
        Snapshot latest = snapshot;
        found = latest.withKid(kid);
        if (found.isEmpty() && latest == current) {
          found = fetch(now, latest).withKid(kid);
        }
      }
    }
    if (found.isEmpty()) {
      throw new Unauthenticated("unknown kid " + JwtClientAuthenticator.quote(kid)
          + ": no key of issuer " + JwtClientAuthenticator.quote(issuer) + " has that id");
    }
    return found;
  }

  private Snapshot current(Instant now) throws Unauthenticated {
    Snapshot current = snapshot;
    if (url == null || fresh(current, now)) {
      return current;
    }
    synchronized (this) {
      current = snapshot;
      return fresh(current, now) ? current : fetch(now, current);
    }
  }

  private boolean fresh(Snapshot s, Instant now) {
    return s != null && now.isBefore(s.fetchedAt().plus(policy.ttl()));
  }

  /** Fetches the set unless a fetch was tried within the refetch interval; holds this. */
  private Snapshot fetch(Instant now, Snapshot previous) throws Unauthenticated {
    if (lastAttempt != null && now.isBefore(lastAttempt.plus(policy.minRefetchInterval()))) {
      return usable(previous, now);
    }
    lastAttempt = now;
    try {
      JWKSet set = JWKSet.parse(source.fetch(url));
      Snapshot fetched = new Snapshot(verificationKeys(issuer, set), now);
      snapshot = fetched;
      LOG.info("fetched the JWK Set of issuer {} from {}: {} keys", issuer, url,
          fetched.keys().size());
      return fetched;
    } catch (IOException | ParseException e) {
      LOG.warn("the JWK Set of issuer {} could not be fetched from {}: {}", issuer, url,
          e.getMessage());
      return usable(previous, now);
    }
  }

  /** The previous set while it is at most one ttl past its own; otherwise a refusal. */
  private Snapshot usable(Snapshot previous, Instant now) throws Unauthenticated {
    if (previous != null
        && now.isBefore(previous.fetchedAt().plus(policy.ttl().multipliedBy(2)))) {
      return previous;
    }
    throw new Unauthenticated("the keys of issuer " + JwtClientAuthenticator.quote(issuer)
        + " are unavailable: its JWK Set could not be fetched; retry later");
  }

  /** The set's public keys that have a key id; secret keys and private parts are dropped. */
  private static List<JWK> verificationKeys(String issuer, JWKSet set) {
    List<JWK> keys = new ArrayList<>();
    for (JWK key : set.getKeys()) {
      JWK publicKey = key.toPublicJWK();
      if (publicKey == null || publicKey.getKeyID() == null) {
        continue;
      }
      if (isDevelopmentKey(publicKey)) {
        LOG.warn("issuer {} is trusted with the bundled DEVELOPMENT key (kid {}): anyone with "
            + "this project's sources can sign as that client. Never trust it in production.",
            issuer, publicKey.getKeyID());
      }
      keys.add(publicKey);
    }
    return List.copyOf(keys);
  }

  private static boolean isDevelopmentKey(JWK key) {
    try {
      return DevToken.DEV_KEY_THUMBPRINT.equals(key.computeThumbprint().toString());
    } catch (JOSEException e) {
      return false;
    }
  }
}
