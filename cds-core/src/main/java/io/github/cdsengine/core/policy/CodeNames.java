package io.github.cdsengine.core.policy;

import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.policy.CodeType.DeclaredType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What names mean in one rule file: its package, the types its imports and the rule set make
 * visible, the rule set's functions and globals, and whether a class or member may be used at
 * all. A class is visible only when the allow-list (or the file's own pack's helper packages)
 * allows it: a class on the class path that is not allowed has no name here, whatever the file's
 * package or imports, so it cannot be reached by its simple name either.
 */
final class CodeNames {

  /** A function the rule set declares: its return type and parameter types. */
  record Function(String name, CodeType returns, List<CodeType> parameters) {}

  /** Member names refused on any type beyond {@link RuleAllowList#REFUSED_MEMBERS}, with why. */
  private static final Map<String, String> NONDETERMINISTIC = Map.ofEntries(
      Map.entry("setStackTrace", "stack traces are not for rules"),
      Map.entry("getAvailableChronologies", "the chronologies found depend on the host's service "
          + "providers"),
      Map.entry("printStackTrace", "it writes to the process's standard error, outside the result, and "
          + "an exception's message may quote patient data"),
      Map.entry("random", "random numbers make the result differ between evaluations of the same record"),
      Map.entry("shuffle", "shuffling makes the result differ between evaluations of the same record"),
      Map.entry("systemDefault", "the JVM's default time zone differs between hosts; rules take the zone "
          + "from the evaluation"),
      Map.entry("ofPattern", "a date pattern's month and day names follow the JVM's default locale; use "
          + "the ISO formatters (DateTimeFormatter.ISO_LOCAL_DATE)"),
      Map.entry("intern", "the JVM's string table is shared by every evaluation: whether a "
          + "string was interned before tells what an earlier evaluation held"),
      Map.entry("getAvailableLocales", "the locales found differ between hosts"),
      Map.entry("getAvailableZoneIds", "the time-zone ids found differ between hosts and JDK "
          + "versions"),
      Map.entry("ofLocalizedDate", "localized formats follow the JVM's default locale"),
      Map.entry("ofLocalizedTime", "localized formats follow the JVM's default locale"),
      Map.entry("ofLocalizedDateTime", "localized formats follow the JVM's default locale"),
      Map.entry("identityHashCode", "identity hashes differ between runs"),
      Map.entry("formatted", "String.formatted follows the JVM's default locale, which differs between "
          + "hosts; concatenate, or use BigDecimal.toPlainString"));

  /**
   * Members refused on one declaring class only (class name, member name), with why: these
   * follow the JVM's default locale or turn identity hashes into results.
   */
  private static final Map<String, String> REFUSED_ON = Map.ofEntries(
      Map.entry("java.util.Arrays.toString(java.lang.Object[])", "the text of an Object array "
          + "may hold identity hashes"),
      Map.entry("java.util.Arrays.deepToString(java.lang.Object[])", "the text of an Object "
          + "array may hold identity hashes"),
      Map.entry("java.util.Arrays.hashCode(java.lang.Object[])", "the hash of an Object array "
          + "may combine identity hashes"),
      Map.entry("java.util.Arrays.deepHashCode(java.lang.Object[])", "the hash of an Object "
          + "array may combine identity hashes"),
      Map.entry("java.lang.String.format", "String.format follows the JVM's default locale, which differs "
          + "between hosts (decimal separators); concatenate, or use BigDecimal.toPlainString"),
      Map.entry("java.lang.String.toUpperCase()", "toUpperCase() follows the JVM's default locale (a "
          + "Turkish host upper-cases 'i' to a dotted 'İ'); write toUpperCase(Locale.ROOT)"),
      Map.entry("java.lang.String.toLowerCase()", "toLowerCase() follows the JVM's default locale; "
          + "write toLowerCase(Locale.ROOT)"),
      Map.entry("java.util.Objects.hash(java.lang.Object[])", "Objects.hash may combine identity hashes, "
          + "which differ between runs"),
      Map.entry("java.lang.Enum.hashCode()", "an enum constant's hashCode is its identity hash, which "
          + "differs between runs; compare constants, or use ordinal()"));

  private final Set<String> helperPackages;
  private final ClassLoader loader;
  private final Map<String, Class<?>> singleImports = new HashMap<>();
  private final List<String> wildcardPackages;
  /** Statically imported member names ({@code import function}, {@code import static}). */
  private final Map<String, Class<?>> staticImports = new HashMap<>();
  private final Map<String, DeclaredType> declaredTypes;
  private final Map<String, Function> functions;
  private final Map<String, CodeType> globals = new LinkedHashMap<>();

  CodeNames(Set<String> helperPackages, List<String> wildcardPackages,
      Map<String, DeclaredType> declaredTypes, Map<String, Function> functions) {
    this.helperPackages = helperPackages;
    this.wildcardPackages = wildcardPackages;
    this.declaredTypes = declaredTypes;
    this.functions = functions;
    this.loader = CodeNames.class.getClassLoader();
  }

  void importClass(String simpleName, Class<?> type) {
    singleImports.put(simpleName, type);
  }

  void importStatic(String member, Class<?> owner) {
    staticImports.put(member, owner);
  }

  void global(String name, CodeType type) {
    globals.put(name, type);
  }

  Optional<CodeType> global(String name) {
    return Optional.ofNullable(globals.get(name));
  }

  Optional<Function> function(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  Optional<Class<?>> staticImport(String member) {
    return Optional.ofNullable(staticImports.get(member));
  }

  Map<String, Function> functions() {
    return functions;
  }

  Map<String, DeclaredType> declaredTypes() {
    return declaredTypes;
  }

  /** The class named {@code fullName}, if it exists; never initialised. */
  Optional<Class<?>> load(String fullName) {
    try {
      return Optional.of(Class.forName(fullName, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * The type a simple or dotted name in code stands for: a declared type, an import, a class of a
   * wildcard-imported package, an allowed {@code java.lang} class, or a fully qualified name. Only
   * visible (allowed) classes are found; a primitive's name gives the primitive.
   */
  Optional<CodeType> type(String name) {
    Class<?> primitive = primitive(name);
    if (primitive != null) {
      return Optional.of(CodeType.of(primitive));
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      DeclaredType declared = declaredTypes.get(name);
      if (declared != null) {
        return Optional.of(CodeType.declared(declared));
      }
      Class<?> imported = singleImports.get(name);
      if (imported != null) {
        return visible(imported);
      }
      for (String pkg : wildcardPackages) {
        Optional<Class<?>> found = load(pkg + "." + name);
        if (found.isPresent() && allowed(found.get())) {
          return Optional.of(CodeType.of(found.get()));
        }
      }
      return load("java.lang." + name).flatMap(this::visible);
    }
    // Outer.Inner through a visible outer class, or a fully qualified name.
    Optional<CodeType> outer = type(name.substring(0, dot));
    if (outer.isPresent() && outer.get().raw() != null) {
      return load(outer.get().raw().getName() + "$" + name.substring(dot + 1).replace('.', '$'))
          .flatMap(this::visible);
    }
    DeclaredType declared = declaredTypes.get(name.substring(name.lastIndexOf('.') + 1));
    if (declared != null && name.equals(declared.packageName() + "." + declared.name())) {
      return Optional.of(CodeType.declared(declared));
    }
    return load(name).flatMap(this::visible);
  }

  private Optional<CodeType> visible(Class<?> type) {
    return allowed(type) ? Optional.of(CodeType.of(type)) : Optional.empty();
  }

  /** Whether rule code may name or hold a value of {@code type}. */
  boolean allowed(Class<?> type) {
    if (type.isPrimitive()) {
      return true;
    }
    if (type.isArray()) {
      return allowed(type.getComponentType());
    }
    if (!Modifier.isPublic(type.getModifiers())
        || RuleAllowList.REFUSED_CLASSES.containsKey(type.getSimpleName())) {
      return false;
    }
    Class<?> top = type;
    while (top.getEnclosingClass() != null) {
      if (!Modifier.isPublic(top.getModifiers())) {
        return false;
      }
      top = top.getEnclosingClass();
    }
    String pkg = top.getPackageName();
    if (helperPackages.contains(pkg) && RulePack.reservedPackage(pkg).isEmpty()) {
      return true;
    }
    return RuleAllowList.allows(pkg, top.getSimpleName());
  }

  /** Whether rule code may hold a value of {@code type}, its type arguments included. */
  boolean allowed(CodeType type) {
    if (type.raw() == null) {
      return true;
    }
    if (!allowed(type.raw())) {
      return false;
    }
    for (CodeType arg : type.args()) {
      if (!allowed(arg)) {
        return false;
      }
    }
    return true;
  }

  /** Why {@code member} may not be called or read, if it may not. */
  static Optional<String> refusedMember(Member member) {
    String name = member.getName();
    String reason = RuleAllowList.REFUSED_MEMBERS.get(name);
    if (reason == null) {
      reason = NONDETERMINISTIC.get(name);
    }
    if (reason == null && member instanceof Method m) {
      String params = String.join(",", java.util.Arrays.stream(m.getParameterTypes())
          .map(Class::getName).toList());
      String owner = m.getDeclaringClass().getName() + "." + name;
      reason = REFUSED_ON.get(owner + "(" + params + ")");
      if (reason == null) {
        reason = REFUSED_ON.get(owner);
      }
    }
    if (reason == null && name.startsWith("parallel")) {
      reason = "parallel operations run rule code on other threads";
    }
    if (reason == null && member instanceof Method m && m.getDeclaringClass() == Object.class
        && !Set.of("equals", "hashCode", "toString").contains(name)) {
      reason = "Object." + name + " is not for rules";
    }
    return Optional.ofNullable(reason);
  }

  private static Class<?> primitive(String name) {
    return switch (name) {
      case "boolean" -> boolean.class;
      case "byte" -> byte.class;
      case "char" -> char.class;
      case "short" -> short.class;
      case "int" -> int.class;
      case "long" -> long.class;
      case "float" -> float.class;
      case "double" -> double.class;
      case "void" -> void.class;
      default -> null;
    };
  }
}
