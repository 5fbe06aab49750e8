package io.github.cdsengine.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on the embedded default: an H2 file in a temporary folder. */
class H2FeedbackStoreTest extends FeedbackStoreContract {

  @TempDir
  Path folder;

  @Override
  String location() {
    return folder.resolve("cds-feedback").toString();
  }

  @Override
  String jdbcUrl() {
    return JdbcFeedbackStore.h2Url(Path.of(location()));
  }

  @Override
  String[] wrongCredentials() {
    return new String[] {jdbcUrl(), "", "not-the-password"};
  }

  @Test
  void isAFileNextToTheService() {
    open().close();
    assertThat(folder.resolve("cds-feedback.mv.db")).isRegularFile();
    // The file's own name opens the same store.
    try (FeedbackStore store = FeedbackStore.h2File(folder.resolve("cds-feedback.mv.db"))) {
      store.append(Events.event(1));
    }
    try (FeedbackStore store = FeedbackStore.open(location())) {
      assertThat(store.between(EVER_FROM, EVER_TO)).containsExactly(Events.event(1));
    }
  }

  /**
   * One committed write per event (as the service appends feedback) used to leave every
   * commit's chunk in the file: 10,000 events made about 230 MB. The store compacts the file
   * every {@link JdbcFeedbackStore#H2_COMPACT_EVERY} rows, so it stays small while open, and
   * keeps every event.
   */
  @Test
  void theFileStaysSmallUnderOneCommitPerEvent() throws Exception {
    Path file = folder.resolve("cds-feedback.mv.db");
    int n = 10 * JdbcFeedbackStore.H2_COMPACT_EVERY;
    long largest = 0;
    try (FeedbackStore store = FeedbackStore.h2File(file)) {
      for (int i = 0; i < n; i++) {
        assertThat(store.append(Events.event(i))).isTrue();
        if (i % 500 == 0) {
          largest = Math.max(largest, Files.size(file));
        }
      }
      largest = Math.max(largest, Files.size(file));
    }
    assertThat(largest).as("largest file size while open, bytes").isLessThan(16L << 20);
    try (FeedbackStore store = FeedbackStore.h2File(file)) {
      assertThat(store.between(EVER_FROM, EVER_TO)).hasSize(n)
          .contains(Events.event(0), Events.event(n - 1));
    }
  }

  @Test
  void saysSoWhenTheFileCannotBeCreated() throws Exception {
    Path notAFolder = Files.writeString(folder.resolve("plain"), "x");
    assertThatThrownBy(() -> FeedbackStore.h2File(notAFolder.resolve("cds-feedback")))
        .isInstanceOf(FeedbackStoreException.class)
        .hasMessageContaining("cannot open the feedback store at jdbc:h2:file:");
  }
}
