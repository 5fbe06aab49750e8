package io.github.cdsengine.core.isolated;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine {@link IsolatedEngine.Builder} builds: a pool of worker JVMs, each holding the same
 * engine, shared by the host's threads one evaluation per worker at a time.
 *
 * <p>A worker that fails an evaluation (it exits, runs out of memory, breaks the protocol or
 * passes the deadline) is killed; the evaluation returns an incomplete result naming the failure
 * and a fresh worker is started in the background for the slot, which serves again once it is
 * ready.
 */
final class WorkerPool implements CdsEngine {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  /** The rule name of the failure an isolation failure is reported as. */
  static final String ISOLATION = "(isolation)";

  /** How long a waiting evaluation sleeps between checks that the pool is still open. */
  private static final long WAIT_SLICE_MILLIS = 100;

  /** A place for one worker; its worker is null while none is running. */
  private static final class Slot {
    WorkerProcess worker;
  }

  private final WorkerProcess.Launch launch;
  private final byte[] setup;
  private final Duration deadline;
  private final Duration startTimeout;
  private final FailurePolicy failurePolicy;
  private final Wire.Description description;
  private final ValueSets valueSets;
  private final int size;
  private final BlockingQueue<Slot> idle = new LinkedBlockingQueue<>();
  private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private volatile boolean closed;

  /** The settings a pool runs with, checked by the builder. */
  record Settings(WorkerProcess.Launch launch, byte[] setup, Duration deadline,
      Duration startTimeout, FailurePolicy failurePolicy, int workers) {}

  /** Takes the first worker, already started by the builder, and starts the others. */
  WorkerPool(Settings settings, WorkerProcess.Started first) {
    this.launch = settings.launch();
    this.setup = settings.setup();
    this.deadline = settings.deadline();
    this.startTimeout = settings.startTimeout();
    this.failurePolicy = settings.failurePolicy();
    this.size = settings.workers();
    this.description = first.answer().description();
    Map<String, ValueSet> byId = new HashMap<>();
    description.valueSets().forEach(v -> byId.put(v.id(), v));
    Map<String, ValueSet> names = new HashMap<>();
    description.valueSetNames().forEach((name, id) -> names.put(name, byId.get(id)));
    this.valueSets = ValueSets.of(description.valueSets(), names);
    this.shutdownHook = new Thread(this::killAll, "cds-isolated-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    live.add(first.worker());
    Slot slot = new Slot();
    slot.worker = first.worker();
    idle.add(slot);
    for (int i = 1; i < size; i++) {
      restart(new Slot());
    }
  }

  @Override
  public EvaluationResult evaluate(PatientRecord record, EvaluationContext context) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(context, "context");
    if (closed) {
      throw new IllegalStateException("the engine is closed");
    }
    byte[] request = Wire.write(new Wire.Request(record, context));
    if (request.length > launch.maxMessageBytes()) {
      throw new IllegalArgumentException("the request is " + request.length
          + " bytes, over the " + launch.maxMessageBytes() + "-byte limit (maxMessageBytes)");
    }
    long start = System.nanoTime();
    Slot slot = take();
    String failure;
    Wire.Reply reply = null;
    try {
      if (slot.worker == null) {
        slot.worker = startWorker();
      }
      if (slot.worker == null) {
        throw new IllegalStateException("the engine is closed");
      }
      WorkerProcess.Outcome outcome = slot.worker.evaluate(request, deadline);
      failure = outcome.failure();
      reply = outcome.reply();
      if (failure == null && reply.exception() != null) {
        failure = "the worker's engine threw " + reply.exception();
        if (!slot.worker.isAlive() || reply.exception().startsWith("java.lang.")
            && reply.exception().endsWith("Error")) {
          slot.worker.kill();
        }
      }
    } catch (WorkerProcess.StartException e) {
      failure = "no worker could be started: " + e.getMessage();
    } catch (RuntimeException e) {
      idle.add(slot);
      throw e;
    }
    if (slot.worker != null && !slot.worker.isAlive()) {
      live.remove(slot.worker);
      slot.worker = null;
      restart(slot);
    } else {
      idle.add(slot);
    }
    EvaluationResult result;
    if (failure == null) {
      result = reply.result();
    } else {
      LOG.warn("An isolated evaluation failed: {}", failure);
      result = new EvaluationResult(record.patient().id(), context.instant(), List.of(),
          List.of(), List.of(), record.warnings(), List.of(new RuleFailure(ISOLATION, failure)),
          Duration.ofNanos(System.nanoTime() - start), description.ruleSet());
    }
    if (!result.complete() && failurePolicy == FailurePolicy.FAIL_CLOSED) {
      throw new EvaluationException(result.failures());
    }
    return result;
  }

  /** Waits for an idle slot, checking now and then that the pool is still open. */
  private Slot take() {
    try {
      while (true) {
        Slot slot = idle.poll(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
        if (slot != null) {
          if (closed) {
            idle.add(slot);
            throw new IllegalStateException("the engine is closed");
          }
          return slot;
        }
        if (closed) {
          throw new IllegalStateException("the engine is closed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a worker", e);
    }
  }

  private WorkerProcess startWorker() throws WorkerProcess.StartException {
    WorkerProcess.Started started = WorkerProcess.start(launch, setup, startTimeout);
    if (started.answer().description() == null) {
      started.worker().kill();
      throw new WorkerProcess.StartException("the worker could not build the engine again", null);
    }
    live.add(started.worker());
    if (closed) {
      // close() may have stopped every live worker already: this one is stopped here.
      live.remove(started.worker());
      started.worker().stop();
      return null;
    }
    return started.worker();
  }

  /** Starts a worker for {@code slot} in the background; the slot is idle again after. */
  private void restart(Slot slot) {
    Thread thread = new Thread(() -> {
      try {
        slot.worker = startWorker();
      } catch (WorkerProcess.StartException e) {
        // The slot goes back empty: the next evaluation to take it tries again and reports.
        LOG.warn("A worker could not be restarted; the next evaluation will try again");
      } finally {
        idle.add(slot);
      }
    }, "cds-isolated-start");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public List<RuleInfo> rules() {
    return description.rules();
  }

  @Override
  public List<String> packs() {
    return description.packs();
  }

  @Override
  public String ruleSet() {
    return description.ruleSet();
  }

  @Override
  public List<MeasureDefinition> measures() {
    return description.measures();
  }

  @Override
  public ValueSets valueSets() {
    return valueSets;
  }

  /**
   * Waits for the evaluations under way to complete (each within its deadline) and for workers
   * being started, then stops every worker.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    List<Slot> slots = new ArrayList<>();
    long until = System.nanoTime() + deadline.plus(startTimeout).toNanos();
    try {
      while (slots.size() < size && System.nanoTime() < until) {
        Slot slot = idle.poll(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
        if (slot != null) {
          slots.add(slot);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Slot slot : slots) {
      if (slot.worker != null) {
        slot.worker.stop();
        live.remove(slot.worker);
      }
    }
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs anyway.
    }
  }

  /** Kills every worker still running. */
  private void killAll() {
    for (WorkerProcess worker : live) {
      worker.kill();
    }
    live.clear();
  }

  /** The process ids of the workers running now, for tests. */
  List<Long> workerPids() {
    return live.stream().filter(WorkerProcess::isAlive).map(WorkerProcess::pid).toList();
  }
}
