package io.github.cdsengine.core;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kie.api.runtime.KieSession;

/**
 * The time bound of one evaluation: a deadline on {@link System#nanoTime()} (never the clinical
 * clock) checked by the evaluating thread between fact types and between firings, and a
 * watchdog task that halts the session when the deadline passes while a firing or the matching
 * between firings runs. Halting takes effect once the rule action under way returns: nothing in
 * the JVM can safely stop an action that never returns.
 */
final class EvaluationTimeBound {

  private final long deadline;
  private final KieSession session;
  private ScheduledFuture<?> watchdog;
  /** Guarded by this: once finished, the watchdog must not touch the session. */
  private boolean finished;
  private volatile boolean expired;

  private EvaluationTimeBound(long deadline, KieSession session) {
    this.deadline = deadline;
    this.session = session;
  }

  /** Starts the bound for an evaluation that began at {@code start} (System.nanoTime). */
  static EvaluationTimeBound start(long start, Duration bound, KieSession session,
      ScheduledExecutorService watchdogs) {
    long nanos = bound.toNanos();
    EvaluationTimeBound timeBound = new EvaluationTimeBound(start + nanos, session);
    long delay = Math.max(0, nanos - (System.nanoTime() - start));
    timeBound.watchdog = watchdogs.schedule(timeBound::expire, delay, TimeUnit.NANOSECONDS);
    return timeBound;
  }

  /**
   * Whether the deadline has passed; if so, halts the session. Called by the evaluating thread
   * only, which owns the session.
   */
  boolean check() {
    if (!expired && System.nanoTime() - deadline < 0) {
      return false;
    }
    expired = true;
    session.halt();
    return true;
  }

  /** Whether the deadline passed before the evaluation finished. */
  boolean expired() {
    return expired;
  }

  /** Halts the session unless the evaluation has finished; the session is then never reused. */
  private synchronized void expire() {
    if (finished || expired) {
      return;
    }
    expired = true;
    try {
      session.halt();
    } catch (RuntimeException e) {
      // The session ended meanwhile; nothing left to stop.
    }
  }

  /** Ends the bound: the watchdog leaves the session alone from here on. */
  synchronized void finish() {
    finished = true;
    watchdog.cancel(false);
  }
}
