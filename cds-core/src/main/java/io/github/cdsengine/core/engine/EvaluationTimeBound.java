package io.github.cdsengine.core.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The time bound of one evaluation: a bound on the CPU time of the evaluating thread, and a
 * backstop several times larger on elapsed time ({@link System#nanoTime()}); neither is ever the
 * clinical clock, and no rule can see either.
 *
 * <p>CPU time counts only what the evaluation itself computes, so a machine running more threads
 * than it has cores, or a pause of the whole JVM, never cuts an evaluation: its thread is not
 * running then, and its CPU clock stands still. The elapsed-time backstop stops what the CPU
 * bound cannot see, an action that is blocked or sleeping; at the backstop the evaluating thread
 * is also interrupted, so that an action waiting in an interruptible call (sleep, wait, a lock
 * taken interruptibly) returns at once. When the JVM cannot measure thread CPU time ({@link
 * ThreadMXBean#isThreadCpuTimeSupported()} or {@link ThreadMXBean#isThreadCpuTimeEnabled()} is
 * false, or a reading fails), the CPU bound is measured on elapsed time instead.
 *
 * <p>The engine's watchdog checks the bounds, sweeping the running evaluations periodically and
 * halting the session of one past a bound while a firing or the matching between firings runs.
 * The evaluating thread reads the watchdog's verdict between fact types and between firings
 * ({@link #expired()}, a volatile read), and reads the clocks itself once, before rules fire
 * ({@link #check()}). Halting takes effect once the rule action under way returns: nothing in the
 * JVM can safely stop an action that never returns. The sweep costs an evaluation one set
 * insertion and removal; scheduling a task per evaluation would instead wake the watchdog thread
 * whenever the new task became the earliest, which is almost every time.
 */
final class EvaluationTimeBound {

  /** Which bound an evaluation ran past. */
  enum Overrun {
    /** The bound on the evaluating thread's CPU time ({@code maxEvaluationTime}). */
    CPU_TIME,
    /** The backstop on elapsed time ({@code maxElapsedTime}). */
    ELAPSED_TIME
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long cpuBound;
  private final long elapsedBound;
  private final LongSupplier cpuClock;
  private final LongSupplier wallClock;
  private final long cpuStart;
  private final long wallStart;
  private final Runnable halt;
  /** The evaluating thread, interrupted at the backstop; null for none. */
  private final Thread thread;
  private final Set<EvaluationTimeBound> running;
  /** Whether the evaluating thread was already interrupted when the evaluation began. */
  private final boolean interruptedBefore;
  /** Guarded by this: once finished, the watchdog must not touch the session. */
  private boolean finished;
  /** Guarded by this: whether the watchdog interrupted the evaluating thread. */
  private boolean interrupted;
  private volatile Overrun overrun;

  /**
   * The two clocks a bound reads, in nanoseconds.
   *
   * @param cpu the evaluating thread's CPU time; negative when it cannot be read
   * @param wall elapsed time
   */
  record Clocks(LongSupplier cpu, LongSupplier wall) {}

  EvaluationTimeBound(Duration cpuBound, Duration elapsedBound, Clocks clocks, Runnable halt,
      Thread thread, Set<EvaluationTimeBound> running) {
    this.cpuBound = cpuBound.toNanos();
    this.elapsedBound = elapsedBound.toNanos();
    this.cpuClock = clocks.cpu();
    this.wallClock = clocks.wall();
    this.wallStart = this.wallClock.getAsLong();
    this.cpuStart = this.cpuClock.getAsLong();
    this.halt = halt;
    this.thread = thread;
    this.interruptedBefore = thread != null && thread.isInterrupted();
    this.running = running;
  }

  /**
   * Starts the bound for an evaluation on the current thread that runs {@code halt} to stop,
   * entering it in {@code running}, the set the watchdog sweeps.
   */
  static EvaluationTimeBound start(Duration cpuBound, Duration elapsedBound, Runnable halt,
      Set<EvaluationTimeBound> running) {
    Thread current = Thread.currentThread();
    EvaluationTimeBound timeBound = new EvaluationTimeBound(cpuBound, elapsedBound,
        new Clocks(cpuClock(current), System::nanoTime), halt, current, running);
    running.add(timeBound);
    return timeBound;
  }

  /**
   * Whether this JVM measures thread CPU time; when it does not, the CPU bound is measured on
   * elapsed time.
   */
  static boolean measuresCpuTime() {
    try {
      return THREADS.isThreadCpuTimeSupported() && THREADS.isCurrentThreadCpuTimeSupported()
          && THREADS.isThreadCpuTimeEnabled();
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * The CPU time of {@code thread} in nanoseconds, readable from any thread; negative when it
   * cannot be read, which the bound then measures on elapsed time.
   */
  private static LongSupplier cpuClock(Thread thread) {
    if (!measuresCpuTime()) {
      return () -> -1;
    }
    long id = thread.getId();
    return () -> {
      try {
        return THREADS.getThreadCpuTime(id);
      } catch (UnsupportedOperationException e) {
        return -1;
      }
    };
  }

  /**
   * How often the watchdog sweeps for a CPU bound: a tenth of it, between 1 and 100 ms, so a
   * session is halted within a tenth of the bound (at most 100 ms) after the bound runs out.
   */
  static Duration sweepPeriod(Duration bound) {
    long millis = Math.max(1, Math.min(100, bound.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  /**
   * Called by the watchdog: halts each running evaluation past a bound, and interrupts the
   * thread of each past the backstop.
   */
  static void sweep(Set<EvaluationTimeBound> running) {
    for (EvaluationTimeBound timeBound : running) {
      Overrun past = timeBound.measure();
      if (past != null) {
        timeBound.expire(past, timeBound.backstopPassed());
      }
    }
  }

  private boolean backstopPassed() {
    return wallClock.getAsLong() - wallStart - elapsedBound >= 0;
  }

  /**
   * Which bound the evaluation is past, reading both clocks: the CPU bound first, since an
   * evaluation past it has done more work than it may, however long it also waited. Null while
   * it is within both.
   */
  Overrun measure() {
    long elapsed = wallClock.getAsLong() - wallStart;
    long cpuNow = cpuClock.getAsLong();
    long cpu = cpuNow < 0 || cpuStart < 0 ? elapsed : cpuNow - cpuStart;
    if (cpu - cpuBound >= 0) {
      return Overrun.CPU_TIME;
    }
    return elapsed - elapsedBound >= 0 ? Overrun.ELAPSED_TIME : null;
  }

  /**
   * Whether a bound has run out, reading the clocks; if so, halts the session. Called by the
   * evaluating thread only, which owns the session.
   */
  boolean check() {
    if (overrun == null) {
      Overrun past = measure();
      if (past == null) {
        return false;
      }
      overrun = past;
    }
    halt.run();
    return true;
  }

  /**
   * Whether a bound ran out before the evaluation finished, as far as this thread's {@link
   * #check()} or the watchdog's last sweep found.
   */
  boolean expired() {
    return overrun != null;
  }

  /** The bound the evaluation ran past; null if none. */
  Overrun overrun() {
    return overrun;
  }

  /** Whether the watchdog interrupted the evaluating thread at the backstop. */
  synchronized boolean interrupted() {
    return interrupted;
  }

  /**
   * Halts the session unless the evaluation has finished or was halted before, and once past the
   * backstop interrupts the evaluating thread (once); the session is then never reused.
   */
  private synchronized void expire(Overrun past, boolean backstop) {
    if (finished) {
      return;
    }
    if (overrun == null) {
      overrun = past;
      try {
        halt.run();
      } catch (RuntimeException e) {
        // The session ended meanwhile; nothing left to stop.
      }
    }
    if (backstop && !interrupted && thread != null) {
      interrupted = true;
      thread.interrupt();
    }
  }

  /**
   * Ends the bound: the watchdog leaves the session and the thread alone from here on. Called by
   * the evaluating thread, which it clears of the watchdog's interrupt, unless the thread was
   * interrupted before the evaluation began.
   */
  synchronized void finish() {
    finished = true;
    running.remove(this);
    if (interrupted && !interruptedBefore && thread == Thread.currentThread()) {
      Thread.interrupted();
    }
  }
}
