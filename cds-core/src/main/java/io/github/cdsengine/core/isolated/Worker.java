package io.github.cdsengine.core.isolated;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.terminology.ValueSet;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.SynchronousQueue;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVM's main class: builds the engine the host describes once, then evaluates the
 * requests that arrive on standard input one at a time, answering each on standard output.
 *
 * <p>Standard output carries frames only: the worker keeps the process's output stream for
 * itself and points {@code System.out} at standard error, so rule code that prints (possible only
 * with the rule policy off) cannot corrupt the protocol. A reader thread takes the host's frames;
 * when standard input ends (the host closed it, or the host is gone) the worker halts at once,
 * even while an evaluation is stuck in a loop, so no worker outlives its host.
 *
 * <p>Argument: the largest frame, in bytes, the worker accepts or sends.
 */
final class Worker {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /** The status a worker halts with when its host closes standard input. */
  static final int EXIT_INPUT_CLOSED = 0;
  /** The status a worker exits with when it cannot go on (a broken frame, a failed write). */
  static final int EXIT_PROTOCOL = 70;
  /** The status a worker exits with after its engine threw an Error it reported. */
  static final int EXIT_ERROR = 71;

  private Worker() {}

  public static void main(String[] args) {
    int limit = Integer.parseInt(args[0]);
    DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    DataInputStream in = new DataInputStream(
        new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    System.setOut(System.err);
    System.setIn(InputStream.nullInputStream());
    try {
      serve(in, out, limit);
    } catch (IOException | RuntimeException e) {
      LOG.error("Worker stopped: {}", e.getClass().getName());
      Runtime.getRuntime().halt(EXIT_PROTOCOL);
    }
  }

  private static void serve(DataInputStream in, DataOutputStream out, int limit)
      throws IOException {
    byte[] first = Frames.read(in, limit);
    if (first == null) {
      Runtime.getRuntime().halt(EXIT_INPUT_CLOSED);
    }
    Wire.Setup setup = Wire.read(first, Wire.Setup.class);
    TreeSet<String> names = new TreeSet<>();
    CdsEngine engine;
    try {
      engine = build(setup, names);
    } catch (RuleSetException e) {
      Frames.write(out, Wire.write(new Wire.Started(null, e.problems(), null, null)), limit);
      return;
    } catch (RuntimeException e) {
      // Configuration errors (an unknown pack id, a bad setting): the host's own input, no
      // patient's data, so the message goes back to it.
      Frames.write(out, Wire.write(new Wire.Started(null, List.of(),
          e.getClass().getSimpleName(), e.getMessage())), limit);
      return;
    }
    Frames.write(out, Wire.write(new Wire.Started(describe(engine, names), List.of(), null, null)),
        limit);
    LOG.info("Worker ready: {} rules", engine.rules().size());

    SynchronousQueue<byte[]> requests = new SynchronousQueue<>();
    Thread reader = new Thread(() -> readRequests(in, limit, requests), "cds-worker-input");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      byte[] frame;
      try {
        frame = requests.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Wire.Request request = Wire.read(frame, Wire.Request.class);
      Wire.Reply reply;
      try {
        EvaluationResult result = engine.evaluate(request.record(), request.context());
        reply = new Wire.Reply(result, null);
      } catch (RuntimeException e) {
        reply = new Wire.Reply(null, e.getClass().getName());
      } catch (Error e) {
        // The engine hands back what it cannot report as a rule failure (an OutOfMemoryError
        // thrown by code rather than by the heap, for one): this JVM may be in no state to go
        // on, so the worker reports the error's class and exits.
        Frames.write(out, Wire.write(new Wire.Reply(null, e.getClass().getName())), limit);
        Runtime.getRuntime().halt(EXIT_ERROR);
        return;
      }
      Frames.write(out, Wire.write(reply), limit);
    }
  }

  /** Hands each frame to the evaluating thread; halts the JVM when the input ends or breaks. */
  private static void readRequests(DataInputStream in, int limit,
      SynchronousQueue<byte[]> requests) {
    int status = EXIT_INPUT_CLOSED;
    try {
      byte[] frame;
      while ((frame = Frames.read(in, limit)) != null) {
        requests.put(frame);
      }
    } catch (IOException e) {
      LOG.error("Worker input broken: {}", e.getClass().getName());
      status = EXIT_PROTOCOL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(status);
  }

  /**
   * Replays the host's builder calls; the failure policy is the host's to apply. Adds to {@code
   * valueSetNames} every value-set name the calls bind.
   */
  static CdsEngine build(Wire.Setup setup, Set<String> valueSetNames) {
    CdsEngine.Builder builder = CdsEngine.builder().failurePolicy(FailurePolicy.REPORT);
    Map<String, RulePack> shipped = null;
    io.github.cdsengine.core.pack.TrustedKeys trusted = null;
    List<io.github.cdsengine.core.problem.RuleProblem> unsigned = new java.util.ArrayList<>();
    for (Wire.BuilderCall call : setup.calls()) {
      List<String> a = call.arguments();
      switch (call.method()) {
        case "requireSignedPacksById" ->
            trusted = io.github.cdsengine.core.pack.TrustedKeys.fromJwkSet(a.get(0));
        case "addRulePackById" -> {
          if (shipped == null) {
            shipped = RulePack.discover(Worker.class.getClassLoader()).stream()
                .collect(Collectors.toMap(RulePack::id, p -> p, (x, y) -> x, TreeMap::new));
          }
          RulePack pack = shipped.get(a.get(0));
          if (pack == null) {
            throw new IllegalArgumentException("no rule pack with the id '" + a.get(0)
                + "' on the worker's class path; found: " + shipped.keySet());
          }
          if (trusted != null) {
            unsigned.addAll(trusted.check(pack));
          }
          builder.addRulePack(pack);
          valueSetNames.addAll(pack.valueSetNames().keySet());
        }
        case "addRulePack" -> {
          builder.addRulePack(call.pack());
          valueSetNames.addAll(call.pack().valueSetNames().keySet());
        }
        case "addRules" -> builder.addRules(call.file());
        case "addRulesPath" -> builder.addRules(Path.of(a.get(0)));
        case "addValueSet" -> builder.addValueSet(call.valueSet());
        case "addValueSetsPath" -> builder.addValueSets(Path.of(a.get(0)));
        case "addMeasure" -> builder.addMeasure(call.measure());
        case "bindValueSetName" -> {
          builder.bindValueSetName(a.get(0), a.get(1));
          valueSetNames.add(a.get(0));
        }
        case "packSetting" ->
            builder.packSetting(a.get(0), a.get(1), Boolean.parseBoolean(a.get(2)));
        case "maxRuleFirings" -> builder.maxRuleFirings(Integer.parseInt(a.get(0)));
        case "ruleSetName" -> builder.ruleSetName(a.get(0));
        case "maxEvaluationTime" -> builder.maxEvaluationTime(Duration.parse(a.get(0)));
        case "maxElapsedTime" -> builder.maxElapsedTime(Duration.parse(a.get(0)));
        case "maxRuleFileBytes" -> builder.maxRuleFileBytes(Integer.parseInt(a.get(0)));
        case "maxRuleFileLineLength" ->
            builder.maxRuleFileLineLength(Integer.parseInt(a.get(0)));
        case "maxRulesPerFile" -> builder.maxRulesPerFile(Integer.parseInt(a.get(0)));
        case "sessionReuse" -> builder.sessionReuse(SessionReuse.valueOf(a.get(0)));
        default -> throw new IllegalArgumentException("unknown builder call: " + call.method());
      }
    }
    if (!unsigned.isEmpty()) {
      throw new io.github.cdsengine.core.problem.RuleSetException(unsigned);
    }
    if (!setup.rulePolicy()) {
      withoutRulePolicy(builder);
    }
    return builder.build();
  }

  /**
   * Turns the rule policy off, as the host asked. The switch is package-private in {@link
   * CdsEngine.Builder} so that applications cannot reach it; {@link IsolatedEngine.Builder}'s own
   * switch is package-private too, for this package's tests.
   */
  private static void withoutRulePolicy(CdsEngine.Builder builder) {
    try {
      Method off = CdsEngine.Builder.class.getDeclaredMethod("withoutRulePolicy");
      off.setAccessible(true);
      off.invoke(builder);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot turn the rule policy off", e);
    }
  }

  /** The engine's description, with the value-set names its rules use. */
  private static Wire.Description describe(CdsEngine engine, Set<String> names) {
    Map<String, String> valueSetNames = new TreeMap<>();
    for (String name : names) {
      Optional<ValueSet> found = engine.valueSets().find(name);
      found.ifPresent(v -> valueSetNames.put(name, v.id()));
    }
    return new Wire.Description(engine.rules(), engine.packs(), engine.ruleSet(),
        engine.measures(), List.copyOf(engine.valueSets().all()), valueSetNames);
  }
}
