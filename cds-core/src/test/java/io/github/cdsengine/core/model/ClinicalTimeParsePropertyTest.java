package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ClinicalTime#parse} reads a FHIR dateTime with a time of day by its fixed positions; it
 * names the same instant as {@link OffsetDateTime#parse} for every date, time, fraction of 0 to 9
 * digits and offset, and what the JDK refuses it refuses.
 */
class ClinicalTimeParsePropertyTest {

  private static final long FROM = LocalDate.of(1, 1, 1).toEpochDay();
  private static final long TO = LocalDate.of(9999, 12, 31).toEpochDay();

  @Property(tries = 3000)
  void dateTimesNameTheInstantTheJdkReads(@ForAll("days") LocalDate day,
      @ForAll @IntRange(min = 0, max = 86_399) int secondOfDay,
      @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
      @ForAll @IntRange(min = 0, max = 999_999_999) int fraction,
      @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
    StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
        day.getYear(), day.getMonthValue(), day.getDayOfMonth(), secondOfDay / 3600,
        secondOfDay / 60 % 60, secondOfDay % 60));
    if (fractionDigits > 0) {
      text.append('.').append(String.format("%09d", fraction), 0, fractionDigits);
    }
    if (offsetMinutes == 0 && fraction % 2 == 0) {
      text.append('Z');
    } else {
      int minutes = Math.abs(offsetMinutes);
      text.append(offsetMinutes < 0 ? '-' : '+')
          .append(String.format("%02d:%02d", minutes / 60, minutes % 60));
    }
    ClinicalTime time = ClinicalTime.parse(text.toString());
    assertThat(time.precision()).isEqualTo(ClinicalTime.Precision.INSTANT);
    assertThat(time.instant()).as(text.toString())
        .isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2023-02-30T10:00:00Z", "2023-13-01T10:00:00Z", "2023-00-10T10:00:00Z",
      "2023-01-01T24:00:00Z", "2023-01-01T10:60:00Z", "2023-01-01T10:00:61Z",
      "2023-01-01T10:00:00+19:00", "2023-01-01T10:00:00+18:01", "2023-01-01T10:00:00+05:60"})
  void fieldsOutOfRangeAreRefusedQuotingTheText(String text) {
    assertThatThrownBy(() -> ClinicalTime.parse(text)).isInstanceOf(DateTimeParseException.class)
        .hasMessageStartingWith("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5Z",
      "2016-12-31T18:59:60-05:00"})
  void aLeapSecondIsTheLastInstantOfTheSecondBefore(String text) {
    assertThat(ClinicalTime.parse(text).instant())
        .isEqualTo(Instant.parse("2016-12-31T23:59:59.999999999Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2020-05-01T10:00:00.000000000-00:00", "2020-05-01T10:00:00+18:00",
      "2020-05-01T10:00:00-18:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
  void boundaryOffsetsAndYearsAgreeWithTheJdk(String text) {
    assertThat(ClinicalTime.parse(text).instant()).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @Provide
  Arbitrary<LocalDate> days() {
    return Arbitraries.longs().between(FROM, TO).map(LocalDate::ofEpochDay);
  }
}
