package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of FHIR's date and dateTime forms: what {@link ClinicalTime#parse} accepts, and the
 * instant it reads, for leap seconds, midnight written as 24:00, the widest offsets, fractions
 * of 1 to 9 digits, lowercase separators and the first and last years.
 */
class ClinicalTimeFormBoundaryTest {

  @ParameterizedTest
  @CsvSource({
      "2016-12-31T23:59:60Z, 2016-12-31T23:59:59.999999999Z",
      "2024-01-01T00:00:00+14:00, 2023-12-31T10:00:00Z",
      "2024-01-01T00:00:00-12:00, 2024-01-01T12:00:00Z",
      "2024-01-01T00:00:00+00:00, 2024-01-01T00:00:00Z",
      "2024-01-01T00:00:00-00:00, 2024-01-01T00:00:00Z",
      "2024-01-01T00:00:00+18:00, 2023-12-31T06:00:00Z",
      "2024-01-01T00:00:00.1Z, 2024-01-01T00:00:00.100Z",
      "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123456789Z",
      "2024-01-01T00:00:00.000000001+01:00, 2023-12-31T23:00:00.000000001Z",
      "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
      "2024-02-29T12:00:00Z, 2024-02-29T12:00:00Z"})
  void aDateTimeOfEveryAcceptedFormNamesItsInstant(String text, String instant) {
    assertThat(ClinicalTime.isDateTime(text)).isTrue();
    assertThat(ClinicalTime.parse(text).instant()).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
      "2024-01-01T00:00:61Z", "2024-01-01T00:00:00+18:01", "2024-01-01T00:00:00+19:00",
      "2024-01-01T00:00:00+01:60", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z", "2024-01-32T00:00:00Z",
      // not the form: no offset, lowercase, fractions of 0 or 10 digits, no seconds
      "2024-01-01T00:00:00", "2024-01-01t00:00:00Z", "2024-01-01T00:00:00z",
      "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00Z",
      "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00+01", "2024-01-01 00:00:00Z",
      "2024-01-01T00:00:00Z ", " 2024-01-01T00:00:00Z", "+2024-01-01T00:00:00Z",
      "12024-01-01T00:00:00Z", "2024-01-01T00:00:00\u0660Z", "2024-1-01T00:00:00Z",
      // dates
      "2024-1", "2024-01-1", "202", "20240", "2024-", "2024-01-", "2023-02-29", "2024-00",
      "2024-13", "\u0662\u0660\u0662\u0664", "", "2024-01-01T"})
  void anythingElseIsRefused(String text) {
    assertThat(ClinicalTime.isDateTime(text))
        .isEqualTo(ClinicalTime.DATE_TIME.matcher(text).matches());
    assertThatThrownBy(() -> ClinicalTime.parse(text))
        .isInstanceOf(DateTimeParseException.class).hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"0000, YEAR", "9999, YEAR", "2024-02, MONTH", "0000-01, MONTH",
      "2024-02-29, DAY", "9999-12-31, DAY", "0000-01-01, DAY"})
  void partialDatesKeepTheirPrecision(String text, ClinicalTime.Precision precision) {
    assertThat(ClinicalTime.parse(text).precision()).isEqualTo(precision);
    assertThat(ClinicalTime.isDateTime(text)).isFalse();
  }
}
