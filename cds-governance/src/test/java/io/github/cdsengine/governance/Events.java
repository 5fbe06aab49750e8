package io.github.cdsengine.governance;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** Feedback events made from a number: the same number, the same event. */
final class Events {

  /** A fixed key: tests compare hashes across processes. */
  static final byte[] KEY = key();
  static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

  private Events() {}

  /**
   * Event {@code n}: every third overridden (every sixth with a reason without a system), one a
   * second from {@link #START} with a microsecond part.
   */
  static FeedbackEvent event(int n) {
    Outcome outcome = n % 3 == 0 ? Outcome.OVERRIDDEN : Outcome.ACCEPTED;
    OverrideReason reason = outcome == Outcome.ACCEPTED ? null
        : new OverrideReason(n % 6 == 0 ? null : "http://example.org/override-reasons",
            "reason-" + (n % 4));
    return new FeedbackEvent("card-" + n, "service-" + (n % 5), "recommendation-" + (n % 7),
        "uspstf-colorectal-cancer-screening@1.1.0", outcome, reason,
        START.plusSeconds(n).plusNanos((n % 1000) * 1000L),
        AuditRecord.patientHash("patient-" + (n % 97), KEY),
        AuditRecord.patientHash("user-" + (n % 13), KEY));
  }

  private static byte[] key() {
    byte[] key = Arrays.copyOf("cds-governance test key".getBytes(StandardCharsets.UTF_8),
        AuditRecord.MIN_KEY_BYTES);
    return key;
  }
}
