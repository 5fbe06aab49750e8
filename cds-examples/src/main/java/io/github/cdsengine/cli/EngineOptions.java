package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which rules an evaluating command loads: shipped packs by id, DRL files and pack directories,
 * and value sets. Shipped packs are listed from {@link ShippedRulePacks}, so a new pack needs
 * no change here.
 */
public final class EngineOptions {

  /** {@code --pack-setting PACK:NAME=true|false}. */
  private static final Pattern PACK_SETTING =
      Pattern.compile("([^:=\\s]+):([^:=\\s]+)=(true|false)");

  @Option(names = "--pack", split = ",", paramLabel = "ID",
      description = "Shipped rule pack to load, by id (repeatable or comma-separated); 'none' "
          + "for none. Default: every shipped pack whose value sets are loaded.")
  List<String> packs = new ArrayList<>();

  @Option(names = "--rules", paramLabel = "PATH",
      description = "DRL file, or directory of DRL and value-set files or pack directories "
          + "(pack.json), to load as well (repeatable).")
  List<Path> rules = new ArrayList<>();

  @Option(names = "--value-sets", paramLabel = "DIR",
      description = "Directory (or file) of FHIR ValueSet JSON, such as the VSAC expansions "
          + "the measure packs need (repeatable).")
  List<Path> valueSets = new ArrayList<>();

  @Option(names = "--pack-setting", paramLabel = "PACK:NAME=true|false",
      description = "Overrides a setting a rule pack declares in its pack.json, e.g. "
          + "cdc-opioids-2016:opiate-urine-screening-check=false (repeatable).")
  List<String> packSettings = new ArrayList<>();

  @Option(names = "--value-sets-if-present", paramLabel = "DIR",
      description = "Like --value-sets, but a directory that does not exist is passed over: "
          + "the packs that need it are skipped, saying so.")
  List<Path> optionalValueSets = new ArrayList<>();

  @Mixin
  SigningOptions signing = new SigningOptions();

  /** The packs the last {@link #build} loaded, in the order given to the engine. */
  private List<RulePack> loadedPacks = List.of();

  /** Whether the last {@link #build} loaded rule files outside packs. */
  private boolean looseRules;

  /**
   * Builds the engine: the chosen shipped packs, the rule files, the value sets. Says on
   * {@code err} which shipped packs were left out and why.
   *
   * @throws UsageException for an unknown pack, a missing path, a chosen pack whose value
   *     sets are not loaded, or a {@code --pack-setting} that is malformed or names a pack or
   *     setting not loaded
   * @throws io.github.cdsengine.core.problem.RuleSetException if the rules do not build, reported as
   *     such whatever settings are given
   */
  CdsEngine build(PrintWriter err) {
    Selection selection = select(err);
    loadedPacks = selection.packs();
    looseRules = !selection.rules().isEmpty();
    // Every setting is checked by select, so whatever build() throws is reported as itself.
    return builder(selection, selection.packs(), true).build();
  }

  /**
   * What the options choose: the packs (shipped and from directories), the loose rule files and
   * the value sets, each pack's value sets checked and every {@code --pack-setting} checked
   * against the packs. Says on {@code err} which shipped packs were left out and why.
   *
   * @param packs the packs to load, shipped ones first
   * @param rules the rule files given outside packs
   * @param valueSets the value sets given beside the packs
   */
  public record Selection(List<RulePack> packs, List<RuleFile> rules, List<ValueSet> valueSets) {

    /** Copies the lists. */
    public Selection {
      packs = List.copyOf(packs);
      rules = List.copyOf(rules);
      valueSets = List.copyOf(valueSets);
    }
  }

  /**
   * Chooses the packs, rule files and value sets the options name.
   *
   * @param err where notes on skipped packs go
   * @return the selection
   * @throws UsageException for an unknown pack, a missing path, a chosen pack whose value
   *     sets are not loaded, or a {@code --pack-setting} that is malformed or names a pack or
   *     setting not loaded
   */
  public Selection select(PrintWriter err) {
    List<ValueSet> loaded = new ArrayList<>();
    RuleSources.valueSets(valueSets, "--value-sets")
        .forEach(file -> loaded.add(file.valueSet()));
    List<Path> present = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (Path dir : optionalValueSets) {
      if (Files.exists(dir)) {
        present.add(dir);
      } else {
        absent.add(dir.toString());
      }
    }
    RuleSources.valueSets(present, "--value-sets-if-present")
        .forEach(file -> loaded.add(file.valueSet()));
    RuleSources sources = RuleSources.read(rules, "--rules");
    Set<String> urls = new HashSet<>();
    loaded.forEach(v -> urls.add(v.url()));
    sources.valueSets().forEach(v -> urls.add(v.valueSet().url()));

    String noValueSets = absent.isEmpty() ? "" : "no value sets at " + String.join(", ", absent);
    List<RulePack> added = new ArrayList<>(chosenPacks(urls, err, noValueSets,
        !sources.packs().isEmpty() || !sources.rules().isEmpty()));
    sources.packs().forEach(p -> added.add(p.pack()));
    List<ValueSet> allValueSets = new ArrayList<>();
    sources.valueSets().forEach(v -> allValueSets.add(v.valueSet()));
    allValueSets.addAll(loaded);
    for (String setting : packSettings) {
      Matcher m = settingOf(setting);
      checkSetting(setting, m.group(1), m.group(2), added);
    }
    return new Selection(added, sources.rules(), allValueSets);
  }

  /**
   * An engine builder for {@code packs} of {@code selection}: those packs, the loose rule files
   * when {@code withRules}, every value set, the signature requirement and the settings of
   * those packs.
   *
   * @param selection what {@link #select} chose
   * @param packs the packs of the selection to add
   * @param withRules whether the selection's loose rule files are added too
   * @return the builder, ready to build
   */
  public CdsEngine.Builder builder(Selection selection, List<RulePack> packs,
      boolean withRules) {
    CdsEngine.Builder builder = CdsEngine.builder();
    signing.apply(builder);
    packs.forEach(builder::addRulePack);
    if (withRules) {
      selection.rules().forEach(builder::addRules);
    }
    selection.valueSets().forEach(builder::addValueSet);
    Set<String> ids = new HashSet<>();
    packs.forEach(p -> ids.add(p.id()));
    for (String setting : packSettings) {
      Matcher m = settingOf(setting);
      if (ids.contains(m.group(1))) {
        builder.packSetting(m.group(1), m.group(2), Boolean.parseBoolean(m.group(3)));
      }
    }
    return builder;
  }

  private static Matcher settingOf(String setting) {
    Matcher m = PACK_SETTING.matcher(setting);
    if (!m.matches()) {
      throw new UsageException("--pack-setting: expected PACK:NAME=true or PACK:NAME=false, "
          + "not '" + setting + "'");
    }
    return m;
  }

  /**
   * The rule packs the engine last built here was given, in that order: shipped packs, then
   * those of {@code --rules}.
   *
   * @return the packs; empty before {@link #build}
   */
  List<RulePack> loadedPacks() {
    return loadedPacks;
  }

  /**
   * Whether the engine last built here has rule files outside packs ({@code --rules} DRL files).
   *
   * @return true when it has
   */
  boolean looseRules() {
    return looseRules;
  }

  /**
   * Checks a {@code --pack-setting} against the packs being loaded, before the engine is built,
   * so that only a setting's own mistake is reported as a {@code --pack-setting} error.
   *
   * @throws UsageException quoting {@code setting} if no loaded pack has the id {@code packId}
   *     or that pack declares no setting {@code name}
   */
  static void checkSetting(String setting, String packId, String name, List<RulePack> packs) {
    RulePack pack = packs.stream().filter(p -> p.id().equals(packId)).findFirst()
        .orElseThrow(() -> new UsageException("--pack-setting '" + setting
            + "': no loaded pack '" + packId + "'; loaded: "
            + packs.stream().map(RulePack::id).distinct().toList()));
    try {
      pack.requireSetting(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--pack-setting '" + setting + "': " + e.getMessage());
    }
  }

  private List<RulePack> chosenPacks(Set<String> urls, PrintWriter err, String noValueSets,
      boolean ownRules) {
    List<RulePack> shipped = ShippedRulePacks.all();
    if (packs.contains("none")) {
      if (packs.size() > 1) {
        throw new UsageException("--pack none cannot be combined with other packs: " + packs);
      }
      if (!ownRules) {
        throw new UsageException("--pack none loads no shipped pack: give --rules as well");
      }
      return List.of();
    }
    List<RulePack> chosen = new ArrayList<>();
    if (!packs.isEmpty()) {
      for (String id : packs) {
        RulePack pack = shipped.stream().filter(p -> p.id().equals(id)).findFirst()
            .orElseThrow(() -> new UsageException("--pack: no shipped pack '" + id
                + "'; shipped: " + String.join(", ", shipped.stream().map(RulePack::id)
                    .toList())));
        List<String> missing = missingValueSets(pack, urls);
        if (!missing.isEmpty()) {
          throw new UsageException("pack " + pack.id() + " needs " + missing.size()
              + " value sets that are not loaded (" + missing.get(0) + (missing.size() > 1
                  ? ", ..." : "") + "): pass --value-sets DIR with their expansions");
        }
        if (!chosen.contains(pack)) {
          chosen.add(pack);
        }
      }
      return chosen;
    }
    List<String> skipped = new ArrayList<>();
    for (RulePack pack : shipped) {
      if (missingValueSets(pack, urls).isEmpty()) {
        chosen.add(pack);
      } else {
        skipped.add(pack.id());
      }
    }
    if (!skipped.isEmpty()) {
      err.println("note: skipped " + skipped.size() + (skipped.size() == 1 ? " pack" : " packs")
          + " whose value sets are not loaded (" + String.join(", ", skipped) + ")"
          + (noValueSets.isEmpty() ? "" : "; " + noValueSets)
          + ": pass --value-sets DIR with their expansions");
    } else if (!noValueSets.isEmpty()) {
      err.println("note: " + noValueSets + " (--value-sets-if-present)");
    }
    return chosen;
  }

  /** The canonical URLs of the value sets {@code pack} names but neither ships nor finds loaded. */
  static List<String> missingValueSets(RulePack pack, Set<String> loaded) {
    Set<String> own = new HashSet<>(loaded);
    pack.valueSets().forEach(v -> own.add(v.url()));
    return pack.valueSetNames().values().stream().filter(url -> !own.contains(url))
        .distinct().sorted().toList();
  }
}
