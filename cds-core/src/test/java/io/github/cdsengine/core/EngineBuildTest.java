package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.CITATION;
import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.lineOf;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.testing.TestRules;

/** Building an engine: DRL errors and metadata problems name file and line; good rules build. */
class EngineBuildTest {



  @Test
  void aValidRuleSetBuildsAndListsItsRules() {
    RuleFile rules = file("ok.drl",
        recommending("Adult", "adult-rec", "USPSTF:A", "screening", "warning",
            "    PatientAge(years >= 18)", "adult"),
        supporting("Support", "    Patient()", "    // nothing"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      assertThat(engine.rules()).extracting(RuleInfo::name).containsExactly("Adult", "Support");
      assertThat(engine.rules().get(0).line()).isEqualTo(lineOf(rules, "rule \"Adult\""));
      assertThat(engine.rules().get(0).recommendationId()).isEqualTo("adult-rec");
      assertThat(engine.rules().get(1).recommendationId()).isNull();
    }
  }

  @Test
  void aSyntaxErrorNamesFileAndLine() {
    RuleFile rules = file("broken.drl",
        recommending("Fine", "fine-rec", "USPSTF:A", "screening", "info", "    Patient()", "x"),
        "rule \"Broken\"\n" + CITATION + "when\n    Patient(id == )\nthen\nend\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).isNotEmpty();
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("broken.drl"));
    assertThat(e.problems()).extracting(RuleProblem::line)
        .contains(lineOf(rules, "Patient(id == )"));
    assertThat(e.getMessage()).contains("broken.drl:" + lineOf(rules, "Patient(id == )") + ":");
  }

  @Test
  void anUnknownFactTypeNamesFileAndLine() {
    RuleFile rules = file("types.drl",
        "rule \"Unknown type\"\n" + CITATION + "when\n    Colonoscopy()\nthen\nend\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.file()).isEqualTo("types.drl");
      assertThat(p.line()).isEqualTo(lineOf(rules, "Colonoscopy()"));
      assertThat(p.message()).contains("Colonoscopy");
    });
  }

  @Test
  void errorsInSeveralFilesAreAllReportedEachWithItsOwnFile() {
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRules(file("a.drl", "rule \"A\"\n" + CITATION + "when\n    Patient(\nthen\nend\n"))
        // An unknown field, not an unknown type: the rule policy refuses unknown type names
        // before anything is compiled, which would leave a.drl's syntax error unreported.
        .addRules(file("b.drl", "rule \"B\"\n" + CITATION
            + "when\n    Patient(nonsense == 1)\nthen\nend\n")));
    assertThat(e.problems()).extracting(RuleProblem::file).contains("a.drl", "b.drl");
  }

  @Test
  void missingCitationFailsNamingRuleFileAndLine() {
    RuleFile rules = file("uncited.drl", "rule \"Uncited\"\n    @publisher(\"P\")\nwhen\n"
        + "    Patient()\nthen\nend\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("uncited.drl");
      assertThat(p.line()).isEqualTo(lineOf(rules, "rule \"Uncited\""));
      assertThat(p.message()).contains("\"Uncited\"", "@guideline", "@url", "@version")
          .doesNotContain("@publisher");
    });
  }

  @Test
  void aRecommendingRuleWithoutGradeCategoryOrSeverityFails() {
    RuleFile rules = file("partial.drl", "rule \"Partial\"\n    @recommendation(\"partial-rec\")\n"
        + "    @title(\"T\")\n" + CITATION + "when\n    Patient()\nthen\n"
        + "    insert(new Proposal(\"x\"));\nend\n");
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.getMessage()).contains("partial.drl:" + lineOf(rules, "rule \"Partial\""),
        "@category", "@evidence", "@severity");
  }

  @Test
  void invalidMetadataValuesAreEachReported() {
    RuleFile rules = file("invalid.drl",
        recommending("Bad grade", "bad-grade", "USPSTF:E", "screening", "info", "    Patient()", "x"),
        recommending("Bad category", "bad-category", "USPSTF:A", "dessert", "info", "    Patient()", "x"),
        recommending("Bad severity", "bad-severity", "USPSTF:A", "screening", "loud", "    Patient()", "x"));
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).hasSize(3);
    assertThat(e.getMessage()).contains("USPSTF:E", "'dessert'", "'loud'");
    assertThat(e.problems()).extracting(RuleProblem::line).containsExactly(
        lineOf(rules, "rule \"Bad grade\""), lineOf(rules, "rule \"Bad category\""),
        lineOf(rules, "rule \"Bad severity\""));
  }

  @Test
  void aMisspelledAnnotationIsRejected() {
    RuleFile rules = file("typo.drl", "rule \"Typo\"\n    @severty(\"info\")\n" + CITATION
        + "when\n    Patient()\nthen\nend\n");
    assertThat(buildFails(CdsEngine.builder().addRules(rules)).getMessage())
        .contains("unknown annotation @severty");
  }

  @Test
  void aProposalFromARuleWithoutRecommendationFailsTheBuild() {
    RuleFile rules = file("orphan.drl",
        supporting("Orphan", "    Patient()", "    insert(new Proposal(\"x\"));"));
    assertThat(buildFails(CdsEngine.builder().addRules(rules)).getMessage())
        .contains("\"Orphan\" inserts a Proposal but declares no @recommendation");
  }

  @Test
  void anUnloadedValueSetFailsTheBuildAtItsLine() {
    RuleFile rules = file("vs.drl", recommending("Needs value set", "vs-rec", "USPSTF:A",
        "screening", "info",
        "    Procedure(valueSets.includes(\"not-loaded\", code))", "x"));
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rules, "not-loaded"));
      assertThat(p.message()).contains("value set 'not-loaded' is not loaded");
    });
  }

  @Test
  void aLoadedValueSetBuilds() {
    RuleFile rules = file("vs.drl", recommending("Needs value set", "vs-rec", "USPSTF:A",
        "screening", "info",
        "    Procedure(valueSets.includes(\"test-colonoscopy\", code))", "x"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules)
        .addValueSet(TestRules.COLONOSCOPY).build()) {
      assertThat(engine.valueSets().find("test-colonoscopy")).isPresent();
    }
  }

  @Test
  void aValueSetNamedByAVariableCannotBeCheckedAndFails() {
    RuleFile rules = file("dynamic.drl", recommending("Dynamic", "dynamic-rec", "USPSTF:A",
        "screening", "info",
        "    $p : Patient()\n    Procedure(valueSets.includes($p.id(), code))", "x"));
    assertThat(buildFails(CdsEngine.builder().addRules(rules)).getMessage())
        .contains("must name its value set, recommendation or threshold and unit with string literals");
  }

  @Test
  void suppressingAnUnknownRecommendationFailsTheBuild() {
    RuleFile rules = file("suppress.drl",
        recommending("Real", "real-rec", "USPSTF:A", "screening", "info", "    Patient()", "x"),
        supporting("Suppress typo", "    Patient()",
            "    insert(new Suppression(\"reel-rec\", \"why\"));"));
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rules));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(lineOf(rules, "reel-rec"));
      assertThat(p.message()).contains("no rule recommends 'reel-rec'");
    });
  }

  @Test
  void oneRecommendationMustKeepOneTitleAndCategory() {
    RuleFile rules = file("clash.drl",
        recommending("First", "shared-rec", "USPSTF:A", "screening", "info", "    Patient()", "x"),
        recommending("Second", "shared-rec", "USPSTF:B", "immunization", "info", "    Patient()", "y"));
    assertThat(buildFails(CdsEngine.builder().addRules(rules)).getMessage())
        .contains("\"Second\" recommends 'shared-rec' with a different @title or @category");
  }

  @Test
  void ruleNamesMustBeUniqueAcrossFiles() {
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRules(new RuleFile("one.drl", TestRules.HEADER.replace("test.rules", "pkg.one")
            + supporting("Same", "    Patient()", "")))
        .addRules(new RuleFile("two.drl", TestRules.HEADER.replace("test.rules", "pkg.two")
            + supporting("Same", "    Patient()", ""))));
    assertThat(e.getMessage()).contains("rule \"Same\" is also defined at one.drl:");
  }

  @Test
  void rulesAndValueSetsLoadFromDirectoriesAndUnreadablePathsAreReported(@TempDir Path dir)
      throws Exception {
    Path rulesDir = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rulesDir.resolve("a.drl"), file("a.drl", recommending("From disk",
        "disk-rec", "USPSTF:A", "screening", "info", "    Patient()", "x")).content());
    try (CdsEngine engine = CdsEngine.builder().addRules(rulesDir).build()) {
      assertThat(engine.rules()).extracting(RuleInfo::file)
          .containsExactly(rulesDir.resolve("a.drl").toString());
    }
    RuleSetException e = buildFails(CdsEngine.builder().addRules(rulesDir)
        .addRules(dir.resolve("missing.drl")));
    assertThat(e.problems()).extracting(RuleProblem::file)
        .containsExactly(dir.resolve("missing.drl").toString());
  }

  @Test
  void buildingWithNoRulesIsACallerMistake() {
    assertThatThrownBy(() -> CdsEngine.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no rules");
    assertThatThrownBy(() -> CdsEngine.builder().maxRuleFirings(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void problemsAreSortedByFileAndLine() {
    RuleSetException e = buildFails(CdsEngine.builder()
        .addRules(file("z.drl", supporting("Z", "    Patient()", "") .replace("@version(\"2024\")", "")))
        .addRules(file("a.drl", supporting("A2", "    Patient()", "").replace("@url(\"https://example.org/guideline\")", ""),
            supporting("A1", "    Patient()", "").replace("@url(\"https://example.org/guideline\")", ""))));
    List<RuleProblem> problems = e.problems();
    assertThat(problems).extracting(RuleProblem::file).containsExactly("a.drl", "a.drl", "z.drl");
    assertThat(problems.get(0).line()).isLessThan(problems.get(1).line());
  }

  @Test
  void aValueSetDirectoryMaySitBesideAPackManifest(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pack.json"), "{\"id\": \"p\", \"version\": \"1\", \"title\": \"t\"}");
    Files.writeString(dir.resolve("valueset-a.json"), """
        {"resourceType": "ValueSet", "id": "test-colonoscopy", "url": "http://example.org/vs",
         "expansion": {"contains": [{"system": "http://snomed.info/sct", "code": "73761001"}]}}
        """);
    try (CdsEngine engine = CdsEngine.builder().addValueSets(dir).addRules(file("vs.drl",
        recommending("Uses it", "uses-it", "USPSTF:A", "screening", "info",
            "    Procedure(valueSets.includes(\"test-colonoscopy\", code))", "x"))).build()) {
      assertThat(engine.valueSets().all()).hasSize(1);
    }
  }
}
