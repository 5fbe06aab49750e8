package io.github.cdsengine.core;

import static io.github.cdsengine.core.PolicyProbes.policy;
import static io.github.cdsengine.core.PolicyProbes.refused;
import static io.github.cdsengine.core.PolicyProbes.rule;
import static io.github.cdsengine.core.PolicyProbes.runWithoutPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Escapes through names that mean one thing to Java and another to MVEL (a function or global
 * named like the fact's method or property), and identity hashes reached through containers and
 * interfaces: each refused by the rule policy, and, where safe, run without the policy to show
 * the effect is real. Effects are observed through the rule failure each file throws on purpose.
 */
class RuleCodeEscapes3Test {

  private static final String HEADER = """
      package test.escapes3;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;
      import java.util.List;
      import java.util.ArrayList;
      import java.util.Map;
      import java.util.HashMap;
      import java.util.Collection;
      """;

  /**
   * An unqualified call in a constraint names a DRL function for the policy, which checks
   * only the function (and types the binding by the function's return type); MVEL calls the
   * pattern fact's own method of that name instead. Named getDeclaringClass, it hands the rule an
   * enum fact's Class object; typed as a declared type with invented getters, the consequence then
   * walks Class -> ProtectionDomain -> CodeSource -> URL (and URL.getContent() would read it).
   */
  @Test
  void functionNamedLikeAFactMethodIsTheFactMethodInMvel() {
    RuleFile file = new RuleFile("fn-shadow.drl", HEADER + """

        declare Any
            protectionDomain : Any
            codeSource : Any
            location : Any
        end

        function Any getDeclaringClass() {
            return null;
        }

        """ + rule("Shadow", "    $p : Patient()\n"
            + "    AdministrativeGender( $c : getDeclaringClass() ) from $p.gender()",
            "    throw new IllegalStateException(\"got \" + $c + \" at \"\n"
            + "        + $c.getProtectionDomain().getCodeSource().getLocation());"));
    refused(file, "names both a function of the rule set and a method of the pattern's fact");
    List<String> errors = runWithoutPolicy(file);
    assertThat(errors).anySatisfy(e -> assertThat(e)
        .contains("got class io.github.cdsengine.core.model.AdministrativeGender at file:"));
  }

  /**
   * A global named like a property of the pattern's fact: the policy resolves the bare
   * name in a constraint to the global (CodeCheck.name looks up globals before the fact's
   * properties), MVEL to the fact's property. Typed as the global's declared type, the binding's
   * invented getters are then called on the real value (here the enum's getDeclaringClass, which
   * gives its Class), in the constraint and in the consequence alike.
   */
  @Test
  void globalNamedLikeAFactPropertyIsThePropertyInMvel() {
    RuleFile file = new RuleFile("global-shadow.drl", HEADER + """

        declare Any
            declaringClass : Any
            protectionDomain : Any
            codeSource : Any
            location : Any
        end

        global Any gender;

        """ + rule("InConstraint", "    Patient( $c : gender.declaringClass )",
            "    throw new IllegalStateException(\"constraint \" + $c);")
        + rule("InConsequence", "    Patient( $g : gender )",
            "    throw new IllegalStateException(\"consequence \"\n"
            + "        + $g.getDeclaringClass().getProtectionDomain().getCodeSource().getLocation());"));
    refused(file, "names both a global and a property of the pattern's fact");
    List<String> errors = runWithoutPolicy(file);
    assertThat(errors).anySatisfy(e -> assertThat(e)
        .contains("constraint class io.github.cdsengine.core.model.AdministrativeGender"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("consequence file:"));
  }

  /**
   * The identity-hash refusals (Object's own toString/hashCode, String
   * .valueOf(Object), Objects.toString(Object), + of an Object) miss every container and helper
   * that calls them: a collection's or map's or Optional's text and hash, StringBuilder.append
   * (Object), Objects.toString(Object, String), Arrays.toString/hashCode, the hashCode of an enum
   * reached through an interface type (Comparable),. Locale.getAvailableLocales() and ZoneId.getAvailableZoneIds() depend on the host's
   * JDK and providers.
   */
  @Test
  void identityHashesReachOutputThroughContainersAndInterfaces() {
    String[][] cases = {
      {"ListText", "    throw new IllegalStateException(\"t \" + List.of(new Object()));"},
      {"MapText", "    Map<Object, String> m = new HashMap<>();\n    m.put(new Object(), \"x\");\n"
          + "    throw new IllegalStateException(\"t \" + m);"},
      {"OptionalText", "    throw new IllegalStateException(\"t \" + java.util.Optional.of(new Object()).toString());"},
      {"Builder", "    throw new IllegalStateException(\"t \" + new StringBuilder().append(new Object()).toString());"},
      {"ObjectsToString2", "    throw new IllegalStateException(\"t \" + java.util.Objects.toString(new Object(), \"-\"));"},
      {"ArraysToString", "    throw new IllegalStateException(\"t \" + java.util.Arrays.toString(new Object[] { new Object() }));"},
      {"ListHash", "    throw new IllegalStateException(\"t \" + List.of(new Object()).hashCode());"},
      {"ComparableHash", "    Comparable c = AdministrativeGender.MALE;\n    throw new IllegalStateException(\"t \" + c.hashCode());"},
      {"Locales", "    throw new IllegalStateException(\"t \" + java.util.Locale.getAvailableLocales().length);"},
      {"ZoneIds", "    throw new IllegalStateException(\"t \" + java.time.ZoneId.getAvailableZoneIds().size());"},
    };
    for (String[] c : cases) {
      RuleFile file = new RuleFile(c[0] + ".drl", HEADER + "\n" + rule(c[0], "    Patient()", c[1]));
      assertThat(policy(file)).as(c[0]).isNotEmpty();
      assertThat(runWithoutPolicy(file)).as(c[0]).singleElement().asString().startsWith("java.lang.IllegalStateException: t ");
    }
    int hash = System.identityHashCode(io.github.cdsengine.core.model.AdministrativeGender.MALE);
    RuleFile file = new RuleFile("hash.drl", HEADER + "\n" + rule("ComparableHash", "    Patient()",
        cases[7][1]));
    assertThat(runWithoutPolicy(file)).singleElement().asString().endsWith("t " + hash);
  }
}
