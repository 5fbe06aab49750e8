package io.github.cdsengine.core;

import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which record facts go into the rule session: only those some pattern could match.
 *
 * <p>Drools tests value-set membership fact by fact on every insert, and an insert costs far
 * more than a hash lookup. So, from the DRL text: a fact type that no pattern names is not
 * inserted; a type whose every pattern has a top-level {@code valueSets.includes("id", field)}
 * test, or a top-level {@code ||} of such tests, is inserted only for facts whose {@code field}
 * is in one of those value sets, since no
 * other fact of that type can match any of its patterns, not even inside {@code not},
 * {@code exists} or {@code accumulate}; any other type is inserted whole. A pattern on
 * {@code ClinicalFact}, {@code Record} or {@code Object} makes every type inserted whole.
 * Leaving facts out this way never changes what rules conclude, only how fast.
 */
final class FactAdmission {

  /** One value-set test: the value set, and the record accessor of the field it tests. */
  private record Test(ValueSet valueSet, Method field) {}

  /** Types inserted whole map to an empty list; types left out are absent. Read-only. */
  private final Map<Class<?>, List<Test>> testsByType;

  private FactAdmission(Map<Class<?>, List<Test>> testsByType) {
    this.testsByType = testsByType;
  }

  static FactAdmission of(List<DrlScanner.Scan> scans, ValueSets valueSets) {
    Map<String, List<DrlScanner.PatternUse>> usesByType = new HashMap<>();
    for (DrlScanner.Scan scan : scans) {
      for (DrlScanner.PatternUse use : scan.patterns()) {
        usesByType.computeIfAbsent(use.type(), type -> new ArrayList<>()).add(use);
      }
    }
    boolean wholeRecord = usesByType.containsKey("ClinicalFact")
        || usesByType.containsKey("Record") || usesByType.containsKey("Object");
    Map<Class<?>, List<Test>> testsByType = new HashMap<>();
    for (Class<?> type : ClinicalFact.class.getPermittedSubclasses()) {
      List<DrlScanner.PatternUse> uses = usesByType.get(type.getSimpleName());
      if (wholeRecord || type == Patient.class) {
        testsByType.put(type, List.of());
      } else if (uses != null) {
        testsByType.put(type, tests(type, uses, valueSets).orElse(List.of()));
      }
    }
    return new FactAdmission(testsByType);
  }

  /** The tests that admit a fact of {@code type}, or empty when every fact must be admitted. */
  private static Optional<List<Test>> tests(Class<?> type, List<DrlScanner.PatternUse> uses,
      ValueSets valueSets) {
    Set<Test> tests = new LinkedHashSet<>();
    for (DrlScanner.PatternUse use : uses) {
      if (!use.filtered()) {
        return Optional.empty();
      }
      for (DrlScanner.ValueSetTest test : use.tests()) {
        Optional<ValueSet> valueSet = valueSets.find(test.valueSetId());
        Optional<Method> field = codedField(type, test.field());
        if (valueSet.isEmpty() || field.isEmpty()) {
          return Optional.empty();
        }
        tests.add(new Test(valueSet.get(), field.get()));
      }
    }
    return Optional.of(List.copyOf(tests));
  }

  private static Optional<Method> codedField(Class<?> type, String name) {
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(name)
          && (component.getType() == CodeableConcept.class || component.getType() == Code.class)) {
        Method accessor = component.getAccessor();
        // Checked once here rather than on every call: accessors of public records are public.
        accessor.setAccessible(true);
        return Optional.of(accessor);
      }
    }
    return Optional.empty();
  }

  /** Whether facts of this type are inserted at all. */
  boolean admitsType(Class<?> type) {
    return testsByType.containsKey(type);
  }

  /** Whether {@code fact} could match some pattern. */
  boolean admits(ClinicalFact fact) {
    List<Test> tests = testsByType.get(fact.getClass());
    if (tests == null) {
      return false;
    }
    if (tests.isEmpty()) {
      return true;
    }
    for (Test test : tests) {
      Object value = read(test.field(), fact);
      if (value instanceof CodeableConcept concept ? test.valueSet().containsAny(concept)
          : test.valueSet().contains((Code) value)) {
        return true;
      }
    }
    return false;
  }

  private static Object read(Method accessor, ClinicalFact fact) {
    try {
      return accessor.invoke(fact);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
  }
}
