package io.github.cdsengine.core.drl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.cdsengine.core.drl.DrlScanner.Declaration;
import io.github.cdsengine.core.drl.DrlScanner.Location;
import io.github.cdsengine.core.drl.DrlScanner.Reference;
import io.github.cdsengine.core.drl.DrlScanner.Scan;
import io.github.cdsengine.core.drl.DrlScanner.ValueSetTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DrlScannerTest {

  /** Joins lines with line feeds, so that line N of the file is argument N. */
  private static Scan scan(String... lines) {
    return DrlScanner.scan("rules/test.drl", String.join("\n", lines));
  }

  private static Declaration only(Scan scan) {
    assertThat(scan.rules()).hasSize(1);
    return scan.rules().get(0);
  }

  @Test
  void findsRuleNamesQuotedAndUnquotedWithTheirLines() {
    Scan scan = scan(
        /* 1 */ "package test.rules;",
        /* 2 */ "",
        /* 3 */ "rule \"Screen adults 45 to 75\"",
        /* 4 */ "when",
        /* 5 */ "then",
        /* 6 */ "end",
        /* 7 */ "",
        /* 8 */ "  rule 'Single quoted'",
        /* 9 */ "  when",
        /* 10 */ "  then",
        /* 11 */ "  end",
        /* 12 */ "rule Unquoted_name$1",
        /* 13 */ "  salience 10",
        /* 14 */ "when",
        /* 15 */ "then",
        /* 16 */ "end",
        /* 17 */ "\trule \"Tab indented\" extends \"Screen adults 45 to 75\"",
        /* 18 */ "when then",
        /* 19 */ "end;");

    assertThat(scan.rules())
        .extracting(Declaration::name, Declaration::location)
        .containsExactly(
            tuple("Screen adults 45 to 75", new Location("rules/test.drl", 3, 6)),
            tuple("Single quoted", new Location("rules/test.drl", 8, 11)),
            tuple("Unquoted_name$1", new Location("rules/test.drl", 12, 16)),
            tuple("Tab indented", new Location("rules/test.drl", 17, 19)));
  }

  @Test
  void aRuleBodyRunsFromItsDeclarationToItsEnd() {
    Declaration rule = only(scan(
        "rule \"A\"",
        "when",
        "    Patient()",
        "then",
        "    insert(new Proposal(\"x\"));",
        "end",
        "",
        "function String helper() { return \"after\"; }"));

    assertThat(rule.body()).startsWith("rule \"A\"").endsWith("end");
    assertThat(rule.body()).contains("Patient()").doesNotContain("helper");
  }

  @Test
  void aRuleWithoutEndRunsToTheEndOfTheFile() {
    Declaration rule = only(scan("rule \"Unfinished\"", "when", "then"));

    assertThat(rule.location().line()).isEqualTo(1);
    assertThat(rule.location().endLine()).isEqualTo(3);
  }

  @Test
  void endMayCarryACommentOrSemicolon() {
    Scan scan = scan(
        "rule \"A\"", "when", "then", "end // of A",
        "rule \"B\"", "when", "then", "end ; ");

    assertThat(scan.rules()).extracting(d -> d.location().endLine()).containsExactly(4, 8);
  }

  @Test
  void windowsLineEndingsKeepNamesAndLines() {
    Scan scan = DrlScanner.scan("crlf.drl", String.join("\r\n",
        "package p;", "rule \"A\"", "when", "then", "end", "rule B", "when", "then", "end", ""));

    assertThat(scan.rules())
        .extracting(Declaration::name, d -> d.location().line(), d -> d.location().endLine())
        .containsExactly(tuple("A", 2, 5), tuple("B", 6, 9));
  }

  @Test
  void onlyRuleDeclarationsAreRules() {
    Scan scan = scan(
        "query \"colonoscopies\"",
        "    Procedure()",
        "end",
        "// rule \"Commented out\"",
        "/*",
        "rule \"Block commented\"",
        "*/",
        "rule \"Real\"",
        "    ruleflow-group \"screening\"",
        "when",
        "then",
        "    String s = \"rule \\\"In a string\\\"\";",
        "end");

    assertThat(scan.rules()).extracting(Declaration::name, d -> d.location().line())
        .containsExactly(tuple("Real", 8));
  }

  @Test
  void findsValueSetReferencesWithTheirLines() {
    Scan scan = scan(
        /* 1 */ "rule \"A\"",
        /* 2 */ "when",
        /* 3 */ "    Procedure(valueSets.includes(\"crc-colonoscopy\", code))",
        /* 4 */ "    Observation(valueSets . includes ( \"crc-fit\" , code ),",
        /* 5 */ "        !valueSets.includes(\"x-1\", code) || valueSets.includes(\"x-2\", code))",
        /* 6 */ "then",
        /* 7 */ "    boolean b = valueSets.find(\"crc-ct-colonography\").isPresent();",
        /* 8 */ "end");

    assertThat(scan.references().valueSets())
        .extracting(Reference::value, Reference::file, Reference::line)
        .containsExactly(
            tuple("crc-colonoscopy", "rules/test.drl", 3),
            tuple("crc-fit", "rules/test.drl", 4),
            tuple("x-1", "rules/test.drl", 5),
            tuple("x-2", "rules/test.drl", 5),
            tuple("crc-ct-colonography", "rules/test.drl", 7));
    assertThat(scan.references().nonLiteral()).isEmpty();
  }

  @Test
  void theGlobalDeclarationIsNotAReference() {
    Scan scan = scan(
        "global io.github.cdsengine.core.terminology.ValueSets valueSets;",
        "rule \"A\" when then end");

    assertThat(scan.references().valueSets()).isEmpty();
    assertThat(scan.references().nonLiteral()).isEmpty();
  }

  @Test
  void referencesInCommentsAreNotReported() {
    Scan scan = scan(
        /* 1 */ "rule \"A\"",
        /* 2 */ "when",
        /* 3 */ "    // Procedure(valueSets.includes(\"line-comment\", code))",
        /* 4 */ "    /* Procedure(valueSets.includes(\"block-comment\", code))",
        /* 5 */ "       new Suppression(\"in-block\", \"r\") */",
        /* 6 */ "    Procedure(valueSets.includes(\"live\", code)) // valueSets.includes(\"tail\", c)",
        /* 7 */ "    /* one-line */ Observation(valueSets.includes(\"after-block\", code))",
        /* 8 */ "then",
        /* 9 */ "    // insert(new Contraindication(\"commented\", \"r\"));",
        /* 10 */ "end");

    assertThat(scan.references().valueSets()).extracting(Reference::value, Reference::line)
        .containsExactly(tuple("live", 6), tuple("after-block", 7));
    assertThat(scan.references().withheld()).isEmpty();
    assertThat(scan.references().nonLiteral()).isEmpty();
  }

  @Test
  void doubleSlashInAStringDoesNotStartAComment() {
    Scan scan = scan(
        /* 1 */ "rule \"A\"",
        /* 2 */ "    @url(\"https://example.org/guideline\") @note(\"see valueSets.x\")",
        /* 3 */ "when",
        /* 4 */ "    Procedure(note == 'http://x', valueSets.includes(\"after-single\", code))",
        /* 5 */ "    Procedure(note == \"a\\\" // b\", valueSets.includes(\"after-escape\", code))",
        /* 6 */ "    Procedure(note == \"/* not a comment\", valueSets.includes(\"after-star\", code))",
        /* 7 */ "then",
        /* 8 */ "end");

    assertThat(scan.references().valueSets()).extracting(Reference::value, Reference::line)
        .containsExactly(tuple("after-single", 4), tuple("after-escape", 5),
            tuple("after-star", 6));
    assertThat(only(scan).body()).contains("@url(\"https://example.org/guideline\")");
  }

  @Test
  void blankCommentsKeepsStringsAndLineBreaks() {
    String drl = "@url(\"https://example.org\") // cite\n"
        + "/* two\nlines */ x // y\n"
        + "'it''s' \"//\"";

    String blanked = DrlScanner.blankComments(drl);

    assertThat(blanked).hasSameSizeAs(drl);
    assertThat(blanked).isEqualTo("@url(\"https://example.org\")        \n"
        + "      \n         x     \n"
        + "'it''s' \"//\"");
  }

  @Test
  void anUnterminatedBlockCommentBlanksToTheEnd() {
    assertThat(DrlScanner.blankComments("a /* b\nc")).isEqualTo("a     \n ");
  }

  @Test
  void anUnterminatedStringEndsAtTheLineBreak() {
    assertThat(DrlScanner.blankComments("x = \"open\n// comment")).isEqualTo("x = \"open\n          ");
  }

  @Test
  void lineNumbersAfterAMultiLineCommentAreKept() {
    Scan scan = scan(
        /* 1 */ "/*",
        /* 2 */ " * Citation block",
        /* 3 */ " */",
        /* 4 */ "rule \"A\"",
        /* 5 */ "when",
        /* 6 */ "    Procedure(valueSets.includes(\"vs\", code))",
        /* 7 */ "then",
        /* 8 */ "end");

    assertThat(only(scan).location().line()).isEqualTo(4);
    assertThat(scan.references().valueSets()).extracting(Reference::line).containsExactly(6);
  }

  @Test
  void nonLiteralReferencesAreReportedWithTheirLines() {
    Scan scan = scan(
        /* 1 */ "rule \"A\"",
        /* 2 */ "when",
        /* 3 */ "    $id : String()",
        /* 4 */ "    Procedure(valueSets.includes($id, code))",
        /* 5 */ "then",
        /* 6 */ "    insert(new Suppression($rec, \"reason\"));",
        /* 7 */ "    insert(new Contraindication( RECOMMENDATION_ID, \"reason\"));",
        /* 8 */ "end");

    assertThat(scan.references().nonLiteral())
        .extracting(Reference::value, Reference::file, Reference::line)
        .containsExactlyInAnyOrder(
            tuple("valueSets.includes(", "rules/test.drl", 4),
            tuple("new Suppression(", "rules/test.drl", 6),
            tuple("new Contraindication(", "rules/test.drl", 7));
    assertThat(scan.references().valueSets()).isEmpty();
    assertThat(scan.references().withheld()).isEmpty();
  }

  @Test
  void findsSuppressionAndContraindicationReferences() {
    Scan scan = scan(
        /* 1 */ "rule \"Already has colorectal cancer\"",
        /* 2 */ "when",
        /* 3 */ "    Condition(valueSets.includes(\"crc\", code))",
        /* 4 */ "then",
        /* 5 */ "    insert(new Suppression(\"uspstf-crc-screening\", \"has CRC\"));",
        /* 6 */ "    insert(new   Contraindication (",
        /* 7 */ "        \"cdc-influenza-vaccine\", \"anaphylaxis\"));",
        /* 8 */ "end");

    assertThat(scan.references().withheld())
        .extracting(Reference::value, Reference::file, Reference::line)
        .containsExactly(
            tuple("uspstf-crc-screening", "rules/test.drl", 5),
            tuple("cdc-influenza-vaccine", "rules/test.drl", 6));
    assertThat(scan.references().valueSets()).extracting(Reference::value).containsExactly("crc");
  }

  @Test
  void otherConstructorsAreNotWithholdings() {
    Scan scan = scan(
        "rule \"A\" when then",
        "    insert(new SuppressionNote(\"x\"));",
        "    insert(new MySuppression(\"y\"));",
        "end");

    assertThat(scan.references().withheld()).isEmpty();
    assertThat(scan.references().nonLiteral()).isEmpty();
  }

  @Test
  void referencesAreReportedAcrossRulesInFileOrder() {
    Scan scan = scan(
        "rule \"A\" when Procedure(valueSets.includes(\"first\", code)) then end",
        "rule \"B\" when Procedure(valueSets.includes(\"second\", code)) then end");

    assertThat(scan.references().valueSets()).extracting(Reference::value, Reference::line)
        .containsExactly(tuple("first", 1), tuple("second", 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "    insert(new Proposal(\"due\"));",
      "    insert( new  Proposal (\"due\") );",
      "    Proposal p = new Proposal(detail); insert(p);",
  })
  void insertsProposalWhenTheBodyCreatesOne(String then) {
    Declaration rule = only(scan("rule \"A\"", "when", "then", then, "end"));

    assertThat(DrlScanner.insertsProposal(rule)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "    insert(new Suppression(\"x\", \"r\"));",
      "    // insert(new Proposal(\"commented out\"));",
      "    /* insert(new Proposal(\"commented out\")); */",
      "    insert(new ProposalDraft(\"x\"));",
      "    insert(new proposal(\"x\"));",
  })
  void doesNotInsertAProposalOtherwise(String then) {
    Declaration rule = only(scan("rule \"A\"", "when", "then", then, "end"));

    assertThat(DrlScanner.insertsProposal(rule)).isFalse();
  }

  @Test
  void aProposalInTheNextRuleIsNotThisRules() {
    Scan scan = scan(
        "rule \"Supporting\"", "when", "then", "end",
        "rule \"Recommending\"", "when", "then", "    insert(new Proposal(\"x\"));", "end");

    assertThat(scan.rules()).extracting(DrlScanner::insertsProposal).containsExactly(false, true);
  }

  @Test
  void escapesInQuotedRuleNamesReadAsDroolsReadsThem() {
    Declaration rule = only(scan("rule \"A \\\"B\\\" \\\\ C\"", "when", "then", "end"));
    assertThat(rule.name()).isEqualTo("A \"B\" \\ C");
  }

  @Test
  void aValueSetsCallWithoutArgumentsIsNotAReference() {
    Scan scan = scan("rule \"R\"", "when", "  eval(valueSets.all().size() > 0)", "then", "end");
    assertThat(scan.references().valueSets()).isEmpty();
    assertThat(scan.references().nonLiteral()).isEmpty();
  }

  @Test
  void patternsRecordTheirTopLevelValueSetTest() {
    Scan scan = scan(
        "rule \"R\"",
        "when",
        "  $p : Procedure(completed, valueSets.includes(\"crc-colonoscopy\", code), x(1, 2))",
        "  Observation(valueSets.includes(\"a\", code) || valueSets.includes(\"b\", code))",
        "  Condition(verificationStatus != null && valueSets.includes(\"c\", code))",
        "  Encounter(type != null)",
        "then",
        "  insert(new Immunization(\"i\", null, null, null));",
        "end");
    assertThat(scan.patterns()).extracting(p -> p.type(), p -> p.tests())
        .contains(
            tuple("Procedure", List.of(new ValueSetTest("crc-colonoscopy", "code"))),
            tuple("Observation", List.of(new ValueSetTest("a", "code"),
                new ValueSetTest("b", "code"))),
            tuple("Condition", List.of(new ValueSetTest("c", "code"))),
            tuple("Encounter", List.of()));
    assertThat(scan.patterns()).extracting(p -> p.type()).doesNotContain("Immunization");
  }

  @Test
  void anOrOfConstraintsFiltersOnlyWhenEveryOperandRequiresAValueSetTest() {
    Scan scan = scan(
        "rule \"R\"",
        "when",
        "  Encounter(type != null, valueSets.includes(\"a\", type)",
        "      || (status != null && valueSets.includes(\"b\", type)))",
        "  Observation(valueSets.includes(\"a\", code) || value > 3)",
        "  Procedure((valueSets.includes(\"p\", code)))",
        "then",
        "end");
    assertThat(scan.patterns()).extracting(p -> p.type(), p -> p.tests())
        .containsExactly(
            tuple("Encounter", List.of(new ValueSetTest("a", "type"),
                new ValueSetTest("b", "type"))),
            tuple("Observation", List.of()),
            tuple("Procedure", List.of(new ValueSetTest("p", "code"))));
  }

  @Test
  void aPatternFromAnExpressionIsNotAPatternOnTheSessionsFacts() {
    Scan scan = scan(
        "rule \"R\"",
        "when",
        "  $all : List() from collect(Observation(valueSets.includes(\"a\", code)))",
        "  $low : Observation(value > 3) from Lowest.of($all)",
        "then",
        "end");
    assertThat(scan.patterns()).extracting(p -> p.type(), p -> p.tests())
        .containsExactly(tuple("Observation", List.of(new ValueSetTest("a", "code"))));
  }
}
