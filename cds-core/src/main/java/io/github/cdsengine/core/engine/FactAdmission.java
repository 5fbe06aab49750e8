package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import io.github.cdsengine.core.rule.PackSettings;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import io.github.cdsengine.core.drl.DrlScanner;

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
 * The facts the engine makes for each evaluation ({@link #ENGINE_FACTS}: the clock, the patient's
 * age, the measurement period, draft orders, the pack settings) are inserted only when some pattern names their type.
 * Leaving facts out this way never changes what rules conclude, only how fast.
 */
final class FactAdmission {

  /** The facts the engine itself makes for an evaluation, each inserted whole or not at all. */
  static final List<Class<?>> ENGINE_FACTS =
      List.of(Now.class, PatientAge.class, MeasurementPeriod.class, DraftOrder.class,
          PackSettings.class);

  /** One value-set test: the value set, and the record accessor of the field it tests. */
  private record Test(ValueSet valueSet, Method field) {}

  /**
   * Every code some test accepts in one coded field, merged into one set, so that admitting a
   * fact costs one hash lookup per coding rather than one per value set; and the value sets of
   * those tests that include whole ICD-10-CM families, which a merged set cannot list.
   */
  private record FieldCodes(Function<ClinicalFact, Object> field, Set<Code> codes,
      List<ValueSet> withFamilies) {

    boolean accepts(Code code) {
      if (codes.contains(code)) {
        return true;
      }
      for (ValueSet valueSet : withFamilies) {
        if (valueSet.contains(code)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Types inserted whole map to an empty list; types left out are absent. Read-only. */
  private final Map<Class<?>, List<FieldCodes>> testsByType;

  private FactAdmission(Map<Class<?>, List<Test>> tests) {
    Map<Class<?>, List<FieldCodes>> merged = new HashMap<>();
    tests.forEach((type, list) -> {
      Map<Method, Set<Code>> byField = new LinkedHashMap<>();
      Map<Method, List<ValueSet>> withFamiliesByField = new HashMap<>();
      for (Test test : list) {
        byField.computeIfAbsent(test.field(), f -> new HashSet<>())
            .addAll(test.valueSet().codes());
        List<ValueSet> withFamilies =
            withFamiliesByField.computeIfAbsent(test.field(), f -> new ArrayList<>());
        if (!test.valueSet().families().isEmpty() && !withFamilies.contains(test.valueSet())) {
          withFamilies.add(test.valueSet());
        }
      }
      List<FieldCodes> fields = new ArrayList<>();
      byField.forEach((field, codes) -> fields.add(new FieldCodes(reader(field), codes,
          List.copyOf(withFamiliesByField.get(field)))));
      merged.put(type, List.copyOf(fields));
    });
    this.testsByType = merged;
  }

  /**
   * The accessor as a function, which the JIT can inline where a method handle held in a field
   * would be called through its generic form.
   */
  @SuppressWarnings("unchecked")
  private static Function<ClinicalFact, Object> reader(Method accessor) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle getter = lookup.unreflect(accessor);
      return (Function<ClinicalFact, Object>) LambdaMetafactory.metafactory(lookup, "apply",
          MethodType.methodType(Function.class), MethodType.methodType(Object.class, Object.class),
          getter, getter.type()).getTarget().invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
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
    for (Class<?> type : ENGINE_FACTS) {
      if (wholeRecord || usesByType.containsKey(type.getSimpleName())) {
        testsByType.put(type, List.of());
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
        return Optional.of(component.getAccessor());
      }
    }
    return Optional.empty();
  }

  /** Whether facts of this type, a record fact's or an engine fact's, are inserted at all. */
  boolean admitsType(Class<?> type) {
    return testsByType.containsKey(type);
  }

  /** Whether {@code fact} could match some pattern. */
  boolean admits(ClinicalFact fact) {
    List<FieldCodes> fields = testsByType.get(fact.getClass());
    if (fields == null) {
      return false;
    }
    if (fields.isEmpty()) {
      return true;
    }
    for (FieldCodes field : fields) {
      Object value = field.field().apply(fact);
      if (value instanceof CodeableConcept concept) {
        for (Code coding : concept.codings()) {
          if (field.accepts(coding)) {
            return true;
          }
        }
      } else if (value instanceof Code code && field.accepts(code)) {
        return true;
      }
    }
    return false;
  }
}
