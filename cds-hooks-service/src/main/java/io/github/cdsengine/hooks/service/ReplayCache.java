package io.github.cdsengine.hooks.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The {@code jti}s of client tokens already used, per issuer, each kept until its token can no
 * longer be accepted anyway (its {@code exp} plus the clock skew), as 64 bits of a hash of issuer
 * and jti (about 110 bytes an entry). Bounded: when it holds its capacity of unexpired entries it
 * refuses new ones rather than forget one that could be replayed. Thread-safe.
 */
final class ReplayCache {

  /** What {@link #use} found. */
  enum Use {
    /** The first use: remembered until its expiry. */
    FIRST,
    /** Seen before and not yet expired: a replay. */
    REPLAY,
    /** Not seen, but the cache is full of unexpired entries: not remembered, not accepted. */
    FULL
  }

  /** One remembered use: the key's 64 bits and the expiry in epoch milliseconds. */
  private record Entry(long key, long expiry) {}

  private final int capacity;
  /** Expiry in epoch milliseconds by key: about 110 bytes an entry with the queue below. */
  private final Map<Long, Long> expiries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>(Comparator.comparingLong(Entry::expiry));

  ReplayCache(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("the replay cache capacity must be positive: "
          + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records a use of {@code jti} by {@code issuer}, valid until {@code expiry}.
   *
   * @param issuer the token's {@code iss}
   * @param jti the token's {@code jti}
   * @param expiry when the token can no longer be accepted: its {@code exp} plus the skew
   * @param now the current instant
   * @return whether this is the first use, a replay, or could not be remembered
   */
  Use use(String issuer, String jti, Instant expiry, Instant now) {
    long key = key(issuer, jti);
    synchronized (this) {
      purge(now.toEpochMilli());
      if (expiries.containsKey(key)) {
        return Use.REPLAY;
      }
      if (expiries.size() >= capacity) {
        return Use.FULL;
      }
      long until = expiry.toEpochMilli();
      expiries.put(key, until);
      byExpiry.add(new Entry(key, until));
      return Use.FIRST;
    }
  }

  /** Entries remembered now. */
  synchronized int size() {
    return expiries.size();
  }

  /** Forgets entries that expired before {@code now}: their tokens are refused as expired. */
  private void purge(long now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry() < now) {
      Entry gone = byExpiry.poll();
      expiries.remove(gone.key(), gone.expiry());
    }
  }

  /**
   * The first 64 bits of SHA-256 over the issuer and the jti: two uses share a key only by a
   * collision (about one chance in 10^13 among a million remembered), which refuses a token as a
   * replay, never lets one in.
   */
  static long key(String issuer, String jti) {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      digest.update(issuer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(jti.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.nio.ByteBuffer.wrap(digest.digest()).getLong();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
