package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.testing.Conformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cds run} end to end: every input kind, every format, the clock and --explain. */
class RunCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NEVER_SCREENED_47 =
      Cli.USPSTF_SCENARIOS.resolve("never-screened-47.json").toString();

  /** A FHIR Bundle of a 47-year-old man never screened for colorectal cancer. */
  static final String BUNDLE = """
      {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "fhir-47", "birthDate": "1978-02-11",
                      "gender": "male"}}]}""";

  @Test
  void theTableRanksEachPatientsRecommendationsWithinOneHundredColumns() {
    Cli.Result result = Cli.run("run", "--at", "2025-06-15", Cli.USPSTF_SCENARIOS.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("Patient never-screened-47")
        .containsPattern("(?m)^#\\s+SEVERITY\\s+RECOMMENDATION\\s+TITLE\\s+GUIDELINE$")
        .containsPattern("(?m)^1\\s+warning\\s+uspstf-crc-screening\\s+Colorectal cancer")
        .containsPattern("(?m)^1\\s+info\\s+uspstf-crc-screening-selective")
        .contains("Withheld (suppressed): uspstf-crc-screening: Colorectal cancer on record")
        .contains("No recommendations.");
    assertThat(result.outLines()).allSatisfy(line -> assertThat(line.length())
        .as(line).isLessThanOrEqualTo(100));
  }

  @Test
  void explainShowsTheMatchedFactsRulesAndRanking() {
    Cli.Result result = Cli.run("run", "--explain", NEVER_SCREENED_47);
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("1. uspstf-crc-screening: Colorectal cancer screening is due")
        .contains("ranked: severity warning, evidence USPSTF:B (moderate), category screening")
        .contains("facts: PatientAge/never-screened-47 (47 years)")
        .contains("rules: Colorectal cancer screening due, adults 45 to 49")
        .contains("source: U.S. Preventive Services Task Force");
  }

  @Test
  void aRecommendationIsExplainedAgainstTheOneBelowIt() {
    var selective = io.github.cdsengine.core.evaluation.EvidenceGrade.parse("USPSTF:C");
    var due = io.github.cdsengine.core.evaluation.EvidenceGrade.parse("USPSTF:A");
    assertThat(ResultText.rankedAbove(recommendation("a", due), recommendation("b", selective),
        2)).isEqualTo("; above #2 by evidence strength (strong before weak)");
    assertThat(ResultText.rankedAbove(recommendation("a", due), recommendation("b", due), 2))
        .isEqualTo("; above #2 by id, all else being equal");
    assertThat(ResultText.rankedAbove(recommendation("a", due), null, 2)).isEmpty();
  }

  static io.github.cdsengine.core.evaluation.Recommendation recommendation(String id,
      io.github.cdsengine.core.evaluation.EvidenceGrade grade) {
    return new io.github.cdsengine.core.evaluation.Recommendation(id, "t", "d",
        io.github.cdsengine.core.evaluation.Severity.WARNING, io.github.cdsengine.core.evaluation.Category.SCREENING,
        grade, new io.github.cdsengine.core.evaluation.Guideline("p", "g", "1", "https://example.org"),
        List.of("r"), List.of(), List.of(), null, "reason");
  }

  @Test
  void aScenarioFileIsEvaluatedAtItsOwnInstantUnlessAtIsGiven() {
    Cli.Result own = Cli.run("run", "--format", "json", NEVER_SCREENED_47);
    Cli.Result given = Cli.run("run", "--format", "json", "--at", "2020-01-01", NEVER_SCREENED_47);
    assertThat(own.out()).contains("\"instant\":\"2025-06-15T13:30:00Z\"")
        .contains("uspstf-crc-screening");
    // At the start of 2020 the patient was 41: nothing is due.
    assertThat(given.out()).contains("\"instant\":\"2020-01-01T00:00:00Z\"")
        .doesNotContain("uspstf-crc-screening\"");
  }

  @Test
  void nowIsReadFromTheClockAndPrinted(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("patient.json");
    Files.writeString(bundle, BUNDLE);
    Cli.Result result = Cli.run("run", "--format", "json", bundle.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).contains("evaluating at " + Cli.NOW + " (now");
    JsonNode json = JSON.readTree(result.out());
    assertThat(json.path("instant").asText()).isEqualTo(Cli.NOW.toString());
    assertThat(json.path("patientId").asText()).isEqualTo("fhir-47");
  }

  @Test
  void jsonIsOneValidResultPerPatientLine() throws Exception {
    Cli.Result result = Cli.run("run", "--format", "json", "--at", "2025-06-15",
        Cli.USPSTF_SCENARIOS.toString());
    assertThat(result.exitCode()).isZero();
    List<String> lines = result.outLines();
    assertThat(lines).hasSize(10);
    for (String line : lines) {
      JsonNode json = JSON.readTree(line);
      assertThat(json.has("patientId")).isTrue();
      assertThat(json.path("recommendations").isArray()).isTrue();
    }
  }

  static final String CRC_SERVICE = "uspstf-colorectal-cancer-screening";

  /** A patient-view request for a woman of 50 who was never screened. */
  static final String PATIENT_VIEW = """
      {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
       "context": {"userId": "Practitioner/1", "patientId": "hooks-50"},
       "prefetch": {"patient": {"resourceType": "Patient", "id": "hooks-50",
                                "birthDate": "1975-01-20", "gender": "female"}}}""";

  @Test
  void cardsAnswerACdsHooksRequestWithItsHookInstance(@TempDir Path dir) throws Exception {
    Path request = dir.resolve("request.json");
    Files.writeString(request, PATIENT_VIEW);
    Cli.Result result = Cli.run("run", "--format", "cards", "--at", "2025-06-15",
        request.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines()).hasSize(1);
    JsonNode answers = JSON.readTree(result.out());
    // The pack declares no service: it is one patient-view service, its id the pack's.
    assertThat(answers.fieldNames()).toIterable().containsExactly(CRC_SERVICE);
    JsonNode response = answers.path(CRC_SERVICE);
    assertThat(response.fieldNames()).toIterable().containsExactly("cards");
    JsonNode cards = response.path("cards");
    assertThat(cards.size()).isEqualTo(1);
    JsonNode card = cards.get(0);
    assertThat(card.path("uuid").asText()).isEqualTo(CardMapper.cardUuid(
        "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "uspstf-crc-screening"));
    assertThat(card.path("indicator").asText()).isEqualTo("warning");
    assertThat(card.path("summary").asText()).isEqualTo("Colorectal cancer screening is due");
    assertThat(card.path("source").path("label").asText()).isNotBlank();
  }

  @Test
  void cardsForOtherInputsUseThePatientIdAsTheHookInstance() throws Exception {
    Cli.Result result = Cli.run("run", "--format", "cards", NEVER_SCREENED_47);
    JsonNode card = JSON.readTree(result.out()).path(CRC_SERVICE).path("cards").get(0);
    assertThat(card.path("uuid").asText())
        .isEqualTo(CardMapper.cardUuid("never-screened-47", "uspstf-crc-screening"));
  }

  @Test
  void aRequestOfAHookNoLoadedServiceAnswersGetsNoServiceAndANote(@TempDir Path dir)
      throws Exception {
    Path request = dir.resolve("request.json");
    Files.writeString(request, PATIENT_VIEW.replace("patient-view", "encounter-start"));
    Cli.Result result = Cli.run("run", "--format", "cards", "--at", "2025-06-15",
        request.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().strip()).isEqualTo("{}");
    assertThat(result.err()).contains("note: no loaded service answers the hook "
        + "'encounter-start' of " + request);
  }

  @Test
  void aRequestLackingWhatItsHookRequiresIsAnInputError(@TempDir Path dir) throws Exception {
    Path request = dir.resolve("request.json");
    Files.writeString(request, PATIENT_VIEW.replace("\"userId\": \"Practitioner/1\", ", ""));
    Cli.Result result = Cli.run("run", "--format", "cards", "--at", "2025-06-15",
        request.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(request + ": $.context.userId: the hook patient-view "
        + "requires context.userId");
    // The table evaluates the patient whatever the request lacks.
    assertThat(Cli.run("run", "--at", "2025-06-15", request.toString()).exitCode()).isZero();
  }

  @Test
  void cardsOfRuleFilesOutsidePacksAreUnderTheirOwnKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("extra.drl"), ValidateCommandTest.rule("Extra rule",
        "extra-check", "PatientAge(years >= 40)"));
    Cli.Result result = Cli.run("run", "--rules", dir.toString(), "--format", "cards",
        NEVER_SCREENED_47);
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode answers = JSON.readTree(result.out());
    assertThat(answers.fieldNames()).toIterable()
        .containsExactly(CRC_SERVICE, ServiceCards.LOOSE_RULES);
    assertThat(answers.path(CRC_SERVICE).path("cards").findValuesAsText("uuid"))
        .containsExactly(CardMapper.cardUuid("never-screened-47", "uspstf-crc-screening"));
    assertThat(answers.path(ServiceCards.LOOSE_RULES).path("cards").findValuesAsText("uuid"))
        .containsExactly(CardMapper.cardUuid("never-screened-47", "extra-check"));
  }

  /**
   * An order-sign request goes to the opioid pack's order-sign services only, each answering
   * with its own recommendations' cards and the pack's suggestions.
   */
  @Test
  void cardsAnswerPerServiceWithThePacksSuggestions() throws Exception {
    Conformance.assumePresent(Cli.opioidValueSets().isPresent(),
        "the CDC opioid value sets (../shared/conformance/opioid-cds) are absent");
    Path request = Conformance.directory("opioid-cds/requests/OpioidCDSREC07")
        .resolve("request-example-rec-07-seven-of-past-ten-days.json");
    Cli.Result result = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets",
        Cli.opioidValueSets().get().toString(), "--at", "2022-12-13", "--format", "cards",
        request.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines()).hasSize(1);
    JsonNode answers = JSON.readTree(result.out());
    assertThat(answers.fieldNames()).toIterable().containsExactly("opioidcds-01",
        "opioidcds-02", "opioidcds-03", "opioidcds-04", "opioidcds-05", "opioidcds-06",
        "opioidcds-07", "opioidcds-08-order-sign", "opioidcds-09", "opioidcds-10-order-sign");
    String hookInstance = JSON.readTree(request.toFile()).path("hookInstance").asText();
    String rec07 = CardMapper.cardUuid(hookInstance, "cdc-opioids-2016-rec-07");
    JsonNode cards = answers.path("opioidcds-07").path("cards");
    assertThat(cards.size()).isEqualTo(1);
    JsonNode card = cards.get(0);
    assertThat(card.path("uuid").asText()).isEqualTo(rec07);
    assertThat(card.path("selectionBehavior").asText()).isEqualTo("at-most-one");
    JsonNode suggestion = card.path("suggestions").get(0);
    assertThat(suggestion.path("isRecommended").asBoolean()).isTrue();
    assertThat(suggestion.path("actions").get(0).path("resource").path("resourceType").asText())
        .isEqualTo("ServiceRequest");
    // No other service shows recommendation 7's card.
    answers.fields().forEachRemaining(answer -> {
      if (!answer.getKey().equals("opioidcds-07")) {
        assertThat(answer.getValue().path("cards").findValuesAsText("uuid"))
            .as(answer.getKey()).doesNotContain(rec07);
      }
    });
  }

  @Test
  void ndjsonIsReadPatientByPatient(@TempDir Path dir) throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, String.join("\n",
        "{\"resourceType\": \"Patient\", \"id\": \"a\", \"birthDate\": \"1970-01-01\", \"gender\": \"male\"}",
        "{\"resourceType\": \"Patient\", \"id\": \"b\", \"birthDate\": \"2000-01-01\", \"gender\": \"female\"}",
        BUNDLE.replace("\n", " ").replace("fhir-47", "c")) + "\n");
    Cli.Result result = Cli.run("run", "--format", "json", "--at", "2025-06-15",
        ndjson.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> ids = result.outLines().stream()
        .map(line -> {
          try {
            return JSON.readTree(line).path("patientId").asText();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).toList();
    assertThat(ids).containsExactly("a", "b", "c");
    assertThat(result.outLines().get(0)).contains("uspstf-crc-screening");
    assertThat(result.outLines().get(1)).doesNotContain("uspstf-crc-screening");
  }

  @Test
  void addedRulesAreLoadedBesideThePacks(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("extra.drl"), ValidateCommandTest.rule("Extra rule",
        "extra-check", "PatientAge(years >= 40)"));
    Cli.Result result = Cli.run("run", "--rules", dir.toString(), "--format", "json",
        NEVER_SCREENED_47);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("\"extra-check\"").contains("\"uspstf-crc-screening\"");
    Cli.Result only = Cli.run("run", "--pack", "none", "--rules", dir.toString(), "--format",
        "json", NEVER_SCREENED_47);
    assertThat(only.out()).contains("\"extra-check\"").doesNotContain("\"uspstf-crc-screening\"");
  }

  @Test
  void withoutValueSetsTheMeasurePacksAreSkippedSayingWhich() {
    Cli.Result result = Cli.run("run", NEVER_SCREENED_47);
    assertThat(result.err()).containsPattern("note: skipped \\d+ packs whose value sets are "
        + "not loaded \\(cdc-opioids-2016, cms117-childhood-immunization-status, .*\\): pass "
        + "--value-sets DIR");
  }

  @Test
  void aPackSettingIsSetFromTheCommandLineAndABadOneIsRefusedQuotingIt() {
    Conformance.assumePresent(Cli.opioidValueSets().isPresent(),
        "the CDC opioid value sets (../shared/conformance/opioid-cds) are absent");
    String cocaine = Cli.SCENARIOS.resolve("cdc-opioids-2016")
        .resolve("chart-review-opioid-benzodiazepine-cocaine.json").toString();
    String valueSets = Cli.opioidValueSets().get().toString();
    Cli.Result on = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets", valueSets,
        "--format", "json", cocaine);
    assertThat(on.exitCode()).as(on.err()).isZero();
    assertThat(on.out()).contains("Positive Cocaine or PCP or Opiates in Urine Screening");
    Cli.Result off = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets", valueSets,
        "--pack-setting", "cdc-opioids-2016:opiate-urine-screening-check=false",
        "--format", "json", cocaine);
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).contains("Positive Cocaine or PCP in Urine Screening")
        .contains("cdc-opioids-2016:opiate-urine-screening-check=false");
    Cli.Result unknown = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets", valueSets,
        "--pack-setting", "cdc-opioids-2016:opiate-check=false", cocaine);
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("--pack-setting").contains("'opiate-check'");
    Cli.Result malformed = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets",
        valueSets, "--pack-setting", "cdc-opioids-2016:opiate-urine-screening-check=no",
        cocaine);
    assertThat(malformed.exitCode()).isNotZero();
    assertThat(malformed.err())
        .contains("'cdc-opioids-2016:opiate-urine-screening-check=no'");
  }

  @Test
  void aBuildErrorBesideAValidPackSettingIsReportedAsItselfNotAsTheSetting(@TempDir Path dir)
      throws Exception {
    Conformance.assumePresent(Cli.opioidValueSets().isPresent(),
        "the CDC opioid value sets (../shared/conformance/opioid-cds) are absent");
    Files.writeString(dir.resolve("broken.drl"), ValidateCommandTest.rule("Broken rule",
        "broken-check", "PatientAge(years >= )"));
    Cli.Result result = Cli.run("run", "--pack", "cdc-opioids-2016", "--value-sets",
        Cli.opioidValueSets().get().toString(), "--rules", dir.toString(),
        "--pack-setting", "cdc-opioids-2016:opiate-urine-screening-check=false",
        NEVER_SCREENED_47);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("the rules do not build").contains("broken.drl")
        .doesNotContain("--pack-setting");
    // A setting for a pack that is not loaded is the setting's own error, found before build.
    Cli.Result notLoaded = Cli.run("run", "--rules", dir.toString(), "--pack", "none",
        "--pack-setting", "cdc-opioids-2016:opiate-urine-screening-check=false",
        NEVER_SCREENED_47);
    assertThat(notLoaded.exitCode()).isNotZero();
    assertThat(notLoaded.err())
        .contains("--pack-setting 'cdc-opioids-2016:opiate-urine-screening-check=false'")
        .contains("no loaded pack 'cdc-opioids-2016'")
        .doesNotContain("the rules do not build");
  }
}
