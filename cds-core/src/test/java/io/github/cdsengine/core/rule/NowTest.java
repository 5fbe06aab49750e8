package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NowTest {

  /** Evaluation at 15:00 UTC on 10 March 2025. */
  private static final Now NOW = Now.of(Instant.parse("2025-03-10T15:00:00Z"), ZoneOffset.UTC);

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void todayIsTheDateOfTheInstantInTheZone() {
    assertThat(NOW.today()).isEqualTo(LocalDate.of(2025, 3, 10));
    assertThat(Now.of(Instant.parse("2025-01-01T03:00:00Z"), NEW_YORK).today())
        .isEqualTo(LocalDate.of(2024, 12, 31));
  }

  @Test
  void aTodayThatIsNotTheInstantsDateIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Now(Instant.parse("2025-01-01T03:00:00Z"), NEW_YORK,
            LocalDate.of(2025, 1, 1)))
        .withMessageContaining("2025-01-01")
        .withMessageContaining("2025-01-01T03:00:00Z")
        .withMessageContaining("America/New_York");
  }

  @Test
  void everyComponentIsRequired() {
    Instant instant = Instant.parse("2025-03-10T15:00:00Z");
    LocalDate today = LocalDate.of(2025, 3, 10);

    assertThatNullPointerException().isThrownBy(() -> new Now(null, ZoneOffset.UTC, today))
        .withMessage("instant");
    assertThatNullPointerException().isThrownBy(() -> new Now(instant, null, today))
        .withMessage("zone");
    assertThatNullPointerException().isThrownBy(() -> new Now(instant, ZoneOffset.UTC, null))
        .withMessage("today");
  }

  @ParameterizedTest(name = "{0} within 10 years of 2025-03-10T15:00Z: {1}")
  @CsvSource({
      "2015-03-09,           false",
      "2015-03-10,           false",
      "2015-03-11,           true",
      "2020-01-01,           true",
      "2025-03-09,           true",
      "2025-03-10,           true",
      "2025-03-11,           false",
      "2030-01-01,           false",
      "2015-03-10T23:59:59Z, false",
      "2015-03-11T00:00:00Z, true",
      "2025-03-10T00:00:00Z, true",
      "2025-03-10T15:00:00Z, true",
      "2025-03-10T15:00:01Z, false",
      "2025-03-10T23:59:59Z, false",
      "2025-03-11T00:00:00Z, false",
  })
  void withinTenYears(String time, boolean within) {
    assertThat(NOW.withinYears(ClinicalTime.parse(time), 10)).isEqualTo(within);
  }

  @Test
  void anInstantCountsOnItsCalendarDayInTheEvaluationZone() {
    // 2025-01-01T03:00Z is still 31 December 2024 in New York: exactly 10 years before
    // 2034-12-31 there, so it has run out; in UTC the same instant is 1 January, which is within.
    ClinicalTime newYearsEveInNewYork = ClinicalTime.parse("2025-01-01T03:00:00Z");
    Instant evaluation = Instant.parse("2034-12-31T17:00:00Z");

    Now newYork = Now.of(evaluation, NEW_YORK);
    Now utc = Now.of(evaluation, ZoneOffset.UTC);

    assertThat(newYork.today()).isEqualTo(LocalDate.of(2034, 12, 31));
    assertThat(newYork.withinYears(newYearsEveInNewYork, 10)).isFalse();
    assertThat(utc.withinYears(newYearsEveInNewYork, 10)).isTrue();
  }

  @Test
  void aDateOnlyTimeIsTakenAsRecordedWhateverTheZone() {
    Now newYork = Now.of(Instant.parse("2034-12-31T17:00:00Z"), NEW_YORK);

    assertThat(newYork.withinYears(ClinicalTime.parse("2024-12-31"), 10)).isFalse();
    assertThat(newYork.withinYears(ClinicalTime.parse("2025-01-01"), 10)).isTrue();
  }

  @Test
  void todayCountsWhenTheEvaluationIsAtTheStartOfTheDay() {
    Now midnight = Now.of(LocalDate.of(2025, 3, 10).atStartOfDay(NEW_YORK).toInstant(), NEW_YORK);

    assertThat(midnight.withinYears(ClinicalTime.parse("2025-03-10"), 1)).isTrue();
    assertThat(midnight.withinDays(ClinicalTime.parse("2025-03-10"), 1)).isTrue();
  }

  @ParameterizedTest(name = "today {0}, {1} within 1 year: {2}")
  @CsvSource({
      "2024-02-29, 2023-02-28, false",
      "2024-02-29, 2023-03-01, true",
      "2025-02-28, 2024-02-28, false",
      "2025-02-28, 2024-02-29, true",
      "2025-03-01, 2024-02-29, false",
      "2025-03-01, 2024-03-01, false",
      "2025-03-01, 2024-03-02, true",
  })
  void oneYearAcrossLeapDays(String today, String time, boolean within) {
    Now now = Now.of(LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toInstant(),
        ZoneOffset.UTC);

    assertThat(now.withinYears(ClinicalTime.parse(time), 1)).isEqualTo(within);
  }

  @ParameterizedTest(name = "{0} within 6 months of 2025-03-10: {1}")
  @CsvSource({
      "2024-09-09, false",
      "2024-09-10, false",
      "2024-09-11, true",
      "2025-03-10, true",
      "2025-03-11, false",
  })
  void withinSixMonths(String time, boolean within) {
    assertThat(NOW.withinMonths(ClinicalTime.parse(time), 6)).isEqualTo(within);
  }

  @ParameterizedTest(name = "today {0}, {1} within 1 month: {2}")
  @CsvSource({
      "2025-03-31, 2025-02-28, false",
      "2025-03-31, 2025-03-01, true",
      "2024-03-31, 2024-02-29, false",
      "2024-03-31, 2024-03-01, true",
  })
  void oneMonthFromTheEndOfAMonthEndsOnTheLastDayOfTheShorterMonth(String today, String time,
      boolean within) {
    Now now = Now.of(LocalDate.parse(today).atTime(12, 0).toInstant(ZoneOffset.UTC),
        ZoneOffset.UTC);

    assertThat(now.withinMonths(ClinicalTime.parse(time), 1)).isEqualTo(within);
  }

  @ParameterizedTest(name = "{0} within {1} days of 2025-03-10: {2}")
  @CsvSource({
      "2025-02-07, 30, false",
      "2025-02-08, 30, false",
      "2025-02-09, 30, true",
      "2025-03-10, 30, true",
      "2025-03-11, 30, false",
      "2025-03-09, 1,  false",
      "2025-03-10, 1,  true",
      "2025-03-10T14:59:59Z, 1, true",
      "2025-03-10T15:00:01Z, 1, false",
  })
  void withinDays(String time, int days, boolean within) {
    assertThat(NOW.withinDays(ClinicalTime.parse(time), days)).isEqualTo(within);
  }

  @Test
  void nullTimeIsNeverWithin() {
    assertThat(NOW.withinYears((ClinicalTime) null, 10)).isFalse();
    assertThat(NOW.withinMonths((ClinicalTime) null, 10)).isFalse();
    assertThat(NOW.withinDays((ClinicalTime) null, 10)).isFalse();
  }

  @Test
  void nullPeriodIsNeverWithin() {
    assertThat(NOW.withinYears((Period) null, 10)).isFalse();
    assertThat(NOW.withinMonths((Period) null, 10)).isFalse();
    assertThat(NOW.withinDays((Period) null, 10)).isFalse();
  }

  @ParameterizedTest(name = "period {0}..{1} within 10 years: {2}")
  @CsvSource({
      "2015-03-01, 2015-03-10, false",
      "2015-03-01, 2015-03-11, true",
      "2015-03-10,           , false",
      "2015-03-11,           , true",
      "2015-03-11, 2025-03-10, true",
  })
  void aPeriodCountsByItsEndOrByItsStartWhileOngoing(String start, String end, boolean within) {
    Period period = new Period(ClinicalTime.parse(start),
        end == null ? null : ClinicalTime.parse(end));

    assertThat(NOW.withinYears(period, 10)).isEqualTo(within);
  }

  @Test
  void periodOverloadsForMonthsAndDaysUseTheLatestTime() {
    Period ongoing = new Period(ClinicalTime.parse("2025-02-09"), null);
    Period ended = new Period(ClinicalTime.parse("2024-01-01"), ClinicalTime.parse("2025-02-09"));
    Period endedAtTheEdge =
        new Period(ClinicalTime.parse("2025-01-01"), ClinicalTime.parse("2025-02-08"));

    assertThat(NOW.withinDays(ongoing, 30)).isTrue();
    assertThat(NOW.withinDays(ended, 30)).isTrue();
    assertThat(NOW.withinDays(endedAtTheEdge, 30)).isFalse();
    assertThat(NOW.withinMonths(Period.at("2024-09-11"), 6)).isTrue();
    assertThat(NOW.withinMonths(Period.at("2024-09-10"), 6)).isFalse();
  }

  @ParameterizedTest(name = "{0} has happened by 2025-03-10T15:00Z: {1}")
  @CsvSource({
      "2025-03-09,               true",
      "2025-03-10,               true",
      "2025-03-11,               false",
      "2025-03-10T14:59:59Z,     true",
      "2025-03-10T15:00:00Z,     true",
      "2025-03-10T15:00:00.001Z, false",
      "2025-03-10T16:00:00+01:00, true",
      "2025-03-10T16:00:01+01:00, false",
      "1900-01-01T00:00:00Z,     true",
  })
  void hasHappened(String time, boolean happened) {
    assertThat(NOW.hasHappened(ClinicalTime.parse(time))).isEqualTo(happened);
  }

  @Test
  void nullHasNotHappened() {
    assertThat(NOW.hasHappened(null)).isFalse();
  }

  @Test
  void dateOfUsesTheEvaluationZone() {
    Now newYork = Now.of(Instant.parse("2025-03-10T15:00:00Z"), NEW_YORK);
    ClinicalTime instant = ClinicalTime.parse("2025-01-01T03:00:00Z");

    assertThat(newYork.dateOf(instant)).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(NOW.dateOf(instant)).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(newYork.dateOf(new Period(ClinicalTime.parse("2020-01-01"), instant)))
        .isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(newYork.dateOf(new Period(ClinicalTime.parse("2020-01-01"), null)))
        .isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(newYork.dateOf((ClinicalTime) null)).isNull();
    assertThat(newYork.dateOf((Period) null)).isNull();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} within {1} years of 2025-06-15: {2}")
  @org.junit.jupiter.params.provider.CsvSource({
      "2015, 10, false",
      "2016, 10, true",
      "2015-06, 10, false",
      "2015-07, 10, true",
      "2025, 1, true",
      "2025-06, 1, true",
      "2025-07, 1, false",
      "2026, 1, false"})
  void aPartialDateIsWithinALookbackOnlyIfAllOfItIs(String recorded, int years, boolean within) {
    Now now = Now.of(java.time.Instant.parse("2025-06-15T12:00:00Z"), java.time.ZoneOffset.UTC);
    assertThat(now.withinYears(io.github.cdsengine.core.model.ClinicalTime.parse(recorded), years))
        .isEqualTo(within);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, -1})
  void aLookbackOfLessThanOneIsARuleAuthorsMistake(int length) {
    Now now = Now.of(java.time.Instant.parse("2025-06-15T12:00:00Z"), java.time.ZoneOffset.UTC);
    io.github.cdsengine.core.model.ClinicalTime today =
        io.github.cdsengine.core.model.ClinicalTime.of(java.time.LocalDate.of(2025, 6, 15));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> now.withinYears(today, length))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(length));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> now.withinDays(
            io.github.cdsengine.core.model.Period.at(today), length))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
