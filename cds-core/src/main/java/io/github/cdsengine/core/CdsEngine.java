package io.github.cdsengine.core;

import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSetReader;
import io.github.cdsengine.core.terminology.ValueSets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.SettingDefinition;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.engine.CompiledRules;
import io.github.cdsengine.core.engine.DroolsEngine;
import io.github.cdsengine.core.engine.EvaluationLimits;
import io.github.cdsengine.core.engine.NameBinding;
import io.github.cdsengine.core.engine.RuleBaseCompiler;
import io.github.cdsengine.core.engine.RuleFileLimits;
import io.github.cdsengine.core.engine.RuleSetIdentity;
import io.github.cdsengine.core.engine.RuleSources;

/**
 * Evaluates guideline rules against patient records and returns ranked, explained
 * recommendations.
 *
 * <p>Build an engine once with {@link #builder()} (rules are compiled and checked then), then
 * call {@link #evaluate} from any number of threads. An engine keeps rule sessions for reuse, one
 * per evaluation under way at most, each cleared of the last patient's facts before it serves the
 * next ({@link SessionReuse}); {@link #close()} releases them.
 *
 * <h2>Ranking</h2>
 *
 * Shown recommendations are ordered by, in turn: severity (critical, warning, info); evidence
 * strength (strong, moderate, weak, insufficient, see {@link io.github.cdsengine.core.evaluation.EvidenceGrade}); category in
 * {@link io.github.cdsengine.core.evaluation.Category} declaration order (acute alerts first, screening last); recommendation id.
 * The order depends on nothing else, so the same input always gives the same order, and each
 * recommendation's {@link io.github.cdsengine.core.evaluation.Recommendation#rankReason()} says where it stands on each key.
 *
 * <h2>Failures</h2>
 *
 * A rule whose action throws is stopped: the proposals it inserted in that firing are discarded,
 * its suppressions and contraindications are kept (withholding is the safe side), and the other
 * rules go on firing. A rule whose conditions throw stops the whole evaluation, since the rule
 * engine cannot go on from there: what rules concluded before it is kept and nothing after. An
 * evaluation that reaches the firing bound ({@link Builder#maxRuleFirings}) or the time bound
 * ({@link Builder#maxEvaluationTime} on CPU time, with {@link Builder#maxElapsedTime} as a
 * backstop on elapsed time; checked between firings, see there for what it cannot stop) is stopped the same way, and its rule session is destroyed. Under the default {@link FailurePolicy#REPORT} the result lists every failure and {@link
 * EvaluationResult#complete()} is false, so a host must show it as incomplete; under {@link
 * FailurePolicy#FAIL_CLOSED} evaluate throws {@link io.github.cdsengine.core.evaluation.EvaluationException} instead. Logs name the
 * failed rule only, never the exception's message, which may quote patient data.
 *
 * <p>Rule code that recurses too deep (a DRL function that calls itself without end) fails
 * its evaluation the same way: the {@link StackOverflowError} is a failure naming the rule when
 * the rule runtime says which one was firing, the session is discarded, and the engine goes on
 * serving; the thread is sound again once its stack has unwound. Any other {@link Error}
 * ({@link OutOfMemoryError} first among them) is not a rule failure: the JVM may be in no state
 * to go on, so evaluate discards the session and throws the error itself, for the host to
 * handle.
 *
 * <h2>Rule policy</h2>
 *
 * DRL is code, so before anything is compiled every rule file, shipped packs included, is
 * checked against an allow-list: rules may use the fact model and helpers ({@code
 * io.github.cdsengine.core.model}, {@code .rule}, {@code .terminology}, {@code .units}), the
 * types the rule set declares, {@code java.time}, plain collections, {@code java.math}, strings
 * and numbers; a pack's rule files may also call the pack's own {@linkplain
 * RulePack#helperPackages() helper packages}, which no other file may. System, Runtime,
 * processes, threads, reflection and class loading, files, network, JDK and engine internals,
 * the system clock, the rule context ({@code drools}, {@code kcontext}) and the MVEL dialect are
 * refused, each with its file, line and reason in the {@link
 * io.github.cdsengine.core.problem.RuleSetException}. The check reads tokens, not a syntax
 * tree: it is defence in depth, not a sandbox, and it cannot stop a rule that loops or allocates
 * without bound. Run rule sets from authors you do not trust in a JVM that has no permission to
 * do harm as well.
 */
public interface CdsEngine extends AutoCloseable {

  /**
   * Starts building an engine.
   *
   * @return a builder with no rules
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates every rule against {@code record} at the clinical time given by {@code context}:
   * the one way in. The record's {@linkplain PatientRecord#draftOrders() draft orders} are marked
   * by {@link io.github.cdsengine.core.rule.DraftOrder} facts, so that rules can tell the orders
   * being written from those already on record, and the record's {@linkplain
   * PatientRecord#warnings() reader warnings} come first in the result's warnings. After the
   * rules, the context's clinician responses apply: each recommendation with an active {@link
   * io.github.cdsengine.core.evaluation.Snooze} is withheld with the reason "snoozed by a clinician
   * until ..." (a critical one only where its pack allows it, else a data warning says the snooze
   * was ignored), then the context's {@link
   * io.github.cdsengine.core.evaluation.InterruptiveBudget} demotes what exceeds it to info.
   * Thread-safe.
   *
   * @param record the patient's facts
   * @param context the clinical instant and time zone to evaluate at, any measurement period, and
   *     the patient's snoozes and acknowledgements with the interruptive-alert budget
   * @return the recommendations ranked, those withheld, data warnings and rule failures
   * @throws NullPointerException if an argument is null
   * @throws io.github.cdsengine.core.evaluation.EvaluationException under {@link
   *     FailurePolicy#FAIL_CLOSED} when a rule fails
   * @throws IllegalStateException if the engine is closed
   */
  EvaluationResult evaluate(PatientRecord record, EvaluationContext context);

  /**
   * The engine's rules, sorted by file and line.
   *
   * @return every rule, sorted by file and line
   */
  List<RuleInfo> rules();

  /**
   * The engine's rule packs' ids and versions, e.g. {@code uspstf-colorectal-cancer-screening@1.0.0}.
   *
   * @return {@code id@version} of each pack
   */
  List<String> packs();

  /**
   * The identity of the engine's rule set, carried by every result it returns ({@link
   * EvaluationResult#ruleSet()}): the name given to {@link Builder#ruleSetName}, or else its
   * packs' ids and versions joined by commas ({@code uspstf-colorectal-cancer-screening@1.1.0}),
   * followed by each pack setting whose value differs from its default ({@code
   * cdc-opioids-2016:opiate-urine-screening-check=false}), then by {@code rules#} and the first 12 hex digits of the SHA-256 of the rule files
   * added outside packs, if any. The same rules give the same identity in every run.
   *
   * @return the rule set's name or identity
   */
  String ruleSet();

  /**
   * The quality measures the engine's rules compute populations for, by id.
   *
   * @return the measures' definitions
   */
  List<MeasureDefinition> measures();

  /**
   * The value sets loaded into the engine.
   *
   * @return the value sets
   */
  ValueSets valueSets();

  /**
   * Whether the engine's rules were read from a {@linkplain
   * io.github.cdsengine.core.engine.RuleImages rule image} rather than compiled from source
   * (see {@link Builder#ruleImages}); evaluation is the same either way.
   *
   * @return true when read from an image
   */
  default boolean fromRuleImage() {
    return false;
  }

  /**
   * Waits for evaluations under way to complete, then releases the engine's rule sessions; later
   * calls to {@link #evaluate} throw {@link IllegalStateException}.
   */
  @Override
  void close();

  /** Collects rules and value sets and builds an engine from them. Not thread-safe. */
  final class Builder {
    /** The default bound on rule firings in one evaluation. */
    public static final int DEFAULT_MAX_RULE_FIRINGS = 10_000;
    /** The default bound on the CPU time one evaluation may take: one second. */
    public static final Duration DEFAULT_MAX_EVALUATION_TIME = Duration.ofSeconds(1);
    /**
     * By default the elapsed-time backstop ({@link #maxElapsedTime}) is this many times the CPU
     * bound ({@link #maxEvaluationTime}): five seconds for the default one second.
     */
    public static final int DEFAULT_ELAPSED_TIME_FACTOR = 5;
    /**
     * The default limit on the size of one rule file: 1 MiB, sixteen times the largest shipped
     * file (64 KB).
     */
    public static final int DEFAULT_MAX_RULE_FILE_BYTES = 1 << 20;
    /**
     * The default limit on the length of one line of a rule file: 20,000 characters, seven times
     * the longest line of the shipped files (2,653, a list of codes).
     */
    public static final int DEFAULT_MAX_RULE_FILE_LINE_LENGTH = 20_000;
    /**
     * The default limit on the rules in one rule file: 1,000, fifty times the most in a shipped
     * file (18).
     */
    public static final int DEFAULT_MAX_RULES_PER_FILE = 1_000;

    /** A rule's read of a pack setting with literal arguments: {@code enabled("pack", "name")}. */
    private static final java.util.regex.Pattern SETTING_READ = java.util.regex.Pattern.compile(
        "\\benabled\\s*\\(\\s*\"([^\"\\\\]*)\"\\s*,\\s*\"([^\"\\\\]*)\"\\s*\\)");

    private final List<RulePack> packs = new ArrayList<>();
    /** Rule files given as text, and DRL files named by path, read by build(), in order. */
    private final List<RuleInput> ruleInputs = new ArrayList<>();
    private final List<ValueSet> valueSets = new ArrayList<>();
    private final List<RuleProblem> loadProblems = new ArrayList<>();
    private final List<MeasureDefinition> measures = new ArrayList<>();
    private final Map<String, NameBinding> valueSetNames =
        new TreeMap<>();
    private FailurePolicy failurePolicy = FailurePolicy.REPORT;
    private int maxRuleFirings = DEFAULT_MAX_RULE_FIRINGS;
    private Duration maxEvaluationTime = DEFAULT_MAX_EVALUATION_TIME;
    /** Null for {@link #DEFAULT_ELAPSED_TIME_FACTOR} times the CPU bound. */
    private Duration maxElapsedTime;
    private SessionReuse sessionReuse = SessionReuse.DELETE_FACTS;
    private boolean answerUntouchedWithoutSession = true;
    private int maxRuleFileBytes = DEFAULT_MAX_RULE_FILE_BYTES;
    private int maxRuleFileLineLength = DEFAULT_MAX_RULE_FILE_LINE_LENGTH;
    private int maxRulesPerFile = DEFAULT_MAX_RULES_PER_FILE;
    private boolean rulePolicy = true;
    private io.github.cdsengine.core.engine.RuleImages ruleImages =
        io.github.cdsengine.core.engine.RuleImages.onClassPath(CdsEngine.class.getClassLoader());
    private io.github.cdsengine.core.pack.TrustedKeys trustedKeys;
    private boolean unsignedRuleFiles;
    private String ruleSetName;
    /** Host overrides of pack settings, by pack id then setting name, in the order given. */
    private final Map<String, Map<String, Boolean>> packSettings = new java.util.LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a shipped rule pack: its rules, its value sets, its measures and its value-set names.
     * A rule file that an earlier pack already added (the same path and text) is compiled once.
     *
     * @param pack the pack
     * @return this builder
     */
    public Builder addRulePack(RulePack pack) {
      packs.add(Objects.requireNonNull(pack, "pack"));
      measures.addAll(pack.measures());
      pack.valueSetNames().forEach((name, url) -> bindValueSetName(name, url, pack.id()));
      return this;
    }

    /**
     * Declares a quality measure whose populations rules loaded with {@link #addRules} compute
     * (packs declare their own).
     *
     * @param measure the measure's id, name and groups
     * @return this builder
     */
    public Builder addMeasure(MeasureDefinition measure) {
      measures.add(Objects.requireNonNull(measure, "measure"));
      return this;
    }

    /**
     * Lets rules name the value set whose canonical URL is {@code url} as {@code name}, e.g.
     * {@code "Office Visit"} for a VSAC value set; the value set itself must be added too.
     *
     * @param name the name rules use
     * @param url the value set's canonical URL
     * @return this builder
     */
    public Builder bindValueSetName(String name, String url) {
      return bindValueSetName(name, url, "(engine builder)");
    }

    private Builder bindValueSetName(String name, String url, String source) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
      NameBinding previous =
          valueSetNames.putIfAbsent(name, new NameBinding(url, source));
      if (previous != null && !previous.url().equals(url)) {
        loadProblems.add(new RuleProblem(source, 0, "value set name '" + name + "' is bound to "
            + url + " here and to " + previous.url() + " by " + previous.source()));
      }
      return this;
    }

    /**
     * Adds every rule pack in {@code packs}.
     *
     * @param packs the packs
     * @return this builder
     */
    public Builder addRulePacks(Iterable<RulePack> packs) {
      packs.forEach(this::addRulePack);
      return this;
    }

    /**
     * Adds one DRL file given as text.
     *
     * @param file the file's name and DRL text
     * @return this builder
     */
    public Builder addRules(RuleFile file) {
      ruleInputs.add(new RuleInput(Objects.requireNonNull(file, "file"), null));
      return this;
    }

    /**
     * Adds a DRL file, or every {@code .drl} file under a directory. The files are read by
     * {@link #build()}, which reports a path that cannot be read, or a file larger than {@link
     * #maxRuleFileBytes} (left unread), with the other problems.
     *
     * @param fileOrDirectory a {@code .drl} file, or a directory to search
     * @return this builder
     */
    public Builder addRules(Path fileOrDirectory) {
      for (Path file : files(fileOrDirectory, ".drl")) {
        ruleInputs.add(new RuleInput(null, file));
      }
      return this;
    }

    /** A rule file given as text, or the path of one that build() reads. */
    private record RuleInput(RuleFile file, Path path) {}

    /**
     * The rule files added outside packs, in order, reading those given by path; a file that
     * cannot be read, or is larger than the byte limit and so is not read, is a problem.
     */
    private List<RuleFile> readRuleFiles(List<RuleProblem> problems) {
      List<RuleFile> files = new ArrayList<>();
      for (RuleInput input : ruleInputs) {
        if (input.file() != null) {
          files.add(input.file());
          continue;
        }
        String name = input.path().toString();
        try {
          long size = Files.size(input.path());
          if (size > maxRuleFileBytes) {
            problems.add(new RuleProblem(name, 0, "the file is " + size + " bytes, larger than "
                + maxRuleFileBytes + " bytes, the limit for one rule file (maxRuleFileBytes), so "
                + "it was not read; split it, one file per guideline or measure"));
            continue;
          }
          files.add(new RuleFile(name, Files.readString(input.path(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          problems.add(new RuleProblem(name, 0, "cannot read: " + e.getMessage()));
        }
      }
      return files;
    }

    /**
     * Adds a value set.
     *
     * @param valueSet the value set
     * @return this builder
     */
    public Builder addValueSet(ValueSet valueSet) {
      valueSets.add(Objects.requireNonNull(valueSet, "valueSet"));
      return this;
    }

    /**
     * Adds a FHIR ValueSet JSON file, or every {@code .json} file under a directory except rule
     * pack manifests ({@code pack.json}). Problems are reported by {@link #build()}.
     *
     * @param fileOrDirectory a ValueSet JSON file, or a directory to search
     * @return this builder
     */
    public Builder addValueSets(Path fileOrDirectory) {
      for (Path file : files(fileOrDirectory, ".json")) {
        if (Files.isDirectory(fileOrDirectory) && file.getFileName().toString().equals("pack.json")) {
          continue;
        }
        try (InputStream in = Files.newInputStream(file)) {
          valueSets.add(ValueSetReader.read(in, file.toString()));
        } catch (IOException e) {
          loadProblems.add(new RuleProblem(file.toString(), 0, "cannot read: " + e.getMessage()));
        } catch (InvalidDataException e) {
          loadProblems.add(new RuleProblem(file.toString(), 0, e.getMessage()));
        }
      }
      return this;
    }

    /**
     * Overrides the default of a setting that a rule pack declares ({@link RulePack#settings()}),
     * e.g. {@code packSetting("cdc-opioids-2016", "opiate-urine-screening-check", false)}. The
     * last value given for a setting wins. {@link #build()} checks that a pack with that id was
     * added and declares that setting.
     *
     * @param packId the pack's id
     * @param name the setting's name
     * @param value the setting's value in this engine
     * @return this builder
     * @throws NullPointerException if {@code packId} or {@code name} is null
     */
    public Builder packSetting(String packId, String name, boolean value) {
      Objects.requireNonNull(packId, "packId");
      Objects.requireNonNull(name, "name");
      packSettings.computeIfAbsent(packId, id -> new java.util.LinkedHashMap<>()).put(name, value);
      return this;
    }

    /**
     * Sets what an evaluation does when a rule fails; {@link FailurePolicy#REPORT} by default.
     *
     * @param policy report failed rules in the result, or fail closed
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Bounds the rule firings in one evaluation; an evaluation that would fire more is stopped
     * and reported as a failure naming the rule that fired most. {@value
     * #DEFAULT_MAX_RULE_FIRINGS} by default.
     *
     * @param max the most rule firings one evaluation may make
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1 or not less than
     *     {@code Integer.MAX_VALUE}
     */
    public Builder maxRuleFirings(int max) {
      if (max < 1 || max == Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxRuleFirings must be at least 1: " + max);
      }
      this.maxRuleFirings = max;
      return this;
    }

    /**
     * Names the rule set, for instance {@code "guidelines 2025-06"}: the name replaces the
     * identity derived from packs and files in {@link CdsEngine#ruleSet()} and in every result.
     *
     * @param name the rule set's name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder ruleSetName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("ruleSetName must not be blank: '" + name + "'");
      }
      this.ruleSetName = name;
      return this;
    }

    /**
     * Bounds the CPU time one evaluation may take: the time the evaluating thread spends
     * computing, read from its CPU clock ({@link java.lang.management.ThreadMXBean#getThreadCpuTime},
     * never the clinical clock); {@link #DEFAULT_MAX_EVALUATION_TIME} (one second) by default.
     * Time the thread spends waiting for a core, in a pause of the whole JVM, or blocked, does not
     * count, so load alone never cuts an evaluation; {@link #maxElapsedTime} is the backstop for
     * an action that is blocked or sleeping. Where the JVM does not measure thread CPU time
     * ({@code ThreadMXBean.isThreadCpuTimeSupported()} or {@code isThreadCpuTimeEnabled()} is
     * false; the engine logs a warning when it is built) this bound is measured as elapsed time
     * instead, and load can then cut an evaluation.
     *
     * <p>An evaluation past the bound is stopped and reported as a {@link
     * io.github.cdsengine.core.evaluation.RuleFailure} naming the rule that was firing when the
     * time ran out, or {@code (engine)} when it ran out while facts were inserted or matched, and
     * the bound; what rules concluded before is kept, and under {@link FailurePolicy#FAIL_CLOSED}
     * evaluate throws. The stopped rule session is destroyed, never reused; the engine goes on
     * serving.
     *
     * <p>What the bound can stop: a rule that fires too often or too long (a {@code modify}
     * loop, a slow action repeated), slow constraints, many slow facts. It is checked between
     * fact types while the patient's facts are inserted and between rule firings, and a watchdog
     * thread (one daemon thread per engine, started by the first evaluation) sweeps the running
     * evaluations every tenth of the bound (at most 100 ms) and halts the rule session of one
     * whose time ran out during a firing. What it cannot stop: a halt takes effect only when the
     * action under way returns, so an action stuck in a loop that never ends keeps its thread;
     * Java has no safe way to stop a running thread, and interrupting it would not stop a loop
     * that checks nothing. The evaluation then returns, reporting the bound, only if that action
     * ends. Run rule sets you do not trust under a host-side timeout as well.
     *
     * @param max the most CPU time one evaluation may take
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder maxEvaluationTime(Duration max) {
      Objects.requireNonNull(max, "max");
      if (max.isZero() || max.isNegative()) {
        throw new IllegalArgumentException("maxEvaluationTime must be positive: " + max);
      }
      this.maxEvaluationTime = saturate(max);
      return this;
    }

    /**
     * Bounds the elapsed time one evaluation may take, measured with {@link System#nanoTime()}:
     * the backstop for what the CPU bound ({@link #maxEvaluationTime}) does not see, an action
     * that is blocked or sleeping. By default {@link #DEFAULT_ELAPSED_TIME_FACTOR} (5) times the
     * CPU bound, so that an evaluation slowed by load, which spends its time waiting for a core
     * rather than computing, is not cut. At the backstop the rule session is halted as for the
     * CPU bound, and the evaluating thread is interrupted as well, so that an action waiting in
     * an interruptible call (a sleep, a wait, an interruptible lock) returns at once; the
     * interrupt is cleared before evaluate returns. The result's failure names the backstop
     * ({@code maxElapsedTime}), or the CPU bound if the evaluation had spent that much CPU time
     * as well (on a machine running more than five threads per core, a rule that computes
     * without end can reach the backstop first). An action blocked in a call that ignores
     * interrupts is stopped only when it returns.
     *
     * @param max the most elapsed time one evaluation may take; at least the CPU bound, which
     *     {@link #build()} checks
     * @return this builder
     * @throws NullPointerException if {@code max} is null
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder maxElapsedTime(Duration max) {
      Objects.requireNonNull(max, "max");
      if (max.isZero() || max.isNegative()) {
        throw new IllegalArgumentException("maxElapsedTime must be positive: " + max);
      }
      this.maxElapsedTime = saturate(max);
      return this;
    }

    /** A bound of centuries is as good as none, and toNanos would overflow: a year at most. */
    private static Duration saturate(Duration max) {
      return max.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365) : max;
    }

    /** The backstop: the one set, else the default factor times the CPU bound. */
    private Duration elapsedBound() {
      if (maxElapsedTime != null) {
        if (maxElapsedTime.compareTo(maxEvaluationTime) < 0) {
          throw new IllegalArgumentException("maxElapsedTime (" + maxElapsedTime
              + ") must be at least maxEvaluationTime (" + maxEvaluationTime + ")");
        }
        return maxElapsedTime;
      }
      return saturate(maxEvaluationTime.multipliedBy(DEFAULT_ELAPSED_TIME_FACTOR));
    }

    /**
     * Limits the size of each rule file, in UTF-8 bytes; {@link #DEFAULT_MAX_RULE_FILE_BYTES} (1
     * MiB) by default. {@link #build()} checks every file, shipped packs' included, against the
     * three size limits before anything parses it; a file past one is reported as a problem of
     * the {@link io.github.cdsengine.core.problem.RuleSetException} at the line where it passes
     * the limit, and nothing of the rule set is compiled.
     *
     * @param max the most bytes in one rule file
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRuleFileBytes(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRuleFileBytes must be at least 1: " + max);
      }
      this.maxRuleFileBytes = max;
      return this;
    }

    /**
     * Limits the length of each line of a rule file, in characters, its line break not counted;
     * {@link #DEFAULT_MAX_RULE_FILE_LINE_LENGTH} (20,000) by default. Checked with the other size
     * limits, see {@link #maxRuleFileBytes}.
     *
     * @param max the most characters on one line
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRuleFileLineLength(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRuleFileLineLength must be at least 1: " + max);
      }
      this.maxRuleFileLineLength = max;
      return this;
    }

    /**
     * Limits the rules one rule file may declare, counted as the lines, outside comments, that
     * begin with the keyword {@code rule}; {@link #DEFAULT_MAX_RULES_PER_FILE} (1,000) by
     * default. Checked with the other size limits, see {@link #maxRuleFileBytes}.
     *
     * @param max the most rules in one file
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxRulesPerFile(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRulesPerFile must be at least 1: " + max);
      }
      this.maxRulesPerFile = max;
      return this;
    }

    /**
     * How a rule session is readied for the next evaluation: {@link SessionReuse#DELETE_FACTS}
     * by default. Both ways give the same results (a test compares them on every shipped pack
     * over the conformance test data); {@link SessionReuse#RESET} is there should a rule set meet
     * a Drools fault when its facts are deleted.
     *
     * @param reuse how a rule session is readied for the next evaluation
     * @return this builder
     * @throws NullPointerException if {@code reuse} is null
     */
    public Builder sessionReuse(SessionReuse reuse) {
      this.sessionReuse = Objects.requireNonNull(reuse, "reuse");
      return this;
    }

    /**
     * Whether a record on which no rule could fire is answered without a rule session: true by
     * default. When no record fact but the patient could match any pattern, and no rule could fire
     * on the patient, the patient's age, the clock, the measurement period, the pack settings and
     * the draft orders alone (read from the compiled rules: the fact types each rule needs, the
     * ages its {@code PatientAge} tests allow), the result is what a session would give, without
     * taking one. Either way the results are the same (a test compares them on every shipped pack
     * over the conformance test data); turning it off is for measuring or for ruling it out.
     *
     * @param enabled whether such records are answered without a rule session
     * @return this builder
     */
    public Builder answerUntouchedRecordsWithoutSession(boolean enabled) {
      this.answerUntouchedWithoutSession = enabled;
      return this;
    }

    /**
     * Requires every rule pack to carry a valid signature ({@value RulePack#SIGNATURE}, see
     * {@link RulePack}) by one of {@code keys} over exactly the files it was loaded from, and
     * refuses rule files added outside packs ({@link #addRules}) unless {@link
     * #allowUnsignedRuleFiles()} is called as well. {@link #build()} then refuses, before
     * compiling anything, a pack that is unsigned, signed by another key, malformed, built in
     * code, or whose files were changed, added or removed since signing, naming the pack and
     * the file. Not required by default.
     *
     * <p>A signature proves who published a pack and that it is unchanged since; not that its
     * rules are right or safe: the rule policy still checks every file.
     *
     * @param keys the public keys whose signatures are accepted
     * @return this builder
     * @throws NullPointerException if {@code keys} is null
     */
    public Builder requireSignedPacks(io.github.cdsengine.core.pack.TrustedKeys keys) {
      this.trustedKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Under {@link #requireSignedPacks}, admits rule files added outside packs ({@link
     * #addRules}), which carry no signature; they are still checked by the rule policy.
     * Without {@code requireSignedPacks} it changes nothing.
     *
     * @return this builder
     */
    public Builder allowUnsignedRuleFiles() {
      this.unsignedRuleFiles = true;
      return this;
    }

    /**
     * Checks every DRL file against the rule policy (shipped packs and added files alike: only
     * the fact model and helpers, {@code java.time}, collections, math and strings, and for a
     * pack's files the pack's own helper packages; no system, reflection, threads, files,
     * network or processes), then compiles the rules and checks their metadata and references.
     * A file the policy refuses is not compiled.
     *
     * @return the engine, ready to evaluate; close it when done with it
     * @throws io.github.cdsengine.core.problem.RuleSetException listing every problem found,
     *     each with file and line: the files past a size limit ({@link #maxRuleFileBytes}), with
     *     the loading problems only, since nothing is compiled then; under {@link
     *     #requireSignedPacks}, every pack not validly signed by a trusted key and every rule
     *     file outside packs, before anything is compiled; else every problem, among them a rule
     *     naming a setting no added pack declares ({@code enabled("pack", "name")} with literal
     *     arguments)
     * @throws IllegalStateException if no rules were added
     * @throws IllegalArgumentException if a {@linkplain #packSetting pack setting} names a pack
     *     that was not added or a setting that pack does not declare, or if {@link
     *     #maxElapsedTime} is less than {@link #maxEvaluationTime}
     */
    public CdsEngine build() {
      Duration elapsedBound = elapsedBound();
      List<io.github.cdsengine.core.rule.PackSettings.Value> settingValues = settingValues();
      List<RuleFile> allRules = new ArrayList<>();
      List<ValueSet> allValueSets = new ArrayList<>();
      List<String> packIds = new ArrayList<>();
      Map<RuleFile, Set<String>> helperPackages = new HashMap<>();
      for (RulePack pack : packs) {
        for (RuleFile file : pack.rules()) {
          if (!allRules.contains(file)) {
            allRules.add(file);
          }
          helperPackages.computeIfAbsent(file, f -> new TreeSet<>())
              .addAll(pack.helperPackages());
        }
        allValueSets.addAll(pack.valueSets());
        packIds.add(pack.id() + "@" + pack.version());
      }
      List<RuleProblem> loaded = new ArrayList<>(loadProblems);
      List<RuleFile> ruleFiles = readRuleFiles(loaded);
      allRules.addAll(ruleFiles);
      allValueSets.addAll(valueSets);
      if (allRules.isEmpty() && loaded.isEmpty()) {
        throw new IllegalStateException("no rules: add a rule pack or DRL files before build()");
      }
      RuleFileLimits limits =
          new RuleFileLimits(maxRuleFileBytes, maxRuleFileLineLength, maxRulesPerFile);
      List<RuleProblem> oversized = limits.check(allRules);
      if (!oversized.isEmpty()) {
        // Checked before anything reads the files' text: the rule set's digest, the check of
        // setting names, the policy, the scanner and Drools never see an oversized file.
        List<RuleProblem> problems = new ArrayList<>(loaded);
        problems.addAll(oversized);
        problems.sort(java.util.Comparator.comparing(RuleProblem::file)
            .thenComparingInt(RuleProblem::line));
        throw new io.github.cdsengine.core.problem.RuleSetException(problems);
      }
      String ruleSet = ruleSetName != null ? ruleSetName
          : ruleSetIdentity(packIds, changedSettings(), ruleFiles);
      List<RuleProblem> problems = new ArrayList<>(loaded);
      List<RuleProblem> unsigned = unsignedRules(ruleFiles);
      if (!unsigned.isEmpty()) {
        problems.addAll(unsigned);
        throw new io.github.cdsengine.core.problem.RuleSetException(problems);
      }
      problems.addAll(undeclaredSettings(allRules, settingValues));
      for (RulePack pack : packs) {
        problems.addAll(
            io.github.cdsengine.core.engine.PackValueSetNames.check(pack, allValueSets));
      }
      CompiledRules compiled = RuleBaseCompiler.compile(
          new RuleSources(allRules, allValueSets, valueSetNames, measures, problems,
              helperPackages),
          new RuleSetIdentity(packIds, ruleSet,
              io.github.cdsengine.core.rule.PackSettings.of(settingValues)),
          limits, rulePolicy, ruleImages);
      // A rule whose first condition is not a fact pattern keeps what it computed in the
      // session's initial tuple, which deleting the facts does not clear: carried into the next
      // patient's evaluation, or never fired again. Such rule sets reset sessions fully.
      SessionReuse reuse = sessionReuse;
      if (reuse == SessionReuse.DELETE_FACTS && compiled.rulesOnInitialTuple()) {
        reuse = SessionReuse.RESET;
      }
      return new RuleEngine(new DroolsEngine(compiled, new EvaluationLimits(failurePolicy,
          maxRuleFirings, maxEvaluationTime, elapsedBound, reuse, answerUntouchedWithoutSession),
          criticalSnoozeFiles()));
    }

    /**
     * The rule files whose every pack allows clinicians to snooze its critical recommendations
     * ({@link RulePack#allowCriticalSnooze()}); a file two packs share counts only if both allow
     * it, and files outside packs never count.
     */
    private Set<String> criticalSnoozeFiles() {
      Map<String, Boolean> allowed = new HashMap<>();
      for (RulePack pack : packs) {
        for (RuleFile file : pack.rules()) {
          allowed.merge(file.name(), pack.allowCriticalSnooze(), Boolean::logicalAnd);
        }
      }
      Set<String> files = new TreeSet<>();
      allowed.forEach((file, allows) -> {
        if (allows) {
          files.add(file);
        }
      });
      return files;
    }

    /**
     * Under {@link #requireSignedPacks}, the problems of every pack's signature and every rule
     * file added outside packs (unless allowed); empty otherwise.
     */
    private List<RuleProblem> unsignedRules(List<RuleFile> ruleFiles) {
      if (trustedKeys == null) {
        return List.of();
      }
      List<RuleProblem> problems = new ArrayList<>();
      for (RulePack pack : packs) {
        problems.addAll(trustedKeys.check(pack));
      }
      if (!unsignedRuleFiles) {
        for (RuleFile file : ruleFiles) {
          problems.add(new RuleProblem(file.name(), 0, "the rule file is in no signed rule "
              + "pack, and signed packs are required; sign it into a pack, or allow unsigned "
              + "rule files"));
        }
      }
      return problems;
    }

    /**
     * Every setting of every added pack with its value: the host's override, else the default.
     * Checks each override against the packs.
     */
    private List<io.github.cdsengine.core.rule.PackSettings.Value> settingValues() {
      Map<String, RulePack> byId = new TreeMap<>();
      packs.forEach(pack -> byId.putIfAbsent(pack.id(), pack));
      packSettings.forEach((packId, values) -> {
        RulePack pack = byId.get(packId);
        if (pack == null) {
          throw new IllegalArgumentException("packSetting names the rule pack '" + packId
              + "', which was not added; added packs: " + byId.keySet());
        }
        values.keySet().forEach(pack::requireSetting);
      });
      List<io.github.cdsengine.core.rule.PackSettings.Value> values = new ArrayList<>();
      byId.values().forEach(pack -> pack.settings().forEach(setting -> {
        Boolean value = packSettings.getOrDefault(pack.id(), Map.of()).get(setting.name());
        values.add(new io.github.cdsengine.core.rule.PackSettings.Value(pack.id(),
            setting.name(), value != null ? value : setting.defaultValue()));
      }));
      return values;
    }

    /**
     * The rules that read a setting no added pack declares, each with its file and line: every
     * {@code enabled("pack", "name")} whose two arguments are string literals, outside comments.
     * Such a rule would otherwise fail each time it is evaluated.
     */
    private static List<RuleProblem> undeclaredSettings(List<RuleFile> files,
        List<io.github.cdsengine.core.rule.PackSettings.Value> declared) {
      List<String> known = declared.stream().map(v -> v.pack() + ":" + v.name()).toList();
      List<RuleProblem> problems = new ArrayList<>();
      for (RuleFile file : files) {
        java.util.regex.Matcher m = SETTING_READ.matcher(file.withoutComments());
        while (m.find()) {
          if (!known.contains(m.group(1) + ":" + m.group(2))) {
            problems.add(new RuleProblem(file.name(), file.lineAt(m.start()),
                "the rule reads the setting '" + m.group(2) + "' of pack '" + m.group(1)
                    + "', which no added pack declares; declared: " + known));
          }
        }
      }
      return problems;
    }

    /** The overrides that differ from their defaults, as {@code pack:name=value}, sorted. */
    private List<String> changedSettings() {
      List<String> changed = new ArrayList<>();
      for (RulePack pack : packs) {
        Map<String, Boolean> values = packSettings.getOrDefault(pack.id(), Map.of());
        for (SettingDefinition setting : pack.settings()) {
          Boolean value = values.get(setting.name());
          String text = pack.id() + ":" + setting.name() + "=" + value;
          if (value != null && value != setting.defaultValue() && !changed.contains(text)) {
            changed.add(text);
          }
        }
      }
      changed.sort(null);
      return changed;
    }

    /**
     * Packs' ids and versions, the settings changed from their defaults, then a digest of the
     * files added outside packs.
     */
    private static String ruleSetIdentity(List<String> packIds, List<String> changedSettings,
        List<RuleFile> files) {
      List<String> parts = new ArrayList<>(packIds);
      parts.addAll(changedSettings);
      if (!files.isEmpty()) {
        try {
          MessageDigest digest = MessageDigest.getInstance("SHA-256");
          for (RuleFile file : files) {
            for (String text : List.of(file.name(), file.content())) {
              byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
              digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
              digest.update(bytes);
            }
          }
          parts.add("rules#" + HexFormat.of().formatHex(digest.digest()).substring(0, 12));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("every JVM has SHA-256", e);
        }
      }
      return String.join(",", parts);
    }

    /**
     * Where {@linkplain io.github.cdsengine.core.engine.RuleImages rule images} are looked up:
     * Drools' packages compiled when a jar of rule packs was built, read instead of compiling
     * the same rule files again (a much faster start). By default the class path of the class
     * loader that loaded this engine; {@code RuleImages.none()} always compiles from source. The
     * engine built is the same either way: an image is used only for exactly the rule files,
     * helper packages, Drools version and engine build it was written for.
     *
     * @param images where to look
     * @return this builder
     */
    public Builder ruleImages(io.github.cdsengine.core.engine.RuleImages images) {
      this.ruleImages = Objects.requireNonNull(images, "images");
      return this;
    }

    /**
     * Skips the rule policy, for the engine's own tests that must reach Drools internals (the
     * session clock) or block a rule on purpose. Package-private: applications cannot turn the
     * policy off.
     */
    Builder withoutRulePolicy() {
      rulePolicy = false;
      return this;
    }

    private List<Path> files(Path fileOrDirectory, String suffix) {
      Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
      if (!Files.isDirectory(fileOrDirectory)) {
        return List.of(fileOrDirectory);
      }
      try (Stream<Path> walk = Files.walk(fileOrDirectory)) {
        return walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(suffix))
            .sorted().toList();
      } catch (IOException e) {
        loadProblems.add(new RuleProblem(fileOrDirectory.toString(), 0, "cannot read: " + e));
        return List.of();
      }
    }
  }
}
