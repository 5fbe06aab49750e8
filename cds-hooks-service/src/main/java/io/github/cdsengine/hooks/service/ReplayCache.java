package io.github.cdsengine.hooks.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The {@code jti}s of client tokens already used, per issuer, each kept until its token can no
 * longer be accepted anyway (its {@code exp} plus the clock skew). Bounded: when it holds its
 * capacity of unexpired entries it refuses new ones rather than forget one that could be
 * replayed. Thread-safe.
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

  private record Key(String issuer, String jti) {}

  private record Entry(Key key, Instant expiry) {}

  private final int capacity;
  private final Map<Key, Instant> expiries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>(Comparator.comparing(Entry::expiry));

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
  synchronized Use use(String issuer, String jti, Instant expiry, Instant now) {
    purge(now);
    Key key = new Key(issuer, jti);
    if (expiries.containsKey(key)) {
      return Use.REPLAY;
    }
    if (expiries.size() >= capacity) {
      return Use.FULL;
    }
    expiries.put(key, expiry);
    byExpiry.add(new Entry(key, expiry));
    return Use.FIRST;
  }

  /** Entries remembered now. */
  synchronized int size() {
    return expiries.size();
  }

  /** Forgets entries that expired before {@code now}: their tokens are refused as expired. */
  private void purge(Instant now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry().isBefore(now)) {
      Entry gone = byExpiry.poll();
      expiries.remove(gone.key(), gone.expiry());
    }
  }
}
