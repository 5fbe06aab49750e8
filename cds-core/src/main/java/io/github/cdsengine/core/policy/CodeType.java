package io.github.cdsengine.core.policy;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static type of an expression in rule code, as {@link CodeCheck} works it out: a class with
 * its type arguments, a type the rule set declares itself, or the type of {@code null}. It is what
 * the Java compiler would decide, or less precise (a type argument it cannot follow becomes its
 * bound); a less precise type only makes the check refuse more, never allow more.
 *
 * @param raw the class, or null for a declared type and for the null type
 * @param args the type arguments, empty for a raw or non-generic class
 * @param declared the type a rule file declares, or null
 */
record CodeType(Class<?> raw, List<CodeType> args, DeclaredType declared) {

  /** The type of the literal {@code null}: assignable to every reference type. */
  static final CodeType NULL = new CodeType(null, List.of(), null);
  static final CodeType OBJECT = of(Object.class);
  static final CodeType BOOLEAN = of(boolean.class);
  static final CodeType STRING = of(String.class);

  /**
   * A type a rule file declares with {@code declare Name ... end}: Drools generates a class with a
   * getter and a setter per field.
   *
   * @param packageName the declaring file's package
   * @param name the simple name
   * @param fields the fields by name, in declaration order
   */
  record DeclaredType(String packageName, String name, Map<String, CodeType> fields) {}

  static CodeType of(Class<?> raw) {
    return new CodeType(raw, List.of(), null);
  }

  static CodeType declared(DeclaredType type) {
    return new CodeType(null, List.of(), type);
  }

  boolean isNull() {
    return raw == null && declared == null;
  }

  boolean isPrimitive() {
    return raw != null && raw.isPrimitive();
  }

  /** The class to look members up on: the wrapper for a primitive, Object for a declared type. */
  Class<?> lookupClass() {
    if (raw == null) {
      return Object.class;
    }
    return raw.isPrimitive() ? wrapper(raw) : raw;
  }

  /** How the type reads in a refusal. */
  String display() {
    if (declared != null) {
      return declared.name();
    }
    if (raw == null) {
      return "null";
    }
    String name = raw.isArray() ? raw.getComponentType().getSimpleName() + "[]" : raw.getName();
    if (args.isEmpty()) {
      return name;
    }
    List<String> shown = new ArrayList<>();
    args.forEach(a -> shown.add(a.display()));
    return name + "<" + String.join(", ", shown) + ">";
  }

  /** Whether a value of type {@code from} may be passed where this type is expected (erased). */
  boolean accepts(CodeType from) {
    if (from == null) {
      return true;
    }
    if (from.isNull()) {
      return raw == null || !raw.isPrimitive();
    }
    if (declared != null || from.declared != null) {
      return declared == null ? raw == Object.class : declared.equals(from.declared);
    }
    Class<?> to = raw;
    Class<?> source = from.raw;
    if (to.isPrimitive() && source.isPrimitive()) {
      return to == source || widens(source, to);
    }
    if (to.isPrimitive()) {
      return source == wrapper(to) || (unwrap(source) != null && widens(unwrap(source), to));
    }
    if (source.isPrimitive()) {
      return to.isAssignableFrom(wrapper(source));
    }
    return to.isAssignableFrom(source);
  }

  /** The type of {@code type} where the type variables {@code bindings} names stand for types. */
  static CodeType of(Type type, Map<TypeVariable<?>, CodeType> bindings) {
    return of(type, bindings, 0);
  }

  private static CodeType of(Type type, Map<TypeVariable<?>, CodeType> bindings, int depth) {
    if (depth > 8) {
      return OBJECT;
    }
    if (type instanceof Class<?> c) {
      return of(c);
    }
    if (type instanceof ParameterizedType p) {
      List<CodeType> args = new ArrayList<>();
      for (Type a : p.getActualTypeArguments()) {
        args.add(of(a, bindings, depth + 1));
      }
      return new CodeType((Class<?>) p.getRawType(), List.copyOf(args), null);
    }
    if (type instanceof TypeVariable<?> v) {
      CodeType bound = bindings.get(v);
      return bound != null ? bound : of(v.getBounds()[0], bindings, depth + 1);
    }
    if (type instanceof WildcardType w) {
      return of(w.getUpperBounds()[0], bindings, depth + 1);
    }
    if (type instanceof GenericArrayType g) {
      CodeType component = of(g.getGenericComponentType(), bindings, depth + 1);
      return of(Array.newInstance(component.lookupClass(), 0).getClass());
    }
    return OBJECT;
  }

  /**
   * The type variables of {@code declaring} as this type binds them: for a {@code
   * List<Observation>} and {@code Collection.class}, Collection's {@code E} is Observation.
   */
  Map<TypeVariable<?>, CodeType> bindingsFor(Class<?> declaring) {
    Map<TypeVariable<?>, CodeType> bindings = new HashMap<>();
    if (raw == null || raw.isPrimitive()) {
      return bindings;
    }
    TypeVariable<?>[] variables = raw.getTypeParameters();
    if (variables.length == args.size()) {
      for (int i = 0; i < variables.length; i++) {
        bindings.put(variables[i], args.get(i));
      }
    }
    Map<TypeVariable<?>, CodeType> found = walk(raw, declaring, bindings, 0);
    return found == null ? new HashMap<>() : found;
  }

  private static Map<TypeVariable<?>, CodeType> walk(Class<?> at, Class<?> declaring,
      Map<TypeVariable<?>, CodeType> bindings, int depth) {
    if (at == declaring) {
      return bindings;
    }
    if (depth > 12) {
      return null;
    }
    List<Type> supers = new ArrayList<>();
    if (at.getGenericSuperclass() != null) {
      supers.add(at.getGenericSuperclass());
    }
    supers.addAll(List.of(at.getGenericInterfaces()));
    for (Type s : supers) {
      Class<?> superClass = s instanceof ParameterizedType p ? (Class<?>) p.getRawType()
          : s instanceof Class<?> c ? c : null;
      if (superClass == null || !declaring.isAssignableFrom(superClass)) {
        continue;
      }
      Map<TypeVariable<?>, CodeType> next = new HashMap<>();
      if (s instanceof ParameterizedType p) {
        TypeVariable<?>[] variables = superClass.getTypeParameters();
        Type[] actual = p.getActualTypeArguments();
        for (int i = 0; i < variables.length && i < actual.length; i++) {
          next.put(variables[i], of(actual[i], bindings));
        }
      }
      Map<TypeVariable<?>, CodeType> found = walk(superClass, declaring, next, depth + 1);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  static Class<?> wrapper(Class<?> primitive) {
    return Array.get(Array.newInstance(primitive, 1), 0) == null ? primitive
        : Array.get(Array.newInstance(primitive, 1), 0).getClass();
  }

  static Class<?> unwrap(Class<?> boxed) {
    for (Class<?> p : List.of(boolean.class, byte.class, char.class, short.class, int.class,
        long.class, float.class, double.class)) {
      if (wrapper(p) == boxed) {
        return p;
      }
    }
    return null;
  }

  private static final List<Class<?>> NUMERIC = List.of(byte.class, short.class, char.class,
      int.class, long.class, float.class, double.class);

  private static boolean widens(Class<?> from, Class<?> to) {
    if (from == boolean.class || to == boolean.class) {
      return false;
    }
    if (from == char.class) {
      return NUMERIC.indexOf(to) >= NUMERIC.indexOf(int.class);
    }
    if (to == char.class) {
      return false;
    }
    return NUMERIC.indexOf(from) <= NUMERIC.indexOf(to);
  }
}
