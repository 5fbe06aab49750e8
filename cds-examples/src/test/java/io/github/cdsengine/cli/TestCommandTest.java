package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.core.scenario.ScenarioReader;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cds test} end to end, and the bundled scenarios: they pass, and they cover every
 * shipped pack and every recommendation it makes.
 */
class TestCommandTest {

  static List<Path> bundledScenarios() {
    try (Stream<Path> walk = Files.walk(Cli.SCENARIOS)) {
      return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theSelfContainedScenariosPassAndOthersAreSkippedWithoutValueSets() {
    Cli.Result result = Cli.run("test", Cli.SCENARIOS.toString());
    assertThat(result.exitCode()).as(result.out()).isZero();
    long needingValueSets = bundledScenarios().stream()
        .map(p -> p.getParent().getFileName().toString())
        .filter(dir -> dir.startsWith("cms") || dir.startsWith("cdc-opioids")).count();
    long selfContained = bundledScenarios().size() - needingValueSets;
    assertThat(result.outLines()).last().isEqualTo(selfContained + " passed, 0 failed, "
        + needingValueSets + " skipped");
    assertThat(result.out()).contains("PASS  Never screened, age 47")
        .containsPattern("SKIP  CMS125: .* needs cms125-breast-cancer-screening, not loaded");
    assertThat(result.err()).contains("note: skipped");
  }

  @Test
  void everyBundledScenarioPassesWithTheValueSets() {
    Conformance.assumePresent(Cli.valueSets().isPresent() && Cli.opioidValueSets().isPresent(),
        "no conformance value sets beside the checkout");
    Cli.Result result = Cli.run("test", Cli.SCENARIOS.toString(), "--value-sets",
        Cli.valueSets().get().toString(), "--value-sets", Cli.opioidValueSets().get().toString());
    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.outLines()).last()
        .isEqualTo(bundledScenarios().size() + " passed, 0 failed");
  }

  @Test
  void showPrintsEachScenariosRankedRecommendations() {
    Cli.Result result = Cli.run("test", "--show", Cli.USPSTF_SCENARIOS.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).containsPattern("(?m)^PASS  Never screened, age 47.*\\R"
        + "      Turned 45 two years ago.*\\R(?: {8}.*\\R)*Patient never-screened-47\\R")
        .containsPattern("(?m)^1\\s+warning\\s+uspstf-crc-screening\\s+Colorectal cancer");
  }

  @Test
  void aValueSetDirectoryThatMayBeAbsentIsPassedOver() {
    Cli.Result result = Cli.run("test", Cli.USPSTF_SCENARIOS.toString(),
        "--value-sets-if-present", "no/such/dir");
    assertThat(result.exitCode()).isZero();
    assertThat(result.errLines()).hasSize(1).first().asString()
        .startsWith("note: skipped").contains("; no value sets at no/such/dir: pass --value-sets");
  }

  @Test
  void everyShippedPackHasAScenario() {
    Set<String> covered = bundledScenarios().stream().map(ScenarioReader::read)
        .flatMap(s -> s.packs().stream()).collect(Collectors.toSet());
    assertThat(covered).containsAll(ShippedRulePacks.all().stream().map(RulePack::id).toList());
  }

  @Test
  void everyRecommendationOfEveryShippedPackIsShownBySomeScenario() {
    List<Scenario> scenarios = bundledScenarios().stream().map(ScenarioReader::read).toList();
    Set<String> shown = scenarios.stream().flatMap(s -> s.expect().shown().stream())
        .collect(Collectors.toSet());
    CdsEngine.Builder builder = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines());
    if (Cli.valueSets().isPresent()) {
      builder.addRulePacks(ShippedRulePacks.measures()).addValueSets(Cli.valueSets().get());
    }
    if (Cli.opioidValueSets().isPresent()) {
      builder.addRulePack(ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016))
          .addValueSets(Cli.opioidValueSets().get());
    }
    try (CdsEngine engine = builder.build()) {
      assertThat(engine.rules().stream().map(RuleInfo::recommendationId)
          .filter(java.util.Objects::nonNull).distinct()).allSatisfy(id ->
              assertThat(shown).as("scenarios showing " + id).contains(id));
    }
  }

  @Test
  void aFailingScenarioShowsWhatDiffersAndExits1(@TempDir Path dir) throws Exception {
    String passing = Files.readString(Cli.USPSTF_SCENARIOS.resolve("never-screened-47.json"));
    String failing = passing.replace("\"Never screened, age 47\"", "\"Wrongly expected\"")
        .replace("\"shown\": [\n      \"uspstf-crc-screening\"\n    ]",
            "\"shown\": [\"uspstf-crc-screening-selective\"], \"absent\": "
                + "[\"uspstf-crc-screening\"]");
    assertThat(failing).contains("uspstf-crc-screening-selective");
    Files.writeString(dir.resolve("a-failing.json"), failing);
    Files.writeString(dir.resolve("b-passing.json"), passing);
    Cli.Result result = Cli.run("test", dir.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .containsPattern("(?m)^FAIL  Wrongly expected  \\(.*a-failing.json\\)$")
        .containsPattern("(?m)^\\s+expected\\s+actual$")
        .containsPattern("(?m)^\\s+shown\\s+uspstf-crc-screening-selective\\s+"
            + "uspstf-crc-screening$")
        .containsPattern("(?m)^\\s+absent\\s+uspstf-crc-screening$")
        .contains("- expected 'uspstf-crc-screening-selective' to be shown, but no rule "
            + "proposed it")
        .contains("- expected 'uspstf-crc-screening' to be absent, but it was shown")
        .containsPattern("(?m)^PASS  Never screened, age 47");
    assertThat(result.outLines()).last().isEqualTo("1 passed, 1 failed");
  }

  @Test
  void aWrongOrderIsShownAsADiff(@TempDir Path dir) throws Exception {
    Conformance.assumePresent(Cli.valueSets().isPresent(), "no conformance value sets beside the checkout");
    Path source = Cli.SCENARIOS.resolve("cms130-colorectal-cancer-screening/never-screened.json");
    Files.createDirectories(dir.resolve("scenarios/cms130"));
    String text = Files.readString(source).replace(
        "\"order\": [\n      \"cms130-colorectal-cancer-screening\",\n      \"uspstf-crc-screening\"",
        "\"order\": [\n      \"uspstf-crc-screening\",\n      \"cms130-colorectal-cancer-screening\"")
        .replace("../../patients/", Cli.PATIENTS.toAbsolutePath() + "/");
    Files.writeString(dir.resolve("scenarios/cms130/wrong-order.json"), text);
    Cli.Result result = Cli.run("test", dir.toString(), "--value-sets",
        Cli.valueSets().get().toString());
    assertThat(result.exitCode()).isEqualTo(1);
    String flat = result.out().replaceAll("(?<=\\w-)\\s+", "").replaceAll("\\s+", " ");
    assertThat(flat).contains("order uspstf-crc-screening cms130-colorectal-cancer-screening "
        + "cms130-colorectal-cancer-screening uspstf-crc-screening")
        .contains("- expected the order [uspstf-crc-screening, cms130-colorectal-cancer-screening]"
            + ", but it was [cms130-colorectal-cancer-screening, uspstf-crc-screening]");
  }

  @Test
  void anUnreadableScenarioFailsWithItsReason(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"at\": \"yesterday\"}");
    Cli.Result result = Cli.run("test", dir.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("FAIL  " + dir.resolve("bad.json") + ": cannot be read")
        .contains("$.at");
    assertThat(result.outLines()).last().isEqualTo("0 passed, 1 failed");
  }
}
