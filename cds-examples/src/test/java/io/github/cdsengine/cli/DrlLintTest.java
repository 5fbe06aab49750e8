package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contradiction lint: what it finds, and what it must not. */
class DrlLintTest {

  static List<DrlLint.Finding> lint(String conditions) {
    String drl = "rule \"R\"\nwhen\n    " + conditions + "\nthen\n    insert(new Proposal(\"x\"));\nend\n";
    return DrlLint.contradictions(new RuleFile("r.drl", drl));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "PatientAge(years >= 50, years < 45)",
      "PatientAge(years > 50, years <= 50)",
      "PatientAge(years > 50 && years < 50)",
      "PatientAge(years < 50, years > 50)",
      "PatientAge(years == 50, years != 50)",
      "PatientAge(years == 50, years == 51)",
      "PatientAge(years == 40, years >= 45)",
      "PatientAge(45 > years, years > 50)",
      "Observation(status == \"final\", status == \"amended\")",
      "Observation(status == \"final\", status != \"final\")",
      "not Observation(status == \"final\", status == \"amended\")",
      "$l : List() from collect(Observation(value > 3.5, value < 1.25))"})
  void findsAContradiction(String conditions) {
    assertThat(lint(conditions)).hasSize(1).first().satisfies(f -> {
      assertThat(f.file()).isEqualTo("r.drl");
      assertThat(f.line()).isEqualTo(3);
      assertThat(f.message()).startsWith("rule \"R\": ").contains("can never match");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "PatientAge(years >= 45, years <= 49)",
      "PatientAge(years >= 50, years <= 50)",
      "PatientAge(years == 50, years > 49)",
      "PatientAge(years < 45 || years > 75)",
      "PatientAge(years >= 50), PatientAge(years < 45)",
      "Observation(status != \"final\", status != \"amended\")",
      "Observation(code.system == \"http://loinc.org\", code.code == \"4548-4\")",
      "PatientAge(years >= $min, years < 45)",
      "// PatientAge(years >= 50, years < 45)",
      "PatientAge(years >= 50, months < 45)"})
  void findsNoContradictionWhereThereIsNone(String conditions) {
    assertThat(lint(conditions)).isEmpty();
  }

  @Test
  void reportsEachContradictionOnce() {
    assertThat(lint("PatientAge(years >= 50, years < 45, years < 40)")).hasSize(1);
  }

  @Test
  void findsNothingInTheShippedRules() {
    ShippedRulePacks.all().forEach(pack -> pack.rules().forEach(file ->
        assertThat(DrlLint.contradictions(file)).as(file.name()).isEmpty()));
  }

  @Test
  void readsStringLiteralsOutsideComments() {
    assertThat(DrlLint.stringLiterals(new RuleFile("r.drl",
        "// \"commented\"\nCondition(valueSets.includes(\"a-set\", code)) /* \"b\" */ \"c\\\"d\"")))
        .containsExactly("a-set", "c\\\"d");
  }

  @Test
  void readsAStringLiteralAsLongAsARulesNoteAndStopsAtTheEndOfALine() {
    String note = "x".repeat(20_000);
    assertThat(DrlLint.stringLiterals(new RuleFile("r.drl",
        "@note(\"" + note + "\")\n\"open\nRule(\"a\")")))
        .containsExactly(note, "a");
  }
}
