package io.github.cdsengine.core;

import static io.github.cdsengine.core.PolicyProbes.passes;
import static io.github.cdsengine.core.PolicyProbes.policy;
import static io.github.cdsengine.core.PolicyProbes.refused;
import static io.github.cdsengine.core.PolicyProbes.rule;
import static io.github.cdsengine.core.PolicyProbes.runWithoutPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Escapes that reach past a check of names alone, and plain code a strict check could wrongly
 * refuse. Each escape is refused by the rule policy; where it is safe, the same file is also built
 * without the policy and evaluated, to show that what it reaches is real. Each plain case passes
 * the policy and runs.
 *
 * <p>Run-time effects are observed through the rule failure each file throws on purpose ({@code
 * throw new IllegalStateException("..." + value)}), so nothing is written anywhere.
 */
class RuleCodeEscapesTest {

  private static final String HEADER = """
      package test.review;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;
      import java.util.List;
      import java.util.ArrayList;
      import java.util.Map;
      import java.util.HashMap;
      import java.util.Collection;
      """;

  /**
   * A declared type whose invented getters the policy allows on any value it believes is of that
   * type, and a function that launders any object into a {@code List<Any>}: the policy trusts the
   * declared return type {@code List<Any>} although the body returns a raw list (an unchecked
   * conversion, which ECJ compiles with a warning).
   */
  private static final String LAUNDER = """

      declare Any
          declaringClass : Object
          reteEvaluator : Any
          kieBase : Any
          kieSessions : Collection
      end

      declare Box
          item : Object
      end

      function List<Any> launder(Object o) {
          List l = new ArrayList();
          l.add(o);
          return l;
      }

      """;

  // ------------------------------------------------------------------------------------ escapes

  /**
   * heap pollution + MVEL's run-time dispatch. In a constraint (MVEL) the
   * policy types {@code launder(x).get(0)} as the declared type {@code Any} and allows its
   * getter {@code declaringClass}; MVEL looks the property up on the run-time object, an enum
   * constant, and calls {@code Enum.getDeclaringClass()}: a {@code java.lang.Class} in rule code
   * (reflection), although the policy refuses {@code getDeclaringClass} by name and by its
   * return type everywhere else. Any zero-argument {@code getX()}/{@code isX()} and one-argument
   * {@code setX(..)} of any object reached this way can be called, whatever its class.
   */
  @Test
  void launderedGenericReachesClassThroughMvelDispatch() {
    RuleFile file = new RuleFile("launder-class.drl", HEADER + LAUNDER + rule("Launder",
        "    Patient($c : launder(AdministrativeGender.MALE).get(0).declaringClass)",
        "    throw new IllegalStateException(\"reached \" + $c);"));
    // In a constraint MVEL finds members on the object it holds, so the list's type argument is
    // not trusted: get(0) is an Object, which has no such property.
    refused(file, "java.lang.Object has no property declaringClass");
    // Without the policy it runs: the rule holds the enum's Class object.
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("reached class io.github.cdsengine.core.model.AdministrativeGender"));
  }

  /**
   * The same without a function: a declared field typed {@code List<Any>} is
   * filled from a raw list in a consequence ({@code new Bag(raw)}: the policy checks a declared
   * type's constructor by argument count only), and a constraint reads it back as {@code Any}.
   */
  @Test
  void rawListInADeclaredGenericFieldReachesClassThroughMvelDispatch() {
    RuleFile file = new RuleFile("bag.drl", HEADER + """

        declare Any
            declaringClass : Object
        end

        declare Bag
            items : List<Any>
        end

        """ + rule("Fill", "    Patient()", "    List raw = new ArrayList();\n"
            + "    raw.add(AdministrativeGender.MALE);\n    insert(new Bag(raw));")
        + rule("Read", "    Bag($c : items.get(0).declaringClass)",
            "    throw new IllegalStateException(\"reached \" + $c);"));
    refused(file, "java.lang.Object has no property declaringClass");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("reached class io.github.cdsengine.core.model.AdministrativeGender"));
  }

  /**
   * a consequence's {@code entryPoints["DEFAULT"]} is rewritten by Drools'
   * consequence builder (its Java-5 block parser knows ENTRY, EXIT and CHANNEL blocks) into
   * {@code drools.getEntryPoint("DEFAULT")}, while the policy reads an index into a variable that
   * the rule bound itself under that name. With the laundering of the test above, MVEL then walks
   * from the entry point to the session ({@code getReteEvaluator}), the shared rule base
   * ({@code getKieBase}) and every session of it ({@code getKieSessions}): the session, the rule
   * base and other evaluations' working memories.
   */
  @Test
  void entryPointsRewriteHandsTheRuleTheSessionAndTheRuleBase() {
    RuleFile file = new RuleFile("entry-points.drl", HEADER + LAUNDER
        + rule("Grab", "    entryPoints : Map() from new HashMap()",
            "    Object ep = entryPoints[\"DEFAULT\"];\n    insert(new Box(ep));")
        + rule("Walk", "    Box($b : launder(item).get(0).reteEvaluator.kieBase.toString(),\n"
            + "        $n : launder(item).get(0).reteEvaluator.kieBase.kieSessions.size())",
            "    throw new IllegalStateException(\"rule base \" + $b + \", sessions \" + $n);"));
    refused(file, "the rule engine rewrites 'entryPoints[...]'");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("rule base org.drools.").contains("KnowledgeBase@").contains("sessions "));
  }

  /** the entry point object itself, with no laundering. */
  @Test
  void entryPointsIndexIsAnEntryPointNotAMapValue() {
    RuleFile file = new RuleFile("entry-point.drl", HEADER + rule("Grab",
        "    entryPoints : Map() from new HashMap()",
        "    Object ep = entryPoints[\"DEFAULT\"];\n"
            + "    throw new IllegalStateException(\"got \" + ep);"));
    refused(file, "the rule engine rewrites 'entryPoints[...]'");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("got EntryPoint::DEFAULT"));
  }

  /**
   * the system clock through {@code java.time.chrono}, allowed as a whole package:
   * {@code Chronology.dateNow()} is {@code LocalDate.now()} under another name, and {@code now}
   * is the only clock name refused. Works in a consequence and in a constraint.
   */
  @Test
  void chronologyDateNowReadsTheSystemClock() {
    RuleFile then = new RuleFile("date-now.drl", HEADER + "import java.time.chrono.*;\n\n"
        + rule("Clock", "    Patient()", "    throw new IllegalStateException(\"today is \" + "
            + "IsoChronology.INSTANCE.dateNow());"));
    RuleFile when = new RuleFile("date-now-when.drl", HEADER
        + "import java.time.chrono.IsoChronology;\n\n" + rule("Clock",
            "    Patient(birthDate.isBefore(IsoChronology.INSTANCE.dateNow()))",
            "    throw new IllegalStateException(\"matched on the wall clock\");"));
    RuleFile hijrah = new RuleFile("hijrah.drl", HEADER + "import java.time.chrono.*;\n\n"
        + rule("Clock", "    Patient()", "    throw new IllegalStateException(\"today is \" + "
            + "HijrahChronology.INSTANCE.dateNow());"));
    refused(then, "java.time.chrono");
    refused(when, "java.time.chrono");
    refused(hijrah, "java.time.chrono");
    // The evaluation is on 2025-01-01; the rule sees the host's date instead.
    assertThat(runWithoutPolicy(then)).anySatisfy(error -> assertThat(error)
        .contains("today is ").doesNotContain("today is 2025-01-01"));
    assertThat(runWithoutPolicy(when)).anySatisfy(error -> assertThat(error)
        .contains("matched on the wall clock"));
  }

  /**
   * {@code Throwable.printStackTrace()} on an allowed exception writes to the
   * JVM's standard error (I/O, and logging around the host's logging).
   */
  @Test
  void printStackTraceWritesToStandardError() {
    RuleFile file = new RuleFile("stack-trace.drl", HEADER + rule("Print", "    Patient()",
        "    new IllegalStateException(\"review-probe-stderr\").printStackTrace();"));
    refused(file, "it writes to the process's standard error");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      runWithoutPolicy(file);
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("review-probe-stderr");
  }

  /**
   * results that differ between runs of the same record, which the policy refuses
   * for Math.random and String.format: the identity hash of a new object, and the chronologies a
   * ServiceLoader finds on the class path.
   */
  @Test
  void identityHashAndServiceLoadedChronologiesAreNondeterministic() {
    RuleFile hash = new RuleFile("identity.drl", HEADER + rule("Hash", "    Patient()",
        "    int h = new Object().hashCode();\n    throw new IllegalStateException(\"\" + h);"));
    refused(hash, "new Object() is refused");
    RuleFile objectHash = new RuleFile("identity-value.drl", HEADER + rule("Hash",
        "    $p : Patient()", "    Object o = $p.gender();\n    int h = o.hashCode();\n"
            + "    throw new IllegalStateException(\"\" + h);"));
    refused(objectHash, "Object's own hashCode gives the object's identity hash");
    RuleFile text = new RuleFile("identity-text.drl", HEADER + rule("Text", "    $p : Patient()",
        "    Object o = $p.gender();\n    String t = o.toString();\n"
            + "    throw new IllegalStateException(t);"));
    refused(text, "Object's own toString gives the object's identity hash");
    RuleFile chronologies = new RuleFile("chronologies.drl", HEADER
        + "import java.time.chrono.*;\n\n" + rule("Chronologies", "    Patient()",
            "    throw new IllegalStateException(\"\" + Chronology.getAvailableChronologies());"));
    refused(chronologies, "java.time.chrono");
  }

  // ------------------------------------------------------------------------ plain code passes

  /** every Collectors method is refused, since Collector is not on the list. */
  @Test
  void collectorsPass() {
    RuleFile file = new RuleFile("collectors.drl", HEADER
        + "import java.util.stream.Collectors;\n\n" + rule("Ids",
            "    $all : List() from collect(Patient())",
            "    List<Patient> ps = new ArrayList<>($all);\n"
                + "    List<String> ids = ps.stream().map(Patient::id)"
                + ".collect(Collectors.toList());\n"
                + "    throw new IllegalStateException(\"ids \" + ids);"));
    assertThat(policy(file)).isEmpty();
    assertThat(runWithoutPolicy(file)).anySatisfy(e -> assertThat(e).contains("ids [p1]"));
  }

  /**
   * An enum switch's case labels ({@code case MALE:}) are refused by the token
   * stage as unknown type names; the syntax-tree stage reads them right.
   */
  @Test
  void enumSwitchLabelsPass() {
    RuleFile file = new RuleFile("switch.drl", HEADER + rule("Switch", "    $p : Patient()",
        "    String g;\n    switch ($p.gender()) {\n        case MALE: g = \"m\"; break;\n"
            + "        default: g = \"o\";\n    }\n"
            + "    throw new IllegalStateException(\"gender \" + g);"));
    assertThat(policy(file)).isEmpty();
    assertThat(runWithoutPolicy(file)).anySatisfy(e -> assertThat(e).contains("gender "));
  }

  /** a multi-catch of two allowed unchecked exceptions. */
  @Test
  void multiCatchOfUncheckedExceptionsPasses() {
    RuleFile file = new RuleFile("multi-catch.drl", HEADER
        + "import java.math.BigDecimal;\n\n" + rule("Catch", "    Patient()",
            "    try {\n        BigDecimal b = new BigDecimal(\"1\").divide(BigDecimal.ONE);\n"
                + "    } catch (IllegalArgumentException | ArithmeticException e) {\n"
                + "        throw e;\n    }\n    throw new IllegalStateException(\"caught\");"));
    assertThat(policy(file)).isEmpty();
    assertThat(runWithoutPolicy(file)).anySatisfy(e -> assertThat(e).contains("caught"));
  }

  /** a constructor reference of an allowed class. */
  @Test
  void constructorReferencesOfAllowedClassesPass() {
    RuleFile file = new RuleFile("ctor-ref.drl", HEADER + rule("Ref", "    Patient()",
        "    java.util.function.Supplier<List<String>> s = ArrayList::new;\n"
            + "    throw new IllegalStateException(\"made \" + s.get());"));
    assertThat(policy(file)).isEmpty();
    assertThat(runWithoutPolicy(file)).anySatisfy(e -> assertThat(e).contains("made []"));
  }
}
