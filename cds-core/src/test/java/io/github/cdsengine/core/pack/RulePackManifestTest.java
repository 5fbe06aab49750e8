package io.github.cdsengine.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.testing.TestRules;

/** Pack manifests: measures, value-set names and paths shared between packs. */
class RulePackManifestTest {

  @Test
  void aMeasurePackReadsItsMeasuresNamesAndSharedFiles() {
    RulePack pack = RulePack.load("packs/measure/one/pack.json", getClass().getClassLoader());

    assertThat(pack.measures()).containsExactly(new MeasureDefinition("TEST9", "Test measure",
        "1", "https://example.org/Measure/Test9", 2, Improvement.DECREASE));
    assertThat(pack.valueSetNames())
        .containsExactly(Map.entry("Colonoscopy", "http://example.org/ValueSet/test-colonoscopy"));
    assertThat(pack.rules()).extracting(RuleFile::name)
        .containsExactly("packs/measure/common/shared.drl", "packs/measure/one/measure.drl");
  }

  @Test
  void theLoadedPackBuildsWithItsNamedValueSetAndReportsBothGroups() {
    RulePack pack = RulePack.load("packs/measure/one/pack.json", getClass().getClassLoader());
    try (CdsEngine engine = CdsEngine.builder().addRulePack(pack)
        .addValueSet(TestRules.COLONOSCOPY).build()) {
      assertThat(engine.measures()).extracting(MeasureDefinition::id).containsExactly("TEST9");
    }
  }

  @Test
  void aPathAboveTheClasspathRootIsRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "rules": ["../../escape.drl"]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("leaves the classpath root");
  }

  @Test
  void aBadImprovementIsRefusedNamingItsPath(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "measures": [{"id": "M", "title": "t",
         "version": "1", "url": "u", "groups": 1, "improvement": "better"}]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("$.measures[0].improvement")
        .withMessageContaining("'better'");
  }

  @Test
  void groupsMustBeAnInteger(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "measures": [{"id": "M", "title": "t",
         "version": "1", "url": "u", "groups": "one", "improvement": "increase"}]}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("$.measures[0].groups");
  }

  @Test
  void valueSetNamesMustBeUrls(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "valueSetNames": {"Office Visit": 3}}""");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load("pack.json", loader(dir)))
        .withMessageContaining("$.valueSetNames['Office Visit']");
  }

  private static ClassLoader loader(Path dir) throws IOException {
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }
}
