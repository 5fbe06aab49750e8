package io.github.cdsengine.rules.cdc.opioids2016;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationIngredient;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.testing.Facts;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Boundaries of the MME calculation: methadone tiers, patches, timing, PRN, bad input. */
class MmeCalculatorTest {

  static final String METHADONE_10_MG_TABLET = "864706";
  static final String OXYCODONE_5_MG_TABLET = "1049621";
  static final String FENTANYL_25_PATCH = "245134";

  static CodeableConcept rxnorm(String code) {
    return CodeableConcept.of(Code.of(Opioid.RXNORM, code));
  }

  static MedicationRequest order(CodeableConcept medication, Medication product,
      Dosage... dosage) {
    return Facts.order("m1", medication).product(product).dosage(dosage).build();
  }

  static Dosage every(Quantity dose, Integer frequency, String period, String unit) {
    return Dosage.builder().dose(dose).frequency(frequency)
        .period(period == null ? null : new BigDecimal(period), unit).asNeeded(false).build();
  }

  static OrderMme.Computed computed(OrderMme result) {
    assertThat(result).isInstanceOf(OrderMme.Computed.class);
    return (OrderMme.Computed) result;
  }

  @ParameterizedTest(name = "methadone {0} mg/d -> factor {1}")
  @CsvSource({"1, 4", "20, 4", "20.5, 8", "21, 8", "40, 8", "41, 10", "60, 10", "60.5, 12",
      "61, 12", "80, 12", "200, 12"})
  void methadoneTiersFollowTheDailyDose(String mgPerDay, int factor) {
    OrderMme.Computed result = computed(MmeCalculator.order(order(rxnorm("6813"), null,
        every(Quantity.of(mgPerDay, "mg"), 1, "1", "d"))));
    IngredientMme methadone = result.ingredients().get(0);
    assertThat(methadone.factor().value()).isEqualByComparingTo(BigDecimal.valueOf(factor));
    assertThat(result.mme()).isEqualByComparingTo(new BigDecimal(mgPerDay)
        .multiply(BigDecimal.valueOf(factor)));
    assertThat(methadone.factor().source()).contains("MMWR");
  }

  @Test
  void methadoneBelowOneMgADayHasNoFactor() {
    OrderMme result = MmeCalculator.order(order(rxnorm("6813"), null,
        every(Quantity.of("0.5", "mg"), 1, "1", "d")));
    assertThat(result).isInstanceOfSatisfying(OrderMme.NotComputed.class, n ->
        assertThat(n.problem()).isEqualTo(OrderMme.Problem.NO_CONVERSION_FACTOR));
  }

  @Test
  void methadoneTabletsTierOnTheirTotalDailyMilligrams() {
    // 2 tablets of 10 mg twice a day: 40 mg/d, tier 21-40, factor 8 -> 320
    OrderMme.Computed result = computed(MmeCalculator.order(order(
        rxnorm(METHADONE_10_MG_TABLET), null, every(Quantity.of("2", "{tablet}"), 2, "1", "d"))));
    assertThat(result.mme()).isEqualByComparingTo("320");
    assertThat(result.ingredients().get(0).steps()).contains("40 mg/d", "21-40 mg/d");
  }

  @Test
  void aFentanylPatchCountsItsDeliveryRateWhateverTheChangeInterval() {
    for (String days : List.of("3", "2")) {
      OrderMme.Computed result = computed(MmeCalculator.order(order(rxnorm(FENTANYL_25_PATCH),
          null, every(Quantity.of("1", "{patch}"), 1, days, "d"))));
      assertThat(result.mme()).as("every %s days", days).isEqualByComparingTo("60");
      assertThat(result.ingredients().get(0).dailyDose().amount()).isEqualTo(
          new Quantity(result.ingredients().get(0).dailyDose().amount().value(), "ug/h"));
    }
  }

  @Test
  void aPatchDoseInMilligramsIsNotConvertible() {
    OrderMme result = MmeCalculator.order(order(rxnorm(FENTANYL_25_PATCH), null,
        every(Quantity.of("25", "mg"), 1, "3", "d")));
    assertThat(result).isInstanceOfSatisfying(OrderMme.NotComputed.class, n ->
        assertThat(n.problem()).isEqualTo(OrderMme.Problem.UNIT_NOT_CONVERTIBLE));
  }

  @Test
  void timesOfDayGiveTheDosesPerDayWhenNoFrequencyIsRecorded() {
    Dosage threeTimes = Dosage.builder().dose(Quantity.of("5", "mg"))
        .timesOfDay(List.of(LocalTime.of(8, 0), LocalTime.of(14, 0), LocalTime.of(20, 0)))
        .asNeeded(false).build();
    OrderMme.Computed result = computed(MmeCalculator.order(order(rxnorm("7804"), null,
        threeTimes)));
    assertThat(result.mme()).isEqualByComparingTo("22.5"); // 15 mg/d oxycodone * 1.5
  }

  @Test
  void frequencyWinsOverTimesOfDay() {
    Dosage dosage = Dosage.builder().dose(Quantity.of("5", "mg")).frequency(2)
        .period(BigDecimal.ONE, "d")
        .timesOfDay(List.of(LocalTime.of(8, 0), LocalTime.of(14, 0), LocalTime.of(20, 0)))
        .asNeeded(false).build();
    assertThat(computed(MmeCalculator.order(order(rxnorm("7804"), null, dosage))).mme())
        .isEqualByComparingTo("15");
  }

  @Test
  void frequencyMaxCountsOverFrequency() {
    Dosage upToSix = Dosage.builder().dose(Quantity.of("1", "{tablet}")).frequency(4)
        .period(BigDecimal.ONE, "d").asNeeded(true).frequencyMax(6).build();
    OrderMme.Computed result = computed(MmeCalculator.order(order(
        rxnorm(OXYCODONE_5_MG_TABLET), null, upToSix)));
    assertThat(result.mme()).isEqualByComparingTo("45"); // 6 * 5 mg * 1.5
    assertThat(result.asNeeded()).isTrue();
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("frequencyMax"))
        .anySatisfy(n -> assertThat(n).contains("as needed"));
  }

  @Test
  void anAsNeededOrderCountsInFullAndADoseRangeAtItsHighEnd() {
    Dosage prn = Dosage.builder().frequency(1).period(new BigDecimal("4"), "h").asNeeded(true)
        .doseRangeHigh(Quantity.of("2", "{tablet}")).build();
    OrderMme.Computed result = computed(MmeCalculator.order(order(
        rxnorm(OXYCODONE_5_MG_TABLET), null, prn)));
    assertThat(result.mme()).isEqualByComparingTo("90"); // 6/d * 2 * 5 mg * 1.5
  }

  @Test
  void noTimingIsOnceADayWithANote() {
    OrderMme.Computed result = computed(MmeCalculator.order(order(rxnorm("7052"), null,
        every(Quantity.of("30", "mg"), null, null, null))));
    assertThat(result.mme()).isEqualByComparingTo("30");
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("once a day assumed"));
  }

  @Test
  void aPeriodWithoutAFrequencyCountsTimesOfDayFirstThenOncePerPeriodWithANote() {
    Dosage timed = Dosage.builder().dose(Quantity.of("5", "mg")).period(BigDecimal.ONE, "d")
        .timesOfDay(List.of(LocalTime.of(8, 0), LocalTime.of(20, 0))).asNeeded(false).build();
    assertThat(computed(MmeCalculator.order(order(rxnorm("7804"), null, timed))).mme())
        .isEqualByComparingTo("15"); // 2 * 5 mg * 1.5
    OrderMme.Computed everyTwoDays = computed(MmeCalculator.order(order(rxnorm("7804"), null,
        every(Quantity.of("10", "mg"), null, "2", "d"))));
    assertThat(everyTwoDays.mme()).isEqualByComparingTo("7.5"); // 10 mg / 2 d * 1.5
    assertThat(everyTwoDays.notes()).anySatisfy(n -> assertThat(n)
        .contains("once per period assumed").contains("reference logic gives no MME"));
    OrderMme.Computed noPeriod = computed(MmeCalculator.order(order(rxnorm("7804"), null,
        every(Quantity.of("5", "mg"), 4, null, null))));
    assertThat(noPeriod.mme()).isEqualByComparingTo("30");
    assertThat(noPeriod.notes()).anySatisfy(n -> assertThat(n)
        .contains("frequency taken per day"));
  }

  @Test
  void aStrengthPerZeroIsNotComputedRatherThanAnError() {
    Medication zero = new Medication(null, List.of(new MedicationIngredient(rxnorm("7804"),
        Quantity.of("5", "mg"), Quantity.of("0", "mL"))));
    OrderMme result = MmeCalculator.order(order(rxnorm("7804"), zero,
        every(Quantity.of("5", "mL"), 1, "1", "d")));
    assertThat(result).isInstanceOfSatisfying(OrderMme.NotComputed.class, n -> {
      assertThat(n.problem()).isEqualTo(OrderMme.Problem.UNIT_NOT_CONVERTIBLE);
      assertThat(n.detail()).contains("not positive");
    });
  }

  @Test
  void aSolutionDoseInMillilitresUsesTheStrengthPerMillilitre() {
    // morphine 2 mg/mL, 5 mL every 6 hours: 40 mg/d
    OrderMme.Computed result = computed(MmeCalculator.order(order(rxnorm("892589"), null,
        every(Quantity.of("5", "mL"), 1, "6", "h"))));
    assertThat(result.mme()).isEqualByComparingTo("40");
  }

  @Test
  void inputsThatCannotBeWorkedOutAreReportedNotZero() {
    OrderMme unknown = MmeCalculator.order(order(rxnorm("161"), null,
        every(Quantity.of("500", "mg"), 1, "1", "d")));
    OrderMme noStrength = MmeCalculator.order(order(rxnorm("7804"), null,
        every(Quantity.of("1", "{tablet}"), 1, "1", "d")));
    OrderMme badUnit = MmeCalculator.order(order(rxnorm(OXYCODONE_5_MG_TABLET), null,
        every(Quantity.of("1", "mmol"), 1, "1", "d")));
    OrderMme noDose = MmeCalculator.order(order(rxnorm("7804"), null,
        every(null, 1, "1", "d")));
    OrderMme twoDosages = MmeCalculator.order(order(rxnorm("7804"), null,
        every(Quantity.of("5", "mg"), 1, "1", "d"), every(Quantity.of("5", "mg"), 2, "1", "d")));
    assertThat(List.of(unknown, noStrength, badUnit, noDose, twoDosages))
        .allSatisfy(r -> assertThat(r).isInstanceOf(OrderMme.NotComputed.class))
        .extracting(r -> ((OrderMme.NotComputed) r).problem())
        .containsExactly(OrderMme.Problem.UNKNOWN_MEDICATION, OrderMme.Problem.MISSING_STRENGTH,
            OrderMme.Problem.UNIT_NOT_CONVERTIBLE, OrderMme.Problem.MISSING_DOSE,
            OrderMme.Problem.DOSAGE_NOT_SINGLE);
    assertThat(((OrderMme.NotComputed) noStrength).message())
        .startsWith("MedicationRequest/m1 dosageInstruction[0].doseAndRate:")
        .contains("oxycodone");
    TotalMme total = MmeCalculator.total(List.of(
        order(rxnorm("7804"), null, every(Quantity.of("10", "mg"), 1, "1", "d")),
        order(rxnorm("161"), null, every(Quantity.of("500", "mg"), 1, "1", "d"))));
    assertThat(total.mme()).isEqualByComparingTo("15");
    assertThat(total.complete()).isFalse();
    assertThat(total.notComputed()).hasSize(1);
    assertThat(total.toString()).doesNotContain("15");
  }

  @Test
  void theMedicationResourcesIngredientStrengthsAreUsedFirst() {
    Medication hydromorphone = new Medication(null, List.of(new MedicationIngredient(
        rxnorm("3423"), Quantity.of("4", "mg"), Quantity.of("1", "{tablet}"))));
    OrderMme.Computed result = computed(MmeCalculator.order(order(
        CodeableConcept.of(Code.of("urn:local", "x")), hydromorphone,
        every(Quantity.of("1", "{tablet}"), 3, "1", "d"))));
    assertThat(result.mme()).isEqualByComparingTo("48"); // 12 mg/d * 4
    assertThat(result.ingredients().get(0).dailyDose().strengthSource()).isEqualTo("Medication.ingredient");
  }

  @Test
  void aBuprenorphinePatchIsRecognisedButHasNoFactor() {
    Medication patch = new Medication(rxnorm(MmeCalculator.TRANSDERMAL_SYSTEM), List.of(
        new MedicationIngredient(rxnorm("1819"), Quantity.of("0.01", "mg"),
            Quantity.of("1", "h"))));
    OrderMme result = MmeCalculator.order(order(CodeableConcept.of(Code.of("urn:x", "y")),
        patch, every(Quantity.of("1", "{patch}"), 1, "7", "d")));
    assertThat(result).isInstanceOfSatisfying(OrderMme.NotComputed.class, n -> {
      assertThat(n.problem()).isEqualTo(OrderMme.Problem.NO_CONVERSION_FACTOR);
      assertThat(n.detail()).contains("buprenorphine");
    });
  }
}
