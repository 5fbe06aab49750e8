package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import io.github.cdsengine.core.units.UnitConverter;
import io.github.cdsengine.core.units.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
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
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.drl.DrlScanner;
import io.github.cdsengine.core.drl.DrlText;
import io.github.cdsengine.core.drl.DrlTokens;
import io.github.cdsengine.core.policy.RulePolicy;


/**
 * Compiles rule files into a {@link CompiledRules}: checks them against the rule policy, reads
 * their metadata, value-set names and thresholds, and builds Drools' rule base, reporting every
 * problem with its file and line in one {@link RuleSetException}.
 */
public final class RuleBaseCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(DroolsEngine.LOGGER_NAME);
  private static final String BASE = "cds";
  static final String VALUE_SETS_GLOBAL = "valueSets";
  static final String UNITS_GLOBAL = "units";
  private static final String RESOURCES = "src/main/resources/";
  private static final String SOURCE_DIR = "cds/";
  private static final AtomicLong BUILDS = new AtomicLong();
  private static final String PROPERTY_SPECIFIC = "drools.propertySpecific";
  private static final String PROPERTY_SPECIFIC_VALUE = "ALLOWED";
  /** The dialects Drools compiles. */
  private static final Set<String> DIALECTS = Set.of("java", "mvel");

  private RuleBaseCompiler() {}

  /**
   * Compiles {@code sources} into a rule base that carries {@code identity}. Before anything
   * else, every file is checked against {@code limits}: a file past one is not read further.
   *
   * @param checkPolicy false only for the engine's own tests that must reach Drools internals
   * @throws RuleSetException listing every problem found, each with its file and line
   */
  public static CompiledRules compile(RuleSources sources, RuleSetIdentity identity,
      RuleFileLimits limits, boolean checkPolicy) {
    return compile(sources, identity, limits, checkPolicy, RuleImages.none());
  }

  /**
   * Compiles {@code sources} as {@link #compile(RuleSources, RuleSetIdentity, RuleFileLimits,
   * boolean)} does, reading Drools' packages from a {@linkplain RuleImages rule image} of exactly
   * these files when {@code images} has one (the policy was checked when it was written) and
   * compiling them from source otherwise.
   *
   * @param images where images are looked up; {@link RuleImages#none()} compiles from source
   */
  public static CompiledRules compile(RuleSources sources, RuleSetIdentity identity,
      RuleFileLimits limits, boolean checkPolicy, RuleImages images) {
    long start = System.nanoTime();
    List<RuleProblem> problems = new ArrayList<>(sources.loadProblems());
    List<RuleFile> files = sources.files();
    List<RuleProblem> oversized = limits.check(files);
    if (!oversized.isEmpty()) {
      // Nothing parses an oversized file: neither the policy, nor the scanner, nor Drools.
      problems.addAll(oversized);
      throw failure(problems);
    }
    // An image is only ever written from files the policy accepts (compileForImage).
    // One that reads but does not make a rule base is set aside as one that does not read.
    Compiled imaged = null;
    if (checkPolicy && images.enabled()) {
      String key = images.keyOf(files, sources.helperPackages());
      imaged = images.find(key).map(found -> fromImage(found, key)).orElse(null);
    }
    if (checkPolicy && imaged == null) {
      List<RuleProblem> refused = RulePolicy.check(files, sources.helperPackages());
      if (!refused.isEmpty()) {
        // A refused rule set is not compiled at all.
        problems.addAll(refused);
        throw failure(problems);
      }
    }
    if (imaged == null) {
      checkDialects(files, problems);
    }
    if (!problems.isEmpty()) {
      // Drools fails on an unknown dialect with no file or line; the problem above has both.
      throw failure(problems);
    }
    List<MeasureDefinition> measures = distinctMeasures(sources.measures(), problems);
    ValueSets valueSets;
    try {
      valueSets = ValueSets.of(sources.valueSets(),
          resolveNames(sources.valueSetNames(), sources.valueSets(), problems));
    } catch (IllegalArgumentException e) {
      problems.add(new RuleProblem("(value sets)", 0, e.getMessage()));
      valueSets = ValueSets.of(List.of());
    }

    Compiled drools = imaged != null ? imaged : compileDrools(files, problems);
    if (drools == null) {
      throw failure(problems);
    }
    if (!problems.isEmpty()) {
      // As compileDrools stops at earlier problems, so does a build from an image.
      drools.dispose();
      throw failure(problems);
    }
    CompiledRules compiled;
    try {
      KieBase base = drools.base();
      List<DrlScanner.Scan> scans = files.stream()
          .map(file -> DrlScanner.scan(file.name(), file.content())).toList();
      Map<String, RuleDefinition> definitions =
          readDefinitions(base, scans, valueSets, problems);
      boolean valueSetsGlobal =
          declaresGlobal(base, VALUE_SETS_GLOBAL, ValueSets.class, problems);
      boolean unitsGlobal = declaresGlobal(base, UNITS_GLOBAL, Units.class, problems);
      checkThresholds(scans, problems);
      if (!problems.isEmpty()) {
        throw failure(problems);
      }
      // From here on no package, rule or function may be added or removed.
      base.addEventListener(new FrozenRuleBase());
      RuleBase ruleBase = new RuleBase(drools.container(), base, definitions,
          FactAdmission.of(scans, valueSets), valueSetsGlobal, unitsGlobal);
      compiled = new CompiledRules(ruleBase, identity, measures, valueSets,
          drools.rulesOnInitialTuple(), imaged != null);
    } catch (RuntimeException e) {
      drools.dispose();
      throw e;
    }
    LOG.info("Built engine: {} rules from {} files{}, {} value sets, in {} ms",
        compiled.rules().size(), files.size(), imaged != null ? " (rule image)" : "",
        valueSets.all().size(), (System.nanoTime() - start) / 1_000_000);
    return compiled;
  }



  /**
   * Drools' side of a build: the rule base, the container that owns it (none when read from an
   * image), and whether some rule's first condition is not a fact pattern.
   */
  record Compiled(KieContainer container, KieBase base, boolean rulesOnInitialTuple) {

    /** Frees the container, if there is one. */
    void dispose() {
      if (container != null) {
        container.dispose();
      }
    }
  }

  /**
   * Compiles {@code files} with Drools, adding every problem to {@code problems}.
   *
   * @return the rule base, or null when there are problems
   */
  private static Compiled compileDrools(List<RuleFile> files, List<RuleProblem> problems) {
    KieServices services = KieServices.get();
    ReleaseId releaseId = services.newReleaseId(
        "io.github.cdsengine.generated", "rules-" + BUILDS.incrementAndGet(), "1.0.0");
    if (!buildModule(services, releaseId, files, problems)) {
      return null;
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
      return null;
    }
    KieBaseConfiguration baseConfiguration = services.newKieBaseConfiguration();
    configure(baseConfiguration);
    try {
      return new Compiled(container, container.newKieBase(baseConfiguration),
          !RulePolicy.rulesOnTheInitialTuple(files).isEmpty());
    } catch (RuntimeException e) {
      container.dispose();
      throw e;
    }
  }

  /**
   * Compiles {@code files} into a module of Drools' repository under {@code releaseId}, adding
   * every problem to {@code problems}.
   *
   * @return false when Drools failed without naming a file (the module is not in the repository)
   */
  private static boolean buildModule(KieServices services, ReleaseId releaseId,
      List<RuleFile> files, List<RuleProblem> problems) {
    KieFileSystem fileSystem = services.newKieFileSystem();
    fileSystem.generateAndWritePomXML(releaseId);
    fileSystem.writeKModuleXML(moduleModel(services).toXML());
    Map<String, String> displayNames = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String path = SOURCE_DIR + "rules" + i + ".drl";
      displayNames.put(path, files.get(i).name());
      fileSystem.write(RESOURCES + path, files.get(i).content());
    }
    KieBuilder builder;
    try {
      builder = services.newKieBuilder(fileSystem).buildAll();
    } catch (RuntimeException e) {
      LOG.debug("Drools failed while compiling", e);
      problems.add(new RuleProblem("(rules)", 0, "Drools failed while compiling the rules ("
          + e.getClass().getName() + ") without naming a file or line; `cds validate` on each "
          + "file narrows it down"));
      return false;
    }
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
    return true;
  }

  /** The options every rule base gets, compiled or read from an image. */
  private static void configure(KieBaseConfiguration configuration) {
    configuration.setOption(EventProcessingOption.CLOUD);
    configuration.setProperty("drools.consequenceExceptionHandler",
        RuleFailureHandler.class.getName());
  }

  /**
   * A rule base of an image's packages, configured as a compiled one; null, logged at WARN, when
   * Drools cannot make one of them (an image that reads but whose packages do not link: another
   * build's classes, a damaged class store).
   */
  private static Compiled fromImage(RuleImages.Image image, String key) {
    try {
      return ruleBaseOf(image);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Rule image {}{}.bin does not make a rule base ({}); compiling the rules from "
          + "source", RuleImages.FOLDER, key, e.toString());
      return null;
    }
  }

  private static Compiled ruleBaseOf(RuleImages.Image image) {
    KieBaseConfiguration configuration =
        KieServices.get().newKieBaseConfiguration(null, image.classLoader());
    // What moduleModel sets for a compiled rule base.
    configuration.setProperty(PROPERTY_SPECIFIC, PROPERTY_SPECIFIC_VALUE);
    configure(configuration);
    org.drools.kiesession.rulebase.InternalKnowledgeBase base =
        org.drools.kiesession.rulebase.KnowledgeBaseFactory.newKnowledgeBase(configuration);
    base.addPackages(image.packages());
    for (KiePackage kiePackage : base.getKiePackages()) {
      for (org.kie.api.definition.rule.Rule rule : kiePackage.getRules()) {
        org.drools.base.definitions.rule.impl.RuleImpl impl =
            (org.drools.base.definitions.rule.impl.RuleImpl) rule;
        if (!impl.isQuery() && impl.getConsequence() == null) {
          throw new IllegalStateException("rule \"" + rule.getName() + "\" has no consequence");
        }
      }
    }
    return new Compiled(null, base, image.rulesOnInitialTuple());
  }

  /**
   * Checks {@code files} against the rule policy and compiles them, for a {@linkplain RuleImages
   * rule image}; value sets and metadata are checked when an engine is built from the image.
   *
   * @throws RuleSetException if the policy refuses a file or the rules do not compile
   */
  static ForImage compileForImage(List<RuleFile> files, Map<RuleFile, Set<String>> helpers) {
    List<RuleProblem> problems = new ArrayList<>(RulePolicy.check(files, helpers));
    if (problems.isEmpty()) {
      checkDialects(files, problems);
    }
    if (!problems.isEmpty()) {
      throw failure(problems);
    }
    KieServices services = KieServices.get();
    ReleaseId releaseId = services.newReleaseId(
        "io.github.cdsengine.generated", "rules-" + BUILDS.incrementAndGet(), "1.0.0");
    if (!buildModule(services, releaseId, files, problems)) {
      throw failure(problems);
    }
    try {
      if (!problems.isEmpty()) {
        throw failure(problems);
      }
      // The packages as compiled, before any rule base is made of them: building a rule base
      // changes the rules' patterns in place (tuple and object indexes), and a rule base made
      // from such packages again would index them twice.
      org.kie.api.builder.KieModule module = services.getRepository().getKieModule(releaseId);
      java.util.Collection<KiePackage> packages = module == null ? null
          : ((org.drools.compiler.kie.builder.impl.InternalKieModule) module)
              .getKnowledgePackagesForKieBase(BASE);
      if (packages == null) {
        throw new IllegalStateException("Drools kept no packages for the rule base " + BASE);
      }
      return new ForImage(List.copyOf(packages),
          !RulePolicy.rulesOnTheInitialTuple(files).isEmpty());
    } finally {
      services.getRepository().removeKieModule(releaseId);
    }
  }

  /**
   * Drools' packages of a rule set as compiled, for a rule image.
   *
   * @param packages the packages, not yet part of any rule base
   * @param rulesOnInitialTuple whether some rule's first condition is not a fact pattern
   */
  record ForImage(List<KiePackage> packages, boolean rulesOnInitialTuple) {}

  /**
   * A problem at its file and line for each {@code dialect "..."} (a package's or a rule's) that
   * names no dialect Drools has: {@code java}, the default, and {@code mvel} (which the rule policy
   * refuses on its own terms).
   */
  static void checkDialects(List<RuleFile> files, List<RuleProblem> problems) {
    for (RuleFile file : files) {
      List<DrlTokens.Token> tokens = DrlTokens.of(DrlText.blankComments(file.content()));
      for (int i = 0; i + 1 < tokens.size(); i++) {
        DrlTokens.Token token = tokens.get(i);
        DrlTokens.Token value = tokens.get(i + 1);
        boolean member = i > 0 && tokens.get(i - 1).is(".");
        if (token.is("dialect") && !member && value.kind() == DrlTokens.Kind.STRING
            && value.text().length() >= 2) {
          String name = value.text().substring(1, value.text().length() - 1);
          if (!DIALECTS.contains(name)) {
            problems.add(new RuleProblem(file.name(), token.line(), "dialect \"" + name
                + "\" is not a dialect Drools has: use \"java\" (the default), or leave the "
                + "dialect out"));
          }
        }
      }
    }
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
    module.setConfigurationProperty(PROPERTY_SPECIFIC, PROPERTY_SPECIFIC_VALUE);
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
      problems.addAll(scan.headerProblems());
      for (DrlScanner.Declaration declaration : scan.rules()) {
        DrlScanner.Declaration previous = declarations.putIfAbsent(declaration.name(), declaration);
        if (previous != null) {
          problems.add(new RuleProblem(declaration.location().file(),
              declaration.location().line(), "rule \"" + declaration.name()
              + "\" is also defined at " + previous.location().file() + ":"
              + previous.location().line() + "; rule names must be unique in an engine"));
        }
      }
      queryDeclarations.addAll(scan.queries());
      valueSetReferences.addAll(scan.references().valueSets());
      withheldReferences.addAll(scan.references().withheld());
      for (DrlScanner.Reference reference : scan.references().nonLiteral()) {
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
        String file = declaration != null ? declaration.location().file() : "(unknown file)";
        int line = declaration != null ? declaration.location().line() : 0;
        RuleDefinition definition = RuleDefinition.read(rule.getName(), file, line,
            rule.getMetaData(), declaration != null ? declaration.fileCitation() : null, problems);
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
      for (DrlScanner.Reference threshold : scan.references().thresholds()) {
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
}
