package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import io.github.cdsengine.core.rule.PackSettings;
import io.github.cdsengine.core.rule.RuleWarning;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.terminology.ValueSets;
import io.github.cdsengine.core.units.UnitConverter;
import io.github.cdsengine.core.units.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.rule.EntryPoint;
import org.kie.api.runtime.rule.FactHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.SessionReuse;
import io.github.cdsengine.core.evaluation.MeasureDefinition;


/**
 * Evaluates patient records against one {@link CompiledRules}: pooled Drools sessions, each
 * evaluation bounded in firings and time, its firings assembled into an {@link EvaluationResult}.
 */
public final class DroolsEngine {

  /** The logger every engine class writes to, named for the API a host configures logging by. */
  static final String LOGGER_NAME = "io.github.cdsengine.core.CdsEngine";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
  private static final String VALUE_SETS_GLOBAL = RuleBaseCompiler.VALUE_SETS_GLOBAL;
  private static final String UNITS_GLOBAL = RuleBaseCompiler.UNITS_GLOBAL;
  /** Held by idle sessions in place of an evaluation's units, so they keep no warnings list. */
  private static final Units IDLE_UNITS = Units.of(UnitConverter.ucum(), List.of());
  private static final int PATIENT_BIT = RuleReach.bit(Patient.class);
  private static final int AGE_BIT = RuleReach.bit(PatientAge.class);
  private static final int NOW_BIT = RuleReach.bit(Now.class);
  private static final int SETTINGS_BIT = RuleReach.bit(PackSettings.class);
  private static final int DRAFT_ORDER_BIT = RuleReach.bit(DraftOrder.class);
  private static final int PERIOD_BIT = RuleReach.bit(MeasurementPeriod.class);
  /** Lets the network settle without running any rule action. */
  private static final AgendaFilter NO_FIRING = match -> false;

  private final CompiledRules compiled;
  private final KieContainer container;
  /**
   * Sessions reset by Drools, under {@link SessionReuse#RESET}; null under {@link
   * SessionReuse#DELETE_FACTS}. Replaced whenever a session must be discarded.
   */
  private final AtomicReference<PooledSessions> pooled = new AtomicReference<>();
  private final KieBase base;
  private final SessionReuse sessionReuse;
  /** Sessions cleared by deleting their facts, under {@link SessionReuse#DELETE_FACTS}. */
  private final Queue<KieSession> idle = new ConcurrentLinkedQueue<>();
  private final KieSessionConfiguration sessionConfiguration;
  private final Map<String, RuleDefinition> definitions;
  private final String ruleSet;
  private final List<MeasureDefinition> measures;
  private final ValueSets valueSets;
  private final boolean valueSetsGlobal;
  private final boolean unitsGlobal;
  private final FactAdmission admission;
  /** Whether any rule could fire on a record that brings the engine's own facts alone. */
  private final RuleReach reach;
  /**
   * The rule files whose every pack allows clinicians to snooze critical recommendations; a
   * critical recommendation may be snoozed when all its rules are in these files.
   */
  private final Set<String> criticalSnoozeFiles;
  /** The pack settings' values, the same fact for every evaluation. */
  private final PackSettings settings;
  private final FailurePolicy failurePolicy;
  private final int maxRuleFirings;
  private final Duration maxEvaluationTime;
  private final Duration maxElapsedTime;
  /** One daemon thread per engine that halts sessions running past the time bound. */
  private final ScheduledThreadPoolExecutor watchdog;
  /** The evaluations under way, which the watchdog sweeps; started with the first evaluation. */
  private final Set<EvaluationTimeBound> running = ConcurrentHashMap.newKeySet();
  private volatile boolean watchdogStarted;
  /** Evaluations hold the read lock; close() takes the write lock, so it waits for them. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * An engine that evaluates {@code compiled} within {@code limits}; it owns the rule base from
   * here on and releases it at {@link #close()}. A critical recommendation may be snoozed when
   * every rule proposing it is in one of {@code criticalSnoozeFiles}.
   */
  public DroolsEngine(CompiledRules compiled, EvaluationLimits limits,
      Set<String> criticalSnoozeFiles) {
    this.criticalSnoozeFiles = Set.copyOf(criticalSnoozeFiles);
    this.compiled = compiled;
    RuleBase ruleBase = compiled.ruleBase();
    this.container = ruleBase.container();
    this.base = ruleBase.base();
    this.definitions = ruleBase.definitions();
    this.admission = ruleBase.admission();
    this.valueSetsGlobal = ruleBase.valueSetsGlobal();
    this.unitsGlobal = ruleBase.unitsGlobal();
    this.settings = compiled.identity().settings();
    this.ruleSet = compiled.ruleSet();
    this.measures = compiled.measures();
    this.valueSets = compiled.valueSets();
    this.sessionReuse = limits.sessionReuse();
    this.failurePolicy = limits.failurePolicy();
    this.maxRuleFirings = limits.maxRuleFirings();
    this.maxEvaluationTime = limits.maxEvaluationTime();
    this.maxElapsedTime = limits.maxElapsedTime();
    this.reach = limits.answerUntouchedWithoutSession() ? RuleReach.of(base, settings)
        : RuleReach.never("turned off by the engine's builder");
    if (!reach.enabled()) {
      LOG.debug("Every evaluation takes a rule session: {}", reach.reason());
    }
    if (!EvaluationTimeBound.measuresCpuTime()) {
      LOG.warn("This JVM does not measure thread CPU time; the evaluation time bound "
          + "(maxEvaluationTime) is measured as elapsed time");
    }
    if (sessionReuse == SessionReuse.RESET) {
      pooled.set(new PooledSessions(base));
    }
    this.sessionConfiguration = KieServices.get().newKieSessionConfiguration();
    // Rules take time from the evaluation's Now; the pseudo clock keeps Drools itself off the
    // system clock (EngineEvaluationTest pins this).
    sessionConfiguration.setOption(ClockTypeOption.PSEUDO);
    this.watchdog = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "cds-engine-watchdog");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the watchdog's sweep at the first evaluation, so that an idle engine costs nothing. */
  private void startWatchdog() {
    synchronized (watchdog) {
      if (!watchdogStarted) {
        long period = EvaluationTimeBound.sweepPeriod(maxEvaluationTime).toNanos();
        watchdog.scheduleAtFixedRate(() -> EvaluationTimeBound.sweep(running), period, period,
            TimeUnit.NANOSECONDS);
        watchdogStarted = true;
      }
    }
  }

  /**
   * Evaluates every rule against {@code record} at the clinical time of {@code context}, its
   * draft orders marked by {@link DraftOrder} facts. Thread-safe.
   *
   * @throws EvaluationException under {@link FailurePolicy#FAIL_CLOSED} when a rule fails
   * @throws IllegalStateException if the engine is closed
   */
  public EvaluationResult evaluate(PatientRecord record, EvaluationContext context) {
    java.util.Objects.requireNonNull(record, "record");
    java.util.Objects.requireNonNull(context, "context");
    Lock evaluating = lifecycle.readLock();
    evaluating.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the engine is closed");
      }
      return evaluateOpen(record, context);
    } finally {
      evaluating.unlock();
    }
  }

  private EvaluationResult evaluateOpen(PatientRecord record, EvaluationContext context) {
    long start = System.nanoTime();
    Now now = Now.of(context.instant(), context.zone());
    if (reach.enabled() && !someRuleCouldFire(record, context, now)) {
      // What a session would give: no firing, so no emission and no failure; the warnings it
      // would add are those about the birth date (no record fact would be inserted).
      List<DataWarning> warnings = new ArrayList<>(record.warnings());
      DataWarning ageWarning = ageWarning(record.patient(), now);
      if (ageWarning != null) {
        warnings.add(ageWarning);
      }
      return result(record, context, List.of(), new ArrayList<>(), warnings, start);
    }
    // The reader's warnings come first, so that every output of the result shows them.
    List<DataWarning> warnings = new ArrayList<>(record.warnings());
    FiringCollector collector = new FiringCollector();
    if (!watchdogStarted) {
      startWatchdog();
    }
    PooledSessions from = sessionReuse == SessionReuse.RESET ? borrowPool() : null;
    KieSession session = takeSession(from);
    EvaluationTimeBound timeBound =
        EvaluationTimeBound.start(maxEvaluationTime, maxElapsedTime, session::halt, running);
    boolean reusable = true;
    Error fatal = null;
    try {
      if (valueSetsGlobal) {
        session.setGlobal(VALUE_SETS_GLOBAL, valueSets);
      }
      if (unitsGlobal) {
        session.setGlobal(UNITS_GLOBAL, Units.of(UnitConverter.ucum(), warnings));
      }
      // Engine facts that no pattern names are left out (FactAdmission): each insert costs.
      if (admission.admitsType(Now.class)) {
        session.insert(now);
      }
      if (admission.admitsType(PackSettings.class)) {
        session.insert(settings);
      }
      if (admission.admitsType(DraftOrder.class)) {
        for (String draft : record.draftOrders()) {
          session.insert(DraftOrder.of(draft));
        }
      }
      if (context.measurementPeriod() != null && admission.admitsType(MeasurementPeriod.class)) {
        session.insert(context.measurementPeriod());
      }
      insertFacts(record, now, session, admission, warnings, timeBound);
      // Listening starts once the patient's facts are in: only what rules insert is of interest,
      // and a listener present during the inserts would cost an event object per fact.
      session.addEventListener((AgendaEventListener) collector);
      session.addEventListener((RuleRuntimeEventListener) collector);
      collector.watch(timeBound);
      if (!timeBound.check()) {
        int fired = session.fireAllRules(maxRuleFirings + 1);
        if (fired > maxRuleFirings) {
          collector.firingLimitReached(maxRuleFirings);
        }
      }
    } catch (RuntimeException e) {
      reusable = false;
      fatal = fatalCause(e);
      if (fatal == null && !timeBound.interrupted()) {
        // After the backstop's interrupt, what fails is the interrupted action: the time bound
        // is the failure to report.
        collector.evaluationFailed(e, definitions.keySet());
      }
    } catch (StackOverflowError e) {
      // Rule code recursed too deep. The stack has unwound to here, so the thread is sound
      // again; the session, left in the middle of a firing or a match, is not, and is discarded.
      reusable = false;
      collector.evaluationFailed(e, definitions.keySet());
    } catch (Error e) {
      fatal = e;
    } finally {
      timeBound.finish();
    }
    if (fatal != null) {
      // OutOfMemoryError and the like leave the JVM in doubt: not a rule failure to report but
      // the host's to handle. The session is discarded on the way out, never pooled.
      try {
        releaseSession(session, from, false);
      } catch (RuntimeException | Error e) {
        fatal.addSuppressed(e);
      }
      throw fatal;
    }
    if (timeBound.expired()) {
      // A halted session is destroyed, never handed to the next patient.
      reusable = false;
      collector.timeBoundReached(timeBound.overrun(), maxEvaluationTime, maxElapsedTime,
          EvaluationTimeBound.measuresCpuTime());
    }
    session.removeEventListener((AgendaEventListener) collector);
    session.removeEventListener((RuleRuntimeEventListener) collector);
    releaseSession(session, from, reusable);

    return result(record, context, collector.emissions(),
        new ArrayList<>(collector.failures()), warnings, start);
  }

  /**
   * The result of an evaluation whose rules emitted {@code emissions} and failed with {@code
   * failures}, the data warnings so far being {@code warnings}.
   *
   * @throws EvaluationException under {@link FailurePolicy#FAIL_CLOSED} when a rule failed
   */
  private EvaluationResult result(PatientRecord record, EvaluationContext context,
      List<FiringCollector.Emission> emissions, List<RuleFailure> failures,
      List<DataWarning> warnings, long start) {
    for (FiringCollector.Emission emission : emissions) {
      if (emission.fact() instanceof RuleWarning warning) {
        warnings.add(new DataWarning(warning.type(), warning.id(), warning.message()));
      }
    }
    ResultAssembler.Assembled assembled = AlertGovernance.apply(
        ResultAssembler.assemble(emissions, definitions, failures), context,
        this::criticalSnoozeAllowed, warnings);
    List<MeasureResult> measureResults = context.measurementPeriod() == null ? List.of()
        : ResultAssembler.measures(emissions, measures, failures);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    for (RuleFailure failure : failures) {
      // The message may quote patient values, so only the rule name is logged.
      LOG.warn("Rule \"{}\" failed during an evaluation", failure.rule());
    }
    if (!failures.isEmpty() && failurePolicy == FailurePolicy.FAIL_CLOSED) {
      throw new EvaluationException(failures);
    }
    if (LOG.isDebugEnabled()) { // spares the argument array and boxing on every evaluation
      LOG.debug("Evaluated {} facts in {} us: {} shown, {} withheld, {} warnings, {} failures",
          record.size(), elapsed.toNanos() / 1000, assembled.shown().size(),
          assembled.withheld().size(), warnings.size(), failures.size());
    }
    return new EvaluationResult(record.patient().id(), context.instant(), assembled.shown(),
        assembled.withheld(), measureResults, warnings, failures, elapsed, ruleSet);
  }

  /**
   * Whether evaluating {@code record} in {@code context} takes a rule session: false when it is
   * answered without one, no rule being able to fire on it (see {@link RuleReach}).
   */
  public boolean takesSession(PatientRecord record, EvaluationContext context) {
    return !reach.enabled()
        || someRuleCouldFire(record, context, Now.of(context.instant(), context.zone()));
  }

  /** Whether every rule proposing {@code recommendation} is in a file whose packs allow it. */
  private boolean criticalSnoozeAllowed(
      io.github.cdsengine.core.evaluation.Recommendation recommendation) {
    if (criticalSnoozeFiles.isEmpty()) {
      return false;
    }
    for (String rule : recommendation.rules()) {
      RuleDefinition definition = definitions.get(rule);
      if (definition == null || !criticalSnoozeFiles.contains(definition.file())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The error other than a stack overflow that {@code e} wraps, if any: the rule runtime may wrap
   * what an action threw, and an error must reach the host as itself.
   */
  private static Error fatalCause(RuntimeException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Error error && !(error instanceof StackOverflowError)) {
        return error;
      }
    }
    return null;
  }

  /**
   * Drools' session pool as it stands, counted as lent one more session until {@link
   * #releaseSession} returns it.
   */
  private PooledSessions borrowPool() {
    while (true) {
      PooledSessions current = pooled.get();
      current.borrowed.incrementAndGet();
      if (!current.retired) {
        return current;
      }
      current.giveBack(); // replaced meanwhile: take from its successor
    }
  }

  private KieSession takeSession(PooledSessions from) {
    if (from != null) {
      return from.pool.newKieSession(sessionConfiguration);
    }
    KieSession session = idle.poll();
    return session != null ? session : base.newKieSession(sessionConfiguration, null);
  }

  /**
   * Readies a session for the next evaluation (see {@link SessionReuse}), or discards it when
   * its evaluation failed or was halted. Called once the evaluation's listeners are gone, so
   * nothing done here reaches its result.
   */
  private void releaseSession(KieSession session, PooledSessions from, boolean reusable) {
    if (from != null) {
      if (!reusable) {
        // Drools' pool takes back every session disposed from it, and has no way to let one
        // go: the pool is retired instead, and shut down, disposing all its sessions, once the
        // last evaluation holding one of them returns it.
        from.retire(pooled, base);
      }
      try {
        session.dispose(); // back to its pool, reset
      } catch (RuntimeException e) {
        if (reusable) {
          throw e;
        }
        // A failed session may fail its reset too; its pool is retired all the same.
        LOG.warn("A discarded rule session could not be reset ({})", e.getClass().getName());
      } finally {
        from.giveBack();
      }
      return;
    }
    if (reusable) {
      try {
        // One at a time, the network settling after each delete: deleting them all before it
        // settles makes Drools 10.2 fail inside exists-subnetworks (PhreakSubnetworkNotExistsNode).
        // Every entry point, since a rule may insert into a named one.
        long left = 0;
        for (EntryPoint entryPoint : session.getEntryPoints()) {
          for (FactHandle handle : new ArrayList<>(entryPoint.<FactHandle>getFactHandles())) {
            entryPoint.delete(handle);
            session.fireAllRules(NO_FIRING);
          }
          left += entryPoint.getFactCount();
        }
        if (left == 0) {
          if (unitsGlobal) {
            // Drop the finished evaluation's warnings list (Drools ignores a null global).
            session.setGlobal(UNITS_GLOBAL, IDLE_UNITS);
          }
          idle.offer(session);
          return;
        }
        LOG.warn("A rule session kept {} facts after they were deleted; it is discarded", left);
      } catch (RuntimeException e) {
        // The evaluation's result is complete; only this session is lost.
        LOG.warn("A rule session could not be cleared for reuse ({}); it is discarded",
            e.getClass().getName());
      }
    }
    session.dispose();
  }

  private static void insertFacts(PatientRecord record, Now now, KieSession session,
      FactAdmission admission, List<DataWarning> warnings, EvaluationTimeBound timeBound) {
    Patient patient = record.patient();
    session.insert(patient);
    DataWarning ageWarning = ageWarning(patient, now);
    if (ageWarning != null) {
      warnings.add(ageWarning);
    } else if (admission.admitsType(PatientAge.class)) {
      session.insert(PatientAge.of(patient, now.today()));
    }
    if (!timeBound.expired()) {
      insertAll(record.conditions(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.observations(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.medicationRequests(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.procedures(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.immunizations(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.encounters(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.allergies(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.serviceRequests(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.deviceRequests(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.carePlans(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.medicationDispenses(), session, admission, now, warnings);
    }
    if (!timeBound.expired()) {
      insertAll(record.adverseEvents(), session, admission, now, warnings);
    }
  }

  /**
   * Why no rule that depends on age could apply to {@code patient} at {@code now}: the birth date
   * is missing or after the evaluation date. Null when the patient has an age.
   */
  private static DataWarning ageWarning(Patient patient, Now now) {
    if (patient.birthDate() == null) {
      return new DataWarning("Patient", patient.id(),
          "birth date is missing, so no rule that depends on age could apply");
    }
    if (patient.birthDate().isAfter(now.today())) {
      return new DataWarning("Patient", patient.id(), "birth date " + patient.birthDate()
          + " is after the evaluation date " + now.today()
          + ", so no rule that depends on age could apply");
    }
    return null;
  }

  /**
   * Whether a session could do anything for this evaluation (see {@link RuleReach}): false only
   * when no record fact but the patient would be inserted and no rule could fire on the facts
   * the engine inserts itself.
   */
  private boolean someRuleCouldFire(PatientRecord record, EvaluationContext context, Now now) {
    int present = PATIENT_BIT;
    int years = 0;
    Patient patient = record.patient();
    if (admission.admitsType(PatientAge.class) && ageWarning(patient, now) == null) {
      present |= AGE_BIT;
      years = java.time.Period.between(patient.birthDate(), now.today()).getYears();
    }
    if (admission.admitsType(Now.class)) {
      present |= NOW_BIT;
    }
    if (admission.admitsType(PackSettings.class)) {
      present |= SETTINGS_BIT;
    }
    if (!record.draftOrders().isEmpty() && admission.admitsType(DraftOrder.class)) {
      present |= DRAFT_ORDER_BIT;
    }
    if (context.measurementPeriod() != null && admission.admitsType(MeasurementPeriod.class)) {
      present |= PERIOD_BIT;
    }
    // The engine's own facts first: they are few, and when they suffice, no record fact need be
    // looked at.
    return reach.someRuleCouldFire(present, years)
        || anyAdmitted(record.conditions()) || anyAdmitted(record.observations())
        || anyAdmitted(record.medicationRequests()) || anyAdmitted(record.procedures())
        || anyAdmitted(record.immunizations()) || anyAdmitted(record.encounters())
        || anyAdmitted(record.allergies()) || anyAdmitted(record.serviceRequests())
        || anyAdmitted(record.deviceRequests()) || anyAdmitted(record.carePlans())
        || anyAdmitted(record.medicationDispenses()) || anyAdmitted(record.adverseEvents());
  }

  /** Whether some fact of {@code facts} would be inserted (see {@link #insertAll}). */
  private boolean anyAdmitted(List<? extends ClinicalFact> facts) {
    if (facts.isEmpty() || !admission.admitsType(facts.get(0).getClass())) {
      return false;
    }
    for (ClinicalFact fact : facts) {
      if (!fact.enteredInError() && admission.admits(fact)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Inserts the facts of one type that some rule could match (see {@link FactAdmission}), and
   * warns about those whose timing keeps every lookback from counting them.
   */
  private static void insertAll(List<? extends ClinicalFact> facts, KieSession session,
      FactAdmission admission, Now now, List<DataWarning> warnings) {
    if (facts.isEmpty() || !admission.admitsType(facts.get(0).getClass())) {
      return;
    }
    for (ClinicalFact fact : facts) {
      if (!fact.enteredInError() && admission.admits(fact)) {
        session.insert(fact);
        String problem = timingProblem(fact, now);
        if (problem != null) {
          warnings.add(new DataWarning(fact.resourceType(), fact.id(), problem));
        }
      }
    }
  }

  /**
   * Why a completed procedure, given immunization, final result or completed dispense (by its
   * hand-over time) can count in no lookback: it has no date, or it is dated after the
   * evaluation instant. Null when its timing is usable.
   */
  private static String timingProblem(ClinicalFact fact, Now now) {
    ClinicalTime time;
    if (fact instanceof Procedure procedure && procedure.isCompleted()) {
      time = procedure.performed() == null ? null : procedure.performed().latest();
    } else if (fact instanceof Observation observation && observation.isResult()) {
      time = observation.effective() == null ? null : observation.effective().latest();
    } else if (fact instanceof Immunization immunization && immunization.isCompleted()) {
      time = immunization.occurrence();
    } else if (fact instanceof MedicationDispense dispense && dispense.isCompleted()) {
      time = dispense.whenHandedOver();
    } else {
      return null;
    }
    if (time == null) {
      return "has no date, so no lookback can count it";
    }
    return now.hasHappened(time) ? null : "is dated " + time + ", after the evaluation instant "
        + now.instant() + ", so no lookback counts it";
  }

  /**
   * One Drools session pool and the evaluations holding its sessions. Once retired it lends no
   * more, and it is shut down, disposing every session it made, when the last is given back.
   */
  private static final class PooledSessions {
    final KieSessionsPool pool;
    final AtomicInteger borrowed = new AtomicInteger();
    volatile boolean retired;
    private final AtomicBoolean shut = new AtomicBoolean();

    PooledSessions(KieBase base) {
      this.pool = base.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Retires this pool, putting a fresh one from {@code base} in its place in {@code pooled}
     * unless {@code base} is null (the engine is closing).
     */
    void retire(AtomicReference<PooledSessions> pooled, KieBase base) {
      synchronized (pooled) {
        if (retired) {
          return;
        }
        retired = true;
        pooled.set(base == null ? null : new PooledSessions(base));
      }
      shutIfDrained();
    }

    void giveBack() {
      borrowed.decrementAndGet();
      shutIfDrained();
    }

    private void shutIfDrained() {
      if (retired && borrowed.get() == 0 && shut.compareAndSet(false, true)) {
        pool.shutdown();
      }
    }
  }

  /** The compiled rule set this engine evaluates. */
  public CompiledRules compiled() {
    return compiled;
  }

  /** Waits for evaluations under way to complete, then releases the sessions. */
  public void close() {
    Lock closing = lifecycle.writeLock();
    closing.lock();
    try {
      if (!closed) {
        closed = true;
        PooledSessions current = pooled.get();
        if (current != null) {
          current.retire(pooled, null);
        }
        for (KieSession session = idle.poll(); session != null; session = idle.poll()) {
          session.dispose();
        }
        if (container != null) {
          container.dispose(); // none for a rule base read from a rule image
        }
        watchdog.shutdownNow();
      }
    } finally {
      closing.unlock();
    }
  }
}
