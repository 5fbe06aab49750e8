package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.COLONOSCOPY;
import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pack's rules name value sets only by the names its manifest binds (name to canonical URL):
 * an unbound name or a value set's id, in a constraint or as a helper's argument, fails the build
 * at its file and line; a rule file added on its own may still use an id.
 */
class PackValueSetNamesTest {

  private static final String NAME = "Colonoscopy (test name)";

  private static RuleFile screening(String valueSet) {
    return file("screening.drl", recommending("Screened", "screened", "USPSTF:A", "screening",
        "info", "    Procedure(valueSets.includes(\"" + valueSet + "\", code))", "screened"));
  }

  private static RulePack pack(RuleFile rules, Map<String, String> names) {
    return RulePack.builder("names-test", "1", "Value-set names test").rules(List.of(rules))
        .valueSets(List.of(COLONOSCOPY)).valueSetNames(names).build();
  }

  @Test
  void aPackRuleNamingABoundNameBuilds() {
    try (CdsEngine engine = CdsEngine.builder()
        .addRulePack(pack(screening(NAME), Map.of(NAME, COLONOSCOPY.url()))).build()) {
      assertThat(engine.rules()).hasSize(1);
    }
  }

  @Test
  void aPackRuleNamingAValueSetByItsIdFailsAtItsLine() {
    RuleFile rules = screening(COLONOSCOPY.id());
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRulePack(pack(rules, Map.of(NAME, COLONOSCOPY.url()))));
    assertThat(e.problems()).extracting(RuleProblem::file, RuleProblem::line)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("screening.drl",
            lineOf(rules, "valueSets.includes")));
    assertThat(e.problems().get(0).message()).contains("'test-colonoscopy'", "names-test",
        "valueSetNames");
  }

  @Test
  void aPackRuleNamingANameNoManifestBindsFails() {
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRulePack(pack(screening("Colonoscopy (other)"), Map.of(NAME, COLONOSCOPY.url()))));
    assertThat(e.problems()).extracting(RuleProblem::message).anySatisfy(message ->
        assertThat(message).contains("'Colonoscopy (other)' is not a name pack 'names-test'"));
  }

  @Test
  void anIdGivenToAHelperAsAnArgumentFailsAtItsLine() {
    RuleFile rules = file("helper.drl", screening(NAME).content().substring(
        io.github.cdsengine.core.testing.TestRules.HEADER.length()),
        supporting("Looks up by id", "    Procedure()",
            "    String chosen = String.valueOf(\"test-colonoscopy\");"));
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRulePack(pack(rules, Map.of(NAME, COLONOSCOPY.url()))));
    assertThat(e.problems()).extracting(RuleProblem::line)
        .contains(lineOf(rules, "String chosen"));
    assertThat(e.problems()).extracting(RuleProblem::message).anySatisfy(message ->
        assertThat(message).contains("\"test-colonoscopy\" is the id of a loaded value set"));
  }

  @Test
  void anIdInACommentIsNoUse() {
    RuleFile rules = new RuleFile("commented.drl", screening(NAME).content()
        + "// once written as valueSets.includes(\"test-colonoscopy\", code)\n"
        + "/* \"test-colonoscopy\" */\n");
    try (CdsEngine engine = CdsEngine.builder()
        .addRulePack(pack(rules, Map.of(NAME, COLONOSCOPY.url()))).build()) {
      assertThat(engine.rules()).hasSize(1);
    }
  }

  @Test
  void aLooseRuleFileMayUseTheId() {
    try (CdsEngine engine = CdsEngine.builder().addRules(screening(COLONOSCOPY.id()))
        .addValueSet(COLONOSCOPY).build()) {
      assertThat(engine.rules()).hasSize(1);
    }
  }

  @Test
  void twoPacksBindingOneNameToTwoUrlsFail() {
    RulePack other = RulePack.builder("other", "1", "Other").rules(List.of(file("other.drl",
            recommending("Other", "other", "USPSTF:A", "screening", "info",
                "    Procedure(valueSets.includes(\"" + NAME + "\", code))", "other"))))
        .valueSetNames(Map.of(NAME, "http://example.org/ValueSet/elsewhere")).build();
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRulePack(pack(screening(NAME), Map.of(NAME, COLONOSCOPY.url())))
        .addRulePack(other));
    assertThat(e.problems()).extracting(RuleProblem::message).anySatisfy(message ->
        assertThat(message).contains("value set name '" + NAME + "' is bound to"));
  }
}
