package io.github.cdsengine.rules;

import static io.github.cdsengine.core.model.CodeSystems.CPT;
import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.model.CodeSystems.V3_OBSERVATION_INTERPRETATION;
import static io.github.cdsengine.core.testing.Facts.condition;
import static io.github.cdsengine.core.testing.Facts.observation;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.Facts.procedure;
import static io.github.cdsengine.core.testing.Facts.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvidenceGrade;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.VerificationStatus;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The USPSTF 2021 colorectal cancer screening pack at every boundary of its ages and intervals.
 * The evaluation date is 2025-06-15 throughout.
 */
class ColorectalCancerScreeningTest {

  static final LocalDate TODAY = LocalDate.of(2025, 6, 15);
  static final EvaluationContext CONTEXT = EvaluationContext.on(TODAY, ZoneOffset.UTC);
  static final String SCREENING = "uspstf-crc-screening";
  static final String SELECTIVE = "uspstf-crc-screening-selective";

  static final Code COLONOSCOPY = Code.of(SNOMED_CT, "73761001");
  static final Code FIT = Code.of(LOINC, "29771-3");
  static final Code STOOL_DNA = Code.of(LOINC, "77354-9");
  static final Code CT_COLONOGRAPHY = Code.of(LOINC, "79101-2");
  static final Code SIGMOIDOSCOPY = Code.of(SNOMED_CT, "44441009");

  static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder()
        .addRulePack(ShippedRulePacks.byId(ShippedRulePacks.USPSTF_COLORECTAL)).build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** A patient aged {@code years} today, with the given facts. */
  static EvaluationResult evaluate(int years, ClinicalFact... facts) {
    return evaluateBorn(TODAY.minusYears(years), facts);
  }

  static EvaluationResult evaluateBorn(LocalDate birthDate, ClinicalFact... facts) {
    EvaluationResult result = engine.evaluate(
        PatientRecord.builder(patient("p1", birthDate)).addAll(List.of(facts)).build(), CONTEXT);
    assertThat(result.complete()).as("failures: %s", result.failures()).isTrue();
    return result;
  }

  static List<String> shown(EvaluationResult result) {
    return result.recommendations().stream().map(Recommendation::id).toList();
  }

  @ParameterizedTest(name = "age {0}: {1}")
  @CsvSource({
      "44, ''",
      "45, uspstf-crc-screening",
      "49, uspstf-crc-screening",
      "50, uspstf-crc-screening",
      "75, uspstf-crc-screening",
      "76, uspstf-crc-screening-selective",
      "85, uspstf-crc-screening-selective",
      "86, ''"})
  void recommendationByAgeWithNoScreeningOnRecord(int age, String expected) {
    assertThat(shown(evaluate(age)))
        .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected));
  }

  @ParameterizedTest(name = "age {0}: USPSTF grade {1}")
  @CsvSource({"45, B", "49, B", "50, A", "75, A", "76, C", "85, C"})
  void theGradeFollowsTheAgeBand(int age, String grade) {
    Recommendation recommendation = evaluate(age).recommendations().get(0);
    assertThat(recommendation.evidenceGrade()).isEqualTo(EvidenceGrade.parse("USPSTF:" + grade));
    assertThat(recommendation.severity()).isEqualTo(grade.equals("C") ? Severity.INFO : Severity.WARNING);
    assertThat(recommendation.detail()).startsWith("Age " + age + ".");
  }

  @Test
  void thePatientTurns45OnTheEvaluationDate() {
    LocalDate birthDate = LocalDate.of(1980, 6, 15);
    assertThat(shown(evaluateBorn(birthDate.plusDays(1)))).isEmpty();
    assertThat(shown(evaluateBorn(birthDate))).containsExactly(SCREENING);
  }

  @Test
  void bornOn29FebruaryTurns45On1MarchInANonLeapYear() {
    LocalDate birthDate = LocalDate.of(1980, 2, 29);
    EvaluationContext feb28 = EvaluationContext.on(LocalDate.of(2025, 2, 28), ZoneOffset.UTC);
    EvaluationContext mar1 = EvaluationContext.on(LocalDate.of(2025, 3, 1), ZoneOffset.UTC);
    PatientRecord record = PatientRecord.builder(patient("p1", birthDate)).build();
    assertThat(engine.evaluate(record, feb28).recommendations()).isEmpty();
    assertThat(engine.evaluate(record, mar1).recommendations()).extracting(Recommendation::id)
        .containsExactly(SCREENING);
  }

  @ParameterizedTest(name = "{0} {1} years {2} days ago: up to date = {3}")
  @CsvSource({
      "colonoscopy, 9, 364, true",
      "colonoscopy, 10, 0, false",
      "ct-colonography, 4, 364, true",
      "ct-colonography, 5, 0, false",
      "sigmoidoscopy, 4, 364, true",
      "sigmoidoscopy, 5, 0, false",
      "stool-dna, 2, 364, true",
      "stool-dna, 3, 0, false",
      "fit, 0, 364, true",
      "fit, 1, 0, false",
      "fit, 0, 0, true"})
  void eachTestCountsForItsInterval(String test, int years, int days, boolean upToDate) {
    LocalDate done = TODAY.minusYears(years).minusDays(days);
    ClinicalFact fact = switch (test) {
      case "colonoscopy" -> procedure("t1", COLONOSCOPY, done);
      case "ct-colonography" -> result("t1", CT_COLONOGRAPHY, done);
      case "sigmoidoscopy" -> procedure("t1", SIGMOIDOSCOPY, done);
      case "stool-dna" -> result("t1", STOOL_DNA, done);
      case "fit" -> result("t1", FIT, done);
      default -> throw new IllegalArgumentException(test);
    };
    assertThat(shown(evaluate(60, fact))).isEqualTo(upToDate ? List.of() : List.of(SCREENING));
  }

  @Test
  void aTestDatedAfterTheEvaluationDateDoesNotCount() {
    EvaluationResult result = evaluate(60, result("t1", FIT, TODAY.plusDays(1)));
    assertThat(shown(result)).containsExactly(SCREENING);
    assertThat(result.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("after the evaluation instant"));
  }

  @Test
  void aColonoscopyCountsByAnyCodeSystemInTheValueSet() {
    assertThat(shown(evaluate(60, procedure("t1", Code.of(CPT, "45378"), TODAY.minusYears(3)))))
        .isEmpty();
    assertThat(shown(evaluate(60, procedure("t1",
        Code.of("http://www.nlm.nih.gov/research/umls/hcpcs", "G0121"), TODAY.minusYears(3)))))
        .isEmpty();
  }

  @Test
  void onlyCompletedProceduresAndFinalResultsCount() {
    LocalDate recently = TODAY.minusMonths(2);
    assertThat(shown(evaluate(60, procedure("t1", COLONOSCOPY, EventStatus.NOT_DONE, recently))))
        .containsExactly(SCREENING);
    assertThat(shown(evaluate(60,
        procedure("t1", COLONOSCOPY, EventStatus.ENTERED_IN_ERROR, recently))))
        .containsExactly(SCREENING);
    assertThat(shown(evaluate(60, observation("t1", FIT).status(ObservationStatus.PRELIMINARY)
        .on(recently).build()))).containsExactly(SCREENING);
    assertThat(shown(evaluate(60, observation("t1", FIT).status(ObservationStatus.AMENDED)
        .on(recently).build())))
        .as("a result with no value, such as a rejected specimen").containsExactly(SCREENING);
    assertThat(shown(evaluate(60, result("t1", FIT, recently)))).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1} keeps screening up to date")
  @CsvSource({
      "http://www.ama-assn.org/go/cpt, 45384, colonoscopy",
      "http://www.ama-assn.org/go/cpt, 74263, ct",
      "http://www.ama-assn.org/go/cpt, 81528, stool-dna",
      "http://www.ama-assn.org/go/cpt, 82274, fit",
      "urn:oid:2.16.840.1.113883.6.285, G0328, fit"})
  void billedProcedureCodesCount(String system, String code, String test) {
    assertThat(shown(evaluate(60, procedure("t1", Code.of(system, code), TODAY.minusMonths(3)))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} {1} withholds screening")
  @CsvSource({
      "http://hl7.org/fhir/sid/icd-10-cm, C18.7",
      "http://hl7.org/fhir/sid/icd-10-cm, C78.5",
      "http://hl7.org/fhir/sid/icd-10-cm, K50.90",
      "http://hl7.org/fhir/sid/icd-10-cm, K51.90",
      "http://snomed.info/sct, 72900001"})
  void highRiskAndCancerCodesWithhold(String system, String code) {
    EvaluationResult result = evaluate(60, condition("c1", Code.of(system, code)));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(SCREENING)).isPresent();
  }

  @Test
  void aColectomyCodedInCptWithholdsOnceItHasHappened() {
    Code colectomy = Code.of(CPT, "44150");
    assertThat(evaluate(60, procedure("p9", colectomy, TODAY.minusYears(2)))
        .withheld(SCREENING)).isPresent();
    assertThat(shown(evaluate(60, procedure("p9", colectomy, TODAY.plusDays(3)))))
        .containsExactly(SCREENING);
  }

  @Test
  void anUnrelatedProcedureDoesNotCount() {
    assertThat(shown(evaluate(60, procedure("t1", Code.of(SNOMED_CT, "80146002"), TODAY))))
        .containsExactly(SCREENING);
  }

  @Test
  void theDayOfAnInstantIsTakenInTheEvaluationTimeZone() {
    Instant lateEvening = Instant.parse("2015-06-16T02:00:00Z"); // 2015-06-15 22:00 in New York
    Procedure colonoscopy = new Procedure("t1", EventStatus.COMPLETED,
        CodeableConcept.of(COLONOSCOPY), Period.at(ClinicalTime.of(lateEvening)));
    PatientRecord record = PatientRecord.builder(patient("p1", LocalDate.of(1960, 1, 1)))
        .add(colonoscopy).build();
    Instant evaluation = Instant.parse("2025-06-15T12:00:00Z");
    // In UTC the colonoscopy was on 2015-06-16: 9 years 364 days before 2025-06-15, up to date.
    assertThat(engine.evaluate(record, EvaluationContext.at(evaluation, ZoneOffset.UTC))
        .recommendations()).isEmpty();
    // In New York it was on 2015-06-15: exactly 10 years before, due again.
    assertThat(engine.evaluate(record,
        EvaluationContext.at(evaluation, ZoneId.of("America/New_York"))).recommendations())
        .extracting(Recommendation::id).containsExactly(SCREENING);
  }

  @Test
  void theRationaleShowsTheAgeThatMatched() {
    Recommendation recommendation = evaluate(52).recommendations().get(0);
    assertThat(recommendation.rationale())
        .containsExactly(new MatchedFact("PatientAge", "p1", "52 years"));
    assertThat(recommendation.rules()).containsExactly("Colorectal cancer screening due, adults 50 to 75");
    assertThat(recommendation.guideline().url())
        .isEqualTo("https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/colorectal-cancer-screening");
    assertThat(recommendation.note()).contains("1 to 3 years");
  }

  @Test
  void aRecommendationNamesTheValueSetsItsRulesUse() {
    String base = "https://cdsengine.github.io/fhir/ValueSet/";
    assertThat(evaluate(52).recommendations().get(0).valueSets()).containsExactly(
        base + "crc-colonoscopy|1.1.0",
        base + "crc-ct-colonography|1.1.0",
        base + "crc-fecal-occult-blood|1.1.0",
        base + "crc-flexible-sigmoidoscopy|1.1.0",
        base + "crc-stool-dna-fit|1.1.0");
  }

  @Test
  void colorectalCancerOnRecordSuppressesScreening() {
    EvaluationResult result = evaluate(60, condition("c1", Code.of(SNOMED_CT, "363406005")));
    assertThat(result.recommendations()).isEmpty();
    WithheldRecommendation withheld = result.withheld(SCREENING).orElseThrow();
    assertThat(withheld.disposition()).isEqualTo(WithheldRecommendation.Disposition.SUPPRESSED);
    assertThat(withheld.reasons()).singleElement().satisfies(reason -> {
      assertThat(reason.rule()).isEqualTo("Colorectal cancer screening not for patients with colorectal cancer");
      assertThat(reason.text()).contains("average risk");
      assertThat(reason.rationale()).containsExactly(new MatchedFact("Condition", "c1", null));
    });
  }

  @Test
  void aRefutedCancerDiagnosisDoesNotSuppress() {
    assertThat(shown(evaluate(60,
        condition("c1", Code.of(SNOMED_CT, "363406005"), VerificationStatus.REFUTED))))
        .containsExactly(SCREENING);
  }

  @Test
  void anIcd10CancerCodeSuppressesTheSelectiveOfferToo() {
    EvaluationResult result = evaluate(80,
        condition("c1", Code.of(ICD_10_CM, "C18.9")));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(SELECTIVE)).isPresent();
  }

  @Test
  void inflammatoryBowelDiseaseSuppressesScreening() {
    EvaluationResult result = evaluate(47, condition("c1", Code.of(SNOMED_CT, "34000006")));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(SCREENING).orElseThrow().reasons().get(0).text())
        .contains("Inflammatory bowel disease");
  }

  @Test
  void totalColectomySuppressesScreeningCitingCms130() {
    EvaluationResult result = evaluate(60,
        procedure("p9", Code.of(SNOMED_CT, "26390003"), LocalDate.of(2010, 1, 1)));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(SCREENING).orElseThrow().reasons().get(0).rule())
        .isEqualTo("Colorectal cancer screening not after total colectomy");
    assertThat(engine.rules()).filteredOn(r -> r.name().contains("colectomy")).singleElement()
        .satisfies(r -> assertThat(r.guideline().url()).contains("ColonCancerScreeningFHIR"));
  }

  @Test
  void everyRuleOfThePackCitesItsSource() {
    assertThat(engine.rules()).hasSize(10);
    assertThat(engine.rules()).allSatisfy(rule -> {
      assertThat(rule.guideline().url()).startsWith("https://");
      assertThat(rule.file()).endsWith("colorectal-cancer-screening.drl");
      assertThat(rule.line()).isPositive();
    });
    assertThat(engine.packs()).containsExactly("uspstf-colorectal-cancer-screening@1.3.0");
  }
  // Item 11(c): the grade C wording is the statement's.

  @Test
  void theSelectiveOfferSaysTheNetBenefitForAllInTheAgeGroupIsSmall() {
    Recommendation recommendation = evaluate(80).recommendations().get(0);
    // Statement, recommendation for adults 76 to 85: "Evidence indicates that the net benefit of
    // screening all persons in this age group is small."
    assertThat(recommendation.detail())
        .contains("the net benefit of screening all persons in this age group is small")
        .contains("overall health, prior screening history and preferences");
    assertThat(recommendation.note())
        .contains("the net benefit of screening all persons in this age group is small");
  }

  // Item 11(a): a positive or abnormal stool test or CT colonography calls for a follow-up
  // colonoscopy (statement, Practice Considerations) and never reads as up to date.

  static final String FOLLOW_UP = "uspstf-crc-follow-up-colonoscopy";
  static final Code POSITIVE = Code.of(SNOMED_CT, "10828004");
  static final Code NEGATIVE = Code.of(SNOMED_CT, "260385009");

  static Observation coded(String id, Code test, LocalDate day, Code value) {
    return observation(id, test).on(day).value(value).build();
  }

  static Observation text(String id, Code test, LocalDate day, String value) {
    return observation(id, test).on(day).text(value).build();
  }

  static Observation yesNo(String id, Code test, LocalDate day, boolean value) {
    return observation(id, test).on(day).value(value).build();
  }

  @Test
  void aPositiveFitWithNoColonoscopySinceCallsForAFollowUpColonoscopy() {
    EvaluationResult result = evaluate(60, coded("t1", FIT, TODAY.minusMonths(2), POSITIVE));
    assertThat(shown(result)).containsExactly(FOLLOW_UP);
    Recommendation recommendation = result.recommendations().get(0);
    assertThat(recommendation.evidenceGrade()).isEqualTo(EvidenceGrade.parse("USPSTF:A"));
    assertThat(recommendation.severity()).isEqualTo(Severity.WARNING);
    assertThat(recommendation.detail()).startsWith("Age 60.")
        .contains("stool-based screening test dated " + TODAY.minusMonths(2))
        .contains("follow-up colonoscopy");
    assertThat(recommendation.note()).contains("part of the screening program")
        .contains("Practice Considerations");
    assertThat(recommendation.rationale()).extracting(MatchedFact::type)
        .contains("Observation", "PatientAge");
  }

  @ParameterizedTest(name = "{0}|{1} is positive")
  @CsvSource({
      "http://snomed.info/sct, 10828004",
      "http://snomed.info/sct, 260373001",
      "http://snomed.info/sct, 263654008",
      "http://snomed.info/sct, 52101004",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, POS",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, DET",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, A",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, H",
      "http://loinc.org, LA6576-8",
      "http://loinc.org, LA11882-0"})
  void aCodedPositiveOrAbnormalValueCallsForFollowUp(String system, String code) {
    assertThat(shown(evaluate(60, coded("t1", FIT, TODAY.minusMonths(1), Code.of(system, code)))))
        .containsExactly(FOLLOW_UP);
  }

  @ParameterizedTest(name = "text \"{0}\" is positive")
  @ValueSource(strings = {"Positive", "POS", "pos.", "  positive  ", "Detected", "ABNORMAL"})
  void aTextValueStartingPosDetectedOrAbnormalCallsForFollowUp(String value) {
    assertThat(shown(evaluate(60, text("t1", FIT, TODAY.minusMonths(1), value))))
        .containsExactly(FOLLOW_UP);
  }

  @ParameterizedTest(name = "text \"{0}\" is not positive")
  @ValueSource(strings = {"Negative", "NEG", "Not detected", "normal", "No blood seen"})
  void aNegativeTextValueKeepsScreeningUpToDate(String value) {
    assertThat(shown(evaluate(60, text("t1", FIT, TODAY.minusMonths(1), value)))).isEmpty();
  }

  @Test
  void aYesNoValueIsPositiveWhenYes() {
    assertThat(shown(evaluate(60, yesNo("t1", FIT, TODAY.minusMonths(1), true))))
        .containsExactly(FOLLOW_UP);
    assertThat(shown(evaluate(60, yesNo("t1", FIT, TODAY.minusMonths(1), false)))).isEmpty();
  }

  static Observation flagged(String id, Code test, LocalDate day, Quantity value,
      Code interpretation) {
    return observation(id, test).on(day).value(value).interpretation(interpretation).build();
  }

  // A quantitative FIT has no positivity threshold in the statement: the laboratory's own flag
  // (Observation.interpretation) decides.
  @ParameterizedTest(name = "quantitative FIT flagged {0} calls for follow-up")
  @ValueSource(strings = {"H", "HH", "A", "AA", "POS", "DET"})
  void aQuantitativeFitFlaggedAbnormalByTheLaboratoryCallsForFollowUp(String flag) {
    assertThat(shown(evaluate(60, flagged("t1", FIT, TODAY.minusMonths(1),
        new Quantity(new BigDecimal("150"), "ng/mL"),
        Code.of(V3_OBSERVATION_INTERPRETATION, flag)))))
        .containsExactly(FOLLOW_UP);
  }

  @ParameterizedTest(name = "quantitative FIT flagged {0} keeps screening up to date")
  @ValueSource(strings = {"N", "NEG", "ND", "L"})
  void aQuantitativeFitFlaggedNormalOrNegativeKeepsScreeningUpToDate(String flag) {
    assertThat(shown(evaluate(60, flagged("t1", FIT, TODAY.minusMonths(1),
        new Quantity(new BigDecimal("20"), "ng/mL"),
        Code.of(V3_OBSERVATION_INTERPRETATION, flag)))))
        .isEmpty();
  }

  @Test
  void aQuantitativeFitWithoutAFlagKeepsScreeningUpToDate() {
    assertThat(shown(evaluate(60, flagged("t1", FIT, TODAY.minusMonths(1),
        new Quantity(new BigDecimal("150"), "ng/mL"), null)))).isEmpty();
  }

  @Test
  void anAbnormalFlagOutweighsANegativeCodedValue() {
    Observation conflicting = observation("t1", FIT).on(TODAY.minusMonths(1))
        .value(Code.of(SNOMED_CT, "260385009"))
        .interpretation(Code.of(V3_OBSERVATION_INTERPRETATION, "A")).build();
    assertThat(shown(evaluate(60, conflicting))).containsExactly(FOLLOW_UP);
  }

  @Test
  void aNegativeCodedValueKeepsScreeningUpToDate() {
    assertThat(shown(evaluate(60, coded("t1", FIT, TODAY.minusMonths(1), NEGATIVE)))).isEmpty();
    assertThat(shown(evaluate(60, coded("t1", FIT, TODAY.minusMonths(1),
        Code.of(V3_OBSERVATION_INTERPRETATION, "NEG"))))).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "gFOBT, 2335-8",
      "FIT, 29771-3",
      "FIT 1st specimen, 57905-2",
      "sDNA-FIT, 77354-9",
      "CT colonography, 79101-2",
      "CT colonography, 60515-4"})
  void everyStoolTestAndCtColonographyCanCallForFollowUp(String test, String loinc) {
    EvaluationResult result = evaluate(60,
        coded("t1", Code.of(LOINC, loinc), TODAY.minusMonths(1), Code.of(SNOMED_CT, "263654008")));
    assertThat(shown(result)).containsExactly(FOLLOW_UP);
    assertThat(result.recommendations().get(0).detail())
        .contains(test.startsWith("CT") ? "A CT colonography dated" : "A stool-based screening test dated");
  }

  @Test
  void aPositiveStoolDnaNarrativeReadAsTextCallsForFollowUp() {
    assertThat(shown(evaluate(60,
        text("t1", Code.of(LOINC, "77353-1"), TODAY.minusMonths(6), "POSITIVE"))))
        .containsExactly(FOLLOW_UP);
  }

  @ParameterizedTest(name = "colonoscopy {0} day(s) after the positive test: resolved = {1}")
  @CsvSource({"-1, false", "0, true", "1, true", "30, true"})
  void aColonoscopyOnTheDayOfThePositiveTestOrLaterResolvesIt(int daysAfter, boolean resolved) {
    LocalDate tested = TODAY.minusMonths(3);
    EvaluationResult result = evaluate(60, coded("t1", FIT, tested, POSITIVE),
        procedure("c1", COLONOSCOPY, tested.plusDays(daysAfter)));
    assertThat(shown(result)).isEqualTo(resolved ? List.of() : List.of(FOLLOW_UP));
  }

  @Test
  void aColonoscopyYearsBeforeThePositiveTestDoesNotResolveIt() {
    assertThat(shown(evaluate(60, procedure("c1", COLONOSCOPY, TODAY.minusYears(5)),
        coded("t1", FIT, TODAY.minusMonths(2), POSITIVE)))).containsExactly(FOLLOW_UP);
  }

  @Test
  void aColonoscopyNotDoneOrScheduledAfterTodayDoesNotResolveIt() {
    LocalDate tested = TODAY.minusMonths(2);
    assertThat(shown(evaluate(60, coded("t1", FIT, tested, POSITIVE),
        procedure("c1", COLONOSCOPY, EventStatus.NOT_DONE, tested.plusDays(10)))))
        .containsExactly(FOLLOW_UP);
    assertThat(shown(evaluate(60, coded("t1", FIT, tested, POSITIVE),
        procedure("c1", COLONOSCOPY, TODAY.plusDays(7))))).containsExactly(FOLLOW_UP);
  }

  @Test
  void aColonoscopyRecordedOnlyAsTheMonthOfTheTestDoesNotResolveIt() {
    LocalDate tested = LocalDate.of(2025, 3, 10);
    Procedure sameMonth = new Procedure("c1", EventStatus.COMPLETED,
        CodeableConcept.of(COLONOSCOPY), Period.at(ClinicalTime.of(YearMonth.of(2025, 3))));
    assertThat(shown(evaluate(60, coded("t1", FIT, tested, POSITIVE), sameMonth)))
        .as("it may have been before the test").containsExactly(FOLLOW_UP);
  }

  @Test
  void aLaterNegativeStoolTestDoesNotResolveAPositiveOne() {
    assertThat(shown(evaluate(60, coded("t1", FIT, TODAY.minusMonths(6), POSITIVE),
        coded("t2", FIT, TODAY.minusMonths(1), NEGATIVE)))).containsExactly(FOLLOW_UP);
  }

  // The statement's follow-up colonoscopy after a positive stool test or abnormal CT colonography
  // has no expiry: a positive result is not "screening due" once its test's interval has passed
  // (that card would ask for the same test again). It stands until a colonoscopy on or after its
  // day, for up to 10 years, the statement's colonoscopy interval (Table 1), as Now.withinYears
  // counts years: 9 years 364 days stands, exactly 10 years does not.
  @ParameterizedTest(name = "positive {0} {1} years {2} days ago: {3}")
  @CsvSource({
      "fit, 0, 364, uspstf-crc-follow-up-colonoscopy",
      "fit, 1, 0, uspstf-crc-follow-up-colonoscopy",
      "fit, 1, 30, uspstf-crc-follow-up-colonoscopy",
      "fit, 9, 364, uspstf-crc-follow-up-colonoscopy",
      "fit, 10, 0, uspstf-crc-screening",
      "stool-dna, 3, 0, uspstf-crc-follow-up-colonoscopy",
      "stool-dna, 9, 364, uspstf-crc-follow-up-colonoscopy",
      "stool-dna, 10, 0, uspstf-crc-screening",
      "ct-colonography, 5, 0, uspstf-crc-follow-up-colonoscopy",
      "ct-colonography, 9, 364, uspstf-crc-follow-up-colonoscopy",
      "ct-colonography, 10, 0, uspstf-crc-screening"})
  void aPositiveResultStandsUntilAColonoscopyForUpToTenYears(String test, int years, int days,
      String expected) {
    Code code = switch (test) {
      case "fit" -> FIT;
      case "stool-dna" -> STOOL_DNA;
      default -> CT_COLONOGRAPHY;
    };
    assertThat(shown(evaluate(60,
        coded("t1", code, TODAY.minusYears(years).minusDays(days), POSITIVE))))
        .containsExactly(expected);
  }

  @Test
  void aPositiveFitThirteenMonthsOldAsksForTheColonoscopyNotAnotherFit() {
    LocalDate tested = TODAY.minusMonths(13);
    EvaluationResult result = evaluate(60, coded("t1", FIT, tested, POSITIVE));
    assertThat(shown(result)).containsExactly(FOLLOW_UP);
    assertThat(result.recommendations().get(0).detail())
        .contains("dated " + tested).doesNotContain("No colorectal cancer screening on record");
    assertThat(shown(evaluate(60, coded("t1", FIT, tested, POSITIVE),
        procedure("c1", COLONOSCOPY, TODAY.minusMonths(2))))).isEmpty();
  }

  @ParameterizedTest(name = "age {0}: {1}")
  @CsvSource({"44, '', ''", "45, B, warning", "49, B, warning", "50, A, warning",
      "75, A, warning", "76, C, warning", "85, C, warning", "86, '', ''"})
  void theFollowUpCarriesTheGradeOfTheScreeningRecommendationForTheAge(int age, String grade,
      String severity) {
    EvaluationResult result = evaluate(age, coded("t1", FIT, TODAY.minusMonths(1), POSITIVE));
    if (grade.isEmpty()) {
      assertThat(result.recommendations()).isEmpty();
      return;
    }
    assertThat(shown(result)).containsExactly(FOLLOW_UP);
    Recommendation recommendation = result.recommendations().get(0);
    assertThat(recommendation.evidenceGrade()).isEqualTo(EvidenceGrade.parse("USPSTF:" + grade));
    assertThat(recommendation.severity()).isEqualTo(Severity.valueOf(severity.toUpperCase()));
  }

  @Test
  void aPreliminaryPositiveResultIsNotYetAResult() {
    Observation preliminary = observation("t1", FIT).status(ObservationStatus.PRELIMINARY)
        .on(TODAY.minusDays(3)).value(POSITIVE).build();
    assertThat(shown(evaluate(60, preliminary))).containsExactly(SCREENING);
  }

  @Test
  void theFollowUpIsWithheldOutsideAverageRisk() {
    EvaluationResult result = evaluate(60, coded("t1", FIT, TODAY.minusMonths(1), POSITIVE),
        condition("c1", Code.of(ICD_10_CM, "K51.90")));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(FOLLOW_UP)).isPresent();
  }

  // Item 11(b): exclusions match whole code families.

  @ParameterizedTest(name = "{0} {1} ({2}) withholds screening")
  @CsvSource(delimiter = '|', value = {
      "http://hl7.org/fhir/sid/icd-10-cm | K50.00  | Crohn disease of small intestine without complications",
      "http://hl7.org/fhir/sid/icd-10-cm | K50.011 | Crohn disease of small intestine with rectal bleeding",
      "http://hl7.org/fhir/sid/icd-10-cm | K50.114 | Crohn disease of large intestine with abscess",
      "http://hl7.org/fhir/sid/icd-10-cm | K50.813 | Crohn disease of both small and large intestine with fistula",
      "http://hl7.org/fhir/sid/icd-10-cm | K50.90  | Crohn disease, unspecified, without complications",
      "http://hl7.org/fhir/sid/icd-10-cm | K50.919 | Crohn disease, unspecified, with unspecified complications",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.011 | Ulcerative pancolitis with rectal bleeding",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.212 | Ulcerative proctitis with intestinal obstruction",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.318 | Ulcerative rectosigmoiditis with other complication",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.514 | Left sided colitis with abscess",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.90  | Ulcerative colitis, unspecified, without complications",
      "http://hl7.org/fhir/sid/icd-10-cm | K51.919 | Ulcerative colitis, unspecified with unspecified complications",
      "http://hl7.org/fhir/sid/icd-10-cm | D13.91  | Familial adenomatous polyposis",
      "http://hl7.org/fhir/sid/icd-10-cm | Z86.010 | Personal history of colonic polyps",
      "http://hl7.org/fhir/sid/icd-10-cm | Z86.0100 | Personal history of colon polyps, unspecified",
      "http://hl7.org/fhir/sid/icd-10-cm | Z86.0101 | Personal history of adenomatous and serrated colon polyps",
      "http://hl7.org/fhir/sid/icd-10-cm | Z85.038 | Personal history of other malignant neoplasm of large intestine",
      "http://hl7.org/fhir/sid/icd-10-cm | Z85.048 | Personal history of other malignant neoplasm of rectum",
      "http://hl7.org/fhir/sid/icd-10-cm | C20     | Malignant neoplasm of rectum",
      "http://snomed.info/sct | 56689002  | Crohn's disease of small intestine",
      "http://snomed.info/sct | 7620006   | Crohn's disease of large bowel",
      "http://snomed.info/sct | 64766004  | Ulcerative colitis",
      "http://snomed.info/sct | 235746007 | Indeterminate colitis",
      "http://snomed.info/sct | 716318002 | Lynch syndrome",
      "http://snomed.info/sct | 315058005 | Hereditary nonpolyposis colon cancer",
      "http://snomed.info/sct | 72900001  | Familial multiple polyposis syndrome",
      "http://snomed.info/sct | 715866009 | Attenuated familial adenomatous polyposis",
      "http://snomed.info/sct | 423471004 | MYH-associated polyposis",
      "http://snomed.info/sct | 399432003 | Adenoma of large intestine"})
  void everyCodeOfAnExcludedFamilyWithholds(String system, String code, String display) {
    EvaluationResult result = evaluate(60, condition("c1", Code.of(system, code)));
    assertThat(result.recommendations()).isEmpty();
    assertThat(result.withheld(SCREENING)).isPresent();
  }

  @ParameterizedTest(name = "{0} ({1}) does not withhold")
  @CsvSource(delimiter = '|', value = {
      "Z15.09   | Genetic susceptibility to other malignant neoplasm: does not name Lynch syndrome",
      "Z80.0    | Family history of malignant neoplasm of digestive organs",
      "Z83.71   | Family history of colonic polyps",
      "D12.6    | Benign neoplasm of colon, unspecified: not familial adenomatous polyposis",
      "Z86.0102 | Personal history of hyperplastic colon polyps",
      "Z86.0109 | Personal history of other colon polyps",
      "K52.9    | Noninfective gastroenteritis and colitis, unspecified",
      "K5       | not a code"})
  void codesOutsideTheFamiliesDoNotWithhold(String code, String display) {
    assertThat(shown(evaluate(60, condition("c1", Code.of(ICD_10_CM, code)))))
        .containsExactly(SCREENING);
  }

  @Test
  void theHighRiskReasonNamesEachFamily() {
    EvaluationResult result = evaluate(60, condition("c1", Code.of(ICD_10_CM, "Z86.0101")));
    assertThat(result.withheld(SCREENING).orElseThrow().reasons().get(0).text())
        .contains("Lynch", "familial adenomatous polyposis", "adenomatous polyps");
  }

  // Reviewer's items 1 and 2: a result is read from every text it carries; a result the pack
  // cannot read counts as screening done and is reported; an unusable one is no screening.

  static final String LOCAL = "http://lab.example.org/codes";

  static Observation concept(String id, Code test, LocalDate day, CodeableConcept value) {
    return observation(id, test).on(day).value(value).build();
  }

  /** A result whose value the record names by type only, e.g. a quantity with a comparator. */
  static Observation typed(String id, Code test, LocalDate day, ObservationValueType type,
      Code interpretation) {
    return observation(id, test).on(day).valueType(type).interpretation(interpretation)
        .build();
  }

  static List<DataWarning> packWarnings(EvaluationResult result) {
    return result.warnings().stream().filter(w -> w.message().contains("could not be read"))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "text only, no coding|''|''|Positive",
      "local code, text Positive|LOC-1|''|Positive",
      "local code, display POS|LOC-1|POS|''",
      "local code, display Detected|LOC-1|Detected|''",
      "local code, text abnormal|LOC-1|''|abnormal result",
      "negative code, positive text|''|''|Positive"})
  void aConceptsTextOrDisplayReadingPositiveCallsForFollowUp(String name, String localCode,
      String display, String text) {
    List<Code> codings = localCode.isEmpty()
        ? (name.startsWith("negative") ? List.of(NEGATIVE) : List.of())
        : List.of(new Code(LOCAL, localCode, display.isEmpty() ? null : display));
    EvaluationResult result = evaluate(60, concept("t1", FIT, TODAY.minusMonths(1),
        new CodeableConcept(codings, text.isEmpty() ? null : text)));
    assertThat(shown(result)).containsExactly(FOLLOW_UP);
    assertThat(packWarnings(result)).isEmpty();
  }

  @ParameterizedTest(name = "local code with \"{0}\"")
  @ValueSource(strings = {"Negative", "NEG", "not detected", "Normal"})
  void aConceptsTextReadingNegativeKeepsScreeningUpToDateWithoutAWarning(String text) {
    EvaluationResult asText = evaluate(60, concept("t1", FIT, TODAY.minusMonths(1),
        new CodeableConcept(List.of(Code.of(LOCAL, "LOC-2")), text)));
    assertThat(shown(asText)).isEmpty();
    assertThat(packWarnings(asText)).isEmpty();
    EvaluationResult asDisplay = evaluate(60, concept("t1", FIT, TODAY.minusMonths(1),
        new CodeableConcept(List.of(new Code(LOCAL, "LOC-2", text)), null)));
    assertThat(shown(asDisplay)).isEmpty();
    assertThat(packWarnings(asDisplay)).isEmpty();
  }

  /** crc-normal-result: each code is read as negative, with no warning. */
  @ParameterizedTest(name = "{0}|{1} is negative")
  @CsvSource({
      "http://snomed.info/sct, 260385009",
      "http://snomed.info/sct, 260415000",
      "http://snomed.info/sct, 17621005",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, N",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, NEG",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, ND",
      "http://loinc.org, LA6577-6",
      "http://loinc.org, LA11883-8"})
  void aCodedNegativeOrNormalValueKeepsScreeningUpToDateWithoutAWarning(String system,
      String code) {
    EvaluationResult result = evaluate(60, coded("t1", FIT, TODAY.minusMonths(1),
        Code.of(system, code)));
    assertThat(shown(result)).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void aResultThePackCannotReadCountsAsScreeningAndIsReportedNamingTheTestAndDate() {
    LocalDate tested = TODAY.minusMonths(2);
    EvaluationResult result = evaluate(60, coded("t1", FIT, tested, Code.of(LOCAL, "LOC-9")));
    assertThat(shown(result)).isEmpty();
    assertThat(result.warnings()).singleElement().satisfies(w -> {
      assertThat(w.type()).isEqualTo("Observation");
      assertThat(w.id()).isEqualTo("t1");
      assertThat(w.message()).contains("FIT or gFOBT result dated " + tested)
          .contains("could not be read as positive or negative")
          .contains("count it as screening done")
          .contains("whether a follow-up colonoscopy is due could not be assessed");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "quantity with a comparator (>100), QUANTITY",
      "range, RANGE",
      "ratio, RATIO",
      "coded value with text only (dropped by the reader), CODEABLE_CONCEPT"})
  void aValueTypeThePackCannotReadCountsAsScreeningAndIsReported(String name,
      ObservationValueType type) {
    EvaluationResult result = evaluate(60, typed("t1", FIT, TODAY.minusMonths(1), type, null));
    assertThat(shown(result)).isEmpty();
    assertThat(packWarnings(result)).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("a " + type.code() + " value"));
  }

  @ParameterizedTest(name = "text \"{0}\"")
  @ValueSource(strings = {"No blood seen", "See comment", "Indeterminate"})
  void aTextMatchingNoReadingCountsAsScreeningAndIsReported(String value) {
    EvaluationResult result = evaluate(60, text("t1", FIT, TODAY.minusMonths(1), value));
    assertThat(shown(result)).isEmpty();
    assertThat(packWarnings(result)).hasSize(1);
  }

  @Test
  void eachTestIsNamedInTheWarning() {
    assertThat(packWarnings(evaluate(60, coded("t1", STOOL_DNA, TODAY.minusYears(2),
        Code.of(LOCAL, "X"))))).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("stool DNA-FIT result dated"));
    assertThat(packWarnings(evaluate(60, coded("t1", CT_COLONOGRAPHY, TODAY.minusYears(4),
        Code.of(LOCAL, "X"))))).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("CT colonography result dated"));
  }

  @Test
  void aLaboratoryFlagDecidesAValueThePackCannotRead() {
    EvaluationResult flaggedHigh = evaluate(60, typed("t1", FIT, TODAY.minusMonths(1),
        ObservationValueType.QUANTITY, Code.of(V3_OBSERVATION_INTERPRETATION, "H")));
    assertThat(shown(flaggedHigh)).containsExactly(FOLLOW_UP);
    assertThat(packWarnings(flaggedHigh)).isEmpty();
    EvaluationResult flaggedNormal = evaluate(60, typed("t1", FIT, TODAY.minusMonths(1),
        ObservationValueType.QUANTITY, Code.of(V3_OBSERVATION_INTERPRETATION, "N")));
    assertThat(shown(flaggedNormal)).isEmpty();
    assertThat(packWarnings(flaggedNormal)).isEmpty();
    EvaluationResult flaggedLow = evaluate(60, typed("t1", FIT, TODAY.minusMonths(1),
        ObservationValueType.QUANTITY, Code.of(V3_OBSERVATION_INTERPRETATION, "L")));
    assertThat(shown(flaggedLow)).isEmpty();
    assertThat(packWarnings(flaggedLow)).as("L places a value, it is not a negative reading")
        .hasSize(1);
  }

  @Test
  void aPlainQuantitativeFitIsScreeningDoneWithNoWarning() {
    EvaluationResult result = evaluate(60, flagged("t1", FIT, TODAY.minusMonths(1),
        new Quantity(new BigDecimal("150"), "ng/mL"), null));
    assertThat(shown(result)).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @ParameterizedTest(name = "age {0}, {1} days ago: warned = {2}")
  @CsvSource({"44, 30, false", "45, 30, true", "85, 30, true", "86, 30, false",
      "60, 364, true", "60, 365, false"})
  void theWarningIsGivenAtScreeningAgesWhileTheResultCounts(int age, int daysAgo,
      boolean warned) {
    EvaluationResult result = evaluate(age, coded("t1", FIT, TODAY.minusDays(daysAgo),
        Code.of(LOCAL, "LOC-9")));
    assertThat(packWarnings(result)).hasSize(warned ? 1 : 0);
  }

  /**
   * A test the laboratory could not result is no screening: the patient is due, and no warning
   * is given, since the pack has read the result.
   */
  @ParameterizedTest(name = "text \"{0}\"")
  @ValueSource(strings = {"Specimen rejected", "Rejected: unlabeled container", "Invalid",
      "invalid result", "Insufficient sample", "Quantity not sufficient", "QNS", "Unsatisfactory",
      "Specimen unsatisfactory for evaluation", "Cancelled", "Canceled by lab", "Not performed",
      "  SPECIMEN REJECTED  "})
  void anUnusableResultIsNoScreening(String value) {
    EvaluationResult result = evaluate(60, text("t1", FIT, TODAY.minusMonths(1), value));
    assertThat(shown(result)).containsExactly(SCREENING);
    assertThat(result.recommendations().get(0).detail())
        .contains("No colorectal cancer screening on record");
    assertThat(packWarnings(result)).isEmpty();
    assertThat(shown(evaluate(60, concept("t1", FIT, TODAY.minusMonths(1),
        new CodeableConcept(List.of(new Code(LOCAL, "REJ", value)), null)))))
        .as("as a local code's display").containsExactly(SCREENING);
    assertThat(shown(evaluate(60, concept("t1", FIT, TODAY.minusMonths(1),
        new CodeableConcept(List.of(), value))))).as("as a concept's text")
        .containsExactly(SCREENING);
  }

  @Test
  void anUnusableResultLeavesAnEarlierScreeningStanding() {
    assertThat(shown(evaluate(60, text("t1", FIT, TODAY.minusMonths(1), "QNS"),
        procedure("c1", COLONOSCOPY, TODAY.minusYears(3))))).isEmpty();
  }

  @Test
  void aResultWithNoValueIsNoScreening() {
    assertThat(shown(evaluate(60, typed("t1", FIT, TODAY.minusMonths(1), null, null))))
        .containsExactly(SCREENING);
  }

  /** A FIT result as FHIR JSON gives it, read by the FHIR reader: {@code value} is its value[x]. */
  static EvaluationResult evaluateFhirFit(String value) {
    String bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1965-03-01"}},
          {"resource": {"resourceType": "Observation", "id": "fit1", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29771-3"}]},
            "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-05-15",
            %s}}]}
        """.formatted(value);
    PatientRecord record = FhirReader.create().read(
        new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)), "fit.json")
        .onlyPatient();
    EvaluationResult result = engine.evaluate(record, CONTEXT);
    assertThat(result.complete()).as("failures: %s", result.failures()).isTrue();
    return result;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "quantity with a comparator|\"valueQuantity\": {\"value\": 100, \"comparator\": \">\", \"unit\": \"ng/mL\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"ng/mL\"}",
      "range|\"valueRange\": {\"low\": {\"value\": 0}, \"high\": {\"value\": 100}}",
      "concept with neither coding nor text|\"valueCodeableConcept\": {\"coding\": []}",
      "local code|\"valueCodeableConcept\": {\"coding\": [{\"system\": \"http://lab.example.org/codes\", \"code\": \"R7\"}]}"})
  void aFhirResultThePackCannotReadIsReportedThroughTheReader(String name, String value) {
    EvaluationResult result = evaluateFhirFit(value);
    assertThat(shown(result)).isEmpty();
    assertThat(packWarnings(result)).singleElement().satisfies(w -> {
      assertThat(w.id()).isEqualTo("fit1");
      assertThat(w.message()).contains("FIT or gFOBT result dated 2025-05-15");
    });
  }

  @Test
  void aFhirResultReadFromItsTextOrACodingsDisplayOrARejectedSpecimenThroughTheReader() {
    assertThat(shown(evaluateFhirFit("""
        "valueCodeableConcept": {"coding": [{"system": "http://lab.example.org/codes",
          "code": "P", "display": "Positive"}]}"""))).containsExactly(FOLLOW_UP);
    assertThat(shown(evaluateFhirFit("\"valueCodeableConcept\": {\"text\": \"Positive\"}")))
        .containsExactly(FOLLOW_UP);
    EvaluationResult negativeText = evaluateFhirFit("\"valueCodeableConcept\": {\"text\": \"Negative\"}");
    assertThat(shown(negativeText)).isEmpty();
    assertThat(packWarnings(negativeText)).isEmpty();
    assertThat(shown(evaluateFhirFit("\"valueString\": \"Specimen rejected: leaking container\"")))
        .containsExactly(SCREENING);
    EvaluationResult plain = evaluateFhirFit("""
        "valueQuantity": {"value": 20, "unit": "ng/mL", "system": "http://unitsofmeasure.org",
          "code": "ng/mL"}""");
    assertThat(shown(plain)).isEmpty();
    assertThat(packWarnings(plain)).isEmpty();
  }
}
