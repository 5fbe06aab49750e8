package io.github.cdsengine.core;

import io.github.cdsengine.core.internal.RuleFailureHandler;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.fhir.CdsHooksRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import io.github.cdsengine.core.rule.PackSettings;
import io.github.cdsengine.core.rule.RuleWarning;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import io.github.cdsengine.core.units.UnitConverter;
import io.github.cdsengine.core.units.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
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

/** The engine on Drools: one compiled rule base, pooled sessions. */
final class DroolsEngine implements CdsEngine {

  private static final Logger LOG = LoggerFactory.getLogger(CdsEngine.class);
  private static final String BASE = "cds";
  private static final String VALUE_SETS_GLOBAL = "valueSets";
  private static final String UNITS_GLOBAL = "units";
  private static final String RESOURCES = "src/main/resources/";
  private static final String SOURCE_DIR = "cds/";
  private static final AtomicLong BUILDS = new AtomicLong();
  /** Held by idle sessions in place of an evaluation's units, so they keep no warnings list. */
  private static final Units IDLE_UNITS = Units.of(UnitConverter.ucum(), List.of());
  /** Lets the network settle without running any rule action. */
  private static final AgendaFilter NO_FIRING = match -> false;

  private final KieContainer container;
  /** Sessions reset by Drools, under {@link SessionReuse#RESET}. */
  private final KieSessionsPool pool;
  private final KieBase base;
  private final SessionReuse sessionReuse;
  /** Sessions cleared by deleting their facts, under {@link SessionReuse#DELETE_FACTS}. */
  private final Queue<KieSession> idle = new ConcurrentLinkedQueue<>();
  private final KieSessionConfiguration sessionConfiguration;
  private final Map<String, RuleDefinition> definitions;
  private final List<RuleInfo> rules;
  private final List<String> packs;
  private final String ruleSet;
  private final List<MeasureDefinition> measures;
  private final ValueSets valueSets;
  private final boolean valueSetsGlobal;
  private final boolean unitsGlobal;
  private final FactAdmission admission;
  /** The pack settings' values, the same fact for every evaluation. */
  private final PackSettings settings;
  private final FailurePolicy failurePolicy;
  private final int maxRuleFirings;
  private final Duration maxEvaluationTime;
  /** One daemon thread per engine that halts sessions running past the time bound. */
  private final ScheduledThreadPoolExecutor watchdog;
  /** The evaluations under way, which the watchdog sweeps; started with the first evaluation. */
  private final Set<EvaluationTimeBound> running = ConcurrentHashMap.newKeySet();
  private volatile boolean watchdogStarted;
  /** Evaluations hold the read lock; close() takes the write lock, so it waits for them. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /** A name rules use for a value set, bound to its URL by a pack or the builder. */
  record NameBinding(String url, String source) {}

  private DroolsEngine(KieContainer container, KieBase base, Map<String, RuleDefinition> definitions,
      List<String> packs, String ruleSet, List<MeasureDefinition> measures, ValueSets valueSets, boolean valueSetsGlobal, boolean unitsGlobal,
      FactAdmission admission, FailurePolicy failurePolicy, int maxRuleFirings,
      Duration maxEvaluationTime, SessionReuse sessionReuse, PackSettings settings) {
    this.container = container;
    this.settings = settings;
    this.base = base;
    this.sessionReuse = sessionReuse;
    this.pool = base.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
    this.sessionConfiguration = KieServices.get().newKieSessionConfiguration();
    // Rules take time from the evaluation's Now; the pseudo clock keeps Drools itself off the
    // system clock (EngineEvaluationTest pins this).
    sessionConfiguration.setOption(ClockTypeOption.PSEUDO);
    this.definitions = Map.copyOf(definitions);
    this.rules = definitions.values().stream()
        .map(RuleDefinition::info)
        .sorted(Comparator.comparing(RuleInfo::file).thenComparingInt(RuleInfo::line))
        .toList();
    this.packs = List.copyOf(packs);
    this.ruleSet = ruleSet;
    this.measures = measures.stream()
        .sorted(Comparator.comparing(MeasureDefinition::id)).toList();
    this.valueSets = valueSets;
    this.valueSetsGlobal = valueSetsGlobal;
    this.unitsGlobal = unitsGlobal;
    this.admission = admission;
    this.failurePolicy = failurePolicy;
    this.maxRuleFirings = maxRuleFirings;
    this.maxEvaluationTime = maxEvaluationTime;
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

  static CdsEngine build(List<RuleFile> files, List<ValueSet> valueSetList,
      Map<String, NameBinding> valueSetNames, List<MeasureDefinition> measureList,
      List<RuleProblem> loadProblems, List<String> packs, String ruleSet,
      FailurePolicy failurePolicy,
      int maxRuleFirings, Duration maxEvaluationTime, boolean checkPolicy,
      SessionReuse sessionReuse, PackSettings settings) {
    long start = System.nanoTime();
    List<RuleProblem> problems = new ArrayList<>(loadProblems);
    if (checkPolicy) {
      List<RuleProblem> refused = RulePolicy.check(files);
      if (!refused.isEmpty()) {
        // A refused rule set is not compiled at all.
        problems.addAll(refused);
        throw failure(problems);
      }
    }
    List<MeasureDefinition> measures = distinctMeasures(measureList, problems);
    ValueSets valueSets;
    try {
      valueSets = ValueSets.of(valueSetList, resolveNames(valueSetNames, valueSetList, problems));
    } catch (IllegalArgumentException e) {
      problems.add(new RuleProblem("(value sets)", 0, e.getMessage()));
      valueSets = ValueSets.of(List.of());
    }

    KieServices services = KieServices.get();
    ReleaseId releaseId = services.newReleaseId(
        "io.github.cdsengine.generated", "rules-" + BUILDS.incrementAndGet(), "1.0.0");
    KieFileSystem fileSystem = services.newKieFileSystem();
    fileSystem.generateAndWritePomXML(releaseId);
    fileSystem.writeKModuleXML(moduleModel(services).toXML());
    Map<String, String> displayNames = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String path = SOURCE_DIR + "rules" + i + ".drl";
      displayNames.put(path, files.get(i).name());
      fileSystem.write(RESOURCES + path, files.get(i).content());
    }
    KieBuilder builder = services.newKieBuilder(fileSystem).buildAll();
    List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
    for (Message message : errors) {
      if (errors.size() > 1 && message.getText().contains("Parser returned a null Package")) {
        continue; // a consequence of the parse error reported beside it
      }
      String path = String.valueOf(message.getPath());
      path = path.startsWith(RESOURCES) ? path.substring(RESOURCES.length()) : path;
      String file = displayNames.getOrDefault(path, path);
      problems.add(new RuleProblem(file, Math.max(message.getLine(), 0),
          message.getText().strip()));
    }
    KieContainer container = null;
    try {
      if (problems.isEmpty()) {
        container = services.newKieContainer(releaseId);
      }
    } finally {
      // The repository is process-wide: a module left in it is never freed.
      services.getRepository().removeKieModule(releaseId);
    }
    if (container == null) {
      throw failure(problems);
    }
    DroolsEngine engine;
    try {
      KieBaseConfiguration baseConfiguration = services.newKieBaseConfiguration();
      baseConfiguration.setOption(EventProcessingOption.CLOUD);
      baseConfiguration.setProperty("drools.consequenceExceptionHandler",
          RuleFailureHandler.class.getName());
      KieBase base = container.newKieBase(baseConfiguration);
      List<DrlScanner.Scan> scans = files.stream().map(DrlScanner::scan).toList();
      Map<String, RuleDefinition> definitions =
          readDefinitions(base, scans, valueSets, problems);
      boolean valueSetsGlobal =
          declaresGlobal(base, VALUE_SETS_GLOBAL, ValueSets.class, problems);
      boolean unitsGlobal = declaresGlobal(base, UNITS_GLOBAL, Units.class, problems);
      checkThresholds(scans, problems);
      if (!problems.isEmpty()) {
        throw failure(problems);
      }
      engine = new DroolsEngine(container, base, definitions, packs, ruleSet, measures, valueSets,
          valueSetsGlobal,
          unitsGlobal, FactAdmission.of(scans, valueSets), failurePolicy, maxRuleFirings,
          maxEvaluationTime, sessionReuse, settings);
    } catch (RuntimeException e) {
      container.dispose();
      throw e;
    }
    LOG.info("Built engine: {} rules from {} files, {} value sets, in {} ms", engine.rules.size(),
        files.size(), valueSets.all().size(), (System.nanoTime() - start) / 1_000_000);
    return engine;
  }

  /** Each name bound to the one loaded value set with its URL; a problem for each that is not. */
  private static Map<String, ValueSet> resolveNames(Map<String, NameBinding> names,
      List<ValueSet> valueSets, List<RuleProblem> problems) {
    Map<String, List<ValueSet>> byUrl = new HashMap<>();
    for (ValueSet valueSet : valueSets) {
      List<ValueSet> same = byUrl.computeIfAbsent(valueSet.url(), url -> new ArrayList<>());
      if (!same.contains(valueSet)) {
        same.add(valueSet);
      }
    }
    Map<String, ValueSet> resolved = new HashMap<>();
    names.forEach((name, binding) -> {
      List<ValueSet> candidates = byUrl.getOrDefault(binding.url(), List.of());
      if (candidates.size() == 1) {
        resolved.put(name, candidates.get(0));
      } else if (candidates.isEmpty()) {
        problems.add(new RuleProblem(binding.source(), 0, "value set '" + name + "' ("
            + binding.url() + ") is not loaded; add its expansion with addValueSets"));
      } else {
        problems.add(new RuleProblem(binding.source(), 0, "value set '" + name + "' ("
            + binding.url() + ") is loaded in " + candidates.size()
            + " different versions; load one"));
      }
    });
    return resolved;
  }

  /** The measures, each once; a problem for two different measures with one id. */
  private static List<MeasureDefinition> distinctMeasures(List<MeasureDefinition> measures,
      List<RuleProblem> problems) {
    Map<String, MeasureDefinition> byId = new TreeMap<>();
    for (MeasureDefinition measure : measures) {
      MeasureDefinition previous = byId.putIfAbsent(measure.id(), measure);
      if (previous != null && !previous.equals(measure)) {
        problems.add(new RuleProblem("(measures)", 0, "two different measures have the id '"
            + measure.id() + "'"));
      }
    }
    return List.copyOf(byId.values());
  }

  private static KieModuleModel moduleModel(KieServices services) {
    KieModuleModel module = services.newKieModuleModel();
    // Facts are immutable records, so property reactivity has nothing to track; left on, it only
    // makes Drools warn about constraints on globals and bound variables. Opt-in per type instead.
    module.setConfigurationProperty("drools.propertySpecific", "ALLOWED");
    module.newKieBaseModel(BASE).setDefault(true);
    return module;
  }

  private static Map<String, RuleDefinition> readDefinitions(KieBase base,
      List<DrlScanner.Scan> scans, ValueSets valueSets, List<RuleProblem> problems) {
    Map<String, DrlScanner.Declaration> declarations = new HashMap<>();
    List<DrlScanner.Declaration> queryDeclarations = new ArrayList<>();
    List<DrlScanner.Reference> valueSetReferences = new ArrayList<>();
    List<DrlScanner.Reference> withheldReferences = new ArrayList<>();
    for (DrlScanner.Scan scan : scans) {
      for (DrlScanner.Declaration declaration : scan.rules()) {
        DrlScanner.Declaration previous = declarations.putIfAbsent(declaration.name(), declaration);
        if (previous != null) {
          problems.add(new RuleProblem(declaration.file(), declaration.line(), "rule \""
              + declaration.name() + "\" is also defined at " + previous.file() + ":"
              + previous.line() + "; rule names must be unique in an engine"));
        }
      }
      queryDeclarations.addAll(scan.queries());
      valueSetReferences.addAll(scan.valueSets());
      withheldReferences.addAll(scan.withheld());
      for (DrlScanner.Reference reference : scan.nonLiteral()) {
        problems.add(new RuleProblem(reference.file(), reference.line(), "'" + reference.value()
            + "' must name its value set, recommendation or threshold and unit with string "
            + "literals, so that the build can check them"));
      }
    }

    Map<String, RuleDefinition> definitions = new HashMap<>();
    for (KiePackage kiePackage : base.getKiePackages()) {
      Set<String> queries = new HashSet<>();
      kiePackage.getQueries().forEach(query -> queries.add(query.getName()));
      for (Rule rule : kiePackage.getRules()) {
        if (queries.contains(rule.getName())) {
          continue;
        }
        DrlScanner.Declaration declaration = declarations.get(rule.getName());
        String file = declaration != null ? declaration.file() : "(unknown file)";
        int line = declaration != null ? declaration.line() : 0;
        RuleDefinition definition =
            RuleDefinition.read(rule.getName(), file, line, rule.getMetaData(), problems);
        if (definition == null) {
          continue;
        }
        if (declaration != null) {
          definition = definition.withValueSets(valueSetsUsed(declaration, queryDeclarations,
              valueSetReferences, valueSets));
        }
        definitions.put(rule.getName(), definition);
        if (declaration != null && !definition.recommends()
            && DrlScanner.insertsProposal(declaration)) {
          problems.add(new RuleProblem(file, line, "rule \"" + rule.getName()
              + "\" inserts a Proposal but declares no @recommendation"));
        }
      }
    }
    checkConsistency(definitions, problems);

    for (DrlScanner.Reference reference : valueSetReferences) {
      if (valueSets.find(reference.value()).isEmpty()) {
        problems.add(new RuleProblem(reference.file(), reference.line(), "value set '"
            + reference.value() + "' is not loaded; add it to the rule pack or the engine"));
      }
    }
    Set<String> recommendationIds = new HashSet<>();
    definitions.values().forEach(d -> {
      if (d.recommends()) {
        recommendationIds.add(d.recommendationId());
      }
    });
    for (DrlScanner.Reference reference : withheldReferences) {
      if (!recommendationIds.contains(reference.value())) {
        problems.add(new RuleProblem(reference.file(), reference.line(), "no rule recommends '"
            + reference.value() + "', so it cannot be suppressed or contraindicated"));
      }
    }
    return definitions;
  }

  /**
   * The value sets a rule names, in its own text or in the queries it calls (and they call), as
   * FHIR canonical references {@code url|version}, sorted.
   */
  private static List<String> valueSetsUsed(DrlScanner.Declaration rule,
      List<DrlScanner.Declaration> queries, List<DrlScanner.Reference> references,
      ValueSets valueSets) {
    List<DrlScanner.Declaration> reached = new ArrayList<>(List.of(rule));
    for (int i = 0; i < reached.size(); i++) {
      DrlScanner.Declaration from = reached.get(i);
      for (DrlScanner.Declaration query : queries) {
        if (!reached.contains(query) && from.calls(query.name())) {
          reached.add(query);
        }
      }
    }
    Set<String> used = new java.util.TreeSet<>();
    for (DrlScanner.Reference reference : references) {
      if (reached.stream().anyMatch(declaration -> declaration.encloses(reference))) {
        valueSets.find(reference.value()).ifPresent(valueSet -> used.add(valueSet.url()
            + (valueSet.version() == null ? "" : "|" + valueSet.version())));
      }
    }
    return List.copyOf(used);
  }

  /** Rules that share a recommendation id must agree on its title and category. */
  private static void checkConsistency(Map<String, RuleDefinition> definitions,
      List<RuleProblem> problems) {
    Map<String, RuleDefinition> first = new HashMap<>();
    definitions.values().stream()
        .filter(RuleDefinition::recommends)
        .sorted(Comparator.comparing(RuleDefinition::file).thenComparingInt(RuleDefinition::line))
        .forEach(d -> {
          RuleDefinition other = first.putIfAbsent(d.recommendationId(), d);
          if (other != null && (!other.title().equals(d.title())
              || other.category() != d.category())) {
            problems.add(new RuleProblem(d.file(), d.line(), "rule \"" + d.name()
                + "\" recommends '" + d.recommendationId() + "' with a different @title or "
                + "@category than rule \"" + other.name() + "\" (" + other.file() + ":"
                + other.line() + "); one recommendation has one title and category"));
          }
        });
  }

  /** Whether some package declares the global {@code name}, which must have {@code type}. */
  private static boolean declaresGlobal(KieBase base, String name, Class<?> type,
      List<RuleProblem> problems) {
    for (KiePackage kiePackage : base.getKiePackages()) {
      for (Global global : kiePackage.getGlobalVariables()) {
        if (global.getName().equals(name)) {
          if (!global.getType().equals(type.getName())) {
            problems.add(new RuleProblem("(package " + kiePackage.getName() + ")", 0,
                "global '" + name + "' must have type " + type.getName() + ", not "
                    + global.getType()));
          }
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Every literal threshold of a {@code units} comparison must be a number in a valid UCUM unit.
   * Checking them also loads each unit into the converter's caches, so the first patient does
   * not pay for it.
   */
  private static void checkThresholds(List<DrlScanner.Scan> scans, List<RuleProblem> problems) {
    for (DrlScanner.Scan scan : scans) {
      for (DrlScanner.Reference threshold : scan.thresholds()) {
        int bar = threshold.value().lastIndexOf('|');
        String value = threshold.value().substring(0, bar);
        String unit = threshold.value().substring(bar + 1);
        try {
          new java.math.BigDecimal(value);
        } catch (NumberFormatException e) {
          problems.add(new RuleProblem(threshold.file(), threshold.line(),
              "threshold '" + value + "' is not a number"));
        }
        if (!UnitConverter.ucum().isValid(unit)) {
          problems.add(new RuleProblem(threshold.file(), threshold.line(),
              "unit '" + unit + "' is not a valid UCUM unit (UCUM is case-sensitive: mg/dL, "
                  + "mmol/L, mm[Hg], %)"));
        }
      }
    }
  }

  private static RuleSetException failure(List<RuleProblem> problems) {
    problems.sort(Comparator.comparing(RuleProblem::file).thenComparingInt(RuleProblem::line));
    return new RuleSetException(problems);
  }

  @Override
  public EvaluationResult evaluate(PatientRecord record, EvaluationContext context) {
    java.util.Objects.requireNonNull(record, "record");
    java.util.Objects.requireNonNull(context, "context");
    Lock evaluating = lifecycle.readLock();
    evaluating.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the engine is closed");
      }
      return evaluateOpen(record, context, List.of());
    } finally {
      evaluating.unlock();
    }
  }

  @Override
  public EvaluationResult evaluate(CdsHooksRequest request, EvaluationContext context) {
    java.util.Objects.requireNonNull(request, "request");
    java.util.Objects.requireNonNull(context, "context");
    List<DraftOrder> drafts = request.draftOrders().stream().map(DraftOrder::of).toList();
    Lock evaluating = lifecycle.readLock();
    evaluating.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the engine is closed");
      }
      return evaluateOpen(request.record(), context, drafts);
    } finally {
      evaluating.unlock();
    }
  }

  private EvaluationResult evaluateOpen(PatientRecord record, EvaluationContext context,
      List<DraftOrder> drafts) {
    long start = System.nanoTime();
    Now now = Now.of(context.instant(), context.zone());
    List<DataWarning> warnings = new ArrayList<>();
    FiringCollector collector = new FiringCollector();
    if (!watchdogStarted) {
      startWatchdog();
    }
    KieSession session = takeSession();
    EvaluationTimeBound timeBound =
        EvaluationTimeBound.start(start, maxEvaluationTime, session, running);
    boolean reusable = true;
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
        for (DraftOrder draft : drafts) {
          session.insert(draft);
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
      collector.evaluationFailed(e, definitions.keySet());
    } finally {
      timeBound.finish();
      if (timeBound.expired()) {
        // A halted session is destroyed, never handed to the next patient.
        reusable = false;
        collector.timeBoundReached(maxEvaluationTime);
      }
      session.removeEventListener((AgendaEventListener) collector);
      session.removeEventListener((RuleRuntimeEventListener) collector);
      releaseSession(session, reusable);
    }

    List<RuleFailure> failures = new ArrayList<>(collector.failures());
    for (FiringCollector.Emission emission : collector.emissions()) {
      if (emission.fact() instanceof RuleWarning warning) {
        warnings.add(new DataWarning(warning.type(), warning.id(), warning.message()));
      }
    }
    ResultAssembler.Assembled assembled =
        ResultAssembler.assemble(collector.emissions(), definitions, failures);
    List<MeasureResult> measureResults = context.measurementPeriod() == null ? List.of()
        : ResultAssembler.measures(collector.emissions(), measures, failures);
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

  private KieSession takeSession() {
    if (sessionReuse == SessionReuse.RESET) {
      return pool.newKieSession(sessionConfiguration);
    }
    KieSession session = idle.poll();
    return session != null ? session : base.newKieSession(sessionConfiguration, null);
  }

  /**
   * Readies a session for the next evaluation (see {@link SessionReuse}), or discards it when
   * its evaluation failed or was halted. Called once the evaluation's listeners are gone, so
   * nothing done here reaches its result.
   */
  private void releaseSession(KieSession session, boolean reusable) {
    if (sessionReuse == SessionReuse.RESET) {
      if (reusable) {
        session.dispose(); // back to the pool, reset
      } else {
        session.destroy();
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
    if (patient.birthDate() == null) {
      warnings.add(new DataWarning("Patient", patient.id(),
          "birth date is missing, so no rule that depends on age could apply"));
    } else if (patient.birthDate().isAfter(now.today())) {
      warnings.add(new DataWarning("Patient", patient.id(), "birth date " + patient.birthDate()
          + " is after the evaluation date " + now.today()
          + ", so no rule that depends on age could apply"));
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

  @Override
  public List<RuleInfo> rules() {
    return rules;
  }

  @Override
  public List<String> packs() {
    return packs;
  }

  @Override
  public String ruleSet() {
    return ruleSet;
  }

  @Override
  public List<MeasureDefinition> measures() {
    return measures;
  }

  @Override
  public ValueSets valueSets() {
    return valueSets;
  }

  /** Waits for evaluations under way to complete, then releases the sessions. */
  @Override
  public void close() {
    Lock closing = lifecycle.writeLock();
    closing.lock();
    try {
      if (!closed) {
        closed = true;
        pool.shutdown();
        for (KieSession session = idle.poll(); session != null; session = idle.poll()) {
          session.dispose();
        }
        container.dispose();
        watchdog.shutdownNow();
      }
    } finally {
      closing.unlock();
    }
  }
}
