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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.testing.TestRules;

/** Pack manifests: measures, value-set names, paths shared between packs and helper packages. */
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

  @Test
  void aHelperPackageInsideTheManifestsDirectoryIsThePacksOwn(@TempDir Path dir)
      throws IOException {
    String manifest = manifest(dir, "org/example/screening", "\"helperPackages\": "
        + "[\"org.example.screening\", \"org.example.screening.dates\"]");
    assertThat(RulePack.load(manifest, loader(dir)).helperPackages())
        .containsExactly("org.example.screening", "org.example.screening.dates");
  }

  @ParameterizedTest(name = "{1} from {0}/pack.json")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "io/github/cdsengine/core/opioid | io.github.cdsengine.core.opioid | "
          + "reserved: io.github.cdsengine.core and the packages inside it",
      "java/time | java.time | reserved: java and the packages inside it",
      "org/drools/helpers | org.drools.helpers | reserved: org.drools and the packages inside it",
      "org/example/screening | org.example | "
          + "is not the pack's own: a pack may declare the package of its manifest's directory "
          + "and packages inside it, here org.example.screening",
      "org/example/screening | org.example.screeningdates | here org.example.screening",
      "org/example/screening | com.fasterxml.jackson.databind | here org.example.screening",
      "my-packs/screening | my.packs.screening | "
          + "this manifest's directory my-packs/screening/ is no Java package",
      "org/example/screening | org..example | is not a Java package name"})
  void aHelperPackageThatIsNotThePacksOwnIsRefusedNamingTheManifest(String directory,
      String helperPackage, String reason, @TempDir Path dir) throws IOException {
    String manifest = manifest(dir, directory,
        "\"helperPackages\": [\"" + helperPackage + "\"]");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load(manifest, loader(dir)))
        .withMessageStartingWith(manifest + ": $.helperPackages[0]: ")
        .withMessageContaining(helperPackage)
        .withMessageContaining(reason);
  }

  @Test
  void aManifestAtTheClassPathsRootHasNoPackageToDeclare(@TempDir Path dir) throws IOException {
    String manifest = manifest(dir, "", "\"helperPackages\": [\"org.example\"]");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load(manifest, loader(dir)))
        .withMessage("pack.json: $.helperPackages[0]: the helper package org.example is not the "
            + "pack's own: a pack may declare the package of its manifest's directory and "
            + "packages inside it, and this manifest is at the class path's root");
  }

  @Test
  void helperPackagesAreAnArrayOfNamesEachGivenOnce(@TempDir Path dir) throws IOException {
    String notArray = manifest(dir, "org/example/a", "\"helperPackages\": \"org.example.a\"");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load(notArray, loader(dir)))
        .withMessage(notArray + ": $.helperPackages: expected an array of package names");
    String twice = manifest(dir, "org/example/b",
        "\"helperPackages\": [\"org.example.b\", \"org.example.b\"]");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> RulePack.load(twice, loader(dir)))
        .withMessage(twice + ": $.helperPackages[1]: the helper package org.example.b is "
            + "declared twice");
  }

  /** Writes a manifest with {@code fields} in {@code directory}; returns its resource name. */
  private static String manifest(Path dir, String directory, String fields) throws IOException {
    Path folder = dir.resolve(directory);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("pack.json"),
        "{\"id\": \"p\", \"version\": \"1\", \"title\": \"t\", " + fields + "}");
    return directory.isEmpty() ? "pack.json" : directory + "/pack.json";
  }

  private static ClassLoader loader(Path dir) throws IOException {
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }
}
