package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.PackFiles;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.policy.RulePolicy;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A pack's helper packages: the rule policy lets the pack's own rule files call the Java helpers
 * its manifest declares ({@code helperPackages}), and no other file: not another pack's, not one
 * added on its own, not one that claims the helper package as its own.
 */
class PackHelperPolicyTest {

  private static final ClassLoader LOADER = PackHelperPolicyTest.class.getClassLoader();
  private static final String HELPER = "io.github.cdsengine.packs.helped";

  static RulePack helped() {
    return RulePack.load("io/github/cdsengine/packs/helped/pack.json", LOADER);
  }

  static RulePack other() {
    return RulePack.load("io/github/cdsengine/packs/other/pack.json", LOADER);
  }

  @Test
  void theManifestDeclaresTheHelperPackage() {
    assertThat(helped().helperPackages()).containsExactly(HELPER);
    assertThat(other().helperPackages()).isEmpty();
  }

  @Test
  void aPacksRulesMayCallTheHelperPackageItDeclares() {
    assertThat(RulePolicy.check(helped().rules(), Map.of(helped().rules().get(0), Set.of(HELPER))))
        .isEmpty();
    try (CdsEngine engine = CdsEngine.builder().addRulePack(helped()).build()) {
      assertThat(engine.evaluate(EngineEvaluationTest.adult(), EngineEvaluationTest.JAN_2025)
          .recommendations()).extracting(Recommendation::id)
          .containsExactly("helped-screening-age");
    }
  }

  @Test
  void anotherPacksRulesMayNotCallIt() {
    RuleFile refused = other().rules().get(0);
    RuleSetException e = buildFails(CdsEngine.builder().addRulePack(helped())
        .addRulePack(other()));
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.toString())
        .isEqualTo(refused.name() + ":" + lineOf(refused, "refused here") + ": import of "
            + HELPER + ".ScreeningAges is refused: package " + HELPER + " is a helper package of "
            + "another rule pack: only the files of the pack whose manifest declares it "
            + "(helperPackages) may call it"));
  }

  @Test
  void aRuleFileAddedOnItsOwnMayNotCallIt() {
    RuleFile pack = helped().rules().get(0);
    RuleFile loose = new RuleFile("loose.drl", pack.content()
        .replace("Helped screening age", "Loose screening age")
        .replace("helped-screening-age", "loose-screening-age"));
    int line = lineOf(loose, "import " + HELPER);

    RuleSetException beside = buildFails(CdsEngine.builder().addRulePack(helped())
        .addRules(loose));
    assertThat(beside.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("loose.drl");
      assertThat(p.line()).isEqualTo(line);
      assertThat(p.message()).contains("is a helper package of another rule pack");
    });

    RuleSetException alone = buildFails(CdsEngine.builder().addRules(loose));
    assertThat(alone.problems()).singleElement().satisfies(p -> assertThat(p.toString())
        .isEqualTo("loose.drl:" + line + ": import of " + HELPER + ".ScreeningAges is refused: "
            + "it is not on the allow-list (the fact model and helpers, java.time, collections, "
            + "math and strings)"));
  }

  @Test
  void theSameTextUnderAnotherNameIsNotThePacksFile() {
    RuleFile pack = helped().rules().get(0);
    RuleFile copy = new RuleFile("copy/" + pack.name(), pack.content());
    assertThat(RulePolicy.check(List.of(pack, copy), Map.of(pack, Set.of(HELPER))))
        .extracting(RuleProblem::file).containsExactly(copy.name());
  }

  @Test
  void aFileThatClaimsTheHelperPackageAsItsOwnGetsNoneOfItsClasses() {
    RuleFile claim = new RuleFile("claim.drl", """
        package io.github.cdsengine.packs.helped;
        import io.github.cdsengine.packs.helped.*;
        import io.github.cdsengine.core.rule.*;
        rule "Claim"
        when
            PatientAge(ScreeningAges.includes(years))
        then
        end
        """);
    RuleSetException e = buildFails(CdsEngine.builder().addRulePack(helped()).addRules(claim));
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.toString())
        .isEqualTo("claim.drl:6: ScreeningAges is refused: it is neither declared by the rule "
            + "set in package " + HELPER + " nor imported from an allowed package"));
  }

  @Test
  void aPackBuiltInCodeMayNotDeclareAReservedPackage() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RulePack("p", "1", "t",
            List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(),
            List.of("java.lang.reflect"), PackFiles.none(), false))
        .withMessage("pack 'p' declares the helper package java.lang.reflect, which is "
            + "reserved: java and the packages inside it belong to the JDK, the rule engine or "
            + "this engine; a pack's helpers live in its own package");
    assertThatIllegalArgumentException().isThrownBy(() -> new RulePack("p", "1", "t",
            List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), List.of("a", "a"),
            PackFiles.none(), false))
        .withMessageContaining("declares the helper package a twice");
  }

  @Test
  void thePolicyRefusesAReservedHelperPackageGivenToIt() {
    RuleFile reflective = new RuleFile("reflective.drl", """
        package test.reflective;
        import java.lang.reflect.Method;
        """);
    assertThat(RulePolicy.check(List.of(reflective),
        Map.of(reflective, Set.of("java.lang.reflect"))))
        .extracting(RuleProblem::toString).containsExactly(
            "reflective.drl:0: helper package java.lang.reflect is refused: java and the "
                + "packages inside it are reserved to the JDK, the rule engine and this engine",
            "reflective.drl:2: import of java.lang.reflect.Method is refused: package "
                + "java.lang.reflect means reflection");
  }
}
