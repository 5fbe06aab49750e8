package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeasurementPeriodTest {

  private static final MeasurementPeriod YEAR_2024 =
      new MeasurementPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

  @ParameterizedTest(name = "{0} in 2024: {1}")
  @CsvSource({
      "2023-12-31, false",
      "2024-01-01, true",
      "2024-06-30, true",
      "2024-12-31, true",
      "2025-01-01, false",
  })
  void includesBothEnds(String date, boolean included) {
    assertThat(YEAR_2024.includes(LocalDate.parse(date))).isEqualTo(included);
  }

  @Test
  void doesNotIncludeNull() {
    assertThat(YEAR_2024.includes(null)).isFalse();
  }

  @Test
  void aSingleDayPeriodIncludesOnlyThatDay() {
    MeasurementPeriod day = new MeasurementPeriod(LocalDate.of(2024, 2, 29),
        LocalDate.of(2024, 2, 29));

    assertThat(day.includes(LocalDate.of(2024, 2, 29))).isTrue();
    assertThat(day.includes(LocalDate.of(2024, 2, 28))).isFalse();
    assertThat(day.includes(LocalDate.of(2024, 3, 1))).isFalse();
  }

  @Test
  void startAfterEndIsRejectedQuotingBoth() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new MeasurementPeriod(LocalDate.of(2025, 1, 1),
            LocalDate.of(2024, 12, 31)))
        .withMessageContaining("2025-01-01")
        .withMessageContaining("2024-12-31");
  }

  @Test
  void bothEndsAreRequired() {
    assertThatNullPointerException()
        .isThrownBy(() -> new MeasurementPeriod(null, LocalDate.of(2024, 12, 31)))
        .withMessage("start");
    assertThatNullPointerException()
        .isThrownBy(() -> new MeasurementPeriod(LocalDate.of(2024, 1, 1), null))
        .withMessage("end");
  }

  static final MeasurementPeriod YEAR_2025 = new MeasurementPeriod(
      java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31))
      .inZone(java.time.ZoneId.of("America/New_York"));

  static io.github.cdsengine.core.model.Period period(String start, String end) {
    return new io.github.cdsengine.core.model.Period(
        io.github.cdsengine.core.model.ClinicalTime.parse(start),
        end == null ? null : io.github.cdsengine.core.model.ClinicalTime.parse(end));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}..{1}: during {2}, ends in {3}, starts in {4}, overlaps {5}, ends by end {6}")
  @org.junit.jupiter.params.provider.CsvSource({
      "2025-01-01, 2025-01-01, true, true, true, true, true",
      "2025-12-31, 2025-12-31, true, true, true, true, true",
      "2024-12-31, 2025-01-01, false, true, false, true, true",
      "2025-12-31, 2026-01-01, false, false, true, true, false",
      "2024-12-31, 2024-12-31, false, false, false, false, true",
      "2026-01-01, 2026-01-01, false, false, false, false, false",
      "2024-06-01, , false, false, false, true, false",
      "2026-01-01, , false, false, false, false, false",
      "2025, 2025, true, true, true, true, true",
      "2025-12, 2026-01, false, false, true, true, false",
      "2024, 2025-03-01, false, true, false, true, true",
      "2026-01-01T03:30:00Z, 2026-01-01T03:45:00Z, true, true, true, true, true",
      "2026-01-01T05:30:00Z, 2026-01-01T05:45:00Z, false, false, false, false, false"})
  void dayPrecisionTestsInTheEvaluationsZone(String start, String end, boolean during,
      boolean endsWithin, boolean startsWithin, boolean overlaps, boolean endsByEnd) {
    io.github.cdsengine.core.model.Period p = period(start, end);
    assertThat(YEAR_2025.contains(p)).as("during").isEqualTo(during);
    assertThat(YEAR_2025.endsWithin(p)).as("ends during").isEqualTo(endsWithin);
    assertThat(YEAR_2025.startsWithin(p)).as("starts during").isEqualTo(startsWithin);
    assertThat(YEAR_2025.overlaps(p)).as("overlaps").isEqualTo(overlaps);
    assertThat(YEAR_2025.endsByEnd(p)).as("ends by end").isEqualTo(endsByEnd);
  }

  @org.junit.jupiter.api.Test
  void extendedBackCoversTheLookbackOfAMeasure() {
    MeasurementPeriod tenYears = YEAR_2025.extendedBack(9);
    assertThat(tenYears.start()).isEqualTo(java.time.LocalDate.of(2016, 1, 1));
    assertThat(tenYears.end()).isEqualTo(java.time.LocalDate.of(2025, 12, 31));
    assertThat(tenYears.endsWithin(period("2016-01-01", "2016-01-01"))).isTrue();
    assertThat(tenYears.endsWithin(period("2015-12-31", "2015-12-31"))).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> YEAR_2025.extendedBack(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void theContextGivesThePeriodItsZone() {
    io.github.cdsengine.core.evaluation.EvaluationContext context = io.github.cdsengine.core.evaluation.EvaluationContext
        .on(java.time.LocalDate.of(2026, 2, 1), java.time.ZoneId.of("Asia/Tokyo"))
        .withMeasurementPeriod(java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31));
    assertThat(context.measurementPeriod().zone()).isEqualTo(java.time.ZoneId.of("Asia/Tokyo"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MeasurementPeriod(
            java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31)).zone())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no time zone");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}..{1} overlaps 2024-03-01..2024-12-31: {2}")
  @org.junit.jupiter.params.provider.CsvSource({
      "2023-06-01, 2024, false",
      "2023-06-01, 2024-04, true",
      "2024, , true",
      "2024-12, , true",
      "2025, , false"})
  void anUncertainOverlapIsNoOverlap(String start, String end, boolean overlaps) {
    MeasurementPeriod period = new MeasurementPeriod(java.time.LocalDate.of(2024, 3, 1),
        java.time.LocalDate.of(2024, 12, 31)).inZone(java.time.ZoneOffset.UTC);
    assertThat(period.overlaps(period(start, end))).isEqualTo(overlaps);
  }

  @org.junit.jupiter.api.Test
  void aPeriodWithOnlyAnEndHasNoInventedStart() {
    io.github.cdsengine.core.model.Period endOnly = new io.github.cdsengine.core.model.Period(
        null, io.github.cdsengine.core.model.ClinicalTime.parse("2025-05-01"));
    assertThat(YEAR_2025.contains(endOnly)).as("during").isFalse();
    assertThat(YEAR_2025.startsWithin(endOnly)).isFalse();
    assertThat(YEAR_2025.endsWithin(endOnly)).isTrue();
    assertThat(YEAR_2025.overlaps(endOnly)).isTrue();
    assertThat(endOnly.earliest()).isEqualTo(endOnly.latest());
    org.assertj.core.api.Assertions.assertThatNullPointerException()
        .isThrownBy(() -> new io.github.cdsengine.core.model.Period(null, null));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "mammogram ending {0} within October 1 two years before: {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "2023-09-30, false",
      "2023-10-01, true",
      "2023-10-02, true",
      "2025-12-31, true",
      "2026-01-01, false"})
  void startingOnKeepsTheEndAndMovesTheStart(String date, boolean within) {
    MeasurementPeriod window = YEAR_2025.startingOn(
        java.time.LocalDate.of(YEAR_2025.start().getYear() - 2, 10, 1));
    assertThat(window.start()).isEqualTo(java.time.LocalDate.of(2023, 10, 1));
    assertThat(window.end()).isEqualTo(YEAR_2025.end());
    assertThat(window.zone()).isEqualTo(YEAR_2025.zone());
    assertThat(window.endsWithin(period(date, date))).isEqualTo(within);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YEAR_2025.startingOn(java.time.LocalDate.of(2026, 1, 1)));
    assertThatNullPointerException().isThrownBy(() -> YEAR_2025.startingOn(null));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "born 1995-12-31, tested {0}: 30 or older {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "2025-12-30, false",
      "2025-12-31, true",
      "2026-01-01, true",
      "2025-12-31T04:00:00Z, false",
      "2025-12-31T05:00:00Z, true",
      "2025-12, false",
      "2026, true"})
  void ageOnTheDayOfATime(String time, boolean thirtyOrOlder) {
    io.github.cdsengine.core.model.Patient patient = new io.github.cdsengine.core.model.Patient(
        "p", java.time.LocalDate.of(1995, 12, 31), null);
    assertThat(YEAR_2025.ageOnBetween(patient,
        io.github.cdsengine.core.model.ClinicalTime.parse(time), 30, Integer.MAX_VALUE))
        .isEqualTo(thirtyOrOlder);
  }

  @org.junit.jupiter.api.Test
  void noAgeWithoutATimeOrABirthDate() {
    io.github.cdsengine.core.model.Patient unknown = new io.github.cdsengine.core.model.Patient(
        "p", null, null);
    io.github.cdsengine.core.model.Patient known = new io.github.cdsengine.core.model.Patient(
        "p", java.time.LocalDate.of(1990, 1, 1), null);
    assertThat(YEAR_2025.ageOnBetween(unknown,
        io.github.cdsengine.core.model.ClinicalTime.parse("2025-06-01"), 30, Integer.MAX_VALUE))
        .isFalse();
    assertThat(YEAR_2025.ageOnBetween(known, null, 30, Integer.MAX_VALUE)).isFalse();
  }

  private static final MeasurementPeriod YEAR_2025_NEW_YORK =
      new MeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31),
          ZoneId.of("America/New_York"));

  @ParameterizedTest(name = "died {0}: by the end of 2025 {1}")
  @CsvSource({
      "2025-12-30, true",
      // A day compared with the period's last millisecond: uncertain on the last day itself.
      "2025-12-31, false",
      "2026-01-01, false",
      "2025-11, true",
      "2025-12, false",
      "2024, true",
      "2025, false",
      // Instants: up to the last millisecond of 2025-12-31 in New York (05:00 UTC next day).
      "2026-01-01T04:59:59.999Z, true",
      "2026-01-01T05:00:00Z, false",
  })
  void diedByEndComparesAtTheRecordedPrecision(String died, boolean expected) {
    Patient patient = new Patient("p1", LocalDate.of(1950, 1, 1), null,
        ClinicalTime.parse(died));

    assertThat(YEAR_2025_NEW_YORK.diedByEnd(patient)).isEqualTo(expected);
  }

  @Test
  void noDateOfDeathIsNotDied() {
    assertThat(YEAR_2025_NEW_YORK.diedByEnd(new Patient("p1", LocalDate.of(1950, 1, 1), null)))
        .isFalse();
    assertThat(YEAR_2025_NEW_YORK.diedByEnd(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} before the end of 2025: {1}")
  @CsvSource({
      "2025-12-30, true",
      "2025-12-31, false",
      "2025-12, false",
      "2026-01-01T04:59:59.998Z, true",
      "2026-01-01T04:59:59.999Z, false",
  })
  void beforeEndIsStrictAtTheRecordedPrecision(String time, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.beforeEnd(ClinicalTime.parse(time))).isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.beforeEnd(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} before the first day of 2025: {1}")
  @CsvSource({
      "2024-12-31, true",
      "2025-01-01, false",
      "2024-12, true",
      "2025-01, false",
      // 04:59 UTC on New Year's Day is still 2024-12-31 in New York.
      "2025-01-01T04:59:00Z, true",
      "2025-01-01T05:00:00Z, false",
  })
  void beforeStartComparesDaysInTheZone(String time, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.beforeStart(ClinicalTime.parse(time))).isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.beforeStart(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} during 2025 exactly: {1}")
  @CsvSource({
      // A day sharing the first or last day compares as uncertain with its first or last
      // millisecond.
      "2025-01-01, false",
      "2025-01-02, true",
      "2025-12-30, true",
      "2025-12-31, false",
      "2025-02, true",
      "2025-01, false",
      "2025-01-01T05:00:00Z, true",
      "2025-01-01T04:59:59.999Z, false",
      "2026-01-01T04:59:59.999Z, true",
      "2026-01-01T05:00:00Z, false",
  })
  void includesTimeExactlyComparesAtTheRecordedPrecision(String time, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.includesTimeExactly(ClinicalTime.parse(time)))
        .isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.includesTimeExactly(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} on or before the end of 2025: {1}")
  @CsvSource({
      "2025-12-30, true",
      "2025-12-31, false",
      "2026-01-01T04:59:59.999Z, true",
      "2026-01-01T05:00:00Z, false",
  })
  void onOrBeforeEndIncludesTheLastMillisecond(String time, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.onOrBeforeEnd(ClinicalTime.parse(time))).isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.onOrBeforeEnd(null)).isFalse();
  }

  @ParameterizedTest(name = "{0}, 0 to 6 days after 2025-03-10: {1}")
  @CsvSource({
      "2025-03-09, false",
      "2025-03-10, true",
      "2025-03-16, true",
      "2025-03-17, false",
      // 2025-03-17T03:00Z is still the 16th in New York.
      "2025-03-17T03:00:00Z, true",
      "2025-03, false",
  })
  void withinDaysAfterCountsDaysInTheZone(String time, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfter(ClinicalTime.parse(time),
        ClinicalTime.parse("2025-03-10"), 6)).isEqualTo(expected);
  }

  @Test
  void withinDaysAfterRefusesANegativeWindowAndIsFalseForNull() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YEAR_2025_NEW_YORK.withinDaysAfter(null, null, -1))
        .withMessageContaining("-1");
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfter(null, ClinicalTime.parse("2025-03-10"), 6))
        .isFalse();
  }

  @ParameterizedTest(name = "{0}, 0 to 3 days after 2025-01-01T00:00Z exactly: {1}")
  @CsvSource({
      "2025-01-01T00:00:00Z, true",
      "2025-01-04T00:00:00Z, true",
      "2025-01-04T00:00:01Z, false",
      "2024-12-31T23:59:59Z, false",
      // A day against an instant on that day compares as uncertain, whatever the time of day.
      "2025-01-01, false",
      "2025-01-02, true",
      "2025-01-03, true",
      "2025-01-04, false",
  })
  void withinDaysAfterExactlyComparesAtTheCoarserPrecision(String time, boolean expected) {
    MeasurementPeriod utc = new MeasurementPeriod(LocalDate.of(2025, 1, 1),
        LocalDate.of(2025, 12, 31), ZoneId.of("UTC"));

    assertThat(utc.withinDaysAfterExactly(ClinicalTime.parse(time),
        ClinicalTime.parse("2025-01-01T00:00:00Z"), 3)).isEqualTo(expected);
  }

  @Test
  void withinDaysAfterExactlyComparesTwoDaysAsDays() {
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfterExactly(ClinicalTime.parse("2025-03-10"),
        ClinicalTime.parse("2025-03-10"), 3)).isTrue();
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfterExactly(ClinicalTime.parse("2025-03-13"),
        ClinicalTime.parse("2025-03-10"), 3)).isTrue();
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfterExactly(ClinicalTime.parse("2025-03-14"),
        ClinicalTime.parse("2025-03-10"), 3)).isFalse();
    assertThat(YEAR_2025_NEW_YORK.withinDaysAfterExactly(ClinicalTime.parse("2025-03-10"),
        ClinicalTime.parse("2025-03"), 3)).isFalse();
  }

  static Condition uri(ConditionClinicalStatus status, String onset, String abatement) {
    return Condition.builder("c", CodeableConcept.of(Code.of("http://snomed.info/sct", "54398005")))
        .clinicalStatus(status).onset(onset == null ? null : ClinicalTime.parse(onset))
        .abatement(abatement == null ? null : ClinicalTime.parse(abatement)).build();
  }

  @ParameterizedTest(name = "{0} from {1} to {2}: overlaps before the visit {3}")
  @CsvSource({
      "ACTIVE, 2024-12-20, , true",
      // No onset: the prevalence starts at the earliest date-time.
      "ACTIVE, , , true",
      // Same day as the visit's start instant: uncertain, so not before.
      "ACTIVE, 2025-01-10, , false",
      "ACTIVE, 2025-01-10T08:59:00Z, , true",
      "RESOLVED, 2024-12-20, 2024-12-25, false",
      "RESOLVED, 2024-12-20, 2025-01-11, true",
      // Abated on the visit's day: uncertain against its start instant.
      "RESOLVED, 2024-12-20, 2025-01-10, false",
      // Inactive with no abatement: its end is unknown.
      "RESOLVED, 2024-12-20, , false",
  })
  void prevalenceOverlapsBeforeAVisit(ConditionClinicalStatus status, String onset,
      String abatement, boolean expected) {
    Period visit = new Period(ClinicalTime.parse("2025-01-10T09:00:00Z"),
        ClinicalTime.parse("2025-01-10T09:30:00Z"));

    assertThat(YEAR_2025_NEW_YORK.prevalenceOverlapsBefore(uri(status, onset, abatement), visit))
        .isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.prevalenceOverlapsBefore(uri(status, onset, abatement), null))
        .isFalse();
  }

  @ParameterizedTest(name = "born {0}: 3 months old on 2025-01-01 {1}")
  @CsvSource({"2024-10-01, true", "2024-10-02, false", "2025-01-02, false"})
  void monthsOldAtStart(String born, boolean expected) {
    assertThat(YEAR_2025_NEW_YORK.monthsOldAtStart(new Patient("p", LocalDate.parse(born), null),
        3)).isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.monthsOldAtStart(new Patient("p", null, null), 3)).isFalse();
  }

  @Test
  void windowsAroundADay() {
    MeasurementPeriod before = YEAR_2025_NEW_YORK.daysAround(
        ClinicalTime.parse("2025-03-01T03:00:00Z"), -30, -1);
    // 03:00 UTC on 1 March is still 28 February in New York.
    assertThat(before.start()).isEqualTo(LocalDate.of(2025, 1, 29));
    assertThat(before.end()).isEqualTo(LocalDate.of(2025, 2, 27));
    assertThat(YEAR_2025_NEW_YORK.daysAround(ClinicalTime.parse("2025-03"), -3, 3)).isNull();
    assertThat(YEAR_2025_NEW_YORK.daysAround(null, -3, 3)).isNull();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YEAR_2025_NEW_YORK.daysAround(ClinicalTime.parse("2025-03-01"), 3, -3))
        .withMessageContaining("3").withMessageContaining("-3");

    MeasurementPeriod year = YEAR_2025_NEW_YORK.yearUpTo(ClinicalTime.parse("2024-02-29"));
    assertThat(year.start()).isEqualTo(LocalDate.of(2023, 2, 28));
    assertThat(year.end()).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(YEAR_2025_NEW_YORK.yearUpTo(ClinicalTime.parse("2024"))).isNull();

    assertThat(YEAR_2025_NEW_YORK.endingOn(LocalDate.of(2025, 12, 28)).end())
        .isEqualTo(LocalDate.of(2025, 12, 28));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YEAR_2025_NEW_YORK.endingOn(LocalDate.of(2024, 12, 31)));
  }

  @ParameterizedTest(name = "{0} during the visit exactly: {1}")
  @CsvSource({
      "2025-01-10T09:00:00Z, true",
      "2025-01-10T09:30:00Z, true",
      "2025-01-10T08:59:59Z, false",
      "2025-01-10T09:30:01Z, false",
      // A day against the visit's instants on that day is uncertain.
      "2025-01-10, false",
  })
  void duringExactlyComparesAtTheCoarserPrecision(String time, boolean expected) {
    Period visit = new Period(ClinicalTime.parse("2025-01-10T09:00:00Z"),
        ClinicalTime.parse("2025-01-10T09:30:00Z"));

    assertThat(YEAR_2025_NEW_YORK.duringExactly(ClinicalTime.parse(time), visit))
        .isEqualTo(expected);
    assertThat(YEAR_2025_NEW_YORK.duringExactly(null, visit)).isFalse();
    assertThat(YEAR_2025_NEW_YORK.duringExactly(ClinicalTime.parse(time), null)).isFalse();
  }
}
