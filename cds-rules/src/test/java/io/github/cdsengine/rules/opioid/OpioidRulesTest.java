package io.github.cdsengine.rules.opioid;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsService;
import io.github.cdsengine.core.hooks.CdsServices;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.core.testing.Facts;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CDC 2016 opioid pack at its boundaries: the 18th birthday, the 90-day counseling lookback,
 * MME 50 and 90, seven days for acute pain, naloxone, and an MME that cannot be worked out. Uses
 * the reference value sets in {@code opioid-cds/vocabulary}; skipped when they are absent.
 */
class OpioidRulesTest {

  private static final LocalDate TODAY = OpioidCdsConformanceTest.CLOCK.date();
  private static final CodeableConcept COMMUNITY = new CodeableConcept(List.of(Code.of(
      "http://terminology.hl7.org/CodeSystem/medicationrequest-category", "community")), null);

  private static CdsEngine engine;
  private static RulePack pack;

  @BeforeAll
  static void build() {
    Path vocabulary = Conformance.directory("opioid-cds").resolve("vocabulary/valueset");
    pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    engine = CdsEngine.builder().addRulePack(pack).addValueSets(vocabulary).build();
  }

  /** An order of {@code rxnorm}, {@code perDay} units a day, supplied for {@code days}. */
  static MedicationRequest order(String id, String rxnorm, String unitsPerDay, String unit,
      String days, LocalDate authored) {
    return Facts.order(id, Code.of(RXNORM, rxnorm)).authoredOn(authored)
        .dispense(Facts.supply(null, days, "d", null))
        .dosage(Dosage.builder().dose(Quantity.of(unitsPerDay, unit)).frequency(1)
            .period(BigDecimal.ONE, "d").asNeeded(false).build())
        .category(COMMUNITY).build();
  }

  static PatientRecord request(LocalDate birthDate, MedicationRequest draft,
      ClinicalFact... onRecord) {
    PatientRecord record = PatientRecord.builder(
            new Patient("p1", birthDate, AdministrativeGender.FEMALE))
        .add(draft).addAll(List.of(onRecord)).build();
    return record.toBuilder().draftOrder("MedicationRequest/" + draft.id()).build();
  }

  static EvaluationResult sign(LocalDate birthDate, MedicationRequest draft,
      ClinicalFact... onRecord) {
    PatientRecord request = request(birthDate, draft, onRecord);
    EvaluationResult result = engine.evaluate(request, OpioidCdsConformanceTest.CLOCK);
    assertThat(result.failures()).isEmpty();
    return result;
  }

  static List<String> shown(EvaluationResult result) {
    return result.recommendations().stream().map(Recommendation::id).toList();
  }

  /** Suboxone film, 30 days: an ambulatory opioid for chronic pain with no MME factor. */
  static MedicationRequest suboxone() {
    return order("rx", "1010603", "1", "{film}", "30", TODAY);
  }

  @ParameterizedTest
  @CsvSource({"0, true", "1, false"})
  void recommendationOneAppliesFromTheEighteenthBirthday(int daysShort, boolean shown) {
    LocalDate birth = TODAY.minusYears(18).plusDays(daysShort);
    assertThat(shown(sign(birth, suboxone())).contains("cdc-opioids-2016-rec-01"))
        .isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"0, true", "1, false", "90, false", "91, true"})
  void counselingCountsFromNinetyDaysAgoToYesterday(int daysAgo, boolean shown) {
    Procedure counseling = new Procedure("c", EventStatus.COMPLETED,
        new CodeableConcept(List.of(Code.of(SNOMED_CT, "460831000124102")),
            null), Period.at(ClinicalTime.of(TODAY.minusDays(daysAgo))));
    assertThat(shown(sign(TODAY.minusYears(40), suboxone(), counseling))
        .contains("cdc-opioids-2016-rec-03")).as("counseling %d days ago", daysAgo)
        .isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({
      // morphine 2 mg/mL solution, factor 1: 24.5 mL = 49 MME, 25 mL = 50
      "892589, 24.5, mL, ",
      "892589, 25, mL, cdc-opioids-2016-rec-05-consider-tapering",
      // oxycodone ER 10 mg, factor 1.5: 5 tablets = 75 MME, 6 = 90
      "1049502, 5, {tablet}, cdc-opioids-2016-rec-05-consider-tapering",
      "1049502, 6, {tablet}, cdc-opioids-2016-rec-05-taper-now",
      // morphine 2 mg/mL: 44.5 mL = 89 MME, 45 mL = 90 (OpioidCDSREC05: 'Total MME >= 90')
      "892589, 44.5, mL, cdc-opioids-2016-rec-05-consider-tapering",
      "892589, 45, mL, cdc-opioids-2016-rec-05-taper-now"})
  void dosageCardsStartAtFiftyAndTheHighDoseCardAtNinety(String rxnorm, String perDay,
      String unit, String expected) {
    List<String> shown = shown(sign(TODAY.minusYears(40),
        order("rx", rxnorm, perDay, unit, "30", TODAY)));
    List<String> dosage = shown.stream().filter(id -> id.startsWith("cdc-opioids-2016-rec-05"))
        .toList();
    assertThat(dosage).isEqualTo(expected == null ? List.of() : List.of(expected));
  }

  @Test
  void theCardAtNinetyMmeAsksToReassessAndNeverToTaperNow() {
    // CDC 24 April 2019 statement (no abrupt tapering or sudden discontinuation); CDC 2022
    // guideline, recommendation 5 (weigh benefits and risks; do not rapidly reduce higher
    // dosages). The reference's "taper now" / "Taper to less than 50" must not ship.
    EvaluationResult result = sign(TODAY.minusYears(40),
        order("rx", "892589", "45", "mL", "30", TODAY));
    Recommendation card = result.recommendations().stream()
        .filter(r -> r.id().equals("cdc-opioids-2016-rec-05-taper-now")).findFirst()
        .orElseThrow();
    String words = (card.title() + " " + card.detail()).toLowerCase(java.util.Locale.ROOT);
    assertThat(words).doesNotContain("taper now").doesNotContain("less than 50")
        .contains("reassess").contains("benefits and harms").contains("avoid abrupt tapering");
    assertThat(card.title()).startsWith("High risk for opioid overdose");
    assertThat(card.severity()).isEqualTo(io.github.cdsengine.core.evaluation.Severity.WARNING);
    assertThat(card.note()).contains("24 April 2019").contains("2022")
        .contains("recommendation 5");
    assertThat(card.rules()).noneMatch(rule -> rule.toLowerCase(java.util.Locale.ROOT)
        .contains("taper now"));
  }

  @Test
  void anMmeThatCannotBeWorkedOutIsAWarningNotZero() {
    EvaluationResult result = sign(TODAY.minusYears(40), suboxone());
    assertThat(result.warnings()).extracting(DataWarning::message)
        .anySatisfy(m -> assertThat(m).startsWith("its MME could not be worked out"));
    assertThat(shown(result)).noneMatch(id -> id.startsWith("cdc-opioids-2016-rec-05"));
  }

  @ParameterizedTest
  @CsvSource({"7, false", "8, true"})
  void acutePainOrdersOverSevenDaysGetRecommendationSix(String days, boolean shown) {
    // immediate-release oxycodone 5 mg
    MedicationRequest order = order("rx", "1049621", "1", "{tablet}", days, TODAY);
    assertThat(shown(sign(TODAY.minusYears(40), order)).contains("cdc-opioids-2016-rec-06"))
        .isEqualTo(shown);
  }

  @Test
  void anActiveNaloxoneOrderMeansNoNaloxoneCard() {
    MedicationRequest highDose = order("rx", "1049502", "6", "{tablet}", "30", TODAY);
    assertThat(shown(sign(TODAY.minusYears(40), highDose))).contains("cdc-opioids-2016-rec-08");
    MedicationRequest naloxone = order("nx", "1191212", "1", "mL", "30", TODAY.minusDays(20));
    assertThat(shown(sign(TODAY.minusYears(40), highDose, naloxone)))
        .doesNotContain("cdc-opioids-2016-rec-08");
  }

  @Test
  void theUrineScreenCardSuggestsAProposedScreenForThePatientAndOthersSuggestNothing() {
    PatientRecord record = request(TODAY.minusYears(40), suboxone());
    EvaluationResult result = engine.evaluate(record, OpioidCdsConformanceTest.CLOCK);
    CdsHooksRequest request = new CdsHooksRequest("order-sign", "h-1",
        new CdsHooksRequest.Context("p1", null, null, List.of(), record.draftOrders()), record,
        Map.of());
    CardMapper mapper = CardMapper.create().withSuggestions(new OpioidSuggestions());
    ServiceDefinition urine = pack.services().stream()
        .filter(s -> s.id().equals("opioidcds-10-order-sign")).findFirst().orElseThrow();
    Card card = mapper.response(request, result, urine).cards().get(0);
    assertThat(card.summary()).isEqualTo("Annual Urine Screening Check");
    assertThat(card.suggestions()).singleElement().satisfies(suggestion -> {
      assertThat(suggestion.isRecommended()).isTrue();
      JsonNode order = suggestion.actions().get(0).resource();
      assertThat(order.path("resourceType").asText()).isEqualTo("ServiceRequest");
      assertThat(order.path("status").asText()).isEqualTo("draft");
      assertThat(order.path("intent").asText()).isEqualTo("proposal");
      assertThat(order.path("subject").path("reference").asText()).isEqualTo("Patient/p1");
      assertThat(order.path("code").path("coding").get(0).path("code").asText())
          .isEqualTo("310627008");
      assertThat(order.path("instantiatesCanonical").get(0).asText()).endsWith(
          "/ActivityDefinition/opioidcds-urine-screening-request");
    });
    ServiceDefinition pdmp = pack.services().stream()
        .filter(s -> s.id().equals("opioidcds-09")).findFirst().orElseThrow();
    assertThat(mapper.response(request, result, pdmp).cards()).singleElement()
        .satisfies(c -> assertThat(c.suggestions()).isEmpty());
    assertThat(new OpioidSuggestions().suggestions(result.recommendations().get(0), "h-1"))
        .isEmpty();
  }

  /** A patient-view evaluation: no draft orders, only the record. */
  static List<String> view(ClinicalFact... onRecord) {
    PatientRecord record = PatientRecord.builder(
        new Patient("p1", TODAY.minusYears(40), AdministrativeGender.MALE))
        .addAll(List.of(onRecord)).build();
    EvaluationResult result = engine.evaluate(record,
        OpioidCdsConformanceTest.CLOCK);
    assertThat(result.failures()).isEmpty();
    return shown(result);
  }

  @ParameterizedTest
  @CsvSource({"100, true", "30, false"})
  void patientViewFlagsAnExtendedReleaseOpioidOnlyForAPatientWithNoOtherRecentOrder(
      int daysAgo, boolean shown) {
    // The order on record is itself an order of the past 90 days unless written earlier: the
    // reference's "opioid naive" test reads every active order, as here.
    MedicationRequest er = order("er", "1049502", "2", "{tablet}", "30",
        TODAY.minusDays(daysAgo));
    assertThat(view(er).contains("cdc-opioids-2016-rec-04-patient-view")).isEqualTo(shown);
  }

  @Test
  void patientViewAsksForAUrineScreenUntilOneIsOnRecordForThePastYear() {
    MedicationRequest chronic = order("rx", "1049502", "2", "{tablet}", "30",
        TODAY.minusDays(20));
    assertThat(view(chronic)).contains("cdc-opioids-2016-rec-10-patient-view");
    Observation screen = Observation.builder("uds", ObservationStatus.FINAL,
            new CodeableConcept(List.of(Code.of(LOINC, "70146-6")), null))
        .effective(Period.at(ClinicalTime.of(TODAY.minusDays(200))))
        .category(new CodeableConcept(
            List.of(Code.of(Observation.CATEGORY_SYSTEM, "laboratory")), null))
        .valueString("NEG").build();
    assertThat(view(chronic, screen)).doesNotContain("cdc-opioids-2016-rec-10-patient-view")
        .doesNotContain("cdc-opioids-2016-rec-10-illicit-drugs");
    Observation positive = Observation.builder("uds", ObservationStatus.FINAL, screen.code())
        .effective(screen.effective()).category(screen.category()).valueString("POS").build();
    assertThat(view(chronic, positive)).contains("cdc-opioids-2016-rec-10-illicit-drugs");
  }

  @Test
  void patientViewFlagsActiveOpioidAndBenzodiazepineTogetherOnly() {
    MedicationRequest opioid = order("rx", "1049502", "2", "{tablet}", "30",
        TODAY.minusDays(20));
    MedicationRequest benzodiazepine = order("bz", "104693", "1", "{tablet}", "30",
        TODAY.minusDays(10));
    assertThat(view(opioid, benzodiazepine)).contains("cdc-opioids-2016-rec-11-patient-view");
    assertThat(view(opioid)).doesNotContain("cdc-opioids-2016-rec-11-patient-view");
    assertThat(view(benzodiazepine)).doesNotContain("cdc-opioids-2016-rec-11-patient-view");
  }

  @Test
  void aDraftNaloxoneOrderDoesNotCountAsNaloxoneOnRecord() {
    // Two drafts: the opioid and a naloxone order, both active, as the reference's requests
    // send them. The reference reads naloxone from the record only.
    MedicationRequest highDose = order("rx", "1049502", "6", "{tablet}", "30", TODAY);
    MedicationRequest naloxone = order("nx", "1191212", "1", "mL", "30", TODAY);
    PatientRecord record = PatientRecord.builder(
            new Patient("p1", TODAY.minusYears(40), AdministrativeGender.FEMALE))
        .add(highDose).add(naloxone).build();
    EvaluationResult result = engine.evaluate(record.toBuilder().draftOrders(List.of("MedicationRequest/rx", "MedicationRequest/nx")).build(), OpioidCdsConformanceTest.CLOCK);
    assertThat(shown(result)).contains("cdc-opioids-2016-rec-08");
  }

  // ---- Recommendation 10: positive screens, the non-synthetic order that explains one, and
  // the pack setting opiate-urine-screening-check (OpioidCDSREC10Common, OpioidCDSCommonConfig).

  private static final String POSITIVE_SCREEN = "cdc-opioids-2016-rec-10-illicit-drugs";
  private static final CodeableConcept LABORATORY =
      new CodeableConcept(List.of(Code.of(Observation.CATEGORY_SYSTEM, "laboratory")), null);

  /** A laboratory urine screen with a LOINC code, 40 days ago, with a text result. */
  static Observation screen(String id, String loinc, String value) {
    return Observation.builder(id, ObservationStatus.FINAL,
            new CodeableConcept(List.of(Code.of(LOINC, loinc)), null))
        .effective(Period.at(ClinicalTime.of(TODAY.minusDays(40)))).category(LABORATORY)
        .valueString(value).build();
  }

  /** An opiate urine screen (LOINC 19295-5, in "Opioid drug urine screening"). */
  static Observation opiates(String value) {
    assertThat(inValueSet("opioid-drug-urine-screening", "19295-5")).isTrue();
    return screen("opiates", "19295-5", value);
  }

  /** A cocaine urine screen (LOINC 70146-6, in "Cocaine Urine Tests"). */
  static Observation cocaine(String value) {
    assertThat(inValueSet("cocaine-urine-drug-screening-tests", "70146-6")).isTrue();
    return screen("cocaine", "70146-6", value);
  }

  /** Morphine 20 mg ER capsule, written {@code daysAgo}: a non-synthetic opioid. */
  static MedicationRequest morphine(int daysAgo) {
    assertThat(inValueSet("non-synthetic-opioid-medications", "892596")).isTrue();
    return order("mo", "892596", "1", "{capsule}", "30", TODAY.minusDays(daysAgo));
  }

  /** Fentanyl 25 mcg/h patch, written {@code daysAgo}: a synthetic opioid. */
  static MedicationRequest fentanyl(int daysAgo) {
    assertThat(inValueSet("non-synthetic-opioid-medications", "245134")).isFalse();
    return order("fx", "245134", "1", "{patch}", "30", TODAY.minusDays(daysAgo));
  }

  static EvaluationResult viewResult(CdsEngine on, ClinicalFact... onRecord) {
    PatientRecord record = PatientRecord.builder(
        new Patient("p1", TODAY.minusYears(40), AdministrativeGender.MALE))
        .addAll(List.of(onRecord)).build();
    EvaluationResult result = on.evaluate(record,
        OpioidCdsConformanceTest.CLOCK);
    assertThat(result.failures()).isEmpty();
    return result;
  }

  /** The positive-screen recommendation, if shown. */
  static java.util.Optional<Recommendation> positiveScreen(EvaluationResult result) {
    return result.recommendations().stream().filter(r -> r.id().equals(POSITIVE_SCREEN))
        .findFirst();
  }

  @Test
  void aNonSyntheticOpioidOrderExplainsAPositiveOpiateScreenAndASyntheticOneDoesNot() {
    // The define "Opioid Other Than Synthetic Ordered In Last 12 Months", as its name and the
    // guideline intend: morphine or codeine explains a positive opiate immunoassay; fentanyl,
    // methadone or oxycodone does not. (As written, its CQL selects the synthetic ones.)
    Observation positive = opiates("POS");
    assertThat(view(positive)).contains(POSITIVE_SCREEN);
    assertThat(view(positive, morphine(20))).doesNotContain(POSITIVE_SCREEN);
    assertThat(view(positive, fentanyl(20))).contains(POSITIVE_SCREEN);
    assertThat(view(positive, fentanyl(20), morphine(20))).doesNotContain(POSITIVE_SCREEN);
    // oxycodone 10 mg ER: synthetic (semi-synthetic), not in the non-synthetic set
    assertThat(inValueSet("non-synthetic-opioid-medications", "1049502")).isFalse();
    assertThat(view(positive, order("ox", "1049502", "2", "{tablet}", "30",
        TODAY.minusDays(20)))).contains(POSITIVE_SCREEN);
  }

  @ParameterizedTest
  @CsvSource({"0, false", "365, false", "366, true"})
  void aMorphineOrderExplainsAPositiveOpiateScreenWhenWrittenAYearAgoOrLater(int daysAgo,
      boolean shown) {
    // "date from MR.authoredOn 1 year or less on or before Today()": 2021-12-13 to 2022-12-13.
    assertThat(TODAY.minusDays(365)).isEqualTo(TODAY.minusYears(1));
    assertThat(view(opiates("POS"), morphine(daysAgo)).contains(POSITIVE_SCREEN))
        .as("morphine written %d days ago", daysAgo).isEqualTo(shown);
  }

  @Test
  void onlyAnActiveMorphineOrderOnRecordExplainsAPositiveOpiateScreen() {
    MedicationRequest stopped = MedicationRequest.builder("mo", RequestStatus.STOPPED,
            RequestIntent.ORDER, morphine(20).medication())
        .authoredOn(morphine(20).authoredOn()).dispenseRequest(morphine(20).dispenseRequest())
        .dosage(morphine(20).dosage()).category(COMMUNITY).build();
    assertThat(view(opiates("POS"), stopped)).contains(POSITIVE_SCREEN);
    // A morphine order being written now does not explain a screen of 40 days ago.
    EvaluationResult result = engine.evaluate(request(TODAY.minusYears(40), morphine(0),
        opiates("POS")), OpioidCdsConformanceTest.CLOCK);
    assertThat(shown(result)).contains(POSITIVE_SCREEN);
  }

  @Test
  void anOrderNamingItsMedicationByReferenceCountsByThatMedicationsCode() {
    // The reader gives such an order its Medication's code and keeps the Medication as its
    // product; it counts by that code, never for being a reference (the define's literal
    // 'MR.medication is Reference' branch).
    io.github.cdsengine.core.model.Medication product =
        new io.github.cdsengine.core.model.Medication(null, List.of());
    MedicationRequest morphineByReference = MedicationRequest.builder("mo", RequestStatus.ACTIVE,
            RequestIntent.ORDER, morphine(20).medication())
        .authoredOn(morphine(20).authoredOn()).dispenseRequest(morphine(20).dispenseRequest())
        .dosage(morphine(20).dosage()).category(COMMUNITY).product(product).build();
    MedicationRequest fentanylByReference = MedicationRequest.builder("fx", RequestStatus.ACTIVE,
            RequestIntent.ORDER, fentanyl(20).medication())
        .authoredOn(fentanyl(20).authoredOn()).dispenseRequest(fentanyl(20).dispenseRequest())
        .dosage(fentanyl(20).dosage()).category(COMMUNITY).product(product).build();
    assertThat(view(opiates("POS"), morphineByReference)).doesNotContain(POSITIVE_SCREEN);
    assertThat(view(opiates("POS"), fentanylByReference)).contains(POSITIVE_SCREEN);
  }

  @Test
  void aNonSyntheticOrderDoesNotHideCocaine() {
    EvaluationResult result = viewResult(engine, cocaine("Positive"), opiates("POS"),
        morphine(20));
    assertThat(positiveScreen(result)).hasValueSatisfying(card -> {
      assertThat(card.detail()).contains("cocaine on " + TODAY.minusDays(40))
          .doesNotContain("opiates");
      assertThat(card.title()).isEqualTo("Positive Cocaine or PCP or Opiates in Urine Screening");
    });
  }

  // Which order explains which positive test: the reference's own classes of urine tests and
  // of opioid medications (cqframework opioid-cds-r4 value sets, http://fhir.org/guides/cdc/
  // opioid-cds/ValueSet/...). Each code below is checked against the value set it stands for.

  /** A positive urine test with LOINC {@code loinc}, asserted to be in value set {@code in}. */
  static Observation positiveTest(String loinc, String in) {
    assertThat(inValueSet("opioid-drug-urine-screening", loinc)).as(loinc).isTrue();
    assertThat(inValueSet(in, loinc)).as("%s in %s", loinc, in).isTrue();
    return screen("uds-" + loinc, loinc, "POS");
  }

  /** An active order of RxNorm {@code rxnorm}, asserted to be in value set {@code in}. */
  static MedicationRequest orderIn(String rxnorm, String in, int daysAgo) {
    assertThat(inValueSet(in, rxnorm)).as("%s in %s", rxnorm, in).isTrue();
    return order("rx-" + rxnorm, rxnorm, "1", "{unit}", "30", TODAY.minusDays(daysAgo));
  }

  // fentaNYL Ql (U) 11235-9: fentanyl-type (and synthetic) test
  static final String FENTANYL_TEST = "11235-9";
  // oxyCODONE Ql (U) 10998-3, Buprenorphine Screen Ql (U) 93494-3: synthetic, not fentanyl-type
  static final String OXYCODONE_TEST = "10998-3";
  static final String BUPRENORPHINE_TEST = "93494-3";
  // Opiates [Presence] in Urine by Screen method 19295-5: general opiate test
  static final String OPIATES_TEST = "19295-5";
  // Morphine [Presence] in Urine by Screen method 19597-4: opiate-specific test
  static final String MORPHINE_TEST = "19597-4";
  // 72 HR fentanyl 0.025 MG/HR Transdermal System
  static final String FENTANYL_PATCH = "245134";
  // 12 HR Oxycodone Hydrochloride 10 MG Extended Release Oral Tablet
  static final String OXYCODONE_ER = "1049502";
  // Buprenorphine 8 MG / Naloxone 2 MG Sublingual Film [Suboxone]
  static final String SUBOXONE = "1010606";
  // 24 HR morphine sulfate 20 MG Extended Release Oral Capsule
  static final String MORPHINE_ER = "892596";
  // acetaminophen 300 MG / codeine phosphate 30 MG Oral Tablet [Tylenol with Codeine]
  static final String TYLENOL_WITH_CODEINE = "993837";

  @Test
  void aPatientsOwnPrescribedOpioidExplainsItsPositiveTest() {
    // fentanyl test, fentanyl patch order (fentanyl-type-medications)
    assertThat(view(positiveTest(FENTANYL_TEST, "fentanyl-type-urine-drug-screening-tests"),
        orderIn(FENTANYL_PATCH, "fentanyl-type-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
    // oxycodone test, oxycodone order: semi-synthetic, not non-synthetic
    assertThat(inValueSet("non-synthetic-opioid-medications", OXYCODONE_ER)).isFalse();
    assertThat(view(positiveTest(OXYCODONE_TEST, "synthetic-opioid-urine-drug-screening-tests"),
        orderIn(OXYCODONE_ER, "opioid-analgesics-with-ambulatory-misuse-potential", 20)))
        .doesNotContain(POSITIVE_SCREEN);
    // buprenorphine screen, buprenorphine/naloxone order
    assertThat(view(positiveTest(BUPRENORPHINE_TEST,
        "synthetic-opioid-urine-drug-screening-tests"),
        orderIn(SUBOXONE, "buprenorphine-and-methadone-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
    // general opiate screen, morphine order; morphine-specific test, codeine order (the
    // non-synthetic set's definition: "All metabolize to morphine")
    assertThat(view(positiveTest(OPIATES_TEST, "general-opiate-urine-drug-screening-tests"),
        orderIn(MORPHINE_ER, "non-synthetic-opioid-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
    assertThat(view(positiveTest(MORPHINE_TEST, "opiate-specific-urine-drug-screening-tests"),
        orderIn(TYLENOL_WITH_CODEINE, "non-synthetic-opioid-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
  }

  @Test
  void anOrderOfAnotherClassDoesNotExplainAPositiveTest() {
    // Illicit fentanyl is not hidden by an oxycodone order.
    assertThat(inValueSet("fentanyl-type-medications", OXYCODONE_ER)).isFalse();
    assertThat(view(positiveTest(FENTANYL_TEST, "fentanyl-type-urine-drug-screening-tests"),
        orderIn(OXYCODONE_ER, "opioid-analgesics-with-ambulatory-misuse-potential", 20)))
        .contains(POSITIVE_SCREEN);
    // A general opiate screen is not explained by a fentanyl order, nor an oxycodone test by a
    // morphine order, nor a morphine-specific test by a buprenorphine order.
    assertThat(view(positiveTest(OPIATES_TEST, "general-opiate-urine-drug-screening-tests"),
        orderIn(FENTANYL_PATCH, "fentanyl-type-medications", 20)))
        .contains(POSITIVE_SCREEN);
    assertThat(view(positiveTest(OXYCODONE_TEST, "synthetic-opioid-urine-drug-screening-tests"),
        orderIn(MORPHINE_ER, "non-synthetic-opioid-medications", 20)))
        .contains(POSITIVE_SCREEN);
    assertThat(view(positiveTest(MORPHINE_TEST, "opiate-specific-urine-drug-screening-tests"),
        orderIn(SUBOXONE, "buprenorphine-and-methadone-medications", 20)))
        .contains(POSITIVE_SCREEN);
  }

  @Test
  void theCardNamesThePositiveTestsLeftUnexplained() {
    EvaluationResult result = viewResult(engine,
        positiveTest(FENTANYL_TEST, "fentanyl-type-urine-drug-screening-tests"),
        positiveTest(OPIATES_TEST, "general-opiate-urine-drug-screening-tests"),
        orderIn(OXYCODONE_ER, "opioid-analgesics-with-ambulatory-misuse-potential", 20),
        orderIn(MORPHINE_ER, "non-synthetic-opioid-medications", 20));
    assertThat(positiveScreen(result)).hasValueSatisfying(card -> assertThat(card.detail())
        .contains("fentanyl-type opioids (LOINC " + FENTANYL_TEST + ") on "
            + TODAY.minusDays(40))
        .doesNotContain(OPIATES_TEST).doesNotContain("opiates ("));
  }

  @Test
  void aTestInTheOpioidSetButInNoClassIsExplainedByAnyOpioidOrder() {
    // Methadone Ql (U) 3773-9: in "Opioid drug urine screening", in none of the four classes.
    String methadone = "3773-9";
    for (String set : List.of("general-opiate-urine-drug-screening-tests",
        "opiate-specific-urine-drug-screening-tests",
        "synthetic-opioid-urine-drug-screening-tests",
        "fentanyl-type-urine-drug-screening-tests")) {
      assertThat(inValueSet(set, methadone)).as(set).isFalse();
    }
    Observation test = positiveTest(methadone, "opioid-drug-urine-screening");
    assertThat(view(test)).contains(POSITIVE_SCREEN);
    assertThat(view(test, orderIn(MORPHINE_ER, "non-synthetic-opioid-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
    assertThat(view(test, orderIn(SUBOXONE, "buprenorphine-and-methadone-medications", 20)))
        .doesNotContain(POSITIVE_SCREEN);
  }

  @ParameterizedTest
  @CsvSource({
      // test, its class, order, its class
      "11235-9, fentanyl-type-urine-drug-screening-tests, 245134, fentanyl-type-medications",
      "10998-3, synthetic-opioid-urine-drug-screening-tests, 1049502, "
          + "opioid-analgesics-with-ambulatory-misuse-potential",
      "93494-3, synthetic-opioid-urine-drug-screening-tests, 1010606, "
          + "buprenorphine-and-methadone-medications",
      "19295-5, general-opiate-urine-drug-screening-tests, 892596, "
          + "non-synthetic-opioid-medications",
      "19597-4, opiate-specific-urine-drug-screening-tests, 993837, "
          + "non-synthetic-opioid-medications",
      "3773-9, opioid-drug-urine-screening, 1049502, "
          + "opioid-analgesics-with-ambulatory-misuse-potential"})
  void eachClassOfOrderExplainsItsTestWhenWrittenAYearAgoOrLater(String test, String testSet,
      String rxnorm, String orderSet) {
    // "date from MR.authoredOn 1 year or less on or before Today()"
    for (int daysAgo : new int[] {0, 365, 366}) {
      assertThat(view(positiveTest(test, testSet), orderIn(rxnorm, orderSet, daysAgo))
          .contains(POSITIVE_SCREEN))
          .as("%s with %s written %d days ago", test, rxnorm, daysAgo)
          .isEqualTo(daysAgo == 366);
    }
  }

  @ParameterizedTest
  @CsvSource({
      // valueCodeableConcept
      "value, http://snomed.info/sct, 10828004, true",
      "value, http://snomed.info/sct, 260373001, true",
      "value, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, POS, true",
      "value, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, DET, true",
      "value, http://snomed.info/sct, 260385009, false",
      "value, http://snomed.info/sct, 260415000, false",
      "value, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, NEG, false",
      "value, http://loinc.org, LA6576-8, true",
      "value, http://loinc.org, LA11882-0, true",
      "value, http://loinc.org, LA6577-6, false",
      "value, http://loinc.org, LA11883-8, false",
      // Observation.interpretation, with no value
      "interpretation, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, POS, true",
      "interpretation, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, DET, true",
      "interpretation, http://snomed.info/sct, 10828004, true",
      "interpretation, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, NEG, false",
      "interpretation, http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, ND, false"})
  void aCodedPositiveScreenCountsAndACodedNegativeDoesNot(String where, String system,
      String code, boolean shown) {
    CodeableConcept coded = CodeableConcept.of(Code.of(system, code));
    Observation text = cocaine(null);
    Observation screen = Observation.builder("cocaine", ObservationStatus.FINAL, text.code())
        .effective(text.effective()).valueConcept(where.equals("value") ? coded : null)
        .category(LABORATORY).interpretation(where.equals("interpretation") ? coded : null)
        .build();
    assertThat(view(screen).contains(POSITIVE_SCREEN)).as("%s %s|%s", where, system, code)
        .isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"POS, true", "positive, true", "Pos, true", "NEG, false", "negative, false"})
  void aTextScreenIsPositiveWhenItStartsWithPos(String value, boolean shown) {
    // StartsWith(Lower(CS.value as FHIR.string), 'pos')
    assertThat(view(cocaine(value)).contains(POSITIVE_SCREEN)).isEqualTo(shown);
  }

  @Test
  void theOpiateScreeningSettingWordsTheSummaryAndDecidesWhetherOpiatesCount() {
    // OpioidCDSCommonConfig "Opiate Urine Screening Check Enabled" (default true), read by
    // OpioidCDSREC10Common "Get Summary" and "Applicable Because of Positive Cocaine or PCP or
    // Opiates".
    try (CdsEngine off = CdsEngine.builder().addRulePack(pack)
        .addValueSets(Conformance.directory("opioid-cds").resolve("vocabulary/valueset"))
        .packSetting(ShippedRulePacks.CDC_OPIOIDS_2016, "opiate-urine-screening-check", false)
        .build()) {
      assertThat(positiveScreen(viewResult(engine, cocaine("POS")))).map(Recommendation::title)
          .contains("Positive Cocaine or PCP or Opiates in Urine Screening");
      assertThat(positiveScreen(viewResult(off, cocaine("POS")))).map(Recommendation::title)
          .contains("Positive Cocaine or PCP in Urine Screening");
      assertThat(positiveScreen(viewResult(engine, opiates("POS")))).isPresent();
      assertThat(positiveScreen(viewResult(off, opiates("POS")))).isEmpty();
      // The switch covers every test of "Opiate Screenings", fentanyl-type ones included.
      assertThat(positiveScreen(viewResult(off,
          positiveTest(FENTANYL_TEST, "fentanyl-type-urine-drug-screening-tests")))).isEmpty();
      assertThat(positiveScreen(viewResult(off, opiates("POS"), cocaine("POS"))))
          .hasValueSatisfying(card -> assertThat(card.detail()).doesNotContain("opiates"));

      // "Patient had Urine Screening in Last 12 Months": an opiate screen counts while the
      // setting is on; off, only non-opioid, cocaine and PCP screens do. A deliberate deviation:
      // the CQL's explicit 'else true' would count everyone as screened and never show the
      // annual card, even with no screen at all; here 'else false'.
      MedicationRequest chronic = order("rx", "1049502", "2", "{tablet}", "30",
          TODAY.minusDays(20));
      String annual = "cdc-opioids-2016-rec-10-patient-view";
      assertThat(shown(viewResult(engine, chronic, opiates("NEG")))).doesNotContain(annual);
      assertThat(shown(viewResult(off, chronic, opiates("NEG")))).contains(annual);
      assertThat(shown(viewResult(off, chronic))).contains(annual);
      assertThat(shown(viewResult(off, chronic, cocaine("NEG")))).doesNotContain(annual);
      assertThat(off.ruleSet()).contains("cdc-opioids-2016:opiate-urine-screening-check=false");
    }
  }

  @Test
  void theOpiateScreeningSettingIsDeclaredWithItsDefaultAndSource() {
    assertThat(pack.setting("opiate-urine-screening-check")).hasValueSatisfying(setting -> {
      assertThat(setting.defaultValue()).isTrue();
      assertThat(setting.source()).contains("OpioidCDSCommonConfig")
          .contains("Opiate Urine Screening Check Enabled");
    });
  }

  /** Whether the reference value set {@code name} has {@code code} in its expansion. */
  static boolean inValueSet(String name, String code) {
    Path file = Conformance.directory("opioid-cds")
        .resolve("vocabulary/valueset/valueset-" + name + ".json");
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile())
          .path("expansion").path("contains").findValuesAsText("code").contains(code);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyServiceListsRecommendationsThePackMakesAndDiscoveryListsEveryService() {
    List<String> recommendations = new ArrayList<>();
    for (RuleInfo rule : engine.rules()) {
      if (rule.recommendationId() != null) {
        recommendations.add(rule.recommendationId());
      }
    }
    List<String> listed = new ArrayList<>();
    for (ServiceDefinition service : pack.services()) {
      assertThat(recommendations).as(service.id()).containsAll(service.recommendations());
      listed.addAll(service.recommendations());
    }
    assertThat(listed).containsAll(recommendations);
    assertThat(CdsServices.fromPacks(List.of(pack)).services()).extracting(CdsService::id)
        .containsExactlyElementsOf(pack.services().stream().map(ServiceDefinition::id).toList());
  }
}
