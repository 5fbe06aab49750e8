package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A point in clinical time at the precision the source recorded: either a calendar date with no
 * time of day, or an exact instant.
 *
 * <p>A date is the same calendar day wherever the evaluation happens; an instant falls on the
 * calendar day of the evaluation's time zone. Exactly one of the two components is present.
 *
 * @param date the calendar date, when only a date was recorded
 * @param instant the exact instant, when a time of day and offset were recorded
 */
public record ClinicalTime(LocalDate date, Instant instant) implements Comparable<ClinicalTime> {

  /**
   * Checks that exactly one of date and instant is present.
   *
   * @throws IllegalArgumentException if both or neither are given
   */
  public ClinicalTime {
    if ((date == null) == (instant == null)) {
      throw new IllegalArgumentException(
          "exactly one of date and instant is required, got date=" + date + ", instant=" + instant);
    }
  }

  /** A time recorded as a calendar date. */
  public static ClinicalTime of(LocalDate date) {
    return new ClinicalTime(date, null);
  }

  /** A time recorded as an exact instant. */
  public static ClinicalTime of(Instant instant) {
    return new ClinicalTime(null, instant);
  }

  /** A time recorded with a time of day and an offset; the offset fixes the instant. */
  public static ClinicalTime of(OffsetDateTime dateTime) {
    return new ClinicalTime(null, dateTime.toInstant());
  }

  /**
   * Parses an ISO date ({@code 2020-05-01}) or offset date-time ({@code 2020-05-01T10:00:00Z}).
   *
   * @throws java.time.format.DateTimeParseException if the text is neither, or an impossible date
   */
  @JsonCreator
  public static ClinicalTime parse(String text) {
    return text.length() == 10
        ? of(LocalDate.parse(text))
        : of(OffsetDateTime.parse(text));
  }

  /** The calendar day this time falls on in {@code zone}. */
  public LocalDate dateIn(ZoneId zone) {
    return date != null ? date : instant.atZone(zone).toLocalDate();
  }

  /**
   * Orders times by calendar day in UTC and, within a day, dates before instants. Use
   * {@link #dateIn(ZoneId)} for clinical comparisons; this order only makes sorting deterministic.
   */
  @Override
  public int compareTo(ClinicalTime other) {
    int byDate = dateIn(ZoneOffset.UTC).compareTo(other.dateIn(ZoneOffset.UTC));
    if (byDate != 0) {
      return byDate;
    }
    if (instant == null || other.instant == null) {
      return Boolean.compare(instant != null, other.instant != null);
    }
    return instant.compareTo(other.instant);
  }

  @JsonValue
  @Override
  public String toString() {
    return date != null ? date.toString() : instant.toString();
  }
}
