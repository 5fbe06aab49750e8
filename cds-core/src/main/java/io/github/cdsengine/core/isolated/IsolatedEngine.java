package io.github.cdsengine.core.isolated;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.terminology.ValueSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds engines that evaluate in worker JVMs: {@code IsolatedEngine.builder()…build()} returns
 * a {@link CdsEngine} that hosts use like any other.
 *
 * <pre>{@code
 * try (CdsEngine engine = IsolatedEngine.builder()
 *     .addRulePack("uspstf-colorectal-cancer-screening")
 *     .addRules(Path.of("site-rules"))
 *     .workers(2).maxHeap("256m").deadline(Duration.ofSeconds(5))
 *     .build()) {
 *   EvaluationResult result = engine.evaluate(record, context);
 * }
 * }</pre>
 *
 * <p>What each method of the engine does across the process boundary: {@link CdsEngine#evaluate}
 * sends the record and context to an idle worker and returns its result, or an incomplete result
 * whose one failure, rule {@code (isolation)}, names what went wrong with the worker; {@link
 * CdsEngine#rules()}, {@link CdsEngine#packs()}, {@link CdsEngine#ruleSet()}, {@link
 * CdsEngine#measures()} and {@link CdsEngine#valueSets()} answer from the description the first
 * worker sent when it had built its engine (the same rule set in every worker); {@link
 * CdsEngine#close()} waits for evaluations under way, then stops every worker.
 */
public final class IsolatedEngine {

  private IsolatedEngine() {}

  /**
   * Starts building an isolated engine.
   *
   * @return a builder with no rules and the default worker settings
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the rule inputs (as {@link CdsEngine.Builder} takes them) and the worker settings,
   * and starts the workers. Not thread-safe.
   *
   * <p>Rule inputs are replayed, in the order given, on a {@link CdsEngine.Builder} in each
   * worker: rule files and value sets given as objects travel to the worker as they are; files
   * and directories given by path are read by the worker (give paths the worker can read); packs
   * given by id are found on the worker's class path, as {@link RulePack#discover} finds them.
   * Each rule-input method checks its arguments as the {@link CdsEngine.Builder} method of the
   * same name does, with the same messages.
   */
  public static final class Builder {
    /** The default heap bound of each worker JVM: {@code 256m}. */
    public static final String DEFAULT_MAX_HEAP = "256m";
    /** The default stack size of each worker thread: {@code 1m}. */
    public static final String DEFAULT_THREAD_STACK_SIZE = "1m";
    /** The default time a worker is given to start and build its engine: one minute. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(1);
    /** By default the deadline is the worker engine's elapsed-time backstop plus this. */
    public static final Duration DEFAULT_DEADLINE_MARGIN = Duration.ofSeconds(5);
    /** The default bound on one message between host and worker: 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,9}[kKmMgG]?");
    /** JVM options a host may not pass: agents and debuggers, and those the builder sets. */
    private static final List<String> REFUSED_OPTIONS = List.of("-agentlib", "-agentpath",
        "-javaagent", "-Xdebug", "-Xrunjdwp", "-Xmx", "-Xss", "-XX:ThreadStackSize",
        "-XX:MaxHeapSize", "-XX:-ExitOnOutOfMemoryError", "-XX:-DisplayVMOutputToStderr",
        "-XX:+DisplayVMOutputToStdout", "-XX:+CrashOnOutOfMemoryError",
        "-cp", "-classpath", "--class-path", "-jar", "-XX:Flags", "-XX:VMOptionsFile", "@");

    /** Checks each rule input as the in-process builder does, and is never built. */
    private final CdsEngine.Builder check = CdsEngine.builder();
    /** Packs added as objects, checked on the host under {@link #requireSignedPacks}. */
    private final List<RulePack> packObjects = new ArrayList<>();
    /** Rule files added outside packs (as text or from paths), by name. */
    private final List<String> looseRules = new ArrayList<>();
    private io.github.cdsengine.core.pack.TrustedKeys trustedKeys;
    private boolean unsignedRuleFiles;
    private final List<Wire.BuilderCall> calls = new ArrayList<>();
    private FailurePolicy failurePolicy = FailurePolicy.REPORT;
    private Duration maxEvaluationTime = CdsEngine.Builder.DEFAULT_MAX_EVALUATION_TIME;
    private Duration maxElapsedTime;
    private boolean rulePolicy = true;
    private int workers = 1;
    private String maxHeap = DEFAULT_MAX_HEAP;
    private String threadStackSize = DEFAULT_THREAD_STACK_SIZE;
    private Duration deadline;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path javaExecutable = defaultJava();
    private String classPath = System.getProperty("java.class.path");
    private final List<String> jvmOptions = new ArrayList<>();
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

    private Builder() {}

    // ---- Rule inputs, as CdsEngine.Builder takes them ----

    /**
     * Adds the rule pack with this id, found on the workers' class path ({@link
     * RulePack#INDEX}), for instance a shipped pack of {@code cds-rules}.
     *
     * @param packId the pack's id
     * @return this builder
     * @throws NullPointerException if {@code packId} is null
     */
    public Builder addRulePack(String packId) {
      calls.add(Wire.BuilderCall.of("addRulePackById", Objects.requireNonNull(packId, "packId")));
      return this;
    }

    /**
     * Adds a rule pack, sent to each worker as it is; see {@link CdsEngine.Builder#addRulePack}.
     *
     * @param pack the pack
     * @return this builder
     * @throws NullPointerException if {@code pack} is null
     */
    public Builder addRulePack(RulePack pack) {
      check.addRulePack(pack);
      packObjects.add(pack);
      calls.add(new Wire.BuilderCall("addRulePack", List.of(), pack, null, null, null));
      return this;
    }

    /**
     * Loads only rule packs validly signed by one of {@code keys}, as {@link
     * CdsEngine.Builder#requireSignedPacks} does: a pack added as an object is checked here, on
     * the host, before any worker starts; a pack added by id is loaded and checked by each
     * worker. Rule files outside packs are refused unless {@link #allowUnsignedRuleFiles()}.
     *
     * @param keys the public keys whose signatures are trusted
     * @return this builder
     * @throws NullPointerException if {@code keys} is null
     */
    public Builder requireSignedPacks(io.github.cdsengine.core.pack.TrustedKeys keys) {
      this.trustedKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Under {@link #requireSignedPacks}, still accepts rule files added outside packs.
     *
     * @return this builder
     */
    public Builder allowUnsignedRuleFiles() {
      this.unsignedRuleFiles = true;
      return this;
    }

    /** Under {@link #requireSignedPacks}, the problems of what the host holds; else none. */
    private List<io.github.cdsengine.core.problem.RuleProblem> unsigned() {
      List<io.github.cdsengine.core.problem.RuleProblem> problems = new ArrayList<>();
      if (trustedKeys == null) {
        return problems;
      }
      for (RulePack pack : packObjects) {
        problems.addAll(trustedKeys.check(pack));
      }
      if (!unsignedRuleFiles) {
        for (String file : looseRules) {
          problems.add(new io.github.cdsengine.core.problem.RuleProblem(file, 0, "the rule file "
              + "is in no signed rule pack, and signed packs are required; sign it into a "
              + "pack, or allow unsigned rule files"));
        }
      }
      return problems;
    }

    /**
     * Adds every rule pack in {@code packs}.
     *
     * @param packs the packs
     * @return this builder
     * @throws NullPointerException if {@code packs} or one of them is null
     */
    public Builder addRulePacks(Iterable<RulePack> packs) {
      packs.forEach(this::addRulePack);
      return this;
    }

    /**
     * Adds one DRL file given as text; see {@link CdsEngine.Builder#addRules(RuleFile)}.
     *
     * @param file the file's name and DRL text
     * @return this builder
     * @throws NullPointerException if {@code file} is null
     */
    public Builder addRules(RuleFile file) {
      check.addRules(file);
      looseRules.add(file.name());
      calls.add(new Wire.BuilderCall("addRules", List.of(), null, file, null, null));
      return this;
    }

    /**
     * Adds a DRL file, or every {@code .drl} file under a directory, which each worker reads;
     * see {@link CdsEngine.Builder#addRules(Path)}.
     *
     * @param fileOrDirectory a {@code .drl} file, or a directory to search
     * @return this builder
     * @throws NullPointerException if {@code fileOrDirectory} is null
     */
    public Builder addRules(Path fileOrDirectory) {
      Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
      looseRules.add(fileOrDirectory.toString());
      calls.add(Wire.BuilderCall.of("addRulesPath", fileOrDirectory.toAbsolutePath().toString()));
      return this;
    }

    /**
     * Adds a value set; see {@link CdsEngine.Builder#addValueSet}.
     *
     * @param valueSet the value set
     * @return this builder
     * @throws NullPointerException if {@code valueSet} is null
     */
    public Builder addValueSet(ValueSet valueSet) {
      check.addValueSet(valueSet);
      calls.add(new Wire.BuilderCall("addValueSet", List.of(), null, null, valueSet, null));
      return this;
    }

    /**
     * Adds a FHIR ValueSet JSON file, or every one under a directory, which each worker reads;
     * see {@link CdsEngine.Builder#addValueSets(Path)}.
     *
     * @param fileOrDirectory a ValueSet JSON file, or a directory to search
     * @return this builder
     * @throws NullPointerException if {@code fileOrDirectory} is null
     */
    public Builder addValueSets(Path fileOrDirectory) {
      Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
      calls.add(Wire.BuilderCall.of("addValueSetsPath",
          fileOrDirectory.toAbsolutePath().toString()));
      return this;
    }

    /**
     * Declares a quality measure; see {@link CdsEngine.Builder#addMeasure}.
     *
     * @param measure the measure's id, name and groups
     * @return this builder
     * @throws NullPointerException if {@code measure} is null
     */
    public Builder addMeasure(MeasureDefinition measure) {
      check.addMeasure(measure);
      calls.add(new Wire.BuilderCall("addMeasure", List.of(), null, null, null, measure));
      return this;
    }

    /**
     * Lets rules name a value set; see {@link CdsEngine.Builder#bindValueSetName}.
     *
     * @param name the name rules use
     * @param url the value set's canonical URL
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder bindValueSetName(String name, String url) {
      check.bindValueSetName(name, url);
      calls.add(Wire.BuilderCall.of("bindValueSetName", name, url));
      return this;
    }

    /**
     * Overrides a pack setting's default; see {@link CdsEngine.Builder#packSetting}.
     *
     * @param packId the pack's id
     * @param name the setting's name
     * @param value the setting's value in this engine
     * @return this builder
     * @throws NullPointerException if {@code packId} or {@code name} is null
     */
    public Builder packSetting(String packId, String name, boolean value) {
      check.packSetting(packId, name, value);
      calls.add(Wire.BuilderCall.of("packSetting", packId, name, Boolean.toString(value)));
      return this;
    }

    /**
     * Sets what an evaluation does when a rule fails, or the worker does; {@link
     * FailurePolicy#REPORT} by default. Under {@link FailurePolicy#FAIL_CLOSED} evaluate throws
     * {@link io.github.cdsengine.core.evaluation.EvaluationException} for an isolation failure
     * too.
     *
     * @param policy report failures in the result, or fail closed
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Bounds the rule firings in one evaluation; see {@link CdsEngine.Builder#maxRuleFirings}.
     *
     * @param max the most rule firings one evaluation may make
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     */
    public Builder maxRuleFirings(int max) {
      check.maxRuleFirings(max);
      calls.add(Wire.BuilderCall.of("maxRuleFirings", Integer.toString(max)));
      return this;
    }

    /**
     * Names the rule set; see {@link CdsEngine.Builder#ruleSetName}.
     *
     * @param name the rule set's name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder ruleSetName(String name) {
      check.ruleSetName(name);
      calls.add(Wire.BuilderCall.of("ruleSetName", name));
      return this;
    }

    /**
     * Bounds the CPU time of one evaluation inside the worker; see {@link
     * CdsEngine.Builder#maxEvaluationTime}.
     *
     * @param max the most CPU time one evaluation may take
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder maxEvaluationTime(Duration max) {
      check.maxEvaluationTime(max);
      this.maxEvaluationTime = max;
      calls.add(Wire.BuilderCall.of("maxEvaluationTime", max.toString()));
      return this;
    }

    /**
     * Bounds the elapsed time of one evaluation inside the worker; see {@link
     * CdsEngine.Builder#maxElapsedTime}.
     *
     * @param max the most elapsed time one evaluation may take
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder maxElapsedTime(Duration max) {
      check.maxElapsedTime(max);
      this.maxElapsedTime = max;
      calls.add(Wire.BuilderCall.of("maxElapsedTime", max.toString()));
      return this;
    }

    /**
     * Limits the size of each rule file; see {@link CdsEngine.Builder#maxRuleFileBytes}.
     *
     * @param max the most bytes in one rule file
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRuleFileBytes(int max) {
      check.maxRuleFileBytes(max);
      calls.add(Wire.BuilderCall.of("maxRuleFileBytes", Integer.toString(max)));
      return this;
    }

    /**
     * Limits the length of each line of a rule file; see {@link
     * CdsEngine.Builder#maxRuleFileLineLength}.
     *
     * @param max the most characters on one line
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRuleFileLineLength(int max) {
      check.maxRuleFileLineLength(max);
      calls.add(Wire.BuilderCall.of("maxRuleFileLineLength", Integer.toString(max)));
      return this;
    }

    /**
     * Limits the rules in one rule file; see {@link CdsEngine.Builder#maxRulesPerFile}.
     *
     * @param max the most rules in one file
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRulesPerFile(int max) {
      check.maxRulesPerFile(max);
      calls.add(Wire.BuilderCall.of("maxRulesPerFile", Integer.toString(max)));
      return this;
    }

    /**
     * How a worker's rule session is readied for the next evaluation; see {@link
     * CdsEngine.Builder#sessionReuse}.
     *
     * @param reuse how a rule session is readied for the next evaluation
     * @return this builder
     * @throws NullPointerException if {@code reuse} is null
     */
    public Builder sessionReuse(SessionReuse reuse) {
      check.sessionReuse(reuse);
      calls.add(Wire.BuilderCall.of("sessionReuse", reuse.name()));
      return this;
    }

    /**
     * Builds the workers' engines without the rule policy, for this package's tests of what a
     * worker contains (a rule that exits the JVM). Package-private: as with {@link
     * CdsEngine.Builder}, applications cannot turn the policy off.
     */
    Builder withoutRulePolicy() {
      rulePolicy = false;
      return this;
    }

    // ---- Worker settings ----

    /**
     * Sets how many worker JVMs evaluate side by side; 1 by default. Host threads beyond that
     * wait for a worker to be free.
     *
     * @param count the number of workers
     * @return this builder
     * @throws IllegalArgumentException if {@code count} is less than 1 or more than 64
     */
    public Builder workers(int count) {
      if (count < 1 || count > 64) {
        throw new IllegalArgumentException("workers must be from 1 to 64: " + count);
      }
      this.workers = count;
      return this;
    }

    /**
     * Bounds each worker's heap, as {@code -Xmx} takes it: {@code "256m"} (the default), {@code
     * "1g"}. A worker that runs out exits at once ({@code -XX:+ExitOnOutOfMemoryError}), and the
     * evaluation reports it.
     *
     * @param size a size in bytes, with an optional unit {@code k}, {@code m} or {@code g}
     * @return this builder
     * @throws NullPointerException if {@code size} is null
     * @throws IllegalArgumentException if {@code size} is not such a size
     */
    public Builder maxHeap(String size) {
      this.maxHeap = size(size, "maxHeap");
      return this;
    }

    /**
     * Sets the stack size of each worker's threads, as {@code -Xss} takes it; {@code "1m"} by
     * default. Rule code that recurses deeper fails its evaluation with the engine's own
     * StackOverflowError report.
     *
     * @param size a size in bytes, with an optional unit {@code k}, {@code m} or {@code g}
     * @return this builder
     * @throws NullPointerException if {@code size} is null
     * @throws IllegalArgumentException if {@code size} is not such a size
     */
    public Builder threadStackSize(String size) {
      this.threadStackSize = size(size, "threadStackSize");
      return this;
    }

    /**
     * Bounds the wall-clock time of one evaluation, measured by the host from sending the
     * request to receiving the reply; a worker past it is killed and the evaluation reports the
     * deadline. By default the worker engine's elapsed-time backstop ({@link
     * #maxElapsedTime}) plus {@link #DEFAULT_DEADLINE_MARGIN}, so that the worker's own time
     * bound, which names the rule, answers first wherever it can.
     *
     * @param max the most wall-clock time one evaluation may take; at least the worker engine's
     *     elapsed-time backstop, which {@link #build()} checks
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder deadline(Duration max) {
      this.deadline = positive(max, "deadline");
      return this;
    }

    /**
     * Bounds the time a worker is given to start and build its engine; {@link
     * #DEFAULT_START_TIMEOUT} by default.
     *
     * @param max the most time a worker may take to start
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder startTimeout(Duration max) {
      this.startTimeout = positive(max, "startTimeout");
      return this;
    }

    /**
     * Sets the {@code java} executable workers run on; by default the host's own ({@code
     * java.home}/bin/java).
     *
     * @param java the executable
     * @return this builder
     * @throws NullPointerException if {@code java} is null
     */
    public Builder javaExecutable(Path java) {
      this.javaExecutable = Objects.requireNonNull(java, "java");
      return this;
    }

    /**
     * Sets the class path of the workers: it must hold cds-core and its dependencies, and any
     * pack added by id. By default the host's {@code java.class.path}, which is right for a host
     * started with {@code java -cp}; a host whose classes come from another class loader (an
     * application server, a fat jar's loader, OSGi) gives the class path explicitly.
     *
     * @param path the class path, entries separated by the platform's path separator
     * @return this builder
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code path} is blank
     */
    public Builder classPath(String path) {
      Objects.requireNonNull(path, "path");
      if (path.isBlank()) {
        throw new IllegalArgumentException("classPath must not be blank");
      }
      this.classPath = path;
      return this;
    }

    /**
     * Adds options to the workers' JVM command line, for instance {@code
     * -XX:ActiveProcessorCount=1} or {@code -XX:+UseSerialGC}.
     *
     * @param options the options, each one argument
     * @return this builder
     * @throws NullPointerException if an option is null
     * @throws IllegalArgumentException for an agent or debugger ({@code -agentlib}, {@code
     *     -javaagent}, {@code -Xdebug}, ...), an option file, or an option the builder sets
     *     itself (heap, stack, class path, out-of-memory exit)
     */
    public Builder jvmOptions(String... options) {
      for (String option : options) {
        Objects.requireNonNull(option, "option");
        for (String refused : REFUSED_OPTIONS) {
          if (option.startsWith(refused)) {
            throw new IllegalArgumentException("the JVM option '" + option + "' is not allowed"
                + " for workers: no agents, debuggers or option files, and heap, stack and"
                + " class path have their own settings (maxHeap, threadStackSize, classPath)");
          }
        }
      }
      jvmOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Bounds each message between host and worker, in bytes, on both sides; {@link
     * #DEFAULT_MAX_MESSAGE_BYTES} by default. A request past it is refused before it is sent; a
     * reply past it is refused before it is read, and its worker replaced.
     *
     * @param max the most bytes in one message
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1024
     */
    public Builder maxMessageBytes(int max) {
      if (max < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024: " + max);
      }
      this.maxMessageBytes = max;
      return this;
    }

    /**
     * Starts the first worker, which builds the engine and so checks the rule set, then starts
     * the others in the background.
     *
     * @return the engine; close it to stop its workers
     * @throws RuleSetException listing every problem of the rule set, as {@link
     *     CdsEngine.Builder#build()} does
     * @throws IllegalArgumentException for a configuration the worker's builder refuses (a pack
     *     id not on the class path, an unknown pack setting, {@code maxElapsedTime} below {@code
     *     maxEvaluationTime}), or a deadline below the worker engine's elapsed-time backstop
     * @throws IllegalStateException if no rules were added, or if the first worker cannot be
     *     started within {@link #startTimeout} (the message quotes what it wrote while starting)
     */
    public CdsEngine build() {
      Duration backstop = maxElapsedTime != null ? maxElapsedTime
          : maxEvaluationTime.multipliedBy(CdsEngine.Builder.DEFAULT_ELAPSED_TIME_FACTOR);
      Duration wallClock = deadline != null ? deadline : backstop.plus(DEFAULT_DEADLINE_MARGIN);
      if (wallClock.compareTo(backstop) < 0) {
        throw new IllegalArgumentException("deadline (" + text(wallClock) + ") must be at least"
            + " the worker engine's elapsed-time backstop (" + text(backstop) + ")");
      }
      List<io.github.cdsengine.core.problem.RuleProblem> unsigned = unsigned();
      if (!unsigned.isEmpty()) {
        throw new RuleSetException(unsigned);
      }
      List<Wire.BuilderCall> sent = new ArrayList<>();
      if (trustedKeys != null) {
        // First, so that each worker checks every pack it loads by id.
        sent.add(Wire.BuilderCall.of("requireSignedPacksById", trustedKeys.toJwkSet()));
      }
      sent.addAll(calls);
      byte[] setup = Wire.write(new Wire.Setup(sent, rulePolicy));
      if (setup.length > maxMessageBytes) {
        throw new IllegalArgumentException("the rule inputs are " + setup.length + " bytes, over"
            + " the " + maxMessageBytes + "-byte limit (maxMessageBytes)");
      }
      WorkerProcess.Launch launch = new WorkerProcess.Launch(command(), maxMessageBytes, maxHeap);
      WorkerProcess.Started first;
      try {
        first = WorkerProcess.start(launch, setup, startTimeout);
      } catch (WorkerProcess.StartException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      Wire.Started answer = first.answer();
      if (answer.description() == null) {
        first.worker().stop();
        if (!answer.problems().isEmpty()) {
          throw new RuleSetException(answer.problems());
        }
        if ("IllegalStateException".equals(answer.errorClass())) {
          throw new IllegalStateException(answer.error());
        }
        throw new IllegalArgumentException(answer.error());
      }
      return new WorkerPool(new WorkerPool.Settings(launch, setup, wallClock, startTimeout,
          failurePolicy, workers), first);
    }

    private List<String> command() {
      List<String> command = new ArrayList<>();
      command.add(javaExecutable.toString());
      command.add("-Xmx" + maxHeap);
      command.add("-Xss" + threadStackSize);
      command.add("-XX:+ExitOnOutOfMemoryError");
      // The JVM's own messages (the out-of-memory exit's among them) go to standard error:
      // standard output carries frames only.
      command.add("-XX:+DisplayVMOutputToStderr");
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classPath);
      command.add(Worker.class.getName());
      command.add(Integer.toString(maxMessageBytes));
      return command;
    }

    /** A duration as the failures name it: {@code 5 s}, or {@code 1500 ms}. */
    static String text(Duration duration) {
      long millis = duration.toMillis();
      return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String size(String size, String what) {
      Objects.requireNonNull(size, what);
      if (!SIZE.matcher(size).matches()) {
        throw new IllegalArgumentException(what + " must be a size such as 256m or 1g: '"
            + size + "'");
      }
      return size.toLowerCase(Locale.ROOT);
    }

    private static Duration positive(Duration max, String what) {
      Objects.requireNonNull(max, what);
      if (max.isZero() || max.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + max);
      }
      return max;
    }

    private static Path defaultJava() {
      boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
          .startsWith("windows");
      return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }
  }
}
