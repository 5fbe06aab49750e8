package io.github.cdsengine.core.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link RulePolicy} lets DRL name, and why it refuses the rest. An allow-list: a package or
 * class that is not listed here (or declared by the rule set itself, or a helper package of the
 * file's own rule pack) is refused, and the refusal tables below only choose the clearest reason
 * to give. The packages no rule set may claim as its own are {@link
 * io.github.cdsengine.core.pack.RulePack#reservedPackage}'s.
 */
final class RuleAllowList {

  /** Packages every public class of which rules may use. */
  static final Set<String> PACKAGES = Set.of(
      "io.github.cdsengine.core.model",
      "io.github.cdsengine.core.rule",
      "io.github.cdsengine.core.terminology",
      "io.github.cdsengine.core.units",
      "java.time",
      "java.time.format",
      "java.time.temporal",
      "java.util.function");

  /** Single classes rules may use, by package. */
  static final Map<String, Set<String>> CLASSES = Map.of(
      "java.lang", Set.of("String", "StringBuilder", "CharSequence", "Math", "StrictMath",
          "Integer", "Long", "Double", "Float", "Short", "Byte", "Boolean", "Character", "Number",
          "Object", "Comparable", "Iterable", "Enum", "Override", "Deprecated",
          "SuppressWarnings", "ArithmeticException", "IllegalArgumentException",
          "IllegalStateException", "NullPointerException", "UnsupportedOperationException",
          "IndexOutOfBoundsException"),
      "java.util", Set.of("List", "Set", "Map", "Collection", "Iterator", "ArrayList",
          "LinkedList", "HashMap", "HashSet", "LinkedHashMap", "LinkedHashSet", "TreeMap",
          "TreeSet", "ArrayDeque", "Deque", "Collections", "Comparator", "Objects", "Optional", "Locale",
          "OptionalInt", "OptionalLong", "OptionalDouble", "Arrays", "StringJoiner"),
      "java.util.stream", Set.of("Collectors", "Collector", "Stream", "IntStream", "LongStream",
          "DoubleStream"),
      "java.math", Set.of("BigDecimal", "BigInteger", "RoundingMode", "MathContext"));

  /**
   * Classes refused even inside an allowed package, or reachable without an import (java.lang),
   * with the reason.
   */
  static final Map<String, String> REFUSED_CLASSES = Map.ofEntries(
      Map.entry("System", "System reaches the process (exit, environment, properties, streams) "
          + "and the system clock; rules take time from the evaluation's Now"),
      Map.entry("Runtime", "Runtime can run processes, exit the JVM and load libraries"),
      Map.entry("ProcessBuilder", "ProcessBuilder runs operating-system processes"),
      Map.entry("Process", "Process controls operating-system processes"),
      Map.entry("ProcessHandle", "ProcessHandle controls operating-system processes"),
      Map.entry("Thread", "Thread starts or stalls threads; rules run on the caller's thread"),
      Map.entry("ThreadGroup", "ThreadGroup controls threads"),
      Map.entry("ThreadLocal", "ThreadLocal keeps state across evaluations on pooled threads"),
      Map.entry("InheritableThreadLocal", "thread-local state is refused"),
      Map.entry("Class", "Class is reflection: it loads classes by name and reaches private "
          + "members"),
      Map.entry("ClassLoader", "ClassLoader loads and defines classes"),
      Map.entry("ClassValue", "ClassValue is reflection"),
      Map.entry("Module", "Module is reflection: it opens packages"),
      Map.entry("ModuleLayer", "ModuleLayer loads modules"),
      Map.entry("Package", "Package is reflection"),
      Map.entry("StackWalker", "StackWalker is reflection over the caller's stack"),
      Map.entry("SecurityManager", "SecurityManager changes the JVM's security"),
      Map.entry("Clock", "Clock reads the system clock; rules take time from the evaluation's "
          + "Now"),
      Map.entry("UnitConverter", "the unit converter and its caches are shared by the whole "
          + "JVM; rules compare units through the units global"),
      Map.entry("ValueSetReader", "ValueSetReader reads value sets from streams; rules use the "
          + "loaded value sets through the valueSets global"));

  /** Package prefixes refused, with the reason; the longest matching prefix gives it. */
  private static final Map<String, String> REFUSED_PACKAGES = Map.ofEntries(
      Map.entry("java.lang.reflect", "reflection"),
      Map.entry("java.lang.invoke", "reflection (method handles)"),
      Map.entry("java.lang.instrument", "bytecode instrumentation"),
      Map.entry("java.lang.management", "JVM management"),
      Map.entry("java.lang.ref", "garbage-collector references"),
      Map.entry("java.io", "file and stream access (and serialization)"),
      Map.entry("java.nio", "file and channel access"),
      Map.entry("java.net", "network access"),
      Map.entry("java.rmi", "remote calls over the network"),
      Map.entry("java.sql", "database access"),
      Map.entry("java.util.concurrent", "threads and executors"),
      Map.entry("java.util.logging", "logging configuration"),
      Map.entry("java.util.prefs", "preference files"),
      Map.entry("java.util.zip", "archive and file access"),
      Map.entry("java.util.jar", "archive and class loading"),
      Map.entry("java.util.spi", "service providers"),
      Map.entry("java.security", "security configuration"),
      Map.entry("java.time.zone", "time-zone rule providers (JVM-wide state)"),
      Map.entry("java.beans", "reflection (beans introspection)"),
      Map.entry("javax.script", "script engines"),
      Map.entry("javax.naming", "JNDI lookups"),
      Map.entry("javax.management", "JVM management"),
      Map.entry("javax", "Java extension packages (JNDI, scripting, management, XML)"),
      Map.entry("sun", "JDK internals (sun.misc.Unsafe)"),
      Map.entry("jdk", "JDK internals"),
      Map.entry("com.sun", "JDK internals"),
      Map.entry("org.kie", "the rule engine's internals"),
      Map.entry("org.drools", "the rule engine's internals"),
      Map.entry("org.mvel2", "the MVEL interpreter (runs text as code)"),
      Map.entry("io.github.cdsengine.core.engine", "the engine's internals"),
      Map.entry("io.github.cdsengine.core.drl", "the engine's internals"),
      Map.entry("io.github.cdsengine.core.policy", "the engine's internals"),
      Map.entry("io.github.cdsengine.core.pack", "rule loading, not for rules"),
      Map.entry("io.github.cdsengine.core.fhir", "input parsing, not for rules"),
      Map.entry("io.github.cdsengine.core.scenario", "input loading, not for rules"));

  /** Members refused on any receiver, with the reason. */
  static final Map<String, String> REFUSED_MEMBERS = Map.ofEntries(
      Map.entry("getClass", "getClass() is reflection"),
      Map.entry("forName", "forName loads classes by name (reflection)"),
      Map.entry("getClassLoader", "getClassLoader reaches class loading"),
      Map.entry("getContextClassLoader", "getContextClassLoader reaches class loading"),
      Map.entry("loadClass", "loadClass loads classes by name"),
      Map.entry("defineClass", "defineClass defines classes from bytes"),
      Map.entry("getMethod", "reflection"), Map.entry("getMethods", "reflection"),
      Map.entry("getDeclaredMethod", "reflection"), Map.entry("getDeclaredMethods", "reflection"),
      Map.entry("getField", "reflection"), Map.entry("getFields", "reflection"),
      Map.entry("getDeclaredField", "reflection"), Map.entry("getDeclaredFields", "reflection"),
      Map.entry("getConstructor", "reflection"), Map.entry("getDeclaredConstructor", "reflection"),
      Map.entry("setAccessible", "reflection that bypasses access checks"),
      Map.entry("newInstance", "reflective construction"),
      Map.entry("invoke", "reflective calls"), Map.entry("invokeExact", "reflective calls"),
      Map.entry("privateLookupIn", "reflection (method handles)"),
      Map.entry("getRuntime", "getRuntime reaches Runtime (processes, exit)"),
      Map.entry("exec", "exec runs operating-system processes"),
      Map.entry("exit", "exit stops the JVM"), Map.entry("halt", "halt stops the JVM or session"),
      Map.entry("getenv", "getenv reads the process environment"),
      Map.entry("getInteger", "Integer.getInteger reads JVM system properties"),
      Map.entry("getLong", "Long.getLong reads JVM system properties"),
      Map.entry("getBoolean", "Boolean.getBoolean reads JVM system properties"),
      Map.entry("now", "now() reads the system clock; rules take time from the evaluation's Now"),
      Map.entry("setDefault", "setDefault changes the whole JVM's default (locale, time zone)"),
      Map.entry("getDefault", "the JVM's default locale differs between hosts; name one, such "
          + "as Locale.ROOT"),
      Map.entry("dateNow", "dateNow() reads the system clock; rules take time from the "
          + "evaluation's Now"),
      Map.entry("nanoTime", "the system clock; rules take time from the evaluation's Now"),
      Map.entry("currentTimeMillis", "the system clock; rules take time from the evaluation's "
          + "Now"),
      Map.entry("wait", "wait() blocks the thread"), Map.entry("notify", "thread signalling"),
      Map.entry("notifyAll", "thread signalling"),
      Map.entry("parallelStream", "parallel streams run rule code on other threads"),
      Map.entry("parallel", "parallel streams run rule code on other threads"),
      Map.entry("readObject", "deserialization"), Map.entry("writeObject", "serialization"),
      Map.entry("getKieRuntime", "the session behind the rule context"),
      Map.entry("getKnowledgeRuntime", "the session behind the rule context"),
      Map.entry("getKieBase", "the shared rule base"));

  /** Words refused wherever they stand, with the reason. */
  static final Map<String, String> REFUSED_WORDS = Map.of(
      "entryPoints", "the rule engine rewrites 'entryPoints[...]' in an action to the "
          + "session's entry points; rules insert facts with insert",
      "exitPoints", "the rule engine rewrites 'exitPoints[...]' in an action to the session's "
          + "exit points",
      "channels", "the rule engine rewrites 'channels[...]' in an action to the session's "
          + "channels",
      "drools", "the rule context 'drools' reaches the session and the shared rule base "
          + "(getKieRuntime, halt, getKieBase); use insert, modify and delete",
      "kcontext", "the rule context 'kcontext' reaches the session and the shared rule base "
          + "(getKieRuntime, halt, getKieBase); use insert, modify and delete",
      "synchronized", "synchronized blocks can deadlock the evaluating threads",
      "native", "native methods call code outside the JVM");

  /** Roots of package names, so that a chain such as {@code java.lang.reflect} is read as one. */
  static final Set<String> PACKAGE_ROOTS = Set.of(
      "java", "javax", "jdk", "sun", "com", "org", "net", "io", "kotlin", "scala", "groovy");

  private RuleAllowList() {}

  /** Whether {@code packageName.simpleName} may be used. */
  static boolean allows(String packageName, String simpleName) {
    if (REFUSED_CLASSES.containsKey(simpleName)) {
      return false;
    }
    return PACKAGES.contains(packageName)
        || CLASSES.getOrDefault(packageName, Set.of()).contains(simpleName);
  }

  /** Whether every public class of {@code packageName} may be used (for a wildcard import). */
  static boolean allowsPackage(String packageName) {
    return PACKAGES.contains(packageName);
  }

  /** Why {@code packageName} is refused, if a refused prefix covers it. */
  static Optional<String> packageReason(String packageName) {
    String best = null;
    for (String prefix : REFUSED_PACKAGES.keySet()) {
      if (within(packageName, prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return Optional.ofNullable(best).map(REFUSED_PACKAGES::get);
  }

  /** Whether {@code name} is {@code prefix} or inside it. */
  static boolean within(String name, String prefix) {
    return name.equals(prefix) || name.startsWith(prefix + ".");
  }
}
