package io.github.cdsengine.core.rule;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The values of the settings the engine's rule packs declare, inserted into every evaluation
 * whose rules name this type; the same for every evaluation of one engine. A rule reads a
 * setting with a constraint such as {@code PackSettings(enabled("cdc-opioids-2016",
 * "opiate-urine-screening-check"))}.
 *
 * <p>A setting no loaded pack declares is an error, never a silent {@code false}: {@link
 * #enabled} throws, and the evaluation reports the rule as failed.
 */
public final class PackSettings {

  /**
   * One setting's value.
   *
   * @param pack the id of the rule pack that declares the setting
   * @param name the setting's name within that pack, in kebab case
   * @param enabled whether the setting is on in this engine
   */
  public record Value(String pack, String name, boolean enabled) {

    /**
     * Checks the fields.
     *
     * @param pack the id of the rule pack that declares the setting; never null
     * @param name the setting's name within that pack; never null
     * @param enabled whether the setting is on in this engine
     * @throws NullPointerException if pack or name is null
     */
    public Value {
      Objects.requireNonNull(pack, "pack");
      Objects.requireNonNull(name, "name");
    }
  }

  private static final PackSettings NONE = new PackSettings(List.of());

  /** By pack, then setting name: a rule's read is two lookups and builds no key. */
  private final Map<String, Map<String, Value>> byPack = new TreeMap<>();

  private PackSettings(List<Value> values) {
    for (Value value : values) {
      if (byPack.computeIfAbsent(value.pack(), pack -> new TreeMap<>())
          .putIfAbsent(value.name(), value) != null) {
        throw new IllegalArgumentException("setting '" + value.name() + "' of pack '"
            + value.pack() + "' is given twice");
      }
    }
  }

  /**
   * Settings with the given values.
   *
   * @param values one value per setting of every loaded pack; may be empty
   * @return the settings
   * @throws IllegalArgumentException if a pack's setting is given twice
   */
  public static PackSettings of(List<Value> values) {
    return values.isEmpty() ? NONE : new PackSettings(List.copyOf(values));
  }

  /**
   * Whether setting {@code name} of pack {@code pack} is on in this engine.
   *
   * @param pack the id of the rule pack that declares the setting, e.g. {@code cdc-opioids-2016}
   * @param name the setting's name, e.g. {@code opiate-urine-screening-check}
   * @return the setting's value: the host's override, else the pack's default
   * @throws IllegalArgumentException if no loaded pack declares that setting
   */
  public boolean enabled(String pack, String name) {
    Map<String, Value> settings = byPack.get(pack);
    Value value = settings == null ? null : settings.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no loaded rule pack declares the setting '" + name
          + "' of pack '" + pack + "'; declared: "
          + values().stream().map(v -> v.pack() + ":" + v.name()).toList());
    }
    return value.enabled();
  }

  /**
   * Every setting's value, sorted by pack and name.
   *
   * @return the values; unmodifiable, empty when no pack declares a setting
   */
  public List<Value> values() {
    return byPack.values().stream().flatMap(settings -> settings.values().stream()).toList();
  }

  @Override
  public String toString() {
    return "PackSettings" + values();
  }
}
