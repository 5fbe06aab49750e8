package io.github.cdsengine.core;

import static io.github.cdsengine.core.PolicyProbes.passes;
import static io.github.cdsengine.core.PolicyProbes.policy;
import static io.github.cdsengine.core.PolicyProbes.refused;
import static io.github.cdsengine.core.PolicyProbes.rule;
import static io.github.cdsengine.core.PolicyProbes.runWithoutPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.pack.RuleFile;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * More escapes that reach past a check of names alone (query arguments, the handle an insert
 * gives, groupby keys, declared fields, overloads across static imports, identity hashes, the
 * default locale), each refused by the rule policy; where it is safe, the same file is built
 * without the policy and evaluated, to show that what it reaches is real. Plain code a strict
 * check could wrongly refuse (labelled loops, ISO date formats) passes.
 *
 * Run-time effects are observed through the rule failure each file throws on purpose, so nothing is
 * written anywhere; the only I/O is reading a file of this module's own test resources.
 */
class RuleCodeEscapes2Test {

  private static final String HEADER = """
      package test.escapes;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;
      import java.util.List;
      import java.util.ArrayList;
      import java.util.Map;
      import java.util.HashMap;
      import java.util.Collection;
      """;

  // ------------------------------------------------------------------------------------ escapes

  /**
   * query arguments are not typed. The policy types a query's parameters
   * by their declared types ({@code Any}, a declared type whose invented fields name any getter)
   * and never compares them with the arguments of a call; Drools checks an argument's type only
   * when it knows it, so an argument bound from an {@code Object} field passes unchecked, and the
   * query's constraint (MVEL) looks each getter up on whatever object arrives. The object here
   * is the fact handle that {@code insert(..)} returns: the policy types {@code insert} as void,
   * yet lets {@code Object h = insert(..)} hold it. From the handle MVEL walks to the session
   * ({@code getReteEvaluator}), the shared rule base ({@code getKnowledgeBase}, a name the policy
   * does not refuse, unlike {@code getKieBase}), every session of it (other evaluations' working
   * memories: their patients' facts) and the project class loader. The query's {@code out.add}
   * carries it all back into the rule.
   */
  @Test
  void queryArgumentsLaunderAFactHandleIntoTheSessionAndRuleBase() {
    RuleFile file = new RuleFile("query-launder.drl", HEADER + """

        declare Any
            reteEvaluator : Any
            knowledgeBase : Any
            kieSessions : Collection
            rootClassLoader : Object
        end

        declare Box
            item : Object
            notes : List
        end

        query reach(Any a, List out)
            Patient(out.add("rule base " + a.reteEvaluator.knowledgeBase + ", sessions "
                + a.reteEvaluator.knowledgeBase.kieSessions.size() + ", loader "
                + a.reteEvaluator.knowledgeBase.rootClassLoader))
        end

        """ + rule("Grab", "    Patient()",
            "    Object h = insert(new Box(null, null));\n"
                + "    insert(new Box(h, new ArrayList()));")
        + rule("Walk", "    Box(item != null, $h : item, $out : notes)\n    reach($h, $out;)",
            "    throw new IllegalStateException(\"reached \" + $out);"));
    refused(file, "insert(...) is a statement in rule code");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("rule base org.drools.").contains("KnowledgeBase@").contains("sessions ")
        .contains("loader org.drools."));
  }

  /**
   * any value the rule holds as an Object can be
   * handed to the query, here an enum constant, whose {@code getDeclaringClass()} (refused by its
   * return type everywhere else) gives the rule a {@code java.lang.Class}.
   */
  @Test
  void queryArgumentsLaunderAnEnumIntoItsClass() {
    RuleFile file = new RuleFile("query-class.drl", HEADER + """

        declare Any
            declaringClass : Object
        end

        declare Box
            item : Object
            notes : List
        end

        query reach(Any a, List out)
            Patient(out.add("" + a.declaringClass))
        end

        """ + rule("Make", "    $p : Patient()",
            "    insert(new Box($p.gender(), new ArrayList()));")
        + rule("Walk", "    Box($g : item, $out : notes)\n    reach($g, $out;)",
            "    throw new IllegalStateException(\"reached \" + $out);"));
    refused(file, "query reach takes a Any at argument 1");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("reached [class io.github.cdsengine.core.model.AdministrativeGender]"));
  }

  /**
   * {@code insert(..)} gives the fact handle (Drools' {@code
   * ConsequenceContext.insert} returns a FactHandle), which the policy types as void but lets a
   * local {@code Object} hold: the handle is an engine object (its text carries an identity hash,
   * too), and it is what escape 1 walks from.
   */
  @Test
  void insertGivesTheFactHandleThePolicyTypesAsVoid() {
    RuleFile file = new RuleFile("insert-handle.drl", HEADER + """

        declare Box
            item : Object
        end

        """ + rule("Grab", "    Patient()",
            "    Object h = insert(new Box(null));\n"
                + "    throw new IllegalStateException(\"handle \" + h);"));
    refused(file, "insert(...) is a statement in rule code");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("handle [fact 0:").contains(":DEFAULT:"));
  }

  /**
   * the grouping key of {@code groupby} is never read. DRL6 parses {@code
   * groupby(source; key; functions)} into a GroupByDescr, a subclass of AccumulateDescr, and
   * RuleCode.accumulate checks its source and functions only: the key is any code at all that
   * the token stage lets through. Here it holds a Class (refused everywhere else) and the URL of
   * the class path; {@code Integer.parseInt} carries the URL out in its exception.
   */
  @Test
  void groupByKeyIsNotChecked() {
    RuleFile file = new RuleFile("groupby.drl", HEADER + rule("Group",
        "    groupby(Patient($g : gender); "
            + "Integer.parseInt(\"\" + $g.getDeclaringClass().getResource(\"/\")); $n : count())",
        "    throw new IllegalStateException(\"grouped\");"));
    refused(file, "groupby is refused");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("For input string: \"file:"));
  }

  /**
   * a declared field whose name starts with a capital. The policy finds a getter's
   * field by lower-casing the letter after "get" ({@code getItem} -> {@code item}), misses the
   * field {@code Item}, types the call as nothing (null) and then checks no call made on its
   * result. The token stage reads the capitalised field name as a type name, so it is given the
   * name of a type the file declares. The consequence is plain Java, so the whole JDK is open
   * behind any getter: a Class, its resources, and through them the file system (and network,
   * by {@code toURI().resolve(..)}); here it reads a file of the test resources.
   */
  @Test
  void capitalisedDeclaredFieldGetterIsLeftUntyped() {
    RuleFile file = new RuleFile("capital-field.drl", HEADER + """

        declare Item
        end

        declare Box
            Item : AdministrativeGender
        end

        """ + rule("Fill", "    $p : Patient()", "    insert(new Box($p.gender()));")
        + rule("Reach", "    $b : Box()",
            "    throw new IllegalStateException(\"read \" + $b.getItem().getDeclaringClass()\n"
                + "        .getResource(\"/hostile/system-property.drl\").openStream()"
                + ".readAllBytes().length + \" bytes\");"));
    refused(file, "field Item of Box is refused");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .matches(".*read [1-9][0-9]* bytes.*"));
  }

  /**
   * a function and a statically imported method of the same name. The policy gives
   * an unqualified call the rule set's function ({@code Any valueOf(Object)}); Java overloads the
   * two static imports and calls the more specific {@code AdministrativeGender.valueOf(String)},
   * so the policy checks {@code getDeclaringClass} as the declared type's getter while Java calls
   * the enum's, which gives a Class.
   */
  @Test
  void staticImportOverloadWinsOverTheFunctionThePolicyChecked() {
    RuleFile file = new RuleFile("import-overload.drl", HEADER + """
        import function io.github.cdsengine.core.model.AdministrativeGender.valueOf;

        declare Any
            declaringClass : Object
        end

        function Any valueOf(Object o) {
            return null;
        }

        """ + rule("Overload", "    Patient()",
            "    Object c = valueOf(\"MALE\").getDeclaringClass();\n"
                + "    throw new IllegalStateException(\"got \" + c);"));
    refused(file, "function valueOf is refused");
    assertThat(runWithoutPolicy(file)).anySatisfy(error -> assertThat(error)
        .contains("got class io.github.cdsengine.core.model.AdministrativeGender"));
  }

  /**
   * the refusal of Object's own hashCode and toString (pinned in
   * RuleCodeEscapesTest) is one door of many to the identity hash: string concatenation, {@code
   * String.valueOf}, {@code Objects.hashCode/toString}, an enum's (final, identity) hashCode and
   * every record hashCode that includes one, and a declared type's hashCode. {@code Set.of} and
   * {@code Map.of} iterate in an order salted per JVM start. A rule can put any of these in a
   * recommendation, so the same record gives different results on different runs.
   */
  @Test
  void identityHashesAndSaltedOrdersReachRuleOutput() {
    RuleFile file = new RuleFile("identity.drl", HEADER + """
        import java.util.Objects;
        import java.util.Set;

        declare Box
            item : Object
        end

        """ + rule("Concat", "    Patient()",
            "    throw new IllegalStateException(\"concat \" + new Object());")
        + rule("ValueOf", "    Patient()",
            "    throw new IllegalStateException(\"valueOf \" + String.valueOf(new Object()));")
        + rule("ObjectsHash", "    Patient()",
            "    throw new IllegalStateException(\"objects \" + Objects.hashCode(new Object()));")
        + rule("EnumHash", "    $p : Patient()",
            "    throw new IllegalStateException(\"enum \" + $p.gender().hashCode());")
        + rule("DeclaredHash", "    Patient()",
            "    throw new IllegalStateException(\"declared \" + new Box(null).hashCode());")
        + rule("SaltedSet", "    Patient()",
            "    throw new IllegalStateException(\"set \" + Set.of(\"a\", \"b\", \"c\", \"d\"));"));
    refused(file, "new Object() is refused");
    refused(file, "an enum constant's hashCode is its identity hash");
    refused(file, "Box.hashCode is refused");
    // The same calls on a value typed Object rather than a new one.
    RuleFile typed = new RuleFile("identity-typed.drl", HEADER + "import java.util.Objects;\n\n"
        + rule("Typed", "    $p : Patient()", "    Object o = $p.gender();\n"
            + "    String a = \"concat \" + o;\n    String b = String.valueOf(o);\n"
            + "    int c = Objects.hashCode(o);"));
    refused(typed, "String.valueOf is refused");
    refused(typed, "Objects.hashCode is refused");
    refused(typed, "whose text may be an identity hash");
    int enumHash = System.identityHashCode(EngineEvaluationTest.adult().patient().gender());
    List<String> errors = runWithoutPolicy(file);
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("concat java.lang.Object@"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("valueOf java.lang.Object@"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("enum " + enumHash));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("objects "));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("declared "));
  }

  /**
   * the JVM's default locale, which the policy refuses String.format
   * for, reaches rules through {@code DateTimeFormatter.ofPattern} (java.time.format is allowed
   * whole; {@code format} is refused by name, {@code formatTo} is not) and the no-argument {@code
   * toUpperCase}/{@code toLowerCase} (Turkish dotted capital I).
   */
  @Test
  void defaultLocaleReachesRulesThroughFormattersAndCaseMapping() {
    RuleFile file = new RuleFile("locale.drl", HEADER + """
        import java.time.format.DateTimeFormatter;

        """ + rule("Locale", "    $p : Patient()",
            "    StringBuilder day = new StringBuilder();\n"
                + "    DateTimeFormatter.ofPattern(\"EEEE\").formatTo($p.birthDate(), day);\n"
                + "    throw new IllegalStateException(\"day \" + day + \" \" + \"title\".toUpperCase());"));
    refused(file, "ofPattern is refused");
    refused(file, "toUpperCase() follows the JVM's default locale");
    // The engine is built under the host's locale (Drools' own kmodule.xml reading fails under
    // tr-TR: 'dısabled'); only the evaluations run under the locales compared.
    Locale original = Locale.getDefault();
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(file).build()) {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(errors(engine)).anySatisfy(e -> assertThat(e).contains("Pazartesi TİTLE"));
      Locale.setDefault(Locale.US);
      assertThat(errors(engine)).anySatisfy(e -> assertThat(e).contains("day Monday TITLE"));
    } finally {
      Locale.setDefault(original);
    }
  }

  private static List<String> errors(CdsEngine engine) {
    return engine.evaluate(EngineEvaluationTest.adult(), EngineEvaluationTest.JAN_2025)
        .failures().stream().map(RuleFailure::error).toList();
  }

  // ----------------------------------------------------------------------------- false positives

  /**
   * an ISO date format, which no locale changes, is refused because every member
   * named {@code format} is refused for String.format's sake.
   */
  @Test
  void isoDateFormattingIsRefused() {
    RuleFile file = new RuleFile("iso-format.drl", HEADER
        + "import java.time.format.DateTimeFormatter;\n\n" + rule("Iso", "    $p : Patient()",
            "    String born = $p.birthDate().format(DateTimeFormatter.ISO_LOCAL_DATE);"));
    passes(file);
  }

  /** a labelled continue, plain Java. */
  @Test
  void labelledLoopsAreRefused() {
    RuleFile file = new RuleFile("labelled.drl", HEADER + rule("Labelled", "    Patient()",
        "    outer:\n    for (int i = 0; i < 3; i++) {\n"
            + "        for (int j = 0; j < 3; j++) {\n"
            + "            if (j == 1) { continue outer; }\n        }\n    }"));
    passes(file);
  }

  /**
   * A value typed Object is not turned into text, by toString or by concatenation alike: its
   * text may be an identity hash. Code that knows the value's type casts it first.
   */
  @Test
  void toStringOnAnObjectTypedValueIsRefusedLikeConcatenation() {
    RuleFile file = new RuleFile("object-tostring.drl", HEADER + rule("Text", "    Patient()",
        "    Map<String, Object> m = new HashMap<>();\n    m.put(\"k\", \"v\");\n"
            + "    Object v = m.get(\"k\");\n    String s = v.toString();"));
    refused(file, "Object's own toString gives the object's identity hash");
  }
}
