package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClinicalTimeTest {

  @Test
  void anInstantWithADateIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ClinicalTime(LocalDate.of(2020, 5, 1),
            Instant.parse("2020-05-01T10:00:00Z"), ClinicalTime.Precision.INSTANT))
        .withMessageContaining("an instant and no date")
        .withMessageContaining("date=2020-05-01")
        .withMessageContaining("instant=2020-05-01T10:00:00Z");
  }

  @Test
  void aDayWithoutADateIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ClinicalTime(null, null, ClinicalTime.Precision.DAY))
        .withMessageContaining("date=null, instant=null");
  }

  @Test
  void aMonthMustStartOnItsFirstDay() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ClinicalTime(LocalDate.of(2020, 5, 2), null,
            ClinicalTime.Precision.MONTH))
        .withMessageContaining("first day of its month");
  }

  @ParameterizedTest(name = "{0}: {1} to {2}")
  @CsvSource({
      "2020, 2020-01-01, 2020-12-31, YEAR",
      "2024-02, 2024-02-01, 2024-02-29, MONTH",
      "2023-02, 2023-02-01, 2023-02-28, MONTH",
      "2020-05-01, 2020-05-01, 2020-05-01, DAY"})
  void partialDatesSpanTheirDays(String text, LocalDate earliest, LocalDate latest,
      ClinicalTime.Precision precision) {
    ClinicalTime time = ClinicalTime.parse(text);
    assertThat(time.precision()).isEqualTo(precision);
    assertThat(time.earliestDate(java.time.ZoneOffset.UTC)).isEqualTo(earliest);
    assertThat(time.latestDate(java.time.ZoneOffset.UTC)).isEqualTo(latest);
    assertThat(time.isPartial()).isEqualTo(precision != ClinicalTime.Precision.DAY);
    assertThat(time.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"2020-13", "2023-02-30",
      "2020-05-01T10:00:00", "20", "2020-5-1", "2020-05-01T25:00:00Z", ""})
  void impossibleOrIncompleteTextIsRejectedQuotingIt(String text) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClinicalTime.parse(text))
        .isInstanceOf(java.time.format.DateTimeParseException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void parsesADateAsADate() {
    ClinicalTime time = ClinicalTime.parse("2020-05-01");

    assertThat(time.date()).isEqualTo(LocalDate.of(2020, 5, 1));
    assertThat(time.instant()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
      "2020-05-01T10:00:00Z,      2020-05-01T10:00:00Z",
      "2020-05-01T10:00:00+02:00, 2020-05-01T08:00:00Z",
      "2020-05-01T22:30:00-05:00, 2020-05-02T03:30:00Z",
      "2020-05-01T10:00:00.5Z,    2020-05-01T10:00:00.500Z",
  })
  void parsesAnOffsetDateTimeAsTheInstantItFixes(String text, String instant) {
    ClinicalTime time = ClinicalTime.parse(text);

    assertThat(time.instant()).isEqualTo(Instant.parse(instant));
    assertThat(time.date()).isNull();
  }

  @Test
  void ofOffsetDateTimeKeepsTheInstant() {
    ClinicalTime time = ClinicalTime.of(OffsetDateTime.parse("2020-05-01T23:00:00-04:00"));

    assertThat(time.instant()).isEqualTo(Instant.parse("2020-05-02T03:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
      "2025-01-01T03:00:00Z, UTC,                 2025-01-01",
      "2025-01-01T03:00:00Z, America/New_York,    2024-12-31",
      "2025-01-01T03:00:00Z, Asia/Tokyo,          2025-01-01",
      "2024-12-31T20:00:00Z, Asia/Tokyo,          2025-01-01",
      "2024-12-31T20:00:00Z, America/Los_Angeles, 2024-12-31",
      "2025-01-01T00:00:00Z, +00:00,              2025-01-01",
      "2024-12-31T23:59:59Z, +00:00,              2024-12-31",
  })
  void anInstantFallsOnTheCalendarDayOfTheZone(String instant, String zone, String date) {
    assertThat(ClinicalTime.of(Instant.parse(instant)).dateIn(ZoneId.of(zone)))
        .isEqualTo(LocalDate.parse(date));
  }

  @ParameterizedTest
  @CsvSource({"UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"})
  void aDateIsTheSameDayInEveryZone(String zone) {
    assertThat(ClinicalTime.of(LocalDate.of(2024, 12, 31)).dateIn(ZoneId.of(zone)))
        .isEqualTo(LocalDate.of(2024, 12, 31));
  }

  @Test
  void ordersByUtcDayThenDatesBeforeInstantsThenByInstant() {
    ClinicalTime dayBefore = ClinicalTime.parse("2020-04-30T23:59:59Z");
    ClinicalTime date = ClinicalTime.parse("2020-05-01");
    ClinicalTime morning = ClinicalTime.parse("2020-05-01T00:00:00Z");
    ClinicalTime evening = ClinicalTime.parse("2020-05-01T20:00:00Z");
    ClinicalTime nextDate = ClinicalTime.parse("2020-05-02");

    List<ClinicalTime> times = new ArrayList<>(List.of(nextDate, evening, date, morning, dayBefore));
    Collections.sort(times);

    assertThat(times).containsExactly(dayBefore, date, morning, evening, nextDate);
  }

  @Test
  void compareToIsAntisymmetricAndZeroForEqualTimes() {
    ClinicalTime date = ClinicalTime.parse("2020-05-01");
    ClinicalTime instant = ClinicalTime.parse("2020-05-01T12:00:00Z");

    assertThat(date.compareTo(instant)).isNegative();
    assertThat(instant.compareTo(date)).isPositive();
    assertThat(date.compareTo(ClinicalTime.of(LocalDate.of(2020, 5, 1)))).isZero();
    assertThat(instant.compareTo(ClinicalTime.parse("2020-05-01T14:00:00+02:00"))).isZero();
  }

  @Test
  void comparesInstantsOnTheirUtcDay() {
    // 23:00 in New York on 30 April is 1 May in UTC, so it sorts after a 30 April date.
    ClinicalTime lateEvening = ClinicalTime.parse("2020-04-30T23:00:00-04:00");

    assertThat(lateEvening.compareTo(ClinicalTime.parse("2020-04-30"))).isPositive();
    assertThat(lateEvening.compareTo(ClinicalTime.parse("2020-05-01"))).isPositive();
    assertThat(lateEvening.compareTo(ClinicalTime.parse("2020-05-02"))).isNegative();
  }

  @Test
  void toStringIsIso() {
    assertThat(ClinicalTime.parse("2020-05-01")).hasToString("2020-05-01");
    assertThat(ClinicalTime.parse("2020-05-01T10:00:00+02:00")).hasToString("2020-05-01T08:00:00Z");
  }

  @Test
  void equalInstantsFromDifferentOffsetsAreEqual() {
    assertThat(ClinicalTime.parse("2020-05-01T10:00:00+02:00"))
        .isEqualTo(ClinicalTime.of(Instant.parse("2020-05-01T08:00:00Z")))
        .isNotEqualTo(ClinicalTime.of(LocalDate.of(2020, 5, 1)));
  }

  @Test
  void offsetUtcIsTheSortingZone() {
    assertThat(ClinicalTime.parse("2020-05-01T00:30:00+01:00").dateIn(ZoneOffset.UTC))
        .isEqualTo(LocalDate.of(2020, 4, 30));
  }
}
