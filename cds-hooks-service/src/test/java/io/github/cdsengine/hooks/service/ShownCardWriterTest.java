package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.governance.CardIdentity;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.ShownCard;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shown-card writer on a real embedded store: cards queued by calls are all written, once;
 * a closed writer has written everything; a store that refuses is retried, then the cards are
 * counted as dropped, never silently lost.
 */
class ShownCardWriterTest {

  static final byte[] KEY = Arrays.copyOf(new byte[] {4, 2}, AuditRecord.MIN_KEY_BYTES);
  static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir
  Path folder;

  static ShownCard card(int n) {
    return new ShownCard(new CardIdentity("card-" + n, "service", "recommendation-" + (n % 3),
        "pack@1.0.0"), AT.plusMillis(n), AuditRecord.patientHash("patient-" + n, KEY),
        AuditRecord.patientHash("user-" + (n % 5), KEY));
  }

  static List<ShownCard> recorded(FeedbackStore store) {
    List<ShownCard> cards = new ArrayList<>();
    store.showings(AT, AT.plusSeconds(3600), s -> cards.add(s.card()));
    return cards;
  }

  @Test
  void writesEveryQueuedCardOnceInBatches() throws Exception {
    try (FeedbackStore store = FeedbackStore.open(folder.resolve("f").toString())) {
      ShownCardWriter writer = new ShownCardWriter(store, 5_000, Duration.ofMillis(10));
      List<ShownCard> expected = new ArrayList<>();
      for (int call = 0; call < 400; call++) {
        List<ShownCard> cards = List.of(card(3 * call), card(3 * call + 1), card(3 * call + 2));
        writer.submit(cards);
        expected.addAll(cards);
      }
      // A retried call: its cards again.
      writer.submit(List.of(card(0), card(1)));
      assertThat(writer.awaitWritten(Duration.ofSeconds(60))).isTrue();
      assertThat(recorded(store)).containsExactlyElementsOf(expected);
      assertThat(writer.dropped()).isZero();
      writer.close();
    }
  }

  @Test
  void closingWritesWhatIsStillQueued() {
    try (FeedbackStore store = FeedbackStore.open(folder.resolve("f").toString())) {
      ShownCardWriter writer = new ShownCardWriter(store, 5_000, Duration.ofMillis(10));
      List<ShownCard> expected = new ArrayList<>();
      for (int n = 0; n < 2_000; n++) {
        expected.add(card(n));
      }
      writer.submit(expected);
      writer.close();
      assertThat(recorded(store)).containsExactlyElementsOf(expected);
      assertThatThrownBy(() -> writer.submit(List.of(card(1))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
  }

  /**
   * A call that has passed the writer's closed check when the service stops, and queues its
   * cards only after the writer saw its queue empty: its cards are written (close waits for it),
   * not left in a queue nobody reads. The call is held between the check and the queueing by a
   * list whose iteration waits, as a descheduled thread would be.
   */
  @Test
  void aCallQueueingWhileTheWriterClosesIsWrittenNotLost() throws Exception {
    try (FeedbackStore store = FeedbackStore.open(folder.resolve("f").toString())) {
      ShownCardWriter writer = new ShownCardWriter(store, 100, Duration.ofMillis(10));
      CountDownLatch iterating = new CountDownLatch(1);
      CountDownLatch proceed = new CountDownLatch(1);
      List<ShownCard> held = new java.util.AbstractList<>() {
        @Override
        public ShownCard get(int index) {
          return card(7);
        }

        @Override
        public int size() {
          return 1;
        }

        @Override
        public java.util.Iterator<ShownCard> iterator() {
          iterating.countDown();
          try {
            proceed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return super.iterator();
        }
      };
      Thread call = new Thread(() -> writer.submit(held));
      call.start();
      assertThat(iterating.await(10, TimeUnit.SECONDS)).isTrue();
      Thread stop = new Thread(writer::close);
      stop.start();
      // Long enough for the writer to find its queue empty and stop, were close not waiting.
      stop.join(500);
      proceed.countDown();
      call.join(10_000);
      stop.join(40_000);
      assertThat(stop.isAlive()).isFalse();
      assertThat(recorded(store)).containsExactly(card(7));
      assertThat(writer.dropped()).isZero();
    }
  }

  @Test
  void cardsAStoreRefusesAreRetriedThenCountedAsDropped() throws Exception {
    FeedbackStore store = FeedbackStore.open(folder.resolve("f").toString());
    store.close();
    ShownCardWriter writer = new ShownCardWriter(store, 100, Duration.ofMillis(5));
    writer.submit(List.of(card(1), card(2), card(3)));
    assertThat(writer.awaitWritten(Duration.ofSeconds(30))).isTrue();
    assertThat(writer.dropped()).isEqualTo(3);
    writer.close();
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfHoldingUpTheCall() throws Exception {
    FeedbackStore store = FeedbackStore.open(folder.resolve("f").toString());
    store.close();
    // A queue of 2 whose writer retries for a long time: the call still returns at once.
    ShownCardWriter writer = new ShownCardWriter(store, 2, Duration.ofSeconds(1));
    List<ShownCard> cards = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      cards.add(card(n));
    }
    long start = System.nanoTime();
    writer.submit(cards);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // At most the batch being tried (what the queue held) and a full queue again are held;
    // every other card is counted.
    assertThat(writer.dropped()).isBetween(46L, 50L);
    writer.close();
    assertThat(writer.dropped()).isEqualTo(50);
  }
}
