package io.github.cdsengine.hooks.service;

import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.FeedbackStoreException;
import io.github.cdsengine.governance.ShownCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the cards a service returned in the feedback store, off the calls' path: a call only
 * queues its cards (no database work before the client gets them); one thread writes what is
 * queued in batches, one transaction a batch, usually within milliseconds.
 *
 * <p>What that costs: a card is durable once its batch is committed, not when the call returns,
 * so a crash loses the cards still queued (at most the queue's capacity, in practice the last
 * few milliseconds of calls); a clean stop ({@link #close()}) writes them all. When the queue is
 * full (the database down or slower than the calls) or a batch still fails after its retries,
 * cards are dropped rather than holding up clinicians' calls: each drop is counted
 * ({@link #dropped()}) and logged as a count, never with patient data, so an override rate
 * computed over that time is known to lack showings.
 */
final class ShownCardWriter implements AutoCloseable {

  /** Cards queued at most. */
  static final int DEFAULT_CAPACITY = 10_000;
  /** Cards written in one transaction at most. */
  static final int BATCH = 500;
  /** Attempts at a batch before its cards are dropped. */
  static final int ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ShownCardWriter.class);

  private final FeedbackStore store;
  private final BlockingQueue<ShownCard> queue;
  private final Duration retryPause;
  private final Thread writer;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closing;
  /**
   * Held shared by each {@link #submit} from its check of {@link #closing} until its cards are
   * queued, and alone by {@link #close()} to set it: so no card is queued after the writer may
   * have seen the queue empty and stopped (such a card was neither written nor counted).
   */
  private final ReadWriteLock submitting = new ReentrantReadWriteLock();

  ShownCardWriter(FeedbackStore store, int capacity, Duration retryPause) {
    this.store = Objects.requireNonNull(store, "store");
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.retryPause = Objects.requireNonNull(retryPause, "retryPause");
    this.writer = new Thread(this::run, "cds-shown-card-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues cards to be recorded; never waits for the database. */
  void submit(List<ShownCard> cards) {
    submitting.readLock().lock();
    try {
      if (closing) {
        throw new IllegalStateException("the shown-card writer is closed");
      }
      queue(cards);
    } finally {
      submitting.readLock().unlock();
    }
  }

  private void queue(List<ShownCard> cards) {
    for (ShownCard card : cards) {
      if (queue.offer(card)) {
        queued.incrementAndGet();
      } else {
        long lost = dropped.incrementAndGet();
        if (lost == 1 || lost % 1000 == 0) {
          LOG.warn("shown-card queue full ({} cards): {} shown cards not recorded so far; "
              + "override rates lack those showings", queue.size() + queue.remainingCapacity(),
              lost);
        }
      }
    }
  }

  /** Cards dropped so far: the queue was full, or their batch failed every attempt. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Waits until every card queued so far is written or dropped.
   *
   * @return whether that happened within {@code timeout}
   */
  boolean awaitWritten(Duration timeout) throws InterruptedException {
    long target = queued.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done.get() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  private void run() {
    List<ShownCard> batch = new ArrayList<>(BATCH);
    while (true) {
      ShownCard first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = queue.poll();
      }
      if (first == null) {
        if (closing) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, BATCH - 1);
      write(batch);
      done.addAndGet(batch.size());
      batch.clear();
    }
  }

  private void write(List<ShownCard> batch) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        store.recordShown(batch);
        return;
      } catch (FeedbackStoreException | IllegalStateException e) {
        LOG.warn("recording {} shown cards failed (attempt {} of {}): {}", batch.size(),
            attempt, ATTEMPTS, e.getClass().getSimpleName());
        if (attempt < ATTEMPTS && !closing) {
          try {
            Thread.sleep(retryPause.toMillis() * attempt);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    long lost = dropped.addAndGet(batch.size());
    LOG.warn("{} shown cards not recorded after {} attempts ({} so far); override rates lack "
        + "those showings", batch.size(), ATTEMPTS, lost);
  }

  /** Writes what is queued, then stops the writer (waiting up to 30 s). */
  @Override
  public void close() {
    submitting.writeLock().lock();
    try {
      closing = true;
    } finally {
      submitting.writeLock().unlock();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.warn("the shown-card writer did not finish within 30 s; {} cards still queued",
          queue.size());
    }
  }
}
