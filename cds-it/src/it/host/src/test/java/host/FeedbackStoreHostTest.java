package host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host keeps feedback in the embedded store with the installed artifacts only. */
class FeedbackStoreHostTest {

  @Test
  void feedbackIsKeptOnceInAnEmbeddedFile(@TempDir Path folder) {
    byte[] key = new byte[AuditRecord.MIN_KEY_BYTES];
    FeedbackEvent event = new FeedbackEvent("card-1", "service-1", "uspstf-crc-screening",
        "uspstf-colorectal-cancer-screening@1.1.0", FeedbackEvent.Outcome.ACCEPTED, null,
        Instant.parse("2025-06-15T13:30:00Z"), AuditRecord.patientHash("pt-1", key),
        AuditRecord.patientHash("user-1", key));
    try (FeedbackStore store = FeedbackStore.open(folder.resolve("feedback").toString())) {
      assertTrue(store.append(event));
      assertFalse(store.append(event));
      assertEquals(List.of(event), store.between(Instant.parse("2025-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:00:00Z")));
    }
  }
}
