package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.policy.RulePolicy;
import io.github.cdsengine.core.testing.TestRules;

/**
 * The rule policy: every hostile DRL file under {@code hostile/} is refused for its own reason,
 * at the line marked {@code refused here}, before anything is compiled; benign DRL passes.
 */
class RulePolicyTest {

  /** Each hostile file and a phrase of the reason it must be refused for. */
  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("system-property", "System is refused: System reaches the process"),
      Map.entry("runtime-exec", "Runtime is refused: Runtime can run processes"),
      Map.entry("process-builder", "ProcessBuilder is refused"),
      Map.entry("thread-start", "Thread is refused: Thread starts or stalls threads"),
      Map.entry("executor-import", "package java.util.concurrent means threads and executors"),
      Map.entry("class-forname", "Class is refused: Class is reflection"),
      Map.entry("get-class", "'getClass' is refused: getClass() is reflection"),
      Map.entry("class-literal", "class literals are refused"),
      Map.entry("reflect-import", "package java.lang.reflect means reflection"),
      Map.entry("method-handles", "package java.lang.invoke means reflection (method handles)"),
      Map.entry("file-read", "package java.nio.file means file and channel access"),
      Map.entry("function-file-write",
          "package java.io means file and stream access (and serialization)"),
      Map.entry("unsafe", "package sun.misc means JDK internals (sun.misc.Unsafe)"),
      Map.entry("getenv-static-import", "import of 'getenv' is refused"),
      Map.entry("scripting", "package javax.script means script engines"),
      Map.entry("jndi", "package javax.naming means JNDI lookups"),
      Map.entry("rule-context", "the rule context 'drools' reaches the session"),
      Map.entry("system-property-integer", "Integer.getInteger reads JVM system properties"),
      Map.entry("synchronized-lock", "synchronized blocks can deadlock"),
      Map.entry("parallel-stream", "parallel streams run rule code on other threads"),
      Map.entry("string-buffer", "java.lang.StringBuffer is refused: it is not on the allow-list"),
      Map.entry("jackson-import", "com.fasterxml.jackson.databind.ObjectMapper is refused: it is "
          + "not on the allow-list"),
      Map.entry("eval-system-clock", "now() reads the system clock"),
      Map.entry("unicode-escape", "unicode escape '\\u000a' is refused"),
      Map.entry("mvel-dialect", "the MVEL dialect is refused"),
      Map.entry("reserved-package", "package io.github.cdsengine.core.hostile is refused: a rule "
          + "set's package must be its own"),
      Map.entry("own-package-wildcard", "ObjectMapper is refused: it is neither declared by the "
          + "rule set in package com.fasterxml.jackson.databind nor imported from an allowed "
          + "package"),
      Map.entry("declare-extends-classloader", "ClassLoader is refused: ClassLoader loads and "
          + "defines classes"),
      Map.entry("accumulate-import", "package org.drools.core.base.accumulators means the rule "
          + "engine's internals"));

  static Stream<Arguments> hostileFiles() {
    return REASONS.keySet().stream().sorted().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFiles")
  void eachHostileFileIsRefusedForItsOwnReasonAtItsLine(String name) {
    RuleFile file = resource("hostile/" + name + ".drl");
    int line = lineOf(file, "refused here");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(file));
    assertThat(e.problems()).as(e.getMessage())
        .anySatisfy(p -> {
          assertThat(p.file()).isEqualTo(file.name());
          assertThat(p.line()).isEqualTo(line);
          assertThat(p.message()).contains(REASONS.get(name));
        });
    assertThat(e.getMessage()).contains(file.name() + ":" + line + ": ");
    // No reason given for one file is given for any other: each is refused for its own reason.
    for (Map.Entry<String, String> other : REASONS.entrySet()) {
      if (!other.getKey().equals(name)) {
        assertThat(e.getMessage()).as(name + " vs " + other.getKey())
            .doesNotContain(other.getValue());
      }
    }
  }

  @Test
  void thereAreAtLeastFifteenHostileFilesAndEachIsListed() throws IOException, URISyntaxException {
    Path directory = Path.of(RulePolicyTest.class.getClassLoader().getResource("hostile").toURI());
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(f -> names.add(f.getFileName().toString().replace(".drl", "")));
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(15).isEqualTo(REASONS.keySet());
    assertThat(new HashSet<>(REASONS.values())).hasSize(REASONS.size());
  }

  @Test
  void benignRulesUsingTimeMathStringsAndHelpersPassAndBuild() {
    RuleFile file = resource("benign/time-math-strings.drl");
    assertThat(RulePolicy.check(List.of(file))).isEmpty();
    try (CdsEngine engine = CdsEngine.builder().addRules(file).build()) {
      assertThat(engine.rules()).hasSize(2);
    }
  }

  @Test
  void aRefusedFileWouldOtherwiseCompileAndRunButIsNeverCompiled() {
    RuleFile file = resource("hostile/system-property.drl");
    String property = "cds.policy.hostile";
    System.clearProperty(property);
    try {
      assertThatThrownBy(() -> CdsEngine.builder().addRules(file).build())
          .isInstanceOf(RuleSetException.class);
      assertThat(System.getProperty(property)).isNull();

      // Without the policy the same file compiles, and its action runs during an evaluation.
      try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(file).build()) {
        engine.evaluate(EngineEvaluationTest.adult(), EngineEvaluationTest.JAN_2025);
      }
      assertThat(System.getProperty(property)).isEqualTo("ran");
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void aRefusedRuleSetIsNotCompiledSoItsSyntaxErrorsAreNotReported() {
    RuleFile hostile = resource("hostile/system-property.drl");
    RuleFile broken = new RuleFile("broken.drl", hostile.content().replace("Patient()",
        "Patient(id == )"));
    RuleSetException e = buildFails(CdsEngine.builder().addRules(broken));
    assertThat(e.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("System is refused"));
  }

  @Test
  void namesInCommentsAndStringsAreNotRead() {
    RuleFile file = new RuleFile("quiet.drl", TestRules.HEADER
        + "// System.exit(0); java.io.File\n/* Runtime.getRuntime() */\n"
        + TestRules.supporting("Quiet", "    Patient()",
            "    insert(new Proposal(\"System.exit and java.io.File are only words here\"));"));
    assertThat(RulePolicy.check(List.of(file))).isEmpty();
  }

  @Test
  void spacedOutQualifiedNamesAreStillRead() {
    RuleFile file = new RuleFile("spaced.drl", TestRules.HEADER
        + TestRules.supporting("Spaced", "    Patient()",
            "    java . /* gap */ lang\n        .Runtime.getRuntime();"));
    assertThat(RulePolicy.check(List.of(file))).extracting(RuleProblem::message)
        .anyMatch(m -> m.contains("java.lang.Runtime is refused"));
  }

  @Test
  void aTypeDeclaredInOneFileMayBeUsedByAnotherInItsPackageOnly() {
    String declare = "package a.shared;\ndeclare Finding\nend\n";
    String use = "rule \"U\"\nwhen\n    Finding()\nthen\nend\n";
    assertThat(RulePolicy.check(List.of(new RuleFile("d.drl", declare),
        new RuleFile("u.drl", "package a.shared;\n" + use)))).isEmpty();
    assertThat(RulePolicy.check(List.of(new RuleFile("d.drl", declare),
        new RuleFile("u.drl", "package b.other;\n" + use))))
        .singleElement().satisfies(p -> assertThat(p.toString())
            .isEqualTo("u.drl:4: Finding is refused: it is neither declared by the rule set in "
                + "package b.other nor imported from an allowed package"));
  }

  @Test
  void aPackageSharedWithALibraryDoesNotLetItsClassesInBySimpleName() {
    RuleFile file = new RuleFile("shared.drl", "package com.fasterxml.jackson.databind;\n"
        + "rule \"S\"\nwhen\nthen\n    new ObjectMapper();\nend\n");
    assertThat(RulePolicy.check(List.of(file))).extracting(RuleProblem::toString)
        .containsExactly("shared.drl:5: ObjectMapper is refused: it is neither declared by the "
            + "rule set in package com.fasterxml.jackson.databind nor imported from an allowed "
            + "package");
  }

  @Test
  void aWildcardImportOfJavaUtilAsksForTheAllowedClassesByName() {
    RuleFile file = new RuleFile("util.drl", "package a;\nimport java.util.*;\n");
    assertThat(RulePolicy.check(List.of(file))).singleElement()
        .satisfies(p -> assertThat(p.toString()).startsWith("util.drl:2: import java.util.* is "
            + "refused").contains("import them by name"));
  }



  private static RuleFile resource(String path) {
    try (InputStream in = RulePolicyTest.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("no test resource " + path);
      }
      return new RuleFile(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
