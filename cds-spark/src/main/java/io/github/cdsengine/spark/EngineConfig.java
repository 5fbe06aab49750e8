package io.github.cdsengine.spark;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSetReader;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an engine is built from, small enough to broadcast to every executor: the shipped rule
 * packs by id (the packs travel in the job's jar) and the value sets' FHIR JSON by file name.
 * Each JVM builds the engine for one configuration once ({@link #engine()}) and every task there
 * shares it: rules are compiled once per executor, never per task or patient.
 *
 * <p>Which packs, when none is named: every shipped pack whose value sets are loaded, as
 * {@code cds batch} chooses.
 */
final class EngineConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The engines built in this JVM, by configuration digest. */
  private static final Map<String, CdsEngine> ENGINES = new ConcurrentHashMap<>();

  private final List<String> packs;
  private final TreeMap<String, byte[]> valueSets;
  private final String digest;

  private EngineConfig(List<String> packs, TreeMap<String, byte[]> valueSets) {
    this.packs = List.copyOf(packs);
    this.valueSets = valueSets;
    this.digest = digest(packs, valueSets);
  }

  /**
   * The configuration of {@code packIds} (empty: every shipped pack whose value sets are
   * loaded) with the value sets in {@code valueSetFiles}.
   *
   * @param packIds the shipped packs to load, or empty
   * @param valueSetFiles FHIR ValueSet JSON by a name for messages (the file's path)
   * @return the configuration
   * @throws IllegalArgumentException naming an unknown pack, or a named pack whose value sets
   *     are not all loaded
   * @throws io.github.cdsengine.core.problem.InvalidDataException naming a value set file that
   *     is not a FHIR ValueSet
   */
  static EngineConfig of(List<String> packIds, Map<String, byte[]> valueSetFiles) {
    TreeMap<String, byte[]> files = new TreeMap<>(valueSetFiles);
    Set<String> urls = new HashSet<>();
    for (ValueSet valueSet : parse(files)) {
      urls.add(valueSet.url());
    }
    List<RulePack> shipped = ShippedRulePacks.all();
    List<String> chosen = new ArrayList<>();
    if (packIds.isEmpty()) {
      shipped.stream().filter(p -> missing(p, urls).isEmpty()).forEach(p -> chosen.add(p.id()));
    } else {
      for (String id : packIds) {
        RulePack pack = shipped.stream().filter(p -> p.id().equals(id)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("--pack: no shipped pack '" + id
                + "'; shipped: " + String.join(", ", shipped.stream().map(RulePack::id)
                    .toList())));
        List<String> missing = missing(pack, urls);
        if (!missing.isEmpty()) {
          throw new IllegalArgumentException("pack " + id + " needs " + missing.size()
              + " value sets that are not loaded (" + missing.get(0) + (missing.size() > 1
                  ? ", ..." : "") + "): pass --value-sets DIR with their expansions");
        }
        if (!chosen.contains(id)) {
          chosen.add(id);
        }
      }
    }
    return new EngineConfig(chosen, files);
  }

  private static List<String> missing(RulePack pack, Set<String> loaded) {
    Set<String> own = new HashSet<>(loaded);
    pack.valueSets().forEach(v -> own.add(v.url()));
    return pack.valueSetNames().values().stream().filter(url -> !own.contains(url))
        .distinct().sorted().toList();
  }

  private static List<ValueSet> parse(Map<String, byte[]> files) {
    List<ValueSet> valueSets = new ArrayList<>();
    files.forEach((name, bytes) ->
        valueSets.add(ValueSetReader.read(new ByteArrayInputStream(bytes), name)));
    return valueSets;
  }

  /**
   * The shipped packs this configuration loads, in order.
   *
   * @return the pack ids
   */
  List<String> packs() {
    return packs;
  }

  /**
   * The engine of this configuration in this JVM: built on first use, then shared by every
   * task; never closed (it lives as long as the executor).
   *
   * @return the engine
   */
  CdsEngine engine() {
    return ENGINES.computeIfAbsent(digest, d -> build());
  }

  /** How many engines this JVM has built: one per configuration used here. */
  static int enginesBuilt() {
    return ENGINES.size();
  }

  private CdsEngine build() {
    CdsEngine.Builder builder = CdsEngine.builder();
    List<RulePack> shipped = ShippedRulePacks.all();
    for (String id : packs) {
      shipped.stream().filter(p -> p.id().equals(id)).forEach(builder::addRulePack);
    }
    parse(valueSets).forEach(builder::addValueSet);
    return builder.build();
  }

  private static String digest(List<String> packs, Map<String, byte[]> valueSets) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String pack : packs) {
        sha.update(pack.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      valueSets.forEach((name, bytes) -> {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
        sha.update((byte) 0);
      });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EngineConfig that && digest.equals(that.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest);
  }
}
