package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.Facts.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.cdsengine.core.model.PatientRecord;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.SettingDefinition;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.RuleFile;

/**
 * Pack settings: declared in a manifest with a default and a source, overridden by the host at
 * build time, checked once there, read by rules through the {@code PackSettings} fact.
 */
class PackSettingsTest {

  private static final SettingDefinition CHECK = new SettingDefinition("extra-check", true,
      "Shows the checked card", "Test Publisher, test configuration 'Extra Check Enabled'");

  /** A pack whose rule recommends only while its setting is on, titled by the setting. */
  private static RulePack pack() {
    RuleFile rules = file("settings.drl", recommending("Checked", "checked", "USPSTF:A",
        "screening", "info",
        "    PackSettings(enabled(\"settings-test\", \"extra-check\"))\n"
            + "    PatientAge(years >= 18)", "checked"),
        recommending("Always", "always", "USPSTF:A", "screening", "info",
            "    PackSettings($on : enabled(\"settings-test\", \"extra-check\"))\n"
                + "    PatientAge(years >= 18)", "always")
            .replace("insert(new Proposal(\"always\"));",
                "insert(new Proposal(\"always\", $on ? null : \"Always, check off\"));"));
    return RulePack.builder("settings-test", "1", "Settings test").rules(List.of(rules))
        .settings(List.of(CHECK)).build();
  }

  private static EvaluationResult evaluate(CdsEngine engine) {
    PatientRecord adult = PatientRecord.builder(patient("p1", LocalDate.of(1970, 6, 15))).build();
    return engine.evaluate(adult, EngineEvaluationTest.JAN_2025);
  }

  @Test
  void theDefaultHoldsUnlessTheHostOverridesIt() {
    try (CdsEngine engine = CdsEngine.builder().addRulePack(pack()).build()) {
      EvaluationResult result = evaluate(engine);
      assertThat(result.failures()).isEmpty();
      assertThat(result.recommendations()).extracting(Recommendation::id)
          .containsExactlyInAnyOrder("checked", "always");
      assertThat(result.recommendations()).filteredOn(r -> r.id().equals("always"))
          .extracting(Recommendation::title).containsExactly("Title of always");
      assertThat(engine.ruleSet()).isEqualTo("settings-test@1");
    }
    try (CdsEngine engine = CdsEngine.builder().addRulePack(pack())
        .packSetting("settings-test", "extra-check", false).build()) {
      EvaluationResult result = evaluate(engine);
      assertThat(result.recommendations()).extracting(Recommendation::id)
          .containsExactly("always");
      assertThat(result.recommendations().get(0).title()).isEqualTo("Always, check off");
      assertThat(engine.ruleSet()).isEqualTo("settings-test@1,settings-test:extra-check=false");
    }
  }

  @Test
  void anOverrideEqualToTheDefaultLeavesTheRuleSetIdentityAlone() {
    try (CdsEngine engine = CdsEngine.builder().addRulePack(pack())
        .packSetting("settings-test", "extra-check", true).build()) {
      assertThat(engine.ruleSet()).isEqualTo("settings-test@1");
    }
  }

  @Test
  void anUnknownPackOrSettingIsRefusedAtBuildQuotingIt() {
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> CdsEngine.builder().addRulePack(pack())
            .packSetting("no-such-pack", "extra-check", false).build())
        .withMessageContaining("'no-such-pack'").withMessageContaining("settings-test");
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> CdsEngine.builder().addRulePack(pack())
            .packSetting("settings-test", "extra-chek", false).build())
        .withMessageContaining("'extra-chek'").withMessageContaining("[extra-check]");
  }

  @Test
  void aRuleNamingASettingNoPackDeclaresFailsTheBuildWithItsFileAndLine() {
    // Found when the engine is built, not at each evaluation (a setting spelt wrong, a pack not
    // added): every enabled("pack", "name") with literal arguments, outside comments.
    RuleFile rules = file("undeclared.drl", recommending("Undeclared", "undeclared",
        "USPSTF:A", "screening", "info",
        "    // PackSettings(enabled(\"settings-test\", \"commented-out\"))\n"
            + "    PackSettings(enabled(\"settings-test\", \"extra-chek\"))", "x"));
    int line = rules.lineAt(rules.content().indexOf("enabled(\"settings-test\", \"extra-chek"));
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> CdsEngine.builder().addRulePack(pack()).addRules(rules).build())
        .satisfies(e -> assertThat(e.problems()).singleElement().satisfies(problem -> {
          assertThat(problem.file()).isEqualTo("undeclared.drl");
          assertThat(problem.line()).isEqualTo(line).isPositive();
          assertThat(problem.message()).contains("'extra-chek'").contains("'settings-test'")
              .contains("settings-test:extra-check");
        }));
    // Without the pack that declares it, its own setting is undeclared too.
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> CdsEngine.builder().addRules(file("undeclared.drl",
            recommending("Undeclared", "undeclared", "USPSTF:A", "screening", "info",
                "    PackSettings(enabled(\"settings-test\", \"extra-check\"))", "x")))
            .build())
        .withMessageContaining("undeclared.drl");
  }

  @Test
  void aRuleReadingASettingNoPackDeclaresByAComputedNameFailsLoudlyWhenEvaluated() {
    // Arguments that are not both literals cannot be checked at build: the read throws, and
    // the failure is reported, never a silent false.
    RuleFile rules = file("undeclared.drl", recommending("Undeclared", "undeclared",
        "USPSTF:A", "screening", "info",
        "    PackSettings(enabled(\"settings-\" + \"test\", \"extra-check\"))", "x"));
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult result = evaluate(engine);
      assertThat(result.complete()).isFalse();
      assertThat(result.recommendations()).isEmpty();
    }
  }

  @Test
  void aManifestDeclaresSettingsWithDefaultDescriptionAndSource(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "settings": [
          {"name": "extra-check", "default": false, "description": "d", "source": "s"}]}""");
    RulePack pack = RulePack.load("pack.json", loader(dir));
    assertThat(pack.settings()).containsExactly(
        new SettingDefinition("extra-check", false, "d", "s"));
    assertThat(pack.setting("extra-check")).isPresent();
    assertThat(pack.setting("other")).isEmpty();
  }

  @Test
  void aSettingWithoutABooleanDefaultOrASourceOrTwiceIsRefused(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "settings": [
          {"name": "extra-check", "default": "yes", "description": "d", "source": "s"}]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("$.settings[0].default");
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "settings": [
          {"name": "extra-check", "default": true, "description": "d"}]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("source");
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "settings": [
          {"name": "extra-check", "default": true, "description": "d", "source": "s"},
          {"name": "extra-check", "default": false, "description": "d", "source": "s"}]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("'extra-check' twice");
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> new SettingDefinition("Extra Check", true, "d", "s"))
        .withMessageContaining("'Extra Check'");
  }

  private static ClassLoader loader(Path dir) throws IOException {
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }
}
