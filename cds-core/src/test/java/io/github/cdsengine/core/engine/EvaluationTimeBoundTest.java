package io.github.cdsengine.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.engine.EvaluationTimeBound.Overrun;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The time bound's decisions on injected clocks: CPU time decides, elapsed time is only the
 * backstop, and the watchdog's sweep halts (and at the backstop interrupts) only what is past.
 */
class EvaluationTimeBoundTest {

  private static final Duration CPU_BOUND = Duration.ofMillis(100);
  private static final Duration BACKSTOP = Duration.ofMillis(500);

  private final AtomicLong cpu = new AtomicLong(7_000_000);
  private final AtomicLong wall = new AtomicLong(123_456_789);
  private final AtomicInteger halts = new AtomicInteger();
  private final Set<EvaluationTimeBound> running = ConcurrentHashMap.newKeySet();

  private EvaluationTimeBound bound(Thread thread) {
    EvaluationTimeBound bound = new EvaluationTimeBound(CPU_BOUND, BACKSTOP,
        new EvaluationTimeBound.Clocks(cpu::get, wall::get), halts::incrementAndGet, thread,
        running);
    running.add(bound);
    return bound;
  }

  private void advance(long cpuMillis, long wallMillis) {
    cpu.addAndGet(TimeUnit.MILLISECONDS.toNanos(cpuMillis));
    wall.addAndGet(TimeUnit.MILLISECONDS.toNanos(wallMillis));
  }

  @Test
  void aDescheduledEvaluationIsNotCutWhileItsCpuTimeIsUnderTheBound() {
    EvaluationTimeBound bound = bound(null);
    // Waiting for a core: elapsed time four times the CPU bound, 99 ms of CPU time.
    advance(99, 499);
    EvaluationTimeBound.sweep(running);
    assertThat(bound.measure()).isNull();
    assertThat(bound.check()).isFalse();
    assertThat(bound.expired()).isFalse();
    assertThat(halts).hasValue(0);
  }

  @Test
  void cpuTimeAtTheBoundCutsTheEvaluation() {
    EvaluationTimeBound bound = bound(Thread.currentThread());
    advance(99, 99);
    assertThat(bound.measure()).isNull();
    advance(1, 1);
    assertThat(bound.measure()).isEqualTo(Overrun.CPU_TIME);
    EvaluationTimeBound.sweep(running);
    assertThat(bound.expired()).isTrue();
    assertThat(bound.overrun()).isEqualTo(Overrun.CPU_TIME);
    assertThat(halts).hasValue(1);
    // The CPU bound halts; it never interrupts a thread that is computing.
    assertThat(bound.interrupted()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    bound.finish();
    assertThat(running).isEmpty();
  }

  @Test
  void theBackstopCutsAnEvaluationWhoseCpuTimeIsUnderTheBound() {
    EvaluationTimeBound bound = bound(null);
    advance(10, 499);
    assertThat(bound.measure()).isNull();
    advance(0, 1);
    assertThat(bound.measure()).isEqualTo(Overrun.ELAPSED_TIME);
    assertThat(bound.check()).isTrue();
    assertThat(bound.overrun()).isEqualTo(Overrun.ELAPSED_TIME);
    assertThat(halts).hasValue(1);
  }

  @Test
  void pastBothBoundsTheCpuBoundIsNamedAndTheThreadInterrupted() {
    EvaluationTimeBound bound = bound(Thread.currentThread());
    advance(600, 600);
    assertThat(bound.measure()).isEqualTo(Overrun.CPU_TIME);
    EvaluationTimeBound.sweep(running);
    assertThat(bound.overrun()).isEqualTo(Overrun.CPU_TIME);
    assertThat(bound.interrupted()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    bound.finish();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anEvaluationCutByCpuTimeThatThenBlocksIsInterruptedAtTheBackstop() {
    EvaluationTimeBound bound = bound(Thread.currentThread());
    advance(100, 100);
    EvaluationTimeBound.sweep(running);
    assertThat(bound.overrun()).isEqualTo(Overrun.CPU_TIME);
    assertThat(bound.interrupted()).isFalse();
    advance(0, 400); // the action under way, already halted, now waits
    EvaluationTimeBound.sweep(running);
    assertThat(bound.overrun()).isEqualTo(Overrun.CPU_TIME);
    assertThat(bound.interrupted()).isTrue();
    assertThat(halts).hasValue(1);
    bound.finish();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anUnreadableCpuClockIsMeasuredOnElapsedTime() {
    cpu.set(-1);
    EvaluationTimeBound bound = bound(null);
    wall.addAndGet(TimeUnit.MILLISECONDS.toNanos(99));
    assertThat(bound.measure()).isNull();
    wall.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(bound.measure()).isEqualTo(Overrun.CPU_TIME);
  }

  @Test
  void aFinishedEvaluationIsLeftAlone() {
    EvaluationTimeBound bound = bound(Thread.currentThread());
    bound.finish();
    advance(1000, 1000);
    running.add(bound); // even were it still listed, the sweep must not touch its session
    EvaluationTimeBound.sweep(running);
    assertThat(bound.expired()).isFalse();
    assertThat(halts).hasValue(0);
  }

  @Test
  void theBackstopInterruptsASleepingThreadAndFinishClearsTheInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger interruptedSleeps = new AtomicInteger();
    AtomicInteger interruptedAfterFinish = new AtomicInteger();
    EvaluationTimeBound[] holder = new EvaluationTimeBound[1];
    Thread evaluating = new Thread(() -> {
      holder[0] = bound(Thread.currentThread());
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interruptedSleeps.incrementAndGet();
        Thread.currentThread().interrupt(); // as an action that restores the flag would
      }
      holder[0].finish();
      if (Thread.currentThread().isInterrupted()) {
        interruptedAfterFinish.incrementAndGet();
      }
    });
    evaluating.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    advance(0, 500);
    EvaluationTimeBound.sweep(running);
    evaluating.join(10_000);
    assertThat(evaluating.isAlive()).isFalse();
    assertThat(interruptedSleeps).hasValue(1);
    assertThat(interruptedAfterFinish).hasValue(0);
    assertThat(holder[0].overrun()).isEqualTo(Overrun.ELAPSED_TIME);
    assertThat(holder[0].interrupted()).isTrue();
    assertThat(halts).hasValue(1);
  }

  @Test
  void theRealCpuClockIgnoresTimeSpentSleeping() throws Exception {
    assertThat(EvaluationTimeBound.measuresCpuTime())
        .as("thread CPU time is measured on the JVMs this project supports").isTrue();
    EvaluationTimeBound bound = EvaluationTimeBound.start(Duration.ofMillis(200),
        Duration.ofSeconds(60), halts::incrementAndGet, running);
    try {
      Thread.sleep(400); // descheduled for twice the CPU bound
      assertThat(bound.check()).isFalse();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      while (!bound.check()) { // burn CPU until the bound is reached
        if (System.nanoTime() - end > TimeUnit.SECONDS.toNanos(30)) {
          throw new AssertionError("200 ms of CPU time not reached in 30 s");
        }
      }
      assertThat(bound.overrun()).isEqualTo(Overrun.CPU_TIME);
      assertThat(halts).hasValue(1);
    } finally {
      bound.finish();
    }
  }
}
