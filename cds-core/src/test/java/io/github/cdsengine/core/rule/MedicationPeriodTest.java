package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.testing.Facts;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MedicationPeriodTest {

  static final CodeableConcept DOXEPIN_10_MG = CodeableConcept.of(
      Code.of("http://www.nlm.nih.gov/research/umls/rxnorm", "1000048"));

  static MedicationRequest order(String authoredOn, DispenseRequest dispense, Dosage... dosage) {
    return Facts.order("m1", DOXEPIN_10_MG).authoredOn(authoredOn).dispense(dispense)
        .dosage(dosage).build();
  }

  static DispenseRequest supply(String days, String unit, Integer refills) {
    return Facts.supply("5", days, unit, refills);
  }

  static Dosage dosage(String dose, Integer frequency, Integer frequencyMax, String period,
      String unit, List<LocalTime> times, Period bounds, Quantity rangeHigh) {
    return new Dosage(dose == null ? null : Quantity.of(dose, "1"), frequency,
        period == null ? null : new BigDecimal(period), unit, times, bounds, null, frequencyMax,
        rangeHigh);
  }

  static Dosage daily(String dose, int frequency) {
    return dosage(dose, frequency, null, "1", "d", List.of(), null, null);
  }

  // CumulativeMedicationDuration 4.1.000 medicationRequestPeriod(): "daysSupply: (convert
  // R.dispenseRequest.expectedSupplyDuration to days).value", through UCUM (mo = 30.4375 d,
  // a = 365.25 d); FHIRHelpers ToCalendarUnit turns mo into month and a into year first.
  @ParameterizedTest(name = "{0} {1} with {2} refills: {3} days")
  @CsvSource({
      "5, d, , 5",
      "5, d, 2, 15",
      "90, days, 0, 90",
      "90, day, , 90",
      "2, wk, , 14",
      "2, weeks, , 14",
      "36, h, , 1.5",
      "2880, min, , 2",
      "43200, s, , 0.5",
      "3, mo, , 91.3125",
      "3, months, , 91.3125",
      "1, month, 2, 91.3125",
      "1, a, , 365.25",
      "1, year, , 365.25",
      "2, years, , 730.5",
      "0.5, a, 1, 365.25",
      "10, tablets, , ",
      "10, mg, , ",
      "10, 1, , ",
      "10, {tbl}, , ",
  })
  void theExpectedSupplyDurationConvertsToDaysAsUcumDoes(String value, String unit, Integer refills,
      String days) {
    BigDecimal total = MedicationPeriod.totalDaysSupplied(
        order("2025-01-01", supply(value, unit, refills)));
    if (days == null) {
      assertThat(total).isNull();
    } else {
      assertThat(total).isEqualByComparingTo(days);
    }
  }

  @Test
  void withoutADurationTheQuantityOverTheDailyDoseIsTheSupply() {
    DispenseRequest sixty = new DispenseRequest(null, 1, Quantity.of("60", "1"), null);
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixty, daily("1", 2))))
        .as("60 / (1 x 2 a day) x (1 + 1 refill)").isEqualByComparingTo("60");
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixty,
        dosage("1", 2, 3, "1", "d", List.of(), null, null))))
        .as("frequencyMax 3 wins: 60 / 3 x 2").isEqualByComparingTo("40");
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixty,
        dosage("1", 1, null, "8", "h", List.of(), null, Quantity.of("2", "1")))))
        .as("a dose range's high end 2, every 8 hours: 60 / 6 x 2").isEqualByComparingTo("20");
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixty,
        dosage("2", null, null, null, null,
            List.of(LocalTime.of(8, 0), LocalTime.of(20, 0)), null, null))))
        .as("two times of day: 60 / 4 x 2").isEqualByComparingTo("30");
  }

  @Test
  void noFrequencyAndNoTimesOfDayIsZeroDosesADayAsTheEngineComputesIt() {
    Dosage noTiming = dosage("1", null, null, null, null, List.of(), null, null);
    assertThat(MedicationPeriod.dosesPerDay(noTiming)).isEqualByComparingTo("0");
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01",
        new DispenseRequest(null, null, Quantity.of("30", "1"), null), noTiming))).isNull();
  }

  @Test
  void moreThanOneDosageInstructionIsNotComputable() {
    MedicationRequest twice = order("2025-01-01", supply("5", "d", null), daily("1", 1),
        daily("2", 1));
    assertThat(MedicationPeriod.totalDaysSupplied(twice)).isNull();
    assertThat(MedicationPeriod.of(twice, ZoneOffset.UTC)).isNull();
    assertThat(MedicationPeriod.startDate(twice, ZoneOffset.UTC)).isNull();
  }

  @ParameterizedTest(name = "{0} per {1} {2}: {3} a day")
  @CsvSource({
      "1, 8, h, 3",
      "1, 30, min, 48",
      "2, 1, d, 2",
      "1, 2, d, 0.5",
      "7, 1, wk, 1",
      "30, 1, mo, 1",
      "365, 1, a, 1",
      "1, 1, fortnight, ",
      "1, 0, d, ",
  })
  void toDailyFollowsTheLibrary(int frequency, String period, String unit, String perDay) {
    BigDecimal daily = MedicationPeriod.toDaily(frequency, new BigDecimal(period), unit);
    if (perDay == null) {
      assertThat(daily).isNull();
    } else {
      assertThat(daily).isEqualByComparingTo(perDay);
    }
  }

  @Test
  void thePeriodStartsAtTheBoundsElseTheAuthoredDayAndLastsTheDaysSupplied() {
    Dosage bounded = dosage(null, null, null, null, null, List.of(),
        new Period(ClinicalTime.parse("2025-01-03T00:00:00Z"),
            ClinicalTime.parse("2025-01-06T00:00:00Z")), null);
    assertThat(MedicationPeriod.of(order("2025-01-01T10:00:00Z", supply("5", "d", null), bounded),
        ZoneOffset.UTC)).isEqualTo(new Period(ClinicalTime.of(LocalDate.of(2025, 1, 3)),
            ClinicalTime.of(LocalDate.of(2025, 1, 7))));
    assertThat(MedicationPeriod.of(order("2025-01-01T10:00:00Z", supply("5", "d", null)),
        ZoneOffset.UTC)).isEqualTo(new Period(ClinicalTime.of(LocalDate.of(2025, 1, 1)),
            ClinicalTime.of(LocalDate.of(2025, 1, 5))));
    assertThat(MedicationPeriod.of(order("2025-01-01", supply("1.5", "d", null)),
        ZoneOffset.UTC).end()).as("0.5 day truncated")
        .isEqualTo(ClinicalTime.of(LocalDate.of(2025, 1, 1)));
  }

  @Test
  void withoutASupplyThePeriodRunsToTheBoundsEndElseIsUnknown() {
    Dosage bounded = dosage(null, null, null, null, null, List.of(),
        new Period(ClinicalTime.parse("2025-01-03T00:00:00Z"),
            ClinicalTime.parse("2025-01-06T23:00:00Z")), null);
    assertThat(MedicationPeriod.of(order("2025-01-01", null, bounded), ZoneOffset.UTC))
        .isEqualTo(new Period(ClinicalTime.of(LocalDate.of(2025, 1, 3)),
            ClinicalTime.of(LocalDate.of(2025, 1, 6))));
    assertThat(MedicationPeriod.of(order("2025-01-01", null), ZoneOffset.UTC)).isNull();
    assertThat(MedicationPeriod.of(order(null, supply("5", "d", null)), ZoneOffset.UTC))
        .isNull();
    assertThat(MedicationPeriod.of(order("2025-01-01", supply("0", "d", null)), ZoneOffset.UTC))
        .as("zero days would end before it starts").isNull();
    assertThat(MedicationPeriod.of(order("2025-01-01", supply("1000000", "a", null)),
        ZoneOffset.UTC)).as("would end after 9999-12-31, a CQL error").isNull();
    assertThat(MedicationPeriod.of(order("2025-01-01", supply("1E+40", "d", null)),
        ZoneOffset.UTC)).isNull();
    assertThat(MedicationPeriod.of(order("9999-12-31", supply("1", "d", null)), ZoneOffset.UTC)
        .end()).as("the last day itself").isEqualTo(ClinicalTime.of(LocalDate.of(9999, 12, 31)));
  }

  @Test
  void aPeriodOverlapsTheMeasurementPeriodByItsDays() {
    MeasurementPeriod year = new MeasurementPeriod(LocalDate.of(2025, 1, 1),
        LocalDate.of(2025, 12, 31), ZoneOffset.UTC);
    assertThat(year.medicationOverlaps(order("2024-12-28", supply("5", "d", null)))).isTrue();
    assertThat(year.medicationOverlaps(order("2024-12-27", supply("5", "d", null)))).isFalse();
    assertThat(year.medicationOverlaps(order("2025-12-31", supply("5", "d", null)))).isTrue();
    assertThat(year.medicationOverlaps(order("2026-01-01", supply("5", "d", null)))).isFalse();
  }

  @Test
  void averageDailyDoseIsTheQuantityTimesStrengthOverTheDaysSupplied() {
    MedicationRequest fiveCapsulesFiveDays = order("2025-01-01", supply("5", "d", null));
    Quantity tenMg = Quantity.of("10", "mg"); // doxepin 10 MG Oral Capsule (CMS156's table)
    assertThat(MedicationPeriod.averageDailyDose(fiveCapsulesFiveDays, tenMg))
        .isEqualByComparingTo("10");
    assertThat(MedicationPeriod.averageDailyDose(order("2025-01-01", supply("5", "d", 1)), tenMg))
        .as("refills lengthen the days, not the quantity").isEqualByComparingTo("5");
    MedicationRequest tablets = order("2025-01-01",
        new DispenseRequest(null, null, Quantity.of("5", "{tbl}"), Quantity.of("5", "d")));
    assertThat(MedicationPeriod.averageDailyDose(tablets, tenMg)).isEqualByComparingTo("10");
    MedicationRequest milligrams = order("2025-01-01",
        new DispenseRequest(null, null, Quantity.of("5", "mg"), Quantity.of("5", "d")));
    assertThat(MedicationPeriod.averageDailyDose(milligrams, tenMg)).isNull();
  }

  @Test
  void aSolutionNeedsItsQuantityInMillilitres() {
    Quantity solution = Quantity.of("0.05", "mg/mL"); // digoxin 0.05 MG/ML Oral Solution
    MedicationRequest sixtyMl = order("2025-01-01",
        new DispenseRequest(null, null, Quantity.of("60", "mL"), Quantity.of("20", "d")));
    assertThat(MedicationPeriod.averageDailyDose(sixtyMl, solution)).isEqualByComparingTo("0.15");
    MedicationRequest count = order("2025-01-01", supply("20", "d", null));
    assertThat(MedicationPeriod.averageDailyDose(count, solution)).isNull();
  }

  @Test
  void noStrengthNoQuantityOrNoDaysIsUnknown() {
    Quantity tenMg = Quantity.of("10", "mg");
    assertThat(MedicationPeriod.averageDailyDose(order("2025-01-01", supply("5", "d", null)),
        null)).isNull();
    assertThat(MedicationPeriod.averageDailyDose(order("2025-01-01",
        new DispenseRequest(null, null, null, Quantity.of("5", "d"))), tenMg)).isNull();
    assertThat(MedicationPeriod.averageDailyDose(order("2025-01-01", supply("3", "kg", null)),
        tenMg)).as("a supply in kilograms is no number of days").isNull();
  }

  @Test
  void aSupplyInMonthsGivesTheAverageDailyDoseOverUcumDays() {
    // 5 tablets x 10 mg over 3 mo = 91.3125 d (UCUM), CMS156 averageDailyDose()
    assertThat(MedicationPeriod.averageDailyDose(order("2025-01-01", supply("3", "mo", null)),
        Quantity.of("10", "mg"))).isEqualByComparingTo(
            new BigDecimal("50").divide(new BigDecimal("91.3125"), 8,
                java.math.RoundingMode.HALF_EVEN));
  }

  // medicationRequestPeriod(): Interval[startDate, startDate + Quantity(totalDaysSupplied - 1,
  // 'day')]; a Date plus a fractional number of days keeps the whole days only. A year is 365.25
  // days whatever the calendar: from 1 January of a leap year it ends on 30 December.
  @ParameterizedTest(name = "{0} {1} from {2}: last day {3}")
  @CsvSource({
      "3, mo, 2025-01-01, 2025-04-01",
      "1, mo, 2025-01-01, 2025-01-30",
      "1, a, 2023-01-01, 2023-12-31",
      "1, a, 2023-01-02, 2024-01-01",
      "1, a, 2024-01-01, 2024-12-30",
      "12, mo, 2023-01-02, 2024-01-01",
      "1, wk, 2025-01-01, 2025-01-07",
      "36, h, 2025-01-01, 2025-01-01",
  })
  void theCoveredDaysOfASupplyInMonthsOrYearsKeepWholeDays(String value, String unit,
      String authored, String lastDay) {
    Period period = MedicationPeriod.of(order(authored, supply(value, unit, null)),
        ZoneOffset.UTC);
    assertThat(period.start()).isEqualTo(ClinicalTime.of(LocalDate.parse(authored)));
    assertThat(period.end()).isEqualTo(ClinicalTime.of(LocalDate.parse(lastDay)));
  }

  @Test
  void aSupplyInANonTimeUnitLeavesTheQuantityOverTheDoseToDecide() {
    // Coalesce(daysSupply, quantity.value / (dose.value * dosesPerDay)): an unconvertible
    // duration is no days supply, so the quantity decides when a dose is known.
    DispenseRequest sixtyTablets = new DispenseRequest(null, null, Quantity.of("60", "1"),
        Quantity.of("3", "mg"));
    assertThat(MedicationPeriod.supplyDays(Quantity.of("3", "mg"))).isNull();
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixtyTablets,
        daily("1", 2)))).isEqualByComparingTo("30");
    assertThat(MedicationPeriod.totalDaysSupplied(order("2025-01-01", sixtyTablets))).isNull();
  }

  @Test
  void periodStartAndSumOfSupplies() {
    MedicationRequest thirty = Facts.order("a", DOXEPIN_10_MG).authoredOn("2025-02-01")
        .dispense(supply("30", "d", 1)).build();
    MedicationRequest unknown = Facts.order("b", DOXEPIN_10_MG).authoredOn("2025-02-01").build();
    assertThat(MedicationPeriod.periodStart(thirty, ZoneOffset.UTC))
        .isEqualTo(LocalDate.of(2025, 2, 1));
    assertThat(MedicationPeriod.periodStart(unknown, ZoneOffset.UTC)).isNull();
    assertThat(MedicationPeriod.sumOfTotalDaysSupplied(List.of(thirty, unknown, thirty)))
        .as("each order once").isEqualByComparingTo("60");
    assertThat(MedicationPeriod.sumOfTotalDaysSupplied(List.of(unknown))).isNull();
    assertThat(MedicationPeriod.sumOfTotalDaysSupplied(List.of())).isNull();
  }
}
