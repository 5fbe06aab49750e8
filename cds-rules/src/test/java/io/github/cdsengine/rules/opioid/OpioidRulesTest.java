package io.github.cdsengine.rules.opioid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.DataWarning;
import io.github.cdsengine.core.EvaluationResult;
import io.github.cdsengine.core.Recommendation;
import io.github.cdsengine.core.RuleInfo;
import io.github.cdsengine.core.RulePack;
import io.github.cdsengine.core.ServiceDefinition;
import io.github.cdsengine.core.fhir.CdsHooksRequest;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsService;
import io.github.cdsengine.core.hooks.CdsServices;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.DispenseRequest;
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
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
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
    return new MedicationRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER,
        new CodeableConcept(List.of(Code.of(RXNORM, rxnorm)), null),
        ClinicalTime.of(authored), false,
        new DispenseRequest(null, null, null, Quantity.of(days, "d")),
        List.of(new Dosage(Quantity.of(unitsPerDay, unit), 1, BigDecimal.ONE, "d", List.of(),
            null, false)),
        COMMUNITY);
  }

  static CdsHooksRequest request(LocalDate birthDate, MedicationRequest draft,
      ClinicalFact... onRecord) {
    PatientRecord record = PatientRecord.builder(
            new Patient("p1", birthDate, AdministrativeGender.FEMALE))
        .add(draft).addAll(List.of(onRecord)).build();
    return new CdsHooksRequest("order-sign", "h-1", "p1", null, null,
        List.of(), record, List.of("MedicationRequest/" + draft.id()), Map.of(), List.of());
  }

  static EvaluationResult sign(LocalDate birthDate, MedicationRequest draft,
      ClinicalFact... onRecord) {
    CdsHooksRequest request = request(birthDate, draft, onRecord);
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
        new CodeableConcept(List.of(Code.of("http://snomed.info/sct", "460831000124102")),
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
      "1049502, 6, {tablet}, cdc-opioids-2016-rec-05-taper-now"})
  void dosageCardsStartAtFiftyAndSayTaperNowAtNinety(String rxnorm, String perDay,
      String unit, String expected) {
    List<String> shown = shown(sign(TODAY.minusYears(40),
        order("rx", rxnorm, perDay, unit, "30", TODAY)));
    List<String> dosage = shown.stream().filter(id -> id.startsWith("cdc-opioids-2016-rec-05"))
        .toList();
    assertThat(dosage).isEqualTo(expected == null ? List.of() : List.of(expected));
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
    CdsHooksRequest request = request(TODAY.minusYears(40), suboxone());
    EvaluationResult result = engine.evaluate(request, OpioidCdsConformanceTest.CLOCK);
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
    EvaluationResult result = engine.evaluate(new CdsHooksRequest("patient-view", "h-2", "p1",
        null, null, List.of(), record, List.of(), Map.of(), List.of()),
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
    Observation screen = new Observation("uds", ObservationStatus.FINAL,
        new CodeableConcept(List.of(Code.of("http://loinc.org", "70146-6")), null),
        Period.at(ClinicalTime.of(TODAY.minusDays(200))), null, null, null, List.of(),
        new CodeableConcept(List.of(Code.of(Observation.CATEGORY_SYSTEM, "laboratory")), null),
        null, "NEG");
    assertThat(view(chronic, screen)).doesNotContain("cdc-opioids-2016-rec-10-patient-view")
        .doesNotContain("cdc-opioids-2016-rec-10-illicit-drugs");
    Observation positive = new Observation("uds", ObservationStatus.FINAL, screen.code(),
        screen.effective(), null, null, null, List.of(), screen.category(), null, "POS");
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
    EvaluationResult result = engine.evaluate(new CdsHooksRequest("order-sign", "h-1", "p1",
        null, null, List.of(), record, List.of("MedicationRequest/rx", "MedicationRequest/nx"),
        Map.of(), List.of()), OpioidCdsConformanceTest.CLOCK);
    assertThat(shown(result)).contains("cdc-opioids-2016-rec-08");
  }

  @Test
  void aSyntheticOpioidOrderOfAnyDateKeepsAPositiveOpiateScreenFromTheIllicitDrugsCard() {
    Observation opiates = new Observation("uds", ObservationStatus.FINAL,
        new CodeableConcept(List.of(Code.of("http://loinc.org", "19295-5")), null),
        Period.at(ClinicalTime.of(TODAY.minusDays(40))), null, null, null, List.of(),
        new CodeableConcept(List.of(Code.of(Observation.CATEGORY_SYSTEM, "laboratory")), null),
        null, "POS");
    assertThat(inValueSet("opioid-drug-urine-screening", "19295-5")).isTrue();
    // morphine 20 mg ER capsule: a non-synthetic opioid
    assertThat(inValueSet("non-synthetic-opioid-medications", "892596")).isTrue();
    MedicationRequest morphine = order("rx", "892596", "1", "{capsule}", "30",
        TODAY.minusDays(20));
    // fentanyl 25 mcg/h patch, written two years ago and still active: synthetic
    assertThat(inValueSet("non-synthetic-opioid-medications", "245134")).isFalse();
    MedicationRequest fentanyl = order("fx", "245134", "1", "{patch}", "30",
        TODAY.minusYears(2));
    assertThat(view(morphine, opiates)).contains("cdc-opioids-2016-rec-10-illicit-drugs");
    assertThat(view(morphine, opiates, fentanyl))
        .doesNotContain("cdc-opioids-2016-rec-10-illicit-drugs");
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
