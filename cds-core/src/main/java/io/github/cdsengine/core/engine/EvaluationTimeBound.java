package io.github.cdsengine.core.engine;

import java.time.Duration;
import java.util.Set;
import org.kie.api.runtime.KieSession;

/**
 * The time bound of one evaluation: a deadline on {@link System#nanoTime()} (never the clinical
 * clock) that the engine's watchdog checks, sweeping the running evaluations periodically and
 * halting the session of one past its deadline while a firing or the matching between firings
 * runs. The evaluating thread reads the watchdog's verdict between fact types and between
 * firings ({@link #expired()}, a volatile read), and reads the clock itself once, before rules
 * fire ({@link #check()}): a clock read costs about as much as a hash lookup, and an evaluation
 * makes dozens of these checks. Halting takes
 * effect once the rule action under way returns: nothing in the JVM can safely stop an action
 * that never returns. The sweep costs an evaluation one set insertion and removal; scheduling
 * a task per evaluation would instead wake the watchdog thread whenever the new task became
 * the earliest, which is almost every time.
 */
final class EvaluationTimeBound {

  private final long deadline;
  private final KieSession session;
  private final Set<EvaluationTimeBound> running;
  /** Guarded by this: once finished, the watchdog must not touch the session. */
  private boolean finished;
  private volatile boolean expired;

  private EvaluationTimeBound(long deadline, KieSession session,
      Set<EvaluationTimeBound> running) {
    this.deadline = deadline;
    this.session = session;
    this.running = running;
  }

  /**
   * Starts the bound for an evaluation that began at {@code start} (System.nanoTime), entering
   * it in {@code running}, the set the watchdog sweeps.
   */
  static EvaluationTimeBound start(long start, Duration bound, KieSession session,
      Set<EvaluationTimeBound> running) {
    EvaluationTimeBound timeBound =
        new EvaluationTimeBound(start + bound.toNanos(), session, running);
    running.add(timeBound);
    return timeBound;
  }

  /**
   * How often the watchdog sweeps for a bound: a tenth of it, between 1 and 100 ms, so a session
   * is halted within a tenth of the bound (at most 100 ms) after its deadline.
   */
  static Duration sweepPeriod(Duration bound) {
    long millis = Math.max(1, Math.min(100, bound.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  /** Called by the watchdog: halts each running evaluation past its deadline. */
  static void sweep(Set<EvaluationTimeBound> running) {
    long now = System.nanoTime();
    for (EvaluationTimeBound timeBound : running) {
      if (now - timeBound.deadline >= 0) {
        timeBound.expire();
      }
    }
  }

  /**
   * Whether the deadline has passed, reading the clock; if so, halts the session. Called by the
   * evaluating thread only, which owns the session.
   */
  boolean check() {
    if (!expired && System.nanoTime() - deadline < 0) {
      return false;
    }
    expired = true;
    session.halt();
    return true;
  }

  /**
   * Whether the deadline passed before the evaluation finished, as far as this thread's {@link
   * #check()} or the watchdog's last sweep found.
   */
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
    running.remove(this);
  }
}
