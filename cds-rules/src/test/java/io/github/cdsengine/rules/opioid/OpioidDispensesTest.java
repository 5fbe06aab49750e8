package io.github.cdsengine.rules.opioid;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.rules.opioid.OpioidRulesTest.order;
import static io.github.cdsengine.rules.opioid.OpioidRulesTest.request;
import static io.github.cdsengine.rules.opioid.OpioidRulesTest.shown;
import static io.github.cdsengine.rules.opioid.OpioidRulesTest.suboxone;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.rules.ShippedRulePacks;
import io.github.cdsengine.core.testing.Conformance;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dispensing events in the CDC 2016 opioid pack, from the reference logic (opioid-cds-r4 v2016,
 * 2016.4.0). OpioidCDSRoutines "Is Opioid Naive?" is false with "Opioid Dispense with Ambulatory
 * Abuse Potential In Past 90 Days": a dispense of a medication in "Opioid analgesics with
 * ambulatory misuse potential" whose {@code status = 'completed'} and whose {@code
 * whenHandedOver during day of "Prescription/Dispense Inclusion Period"} ({@code Interval[Now() -
 * 90 days, Now() - 24 hours]}). Recommendations 1 and 4 apply to opioid-naive patients only.
 * OpioidCDSCommon "Days on Opioids during Period" (recommendation 7) reads {@code
 * [MedicationRequest]} only: a dispense adds no day on opioids.
 */
class OpioidDispensesTest {

  private static final LocalDate TODAY = OpioidCdsConformanceTest.CLOCK.date();
  /** Oxycodone hydrochloride 5 MG oral tablet: immediate release, ambulatory misuse potential. */
  private static final String OXYCODONE = "1049621";

  private static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder()
        .addRulePack(ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016))
        .addValueSets(Conformance.directory("opioid-cds").resolve("vocabulary/valueset"))
        // What is tested is which cards show, not speed: a first, cold evaluation on a busy
        // build machine must not hit the one-second default bound.
        .maxEvaluationTime(Duration.ofSeconds(30))
        .build();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static EvaluationResult evaluate(PatientRecord request) {
    EvaluationResult result = engine.evaluate(request, OpioidCdsConformanceTest.CLOCK);
    assertThat(result.failures()).isEmpty();
    return result;
  }

  /** Signing {@code draft} for a patient with {@code onRecord}. */
  private static EvaluationResult sign(LocalDate birthDate, MedicationRequest draft,
      ClinicalFact... onRecord) {
    return evaluate(request(birthDate, draft, onRecord));
  }

  /** Opening the chart of a 40-year-old with {@code onRecord}. */
  private static List<String> view(ClinicalFact... onRecord) {
    PatientRecord record = PatientRecord.builder(
        new Patient("p1", TODAY.minusYears(40), AdministrativeGender.MALE))
        .addAll(List.of(onRecord)).build();
    return shown(evaluate(record));
  }

  static MedicationDispense dispense(String id, String rxnorm, MedicationDispenseStatus status,
      LocalDate handedOver) {
    return new MedicationDispense(id, status,
        new CodeableConcept(List.of(Code.of(RXNORM, rxnorm)), null), null,
        handedOver == null ? null : ClinicalTime.of(handedOver), Quantity.of("60", "1"),
        Quantity.of("30", "d"), null, null, List.of());
  }

  static MedicationDispense oxycodoneDaysAgo(int daysAgo) {
    return dispense("md", OXYCODONE, MedicationDispenseStatus.COMPLETED,
        TODAY.minusDays(daysAgo));
  }

  static boolean naiveCardShown(ClinicalFact... onRecord) {
    return shown(sign(TODAY.minusYears(40), suboxone(), onRecord))
        .contains("cdc-opioids-2016-rec-01");
  }

  @Test
  void theOpioidIsInTheValueSetTheRoutineReads() {
    assertThat(OpioidRulesTest.inValueSet(
        "opioid-analgesics-with-ambulatory-misuse-potential", OXYCODONE)).isTrue();
    assertThat(naiveCardShown()).as("no history: opioid naive").isTrue();
  }

  @ParameterizedTest
  @CsvSource({"0, true", "1, false", "30, false", "90, false", "91, true", "200, true"})
  void aCompletedDispenseHandedOverFromNinetyDaysAgoToYesterdayEndsOpioidNaive(int daysAgo,
      boolean naive) {
    assertThat(naiveCardShown(oxycodoneDaysAgo(daysAgo))).as("handed over %d days ago", daysAgo)
        .isEqualTo(naive);
  }

  @ParameterizedTest
  @EnumSource(value = MedicationDispenseStatus.class, names = "COMPLETED", mode =
      EnumSource.Mode.EXCLUDE)
  void onlyACompletedDispenseCounts(MedicationDispenseStatus status) {
    assertThat(naiveCardShown(dispense("md", OXYCODONE, status, TODAY.minusDays(30))))
        .as(status.code()).isTrue();
  }

  @Test
  void aCompletedDispenseWithNoHandOverTimeDoesNotCountAndIsADataWarning() {
    EvaluationResult result = sign(TODAY.minusYears(40), suboxone(),
        dispense("md", OXYCODONE, MedicationDispenseStatus.COMPLETED, null));
    assertThat(shown(result)).contains("cdc-opioids-2016-rec-01");
    assertThat(result.warnings()).extracting(DataWarning::toString)
        .contains("MedicationDispense/md: has no date, so no lookback can count it");
  }

  @Test
  void aDispenseOfAnotherMedicationDoesNotCount() {
    // alprazolam 0.5 MG oral tablet: a benzodiazepine
    assertThat(OpioidRulesTest.inValueSet(
        "opioid-analgesics-with-ambulatory-misuse-potential", "308048")).isFalse();
    assertThat(naiveCardShown(dispense("md", "308048", MedicationDispenseStatus.COMPLETED,
        TODAY.minusDays(30)))).isTrue();
  }

  @Test
  void aDispensedOpioidEndsOpioidNaiveForTheExtendedReleaseCardsToo() {
    // Recommendation 4 (patient view): an active ER/LA order for chronic pain written 100 days
    // ago, the patient otherwise naive; a dispense 30 days ago means opioids are not new.
    MedicationRequest er = order("er", "1049502", "2", "{tablet}", "30", TODAY.minusDays(100));
    assertThat(view(er)).contains("cdc-opioids-2016-rec-04-patient-view");
    assertThat(view(er, oxycodoneDaysAgo(30)))
        .doesNotContain("cdc-opioids-2016-rec-04-patient-view");
    // Recommendation 4 on signing an ER/LA order.
    MedicationRequest draft = order("rx", "1049502", "2", "{tablet}", "30", TODAY);
    assertThat(shown(sign(TODAY.minusYears(40), draft)))
        .contains("cdc-opioids-2016-rec-04");
    assertThat(shown(sign(TODAY.minusYears(40), draft, oxycodoneDaysAgo(90))))
        .doesNotContain("cdc-opioids-2016-rec-04");
  }

  @Test
  void anEnteredInErrorDispenseNeverCounts() {
    assertThat(naiveCardShown(dispense("md", OXYCODONE,
        MedicationDispenseStatus.ENTERED_IN_ERROR, TODAY.minusDays(30)))).isTrue();
  }

  @Test
  void aDispenseNamingItsMedicationByReferenceCountsThroughACdsHooksPrefetch() {
    String json = """
        {"hookInstance": "h-1", "hook": "order-sign",
         "context": {"patientId": "p1", "draftOrders": {"resourceType": "Bundle",
           "type": "collection", "entry": [{"resource": {"resourceType": "MedicationRequest",
             "id": "rx", "status": "draft", "intent": "order",
             "category": [{"coding": [{"system":
               "http://terminology.hl7.org/CodeSystem/medicationrequest-category",
               "code": "community"}]}],
             "medicationCodeableConcept": {"coding": [{"system": "%1$s", "code": "1010603"}]},
             "subject": {"reference": "Patient/p1"}, "authoredOn": "%2$s",
             "dispenseRequest": {"expectedSupplyDuration": {"value": 30,
               "system": "http://unitsofmeasure.org", "code": "d"}},
             "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1,
               "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1,
               "unit": "film"}}]}]}}]}},
         "prefetch": {
           "patient": {"resourceType": "Patient", "id": "p1", "birthDate": "1980-01-01"},
           "dispenses": {"resourceType": "Bundle", "type": "searchset", "entry": [
             {"resource": {"resourceType": "Medication", "id": "oxy",
               "code": {"coding": [{"system": "%1$s", "code": "%3$s"}]}}},
             {"resource": {"resourceType": "MedicationDispense", "id": "md",
               "status": "%4$s", "medicationReference": {"reference": "Medication/oxy"},
               "subject": {"reference": "Patient/p1"}, "whenHandedOver": "%5$s"}}]}}}""";
    assertThat(shownFor(json.formatted(RXNORM, TODAY, OXYCODONE, "completed",
        TODAY.minusDays(10)))).doesNotContain("cdc-opioids-2016-rec-01");
    assertThat(shownFor(json.formatted(RXNORM, TODAY, OXYCODONE, "in-progress",
        TODAY.minusDays(10)))).contains("cdc-opioids-2016-rec-01");
  }

  private static List<String> shownFor(String json) {
    CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");
    assertThat(request.skipped()).isEmpty();
    assertThat(request.record().medicationDispenses()).hasSize(1);
    return shown(evaluate(request.record()));
  }

  @Test
  void dispensesAddNoDaysOnOpioidsForRecommendationSeven() {
    // Opioids supplied on every day of the past four months: by orders on record, the
    // recommendation 7 card shows (21 or more days in each of the past 3 months); by dispenses
    // alone it does not, as "Days on Opioids during Period" reads orders only.
    ClinicalFact[] orders = new ClinicalFact[4];
    ClinicalFact[] dispenses = new ClinicalFact[4];
    for (int i = 0; i < 4; i++) {
      LocalDate start = TODAY.minusDays(30L * (i + 1));
      orders[i] = order("rx" + i, OXYCODONE, "1", "{tablet}", "30", start);
      dispenses[i] = dispense("md" + i, OXYCODONE, MedicationDispenseStatus.COMPLETED, start);
    }
    assertThat(shown(sign(TODAY.minusYears(40), suboxone(), orders)))
        .contains("cdc-opioids-2016-rec-07");
    assertThat(shown(sign(TODAY.minusYears(40), suboxone(), dispenses)))
        .doesNotContain("cdc-opioids-2016-rec-07");
  }
}
