package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.testing.Conformance;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cds validate} end to end: the build's problems and the lints, as file:line. */
class ValidateCommandTest {

  static final Path RULES = Path.of("../cds-rules/src/main/resources/io/github/cdsengine/rules");

  /** A rule file with one recommending rule whose condition is {@code condition}. */
  static String rule(String name, String id, String condition) {
    return """
        package test.rules;

        import io.github.cdsengine.core.model.*;
        import io.github.cdsengine.core.rule.*;

        global io.github.cdsengine.core.terminology.ValueSets valueSets;

        rule "%s"
            @recommendation("%s")
            @title("A test recommendation")
            @evidence("USPSTF:B")
            @category("screening")
            @severity("info")
            @publisher("Test publisher")
            @guideline("Test guideline")
            @version("2025")
            @url("https://example.org/guideline")
        when
            %s
        then
            insert(new Proposal("Test detail."));
        end
        """.formatted(name, id, condition);
  }

  @Test
  void theShippedGuidelinePackIsClean() {
    Cli.Result result = Cli.run("validate", RULES.resolve("uspstf/colorectal").toString());
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("1 rule file, 10 rules: 0 errors, 0 warnings");
  }

  @Test
  void everyShippedPackIsCleanWithItsValueSets() {
    Conformance.assumePresent(Cli.valueSets().isPresent() && Cli.opioidValueSets().isPresent(),
        "no conformance value sets beside the checkout");
    Cli.Result result = Cli.run("validate", RULES.toString(), "--value-sets",
        Cli.valueSets().get().toString(), "--value-sets", Cli.opioidValueSets().get().toString());
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).containsPattern("\\d+ rule files, \\d+ rules: 0 errors, 0 warnings");
  }

  @Test
  void aMeasurePackWithoutItsValueSetsNamesEachMissingOne() {
    Cli.Result result = Cli.run("validate", RULES.resolve("measures/cms130").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("measures/cms130/pack.json: value set 'Colonoscopy' "
        + "(http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.108.12.1020) is "
        + "not loaded");
  }

  @Test
  void aSyntaxErrorIsReportedAtItsFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.drl");
    Files.writeString(file, rule("Broken", "broken-rule", "PatientAge(years >= )"));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(
        file.toString()) + ":19: .+");
    assertThat(result.out()).contains("1 rule file, not built: ");
  }

  @Test
  void missingMetadataIsReportedAtTheRule(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("no-severity.drl");
    Files.writeString(file, rule("No severity", "no-severity", "PatientAge(years >= 50)")
        .replace("    @severity(\"info\")\n", ""));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(
        file.toString()) + ":8: .*severity");
  }

  @Test
  void aValueSetNoRuleLoadsIsAnErrorAtItsLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("unknown-value-set.drl");
    Files.writeString(file, rule("Unknown value set", "unknown-vs",
        "Condition(valueSets.includes(\"no-such-value-set\", code))"));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains(file + ":19: value set 'no-such-value-set' is not loaded");
  }

  @Test
  void contradictoryNumericConstraintsAreAnErrorAtTheirLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("never.drl");
    Files.writeString(file, rule("Never fires", "never-fires",
        "PatientAge(years >= 50,\n        years < 45)"));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains(file + ":20: rule \"Never fires\": PatientAge(years >= 50, "
        + "years < 45) can never match");
    assertThat(result.out()).contains("1 rule file, 1 rules: 1 error, 0 warnings");
  }

  @Test
  void contradictoryStringConstraintsAreAnErrorAtTheirLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("two-statuses.drl");
    Files.writeString(file, rule("Two statuses", "two-statuses",
        "Observation(status == \"final\", status == \"amended\")"));
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains(file + ":19: rule \"Two statuses\": Observation(status "
        + "== \"final\", status == \"amended\") can never match: the constraints on 'status'");
  }

  @Test
  void anUnusedValueSetIsAWarningAndFailsOnlyWhenStrict(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("rules.drl"), rule("Uses one", "uses-one",
        "Condition(valueSets.includes(\"used-codes\", code))"));
    Files.writeString(dir.resolve("valueset-used.json"), valueSet("used-codes"));
    Files.writeString(dir.resolve("valueset-unused.json"), valueSet("unused-codes"));
    Cli.Result result = Cli.run("validate", dir.toString());
    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out()).contains(dir.resolve("valueset-unused.json") + ": warning: value "
        + "set 'unused-codes' (http://example.org/fhir/ValueSet/unused-codes) is not named by "
        + "any rule");
    assertThat(result.out()).doesNotContain("'used-codes'");
    assertThat(Cli.run("validate", "--strict", dir.toString()).exitCode()).isEqualTo(1);
  }

  @Test
  void aFileThatIsNoRuleFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "hello");
    Cli.Result result = Cli.run("validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).contains("not a DRL");
  }

  @Test
  void aPackFolderMayNotNameAHelperPackageOutsideTheShippedPacks(@TempDir Path dir)
      throws Exception {
    // The folder spells the package, so the pack would own it; but a folder adds no classes,
    // and the classes on the class path under any other name are the program's or a library's.
    Path pack = helpedPack(dir.resolve("rules/io/github/cdsengine/packs/helped"));
    Cli.Result result = Cli.run("validate", pack.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(pack.resolve("pack.json") + ": $.helperPackages[0]: the "
        + "helper package io.github.cdsengine.packs.helped is refused");
  }

  @Test
  void aPackFolderCannotClaimALibrarysPackage(@TempDir Path dir) throws Exception {
    Path pack = dir.resolve("rules/com/fasterxml/jackson/databind");
    Files.createDirectories(pack);
    Files.writeString(pack.resolve("pack.json"), "{\"id\": \"json\", \"version\": \"1\", "
        + "\"title\": \"t\", \"rules\": [], \"helperPackages\": "
        + "[\"com.fasterxml.jackson.databind\"]}");
    Cli.Result result = Cli.run("validate", pack.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("$.helperPackages[0]: the helper package "
        + "com.fasterxml.jackson.databind is refused");
  }

  @Test
  void aPackWhoseDirectoryDoesNotSpellItsHelperPackageIsRefused(@TempDir Path dir)
      throws Exception {
    Path pack = helpedPack(dir.resolve("rules/screening"));
    Cli.Result result = Cli.run("validate", pack.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(pack.resolve("pack.json") + ": $.helperPackages[0]: the "
        + "helper package io.github.cdsengine.packs.helped is not the pack's own");
  }

  /** The test pack {@code helped}, whose rule calls its helper, written to {@code directory}. */
  private static Path helpedPack(Path directory) throws Exception {
    Files.createDirectories(directory);
    for (String name : List.of("pack.json", "helped.drl")) {
      try (InputStream in = ValidateCommandTest.class.getClassLoader()
          .getResourceAsStream("io/github/cdsengine/packs/helped/" + name)) {
        Files.write(directory.resolve(name), in.readAllBytes());
      }
    }
    return directory;
  }

  static String valueSet(String id) {
    return """
        {"resourceType": "ValueSet", "id": "%1$s", "url": "http://example.org/fhir/ValueSet/%1$s",
         "version": "1", "status": "active",
         "compose": {"include": [{"system": "http://snomed.info/sct",
                                  "concept": [{"code": "73211009"}]}]}}
        """.formatted(id);
  }
}
