package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.policy.RulePolicy;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule policy's syntax-tree stage: names decided by what they resolve to, deny by default.
 * Each case is written from a class of escape (an unqualified call, a name the rule engine
 * generates, a package or class taken over, a value an allowed type hands out, code hidden in
 * metadata, attributes or accumulate code) and marks the line it must be refused at with
 * {@code refused here}; it must be refused there, with its reason, before anything compiles.
 */
class RuleCodePolicyTest {

  private static final String HEADER = """
      package test.code;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;
      import java.util.List;
      import java.util.Arrays;
      import java.time.ZoneId;
      """;

  private static String rule(String when, String then) {
    return HEADER + "\nrule \"Case\"\n    @title(\"Case\")\nwhen\n" + when + "\nthen\n" + then
        + "\nend\n";
  }

  /** Each case: its DRL and a phrase of the reason it must be refused for. */
  static Stream<Arguments> cases() {
    return Stream.of(
        // Class 1: unqualified calls, wherever they stand.
        Arguments.of("anonymous class body", rule("    Patient()",
            "    Object o = new Object() { // refused here\n"
                + "        public String toString() { return String.valueOf(hashCode()); }\n"
                + "    };"), "anonymous classes are refused"),
        Arguments.of("wildcard static import, unqualified call",
            rule("    Patient()", "    Integer home = getInteger(\"user.home\"); // refused here")
                .replace("import java.util.List;", "import static java.lang.Integer.*;\n"
                    + "import java.util.List;"),
            "java.lang.Integer.getInteger is refused: Integer.getInteger reads JVM system "
                + "properties"),
        Arguments.of("unqualified call in a consequence", rule("    Patient()",
            "    notifyAll(); // refused here"), "'notifyAll(...)' is refused"),
        Arguments.of("lambda", rule("    Patient()",
            "    List.of(1).forEach(x -> { }); // refused here"), "lambdas are refused"),
        // Class 2: names the rule engine generates into compiled code.
        Arguments.of("fact handle parameter", rule("    $p : Patient()",
            "    Object handle = $p__Handle__; // refused here"),
            "'$p__Handle__' is not a name this rule code may use"),
        Arguments.of("accumulate value resolver", rule(
            "    $all : List() from accumulate(Patient(), collectList(valueResolver)) "
                + "// refused here", "    insert(new Proposal(\"x\"));"),
            "'valueResolver' is not a name this rule code may use"),
        Arguments.of("this outside a constraint", rule("    Patient()",
            "    Object self = this; // refused here"), "'this' is refused here"),
        // Class 3: a package or class taken over.
        Arguments.of("declared type taking over a library class",
            "package org.slf4j;\n\ndeclare Logger // refused here\nend\n",
            "declare Logger is refused: the class org.slf4j.Logger already exists"),
        Arguments.of("declared type taking over a JSON class",
            "package com.fasterxml.jackson.databind;\n\ndeclare ObjectMapper // refused here\n"
                + "end\n", "declare ObjectMapper is refused: the class "
                + "com.fasterxml.jackson.databind.ObjectMapper already exists"),
        // Class 4: values allowed types hand out.
        Arguments.of("enum's declaring class in eval", rule(
            "    Patient()\n    eval(AdministrativeGender.MALE.getDeclaringClass() != null) "
                + "// refused here", "    insert(new Proposal(\"x\"));"),
            "getDeclaringClass is refused: it gives a java.lang.Class"),
        Arguments.of("enum's declaring class in a constraint", rule(
            "    Patient(gender.getDeclaringClass() != null) // refused here",
            "    insert(new Proposal(\"x\"));"),
            "getDeclaringClass is refused: it gives a java.lang.Class"),
        Arguments.of("enum's declaring class, then its resources", rule("    Patient()",
            "    Object url = AdministrativeGender.MALE.getDeclaringClass() // refused here\n"
                + "        .getResource(\"/\");"),
            "getDeclaringClass is refused: it gives a java.lang.Class"),
        Arguments.of("parallel array operation", rule("    Patient()",
            "    Arrays.parallelPrefix(new int[] {1, 2}, null); // refused here"),
            "parallel operations run rule code on other threads"),
        Arguments.of("spliterator", rule("    Patient()",
            "    Object s = List.of(1).spliterator(); // refused here"),
            "it gives a java.util.Spliterator"),
        Arguments.of("stack trace", rule("    Patient()",
            "    Object t = new IllegalStateException(\"x\").getStackTrace(); // refused here"),
            "it gives a StackTraceElement[]"),
        Arguments.of("default time zone", rule("    Patient()",
            "    ZoneId zone = ZoneId.systemDefault(); // refused here"),
            "the JVM's default time zone differs between hosts"),
        Arguments.of("stack trace to standard error", rule("    $p : Patient()",
            "    new IllegalStateException($p.id()).printStackTrace(); // refused here"),
            "it writes to the process's standard error"),
        Arguments.of("text block", rule("    Patient()",
            "    String s = /* refused here */ \"\"\"\n        modify($p) { }\n        \"\"\";"),
            "text blocks are refused"),
        Arguments.of("declared field whose getter is a refused member",
            "package test.code;\n\ndeclare Odd\n    runtime : String // refused here\nend\n",
            "its getter getRuntime() would stand for a refused member"),
        Arguments.of("random numbers", rule("    Patient()",
            "    double d = Math.random(); // refused here"),
            "random numbers make the result differ"),
        Arguments.of("a function returning a refused value", HEADER
            + "\nfunction Object loader(Object o) {\n"
            + "    return AdministrativeGender.FEMALE.getDeclaringClass(); // refused here\n}\n",
            "getDeclaringClass is refused: it gives a java.lang.Class"),
        // Code hidden where no code is expected.
        Arguments.of("metadata evaluated as code", rule("    Patient()", "")
            .replace("@title(\"Case\")", "@title(Integer.MAX_VALUE + 1) // refused here"),
            "a metadata value is a quoted text, a number or true/false"),
        Arguments.of("salience expression", rule("    $p : Patient()", "")
            .replace("@title(\"Case\")", "@title(\"Case\")\n    salience ($p.hashCode()) "
                + "// refused here"), "salience is a whole number"),
        Arguments.of("timer attribute", rule("    Patient()", "")
            .replace("@title(\"Case\")", "@title(\"Case\")\n    timer (int: 1s) // refused here"),
            "rule attribute 'timer' is refused"),
        Arguments.of("package-wide attribute", rule("    Patient()", "")
            .replace("package test.code;\n", "package test.code;\n"
                + "date-effective \"1-Jan-2020\" // refused here\n"),
            "rule attribute 'date-effective' is refused"),
        Arguments.of("inline accumulate code", rule(
            "    $n : Number() from accumulate(Patient(), init(int c = 0;), action(c++;), "
                + "result(c)) // refused here", "    insert(new Proposal(\"x\"));"),
            "inline accumulate code (init, action, reverse, result) is refused"),
        Arguments.of("declared field with an initial value",
            "package test.code;\n\ndeclare Counter\n    value : int = 1 + 2 // refused here\n"
                + "end\n", "initial values are refused"),
        Arguments.of("modify block on a record", rule("    $p : Patient()",
            "    modify($p) { setId(\"x\") } // refused here"),
            "has no public method setId"),
        Arguments.of("modify block hiding a refused call", rule("    $c : Counter()",
            "    modify($c) {\n        setValue(1),\n"
                + "        setLabel(String.valueOf(Math.random())) // refused here\n    }")
            + "\ndeclare Counter\n    value : int\n    label : String\nend\n",
            "random numbers make the result differ"),
        Arguments.of("local class", rule("    Patient()",
            "    class Local { } // refused here") + "\ndeclare Local\nend\n",
            "declare types with 'declare'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachEscapeIsRefusedForItsReasonAtItsLine(String name, String drl, String reason) {
    RuleFile file = new RuleFile(name.replace(' ', '-') + ".drl", drl);
    int line = lineOf(file, "refused here");
    List<RuleProblem> problems = RulePolicy.check(List.of(file));
    assertThat(problems).as(problems.toString())
        .anySatisfy(p -> {
          assertThat(p.file()).isEqualTo(file.name());
          assertThat(p.line()).isEqualTo(line);
          assertThat(p.message()).contains(reason);
        });
    // The engine compiles nothing of it.
    RuleSetException e = buildFails(CdsEngine.builder().addRules(file));
    assertThat(e.getMessage()).contains(file.name() + ":" + line + ": ");
  }

  @Test
  void allowedCodeResolvesThroughPropertiesGenericsAndFunctions() {
    String drl = HEADER + """

        declare Tally
            count : int
            label : String
        end

        function String describe(List<Patient> patients) {
            StringBuilder text = new StringBuilder();
            for (Patient p : patients) {
                text.append(p.id().toUpperCase(java.util.Locale.ROOT)).append(' ');
            }
            return text.toString().trim();
        }

        rule "Allowed"
            @title("Allowed")
            salience -5
        when
            $p : Patient(gender == AdministrativeGender.FEMALE, birthDate != null,
                birthDate.getYear() > 1900, $id : id)
            $all : List(size > 0) from collect(Patient(id != null))
            eval(describe(List.of($p)).length() < 100)
        then
            List<Patient> copy = List.copyOf($all);
            int total = copy.get(0).id().length() + $id.length();
            insert(new Tally(total, describe(List.of($p)).repeat(1)));
        end
        """;
    RuleFile file = new RuleFile("allowed.drl", drl);
    assertThat(RulePolicy.check(List.of(file))).isEmpty();
  }

  @Test
  void aModifyBlockOnADeclaredTypeIsReadAsItsSetterCalls() {
    String drl = rule("    $c : Counter(value < 3)",
        "    modify($c) { setValue($c.getValue() + 1), setLabel(\"counted\") };")
        + "\ndeclare Counter\n    value : int\n    label : String\nend\n";
    assertThat(RulePolicy.check(List.of(new RuleFile("modify.drl", drl)))).isEmpty();
    // A string that looks like a modify block is a string, not code.
    String quoted = rule("    Patient()", "    String s = \"modify(x) { setA(1) }\";");
    assertThat(RulePolicy.check(List.of(new RuleFile("quoted.drl", quoted)))).isEmpty();
  }

  @Test
  void aTypeArgumentFollowedThroughACollectionIsCheckedLikeAnyValue() {
    // List<Patient>.get gives a Patient, whose id() is a String: allowed. The same call on a
    // raw List gives an Object, which has no id(): refused rather than guessed.
    String typed = rule("    Patient()", "    List<Patient> ps = List.of();\n"
        + "    String id = ps.get(0).id();");
    String raw = rule("    Patient()", "    List ps = List.of();\n"
        + "    String id = ps.get(0).id(); // refused here");
    assertThat(RulePolicy.check(List.of(new RuleFile("typed.drl", typed)))).isEmpty();
    RuleFile rawFile = new RuleFile("raw.drl", raw);
    assertThat(RulePolicy.check(List.of(rawFile))).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rawFile, "refused here"));
      assertThat(p.message()).contains("java.lang.Object has no public method id");
    });
  }
}
