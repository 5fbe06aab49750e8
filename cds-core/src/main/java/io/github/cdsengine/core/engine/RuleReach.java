package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.rule.PackSettings;
import io.github.cdsengine.core.rule.PatientAge;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.EntryPointId;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.QueryElement;
import org.drools.base.rule.RuleConditionElement;
import org.drools.base.rule.constraint.Constraint;
import org.drools.mvel.MVELConstraint;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * Decides, before a rule session is taken, whether any rule of a compiled rule base could fire on
 * a record of which only the engine's own facts (the patient, the patient's age, the clock, the
 * measurement period, the pack settings, draft orders) would be inserted.
 *
 * <p>It is derived from the compiled rule base, never listed by hand. Each rule's conditions are
 * read as alternatives (the branches of its {@code or}s), each a list of the fact patterns that
 * must match at its top level or inside an {@code exists}. A pattern on a type the engine never
 * inserts (a type a rule inserts, such as a population criterion or a declared type, or a record
 * fact that this record does not bring) cannot match before some rule fires; if no alternative of
 * any rule can match, no rule fires at all, so nothing is ever inserted. A {@code PatientAge}
 * pattern whose constraints bound {@code years} by literals narrows its alternative to those ages.
 * A query call (outside {@code not}) needs what one alternative of the query's conditions needs.
 * Everything else counts as able to match: {@code not}, {@code accumulate}, {@code from}, {@code
 * eval}, {@code forall}, abductive or recursive query calls, patterns on other entry points, and
 * rules with no pattern.
 *
 * <p>A session does more than fire rules: inserting a fact evaluates the single-fact (alpha)
 * constraints of every pattern on its type, and one of those could throw. So the shortcut is
 * allowed only when every single-fact constraint of every pattern that could match an engine fact,
 * in rules and queries alike, is a comparison of the fact's own fields with literals or
 * constants, which cannot throw, or asks the pack settings (the same object in every evaluation)
 * for a setting they hold. When anything is not understood, the analysis answers "some rule
 * could fire", and the engine takes a session.
 */
final class RuleReach {

  /** The engine facts a record without any admitted record fact brings, by bit. */
  static final List<Class<?>> ENGINE_FACT_BITS;

  static {
    List<Class<?>> bits = new ArrayList<>();
    bits.add(Patient.class);
    bits.addAll(FactAdmission.ENGINE_FACTS);
    ENGINE_FACT_BITS = List.copyOf(bits);
  }

  /** Bit of the patient's age in {@link #ENGINE_FACT_BITS}. */
  static final int AGE_BIT = 1 << ENGINE_FACT_BITS.indexOf(PatientAge.class);

  /** More alternatives than this in one rule and the rule counts as able to fire. */
  private static final int MAX_ALTERNATIVES = 256;

  /**
   * One pattern an alternative needs: some engine fact whose bit is in {@code types}, and, for a
   * pattern on the patient's age alone, an age in years from {@code minYears} to {@code
   * maxYears}.
   */
  record Need(int types, int minYears, int maxYears) {

    boolean metBy(int present, int years) {
      if ((types & present) == 0) {
        return false;
      }
      return types != AGE_BIT || (years >= minYears && years <= maxYears);
    }
  }

  /** One way a rule could fire: every need met. */
  record Alternative(String rule, List<Need> needs) {

    boolean metBy(int present, int years) {
      for (Need need : needs) {
        if (!need.metBy(present, years)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The alternatives that engine facts alone could meet; null when the shortcut is off. */
  private final List<Alternative> alternatives;
  private final String reason;

  private RuleReach(List<Alternative> alternatives, String reason) {
    this.alternatives = alternatives == null ? null : List.copyOf(alternatives);
    this.reason = reason;
  }

  /** An analysis that always answers "some rule could fire". */
  static RuleReach never(String reason) {
    return new RuleReach(null, reason);
  }

  /**
   * The analysis of {@code base}, whose evaluations all insert {@code settings} when some pattern
   * names it; "some rule could fire" whenever it does not understand the rule base.
   */
  static RuleReach of(KieBase base, PackSettings settings) {
    try {
      List<Alternative> reachable = new ArrayList<>();
      java.util.Map<String, RuleImpl> queries = new java.util.HashMap<>();
      for (KiePackage kiePackage : base.getKiePackages()) {
        for (org.kie.api.definition.rule.Query query : kiePackage.getQueries()) {
          if (query instanceof RuleImpl impl) {
            queries.put(impl.getFullyQualifiedName(), impl);
            queries.putIfAbsent(impl.getName(), impl);
          }
        }
      }
      for (KiePackage kiePackage : base.getKiePackages()) {
        for (Rule rule : kiePackage.getRules()) {
          if (!(rule instanceof RuleImpl impl)) {
            return never("rule " + rule.getName() + " is a " + rule.getClass().getName());
          }
          Optional<String> unsafe = unsafeConstraint(impl.getLhs(), settings);
          if (unsafe.isPresent()) {
            return never((impl.isQuery() ? "query " : "rule ") + impl.getName() + ": "
                + unsafe.get());
          }
          if (impl.isQuery()) {
            continue;
          }
          List<List<Need>> ways =
              alternatives(impl.getLhs(), queries, new java.util.HashSet<>());
          if (ways == null) {
            return never("rule " + impl.getName() + " has too many alternatives");
          }
          for (List<Need> way : ways) {
            if (way.stream().noneMatch(need -> need.types() == 0)) {
              reachable.add(new Alternative(impl.getName(), way));
            }
          }
        }
        for (org.kie.api.definition.rule.Query query : kiePackage.getQueries()) {
          if (!(query instanceof RuleImpl impl)) {
            return never("query " + query.getName() + " is a " + query.getClass().getName());
          }
          Optional<String> unsafe = unsafeConstraint(impl.getLhs(), settings);
          if (unsafe.isPresent()) {
            return never("query " + impl.getName() + ": " + unsafe.get());
          }
        }
      }
      return new RuleReach(reachable, null);
    } catch (RuntimeException | LinkageError e) {
      return never("the rule base could not be read (" + e.getClass().getName() + ")");
    }
  }

  /** Whether the analysis could ever answer "no rule can fire". */
  boolean enabled() {
    return alternatives != null;
  }

  /** Why the analysis always answers "some rule could fire", or null when it does not. */
  String reason() {
    return reason;
  }

  /**
   * Whether some rule could fire on a record that brings only the engine facts whose bits are in
   * {@code present} (see {@link #ENGINE_FACT_BITS}), the patient being {@code years} old when the
   * age is present.
   */
  boolean someRuleCouldFire(int present, int years) {
    if (alternatives == null) {
      return true;
    }
    for (Alternative alternative : alternatives) {
      if (alternative.metBy(present, years)) {
        return true;
      }
    }
    return false;
  }

  /** The bit of engine fact {@code type}, which must be one of {@link #ENGINE_FACT_BITS}. */
  static int bit(Class<?> type) {
    int index = ENGINE_FACT_BITS.indexOf(type);
    if (index < 0) {
      throw new IllegalArgumentException("not an engine fact: " + type.getName());
    }
    return 1 << index;
  }

  /**
   * The alternatives of {@code element} that engine facts could meet, each a list of needs; null
   * when there are too many. An empty list means no way at all.
   */
  private static List<List<Need>> alternatives(RuleConditionElement element,
      java.util.Map<String, RuleImpl> queries, java.util.Set<String> expanding) {
    if (element instanceof Pattern pattern && pattern.getSource() instanceof QueryElement call) {
      return alternatives(call, queries, expanding);
    }
    if (element instanceof QueryElement call) {
      // A query call holds when the query has a result: when its conditions match. An abductive
      // query can hold without a match, and a query that calls itself is not followed.
      RuleImpl query = queries.get(call.getQueryName());
      if (query == null || call.isAbductive() || !expanding.add(call.getQueryName())) {
        return List.of(List.of());
      }
      try {
        return alternatives(query.getLhs(), queries, expanding);
      } finally {
        expanding.remove(call.getQueryName());
      }
    }
    if (element instanceof Pattern pattern) {
      if (!fromWorkingMemory(pattern) || droolsOwn(pattern.getObjectType())) {
        return List.of(List.of());
      }
      Need need = need(pattern);
      // A pattern no engine fact can match leaves no way at all.
      return need.types() == 0 ? List.of() : List.of(List.of(need));
    }
    if (element instanceof GroupElement group) {
      if (group.isNot()) {
        return List.of(List.of());
      }
      if (group.isOr()) {
        java.util.Set<List<Need>> ways = new java.util.LinkedHashSet<>();
        for (RuleConditionElement child : group.getChildren()) {
          List<List<Need>> childWays = alternatives(child, queries, expanding);
          if (childWays == null) {
            return null;
          }
          ways.addAll(childWays);
          if (ways.size() > MAX_ALTERNATIVES) {
            return null;
          }
        }
        return List.copyOf(ways);
      }
      if (group.isAnd() || group.isExists()) {
        List<List<Need>> ways = List.of(List.of());
        for (RuleConditionElement child : group.getChildren()) {
          List<List<Need>> childWays = alternatives(child, queries, expanding);
          if (childWays == null) {
            return null;
          }
          java.util.Set<List<Need>> product = new java.util.LinkedHashSet<>();
          for (List<Need> way : ways) {
            for (List<Need> childWay : childWays) {
              java.util.Set<Need> joined = new java.util.LinkedHashSet<>(way);
              joined.addAll(childWay);
              product.add(List.copyOf(joined));
            }
          }
          if (product.size() > MAX_ALTERNATIVES) {
            return null;
          }
          ways = List.copyOf(product);
          if (ways.isEmpty()) {
            return ways;
          }
        }
        return ways;
      }
    }
    // accumulate, collect, from, eval, forall, a query call, a named consequence or a branch:
    // counted as able to match.
    return List.of(List.of());
  }

  /**
   * Whether Drools itself inserts facts of this type (the initial fact, a query's call): such a
   * pattern may match without any rule firing.
   */
  private static boolean droolsOwn(ObjectType type) {
    String name = type.getClassName();
    return name == null || name.startsWith("org.drools.") || name.startsWith("org.kie.");
  }

  /** Whether the pattern matches facts inserted into the session's default entry point. */
  private static boolean fromWorkingMemory(Pattern pattern) {
    return pattern.getSource() == null || EntryPointId.DEFAULT.equals(pattern.getSource());
  }

  private static Need need(Pattern pattern) {
    ObjectType type = pattern.getObjectType();
    int types = 0;
    for (int i = 0; i < ENGINE_FACT_BITS.size(); i++) {
      if (type.isAssignableFrom(ENGINE_FACT_BITS.get(i))) {
        types |= 1 << i;
      }
    }
    int min = Integer.MIN_VALUE;
    int max = Integer.MAX_VALUE;
    if (types == AGE_BIT && type.isAssignableTo(PatientAge.class)) {
      for (Constraint constraint : pattern.getConstraints()) {
        if (constraint.getType() == Constraint.ConstraintType.ALPHA
            && constraint instanceof MVELConstraint mvel) {
          int[] bound = SafeConstraint.yearsBound(mvel.getExpression());
          if (bound != null) {
            min = Math.max(min, bound[0]);
            max = Math.min(max, bound[1]);
          }
        }
      }
    }
    return new Need(types, min, max);
  }

  /**
   * What makes some single-fact constraint on an engine fact unsafe to skip, anywhere under
   * {@code element}; empty when there is none.
   */
  private static Optional<String> unsafeConstraint(RuleConditionElement element,
      PackSettings settings) {
    if (element instanceof Pattern pattern) {
      ObjectType type = pattern.getObjectType();
      Class<?> engineFact = null;
      for (Class<?> candidate : ENGINE_FACT_BITS) {
        if (type.isAssignableFrom(candidate)) {
          engineFact = candidate;
          break;
        }
      }
      // A pattern over a "from" source never sees inserted facts; its constraints run only when
      // its rule is evaluated, which needs a reachable alternative.
      if (engineFact != null && !(pattern.getSource() instanceof org.drools.base.rule.From)) {
        for (Constraint constraint : pattern.getConstraints()) {
          if (constraint.getType() == Constraint.ConstraintType.ALPHA) {
            if (!(constraint instanceof MVELConstraint mvel)) {
              return Optional.of("a constraint on " + engineFact.getSimpleName()
                  + " of a kind not understood (" + constraint.getClass().getSimpleName() + ")");
            }
            Class<?> matched = engineFactOf(type);
            if (matched == null || !SafeConstraint.safe(mvel.getExpression(), fields(matched),
                calls(matched, settings))) {
              return Optional.of("the constraint '" + mvel.getExpression() + "' on "
                  + engineFact.getSimpleName() + " could throw");
            }
          } else if (constraint.getType() != Constraint.ConstraintType.BETA) {
            return Optional.of("a " + constraint.getType() + " constraint on "
                + engineFact.getSimpleName());
          }
        }
      }
    }
    Collection<? extends RuleConditionElement> nested = element.getNestedElements();
    if (nested != null) {
      for (RuleConditionElement child : nested) {
        if (child != null && child != element) {
          Optional<String> unsafe = unsafeConstraint(child, settings);
          if (unsafe.isPresent()) {
            return unsafe;
          }
        }
      }
    }
    if (element instanceof Pattern pattern && pattern.getSource() != null
        && pattern.getSource() != element) {
      return unsafeConstraint(pattern.getSource(), settings);
    }
    return Optional.empty();
  }

  /**
   * The methods a constraint on {@code type} may call: on the pack settings, the same object in
   * every evaluation, {@code enabled("pack", "setting")} for a setting they hold (asked here, so a
   * call that would throw in every evaluation is refused); none on other facts.
   */
  private static SafeConstraint.Calls calls(Class<?> type, PackSettings settings) {
    if (type != PackSettings.class) {
      return SafeConstraint.NO_CALLS;
    }
    return (method, arguments) -> {
      if (!method.equals("enabled") || arguments.size() != 2) {
        return false;
      }
      try {
        settings.enabled(arguments.get(0), arguments.get(1));
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
  }

  /** The one engine fact type a pattern on {@code type} matches, or null if several or none. */
  private static Class<?> engineFactOf(ObjectType type) {
    Class<?> found = null;
    for (Class<?> candidate : ENGINE_FACT_BITS) {
      if (type.isAssignableFrom(candidate)) {
        if (found != null) {
          return null;
        }
        found = candidate;
      }
    }
    return found != null && type.isAssignableTo(found) ? found : null;
  }

  /** The record components of {@code type} by name, empty for a type that is no record. */
  private static java.util.Map<String, Class<?>> fields(Class<?> type) {
    java.util.Map<String, Class<?>> fields = new java.util.HashMap<>();
    RecordComponent[] components = type.getRecordComponents();
    if (components != null) {
      for (RecordComponent component : components) {
        fields.put(component.getName(), component.getType());
      }
    }
    return fields;
  }
}
