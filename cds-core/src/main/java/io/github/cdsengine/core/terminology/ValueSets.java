package io.github.cdsengine.core.terminology;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The value sets loaded into one engine, available to every rule as the DRL global
 * {@code valueSets}: {@code Procedure(valueSets.includes("crc-colonoscopy", code))}.
 *
 * <p>Immutable and thread-safe. The engine build fails when a rule names a value set that is not
 * here, so {@link #includes} never meets an unknown id for a rule that passed the build.
 */
public final class ValueSets {

  /** Never changed after construction, nor exposed. */
  private final Map<String, ValueSet> byId;

  private ValueSets(Map<String, ValueSet> byId) {
    this.byId = byId;
  }

  /**
   * Indexes {@code valueSets} by id.
   *
   * @param valueSets the value sets to load
   * @return the index, keyed by each value set's id
   * @throws IllegalArgumentException naming the id when two value sets share it
   */
  public static ValueSets of(Collection<ValueSet> valueSets) {
    return of(valueSets, Map.of());
  }

  /**
   * Indexes {@code valueSets} by id, and each of {@code names} as another id of the value set
   * it is bound to, such as {@code "Office Visit"} for a VSAC value set whose id is its OID.
   *
   * @param valueSets the value sets to load
   * @param names further ids, each mapped to the value set it names
   * @return the index, keyed by each value set's id and by each name
   * @throws IllegalArgumentException naming the id when two value sets share it, or a name that
   *     is also the id of another value set
   */
  public static ValueSets of(Collection<ValueSet> valueSets, Map<String, ValueSet> names) {
    Map<String, ValueSet> byId = new LinkedHashMap<>();
    for (ValueSet valueSet : valueSets) {
      ValueSet previous = byId.putIfAbsent(valueSet.id(), valueSet);
      if (previous != null && !previous.equals(valueSet)) {
        throw new IllegalArgumentException("two different value sets have the id '"
            + valueSet.id() + "': " + previous.url() + " and " + valueSet.url());
      }
    }
    names.forEach((name, valueSet) -> {
      ValueSet previous = byId.putIfAbsent(name, valueSet);
      if (previous != null && !previous.equals(valueSet)) {
        throw new IllegalArgumentException("the value set name '" + name + "' is bound to "
            + valueSet.url() + " but is also the id of " + previous.url());
      }
    });
    // Keys interned: rules name value sets with string literals, which the JVM interns, so a
    // lookup from a rule finds its key by identity instead of comparing characters.
    Map<String, ValueSet> interned = new HashMap<>();
    byId.forEach((id, valueSet) -> interned.put(id.intern(), valueSet));
    return new ValueSets(interned);
  }

  /**
   * Whether any coding of {@code concept} is in the value set {@code valueSetId}.
   *
   * @param valueSetId the value set's id or one of its names, e.g. {@code Mammography}
   * @param concept the concept to test, or {@code null}
   * @return true when any coding of {@code concept} is in the value set; false for {@code null}
   * @throws IllegalArgumentException if no value set has that id
   */
  public boolean includes(String valueSetId, CodeableConcept concept) {
    return require(valueSetId).containsAny(concept);
  }

  /**
   * Whether {@code code} is in the value set {@code valueSetId}.
   *
   * @param valueSetId the value set's id or one of its names
   * @param code the code to test, or {@code null}
   * @return true when {@code code} is in the value set; false for {@code null}
   * @throws IllegalArgumentException if no value set has that id
   */
  public boolean includes(String valueSetId, Code code) {
    return require(valueSetId).contains(code);
  }

  /**
   * The value set with this id, if loaded.
   *
   * @param valueSetId the value set's id or one of its names
   * @return the value set, or empty when none has that id
   */
  public Optional<ValueSet> find(String valueSetId) {
    return Optional.ofNullable(byId.get(valueSetId));
  }

  /**
   * Every loaded value set, each once.
   *
   * @return the loaded value sets; unmodifiable
   */
  public Collection<ValueSet> all() {
    return byId.values().stream().distinct().toList();
  }

  private ValueSet require(String valueSetId) {
    ValueSet valueSet = byId.get(valueSetId);
    if (valueSet == null) {
      throw new IllegalArgumentException("no value set with id '" + valueSetId + "' is loaded");
    }
    return valueSet;
  }
}
