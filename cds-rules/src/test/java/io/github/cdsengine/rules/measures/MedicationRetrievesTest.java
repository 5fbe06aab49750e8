package io.github.cdsengine.rules.measures;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.testing.Facts.supply;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.core.testing.Facts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Medication retrieves match what each measure's compiled ELM matches, and supply durations in
 * months or years count as CQL converts them (UCUM: 1 mo = 30.4375 d, 1 a = 365.25 d).
 *
 * <p>From the ELM of ecqm-content-qicore-2024 (commit 9ebd48f): CMS156's retrieves {@code
 * [MedicationRequest: "X"]} compile to a union with the orders whose referenced Medication has a
 * code in X, and its {@code averageDailyDose()} reads CQMCommon {@code getMedicationCode()};
 * CMS506's "Opioid at Discharge" compiles the same way, its "Benzodiazepine at Discharge"
 * ({@code medication in "Schedule IV Benzodiazepines"}) to a plain retrieve on the order's own
 * code; AdvancedIllnessandFrailty's {@code [MedicationRequest: medication in "Dementia
 * Medications"]} likewise. Each test adds orders to a deck case.
 */
class MedicationRetrievesTest {

  static int nextId;

  /**
   * An active order; {@code byReference} names the medication through a Medication resource
   * (FHIR {@code medicationReference}), whose code the reader puts on the order.
   */
  static MedicationRequest order(Code medication, boolean byReference, String authoredOn,
      DispenseRequest dispense, CodeableConcept category) {
    return Facts.order("mr" + ++nextId, medication).authoredOn(authoredOn).dispense(dispense)
        .category(category).product(byReference ? new Medication(null, List.of()) : null).build();
  }

  /** CMS156 (UseofHighRiskMedicationsintheElderlyFHIR 0.2.001), on "IPPass Patient65AtEndofMP". */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class HighRiskMedications {
    final Code glimepiride = Code.of(RXNORM, "1361493");
    final Code nitrofurantoin = Code.of(RXNORM, "1648759");
    final Code digoxin025 = Code.of(RXNORM, "197606");
    final Code digoxin0125 = Code.of(RXNORM, "197604");
    CdsEngine engine;
    PatientRecord older;

    @BeforeAll
    void build() {
      engine = MeasureDecks.engine("CMS156");
      older = MeasureDecks.patient(
          "UseofHighRiskMedicationsintheElderlyFHIR/79c12ad7-f7de-4b87-93c3-ef85e0a644f0");
      if (older != null) {
        engine.evaluate(older, MeasureDecks.YEAR_2025); // warms the engine up; not asserted
      }
    }

    @AfterAll
    void close() {
      if (engine != null) {
        engine.close();
      }
    }

    int numerator1(ClinicalFact... added) {
      return MeasureDecks.evaluate(engine, older, added).measure("CMS156", 1).orElseThrow()
          .count(Population.NUMERATOR);
    }

    // "Same High Risk Medications Ordered on Different Days": the retrieve's union with
    // [Medication] matches an order that references a Medication coded glimepiride.
    @ParameterizedTest(name = "by reference {0}")
    @CsvSource({"false", "true"})
    void aHighRiskMedicationCountsWhetherCodedOrReferenced(boolean byReference) {
      assertThat(numerator1(
          order(glimepiride, byReference, "2025-02-01T10:00:00Z", supply(null, "30", "d", null),
              null),
          order(glimepiride, byReference, "2025-05-01T10:00:00Z", supply(null, "30", "d", null),
              null))).isEqualTo(1);
    }

    // averageDailyDose(): "Order.getMedicationCode().MedicationStrengthPerUnit()" finds the
    // strength of a referenced digoxin 0.25 mg tablet: 30 x 0.25 mg / 30 d = 0.25 > 0.125.
    @Test
    void aReferencedDigoxinHasItsStrengthFromTheMedicationsCode() {
      assertThat(numerator1(
          order(digoxin025, true, "2025-02-01T10:00:00Z", supply("30", "30", "d", null), null),
          order(digoxin025, true, "2025-03-01T10:00:00Z", supply("30", "30", "d", null), null)))
          .isEqualTo(1);
    }

    // "Sum(... MedicationRequestPeriodInDays()) > 90", daysSupply "(convert
    // expectedSupplyDuration to days).value": 1 mo x (1 + 2 refills) = 91.3125 d > 90, where
    // 30 d x 3 = 90 is not above; 1.5 mo twice = 91.3125 d.
    @ParameterizedTest(name = "{0} {1} with {2} refills, {3} orders: numerator 1 {4}")
    @CsvSource({
        "1, mo, 2, 1, 1",
        "1, month, 2, 1, 1",
        "30, d, 2, 1, 0",
        "1.5, mo, 0, 2, 1",
        "45, d, 0, 2, 0",
        "0.25, a, 0, 2, 1",
        "3, mg, 2, 1, 0",
    })
    void antiInfectiveSuppliesInMonthsAndYearsCountInUcumDays(String duration, String unit,
        int refills, int orders, int expected) {
      MedicationRequest first = order(nitrofurantoin, false, "2025-02-01T10:00:00Z",
          supply(null, duration, unit, refills), null);
      MedicationRequest second = order(nitrofurantoin, false, "2025-06-01T10:00:00Z",
          supply(null, duration, unit, refills), null);
      assertThat(orders == 1 ? numerator1(first) : numerator1(first, second))
          .isEqualTo(expected);
    }

    // averageDailyDose() "> 0.125 'mg/d'" with DaysSupplied in UCUM days: 30.4375 tablets of
    // 0.125 mg over 1 mo is exactly 0.125 mg/d (not above); 31 tablets is 0.1273 mg/d. A month
    // of 30 days would put 30.4375 tablets above.
    @ParameterizedTest(name = "{0} tablets of digoxin 0.125 mg over 1 mo: numerator 1 {1}")
    @CsvSource({"30.4375, 0", "31, 1"})
    void digoxinOverAMonthAveragesOverUcumDays(String tablets, int expected) {
      assertThat(numerator1(
          order(digoxin0125, false, "2025-02-01T10:00:00Z", supply(tablets, "1", "mo", null),
              null),
          order(digoxin0125, false, "2025-04-01T10:00:00Z", supply(tablets, "1", "mo", null),
              null))).isEqualTo(expected);
    }
  }

  /**
   * AdvancedIllnessandFrailty 1.16.000 "Has Dementia Medications in Year Before or During
   * Measurement Period", through CMS130, on "DENEXPass DementiaStartsDuringMP" (67, with a
   * frailty device ordered in the period) without its dementia medication order.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class DementiaMedications {
    final Code rivastigmine = Code.of(RXNORM, "312836");
    CdsEngine engine;
    PatientRecord frail;

    @BeforeAll
    void build() {
      engine = MeasureDecks.engine("CMS130");
      PatientRecord deckCase = MeasureDecks.patient(
          "ColonCancerScreeningFHIR/f9ef1fd1-cced-47ad-a47b-d9c20254511c");
      if (deckCase != null) {
        frail = PatientRecord.builder(deckCase.patient())
            .addAll(deckCase.facts().filter(f -> f != deckCase.patient()
                && !(f instanceof MedicationRequest)).toList())
            .build();
        engine.evaluate(frail, MeasureDecks.YEAR_2025); // warms the engine up; not asserted
      }
    }

    @AfterAll
    void close() {
      if (engine != null) {
        engine.close();
      }
    }

    int exclusion(ClinicalFact... added) {
      return MeasureDecks.evaluate(engine, frail, added).measure("CMS130", 1).orElseThrow()
          .count(Population.DENOMINATOR_EXCLUSION);
    }

    @Test
    void withoutADementiaOrderInTheSpanThePatientIsNotExcluded() {
      assertThat(exclusion()).isZero();
    }

    // The retrieve "[MedicationRequest: medication in "Dementia Medications"]" compiles to a
    // plain retrieve on medicationCodeableConcept: an order naming rivastigmine through a
    // Medication resource is not found.
    @ParameterizedTest(name = "by reference {0}: excluded {1}")
    @CsvSource({"false, 1", "true, 0"})
    void onlyAnOrderCodingTheMedicationItselfExcludes(boolean byReference, int expected) {
      assertThat(exclusion(order(rivastigmine, byReference, "2025-03-01T10:00:00Z",
          supply(null, "30", "d", null), null))).isEqualTo(expected);
    }

    // The same through the FHIR reader: the deck case's own rivastigmine order (authored
    // 2025-12-30), rewritten to name rivastigmine through a Medication resource of the case.
    @Test
    void theDecksDementiaOrderReadFromFhirExcludesOnlyWhileItCodesTheMedicationItself(
        @TempDir Path copy) throws IOException {
      Conformance.assumePresent(engine != null, "no conformance folder");
      Path deckCase = MeasureDecks.folder().orElseThrow()
          .resolve("tests/ColonCancerScreeningFHIR/f9ef1fd1-cced-47ad-a47b-d9c20254511c");
      assertThat(excludedAsRead(deckCase)).as("as the deck has it").isEqualTo(1);
      try (Stream<Path> files = Files.list(deckCase)) {
        for (Path file : files.toList()) {
          String json = Files.readString(file);
          if (file.getFileName().toString().startsWith("MedicationRequest")) {
            int start = json.indexOf("\"medicationCodeableConcept\"");
            int end = json.indexOf("\"subject\"");
            String code = json.substring(json.indexOf('{', start), json.lastIndexOf('}', end) + 1);
            json = json.substring(0, start)
                + "\"medicationReference\": {\"reference\": \"Medication/rivastigmine\"},\n  "
                + json.substring(end);
            Files.writeString(copy.resolve("Medication-rivastigmine.json"),
                "{\"resourceType\": \"Medication\", \"id\": \"rivastigmine\", \"code\": "
                    + code + "}");
          }
          Files.writeString(copy.resolve(file.getFileName().toString()), json);
        }
      }
      PatientRecord referenced = MeasureDecks.read(copy);
      assertThat(referenced.medicationRequests()).singleElement()
          .satisfies(order -> assertThat(order.medicationCodeableConcept()).isNull());
      assertThat(excludedAsRead(copy)).as("named through a Medication resource").isZero();
    }

    int excludedAsRead(Path caseFolder) {
      EvaluationResult result = engine.evaluate(MeasureDecks.read(caseFolder),
          MeasureDecks.YEAR_2025);
      assertThat(result.failures()).isEmpty();
      return result.measure("CMS130", 1).orElseThrow().count(Population.DENOMINATOR_EXCLUSION);
    }

    // medicationRequestPeriod() "overlaps day of Interval[start of "Measurement Period" - 1
    // year, end of "Measurement Period"]": from 2024-01-01. Interval[startDate, startDate +
    // Quantity(totalDaysSupplied - 1, 'day')], 1 a = 12 mo = 365.25 d, the fraction dropped:
    // authored 2023-01-01 the last day is 2023-12-31; authored 2023-01-02 it is 2024-01-01.
    // A 30-day month would end 12 mo from 2023-01-02 on 2023-12-27.
    @ParameterizedTest(name = "{0} {1} authored {2}: excluded {3}")
    @CsvSource({
        "1, a, 2023-01-01, 0",
        "1, a, 2023-01-02, 1",
        "12, mo, 2023-01-01, 0",
        "12, mo, 2023-01-02, 1",
        "1, year, 2023-01-02, 1",
        "52, wk, 2023-01-02, 0",
        "365, d, 2023-01-02, 1",
        "12, kg, 2023-01-02, 0",
    })
    void aSupplyInYearsOrMonthsReachesTheYearBeforeThePeriodInUcumDays(String duration,
        String unit, String authored, int expected) {
      assertThat(exclusion(order(rivastigmine, false, authored + "T10:00:00Z",
          supply(null, duration, unit, null), null))).isEqualTo(expected);
    }
  }

  /** CMS506 (CMS506FHIRSafeUseofOpioids 0.2.004), period 2026, on deck cases with one order. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OpioidsAndBenzodiazepinesAtDischarge {
    final EvaluationContext year2026 = EvaluationContext
        .at(LocalDate.of(2026, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
        .withMeasurementPeriod(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31));
    final CodeableConcept discharge = CodeableConcept.of(Code.of(
        "http://terminology.hl7.org/CodeSystem/medicationrequest-category", "discharge"));
    final Code midazolam = Code.of(RXNORM, "1551393");
    final Code oxycodoneAcetaminophen = Code.of(RXNORM, "1014632");
    CdsEngine engine;

    @BeforeAll
    void build() {
      engine = MeasureDecks.engine("CMS506");
    }

    @AfterAll
    void close() {
      if (engine != null) {
        engine.close();
      }
    }

    int numerator(String deckCase, ClinicalFact... added) {
      Conformance.assumePresent(engine != null, "no conformance folder");
      PatientRecord base = MeasureDecks.patient("CMS506FHIRSafeUseofOpioids/" + deckCase);
      PatientRecord record = PatientRecord.builder(base.patient())
          .addAll(base.facts().filter(f -> f != base.patient()).toList())
          .addAll(List.of(added)).build();
      EvaluationResult result = engine.evaluate(record, year2026);
      assertThat(result.failures()).isEmpty();
      return result.measure("CMS506", 1).orElseThrow().count(Population.NUMERATOR);
    }

    // "Benzodiazepine at Discharge": [MedicationRequest: medication in "Schedule IV
    // Benzodiazepines"], a plain retrieve; added to "DENOMPass EncounterWithOpioid".
    @ParameterizedTest(name = "benzodiazepine by reference {0}: numerator {1}")
    @CsvSource({"false, 1", "true, 0"})
    void aBenzodiazepineCountsOnlyWhenTheOrderCodesIt(boolean byReference, int expected) {
      assertThat(numerator("cbf21555-f64b-427a-b274-111b94523cf7",
          order(midazolam, byReference, "2026-01-05T00:20:00Z", null, discharge)))
          .isEqualTo(expected);
    }

    // "Opioid at Discharge": [MedicationRequest: "Schedule II, III and IV Opioid Medications"],
    // a union with the referenced Medications; added to "DENOMPass EncounterWithBenzo".
    @ParameterizedTest(name = "opioid by reference {0}: numerator 1")
    @CsvSource({"false", "true"})
    void anOpioidCountsWhetherCodedOrReferenced(boolean byReference) {
      assertThat(numerator("c9d33132-11ce-455c-9fda-92c433d8c499",
          order(oxycodoneAcetaminophen, byReference, "2026-01-05T12:20:00Z", null, discharge)))
          .isEqualTo(1);
    }
  }
}
