package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A point in clinical time at the precision the source recorded: a year ({@code 2020}), a month
 * ({@code 2020-05}), a calendar day ({@code 2020-05-01}) or an exact instant
 * ({@code 2020-05-01T10:00:00-04:00}), as FHIR's {@code date} and {@code dateTime} allow.
 *
 * <p>A day is the same calendar day wherever the evaluation happens; an instant falls on the
 * calendar day of the evaluation's time zone. A year or a month stands for the range of days it
 * could be: {@link #earliestDate} and {@link #latestDate} give its ends, and
 * {@link io.github.cdsengine.core.rule.Now} decides lookbacks on the whole range.
 *
 * @param date the first day of the year, month or day recorded; {@code null} for an instant
 * @param instant the exact instant; {@code null} unless the precision is {@code INSTANT}
 * @param precision what was recorded
 */
public record ClinicalTime(LocalDate date, Instant instant, Precision precision)
    implements Comparable<ClinicalTime> {

  /** How precisely a time was recorded. */
  public enum Precision {
    /** Only the year. */
    YEAR,
    /** The year and month. */
    MONTH,
    /** A calendar day, no time of day. */
    DAY,
    /** An exact instant, with time of day and offset. */
    INSTANT
  }

  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** FHIR's dateTime with a time: seconds required, fractions optional, an offset required. */
  static final Pattern DATE_TIME = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  /** Where the seconds stand in a date-time {@link #DATE_TIME} matches. */
  private static final int LEAP_SECOND_AT = "YYYY-MM-DDThh:mm:".length();
  private static final int LAST_NANO = 999_999_999;

  /**
   * Checks that the fields agree with the precision.
   *
   * @param date the first day of the year, month or day recorded; {@code null} for an instant
   * @param instant the exact instant; {@code null} unless the precision is {@code INSTANT}
   * @param precision what was recorded
   * @throws NullPointerException if precision is null
   * @throws IllegalArgumentException if an instant has a date, a date-precision time has no date
   *     or an instant, or a year or month does not start on its first day
   */
  public ClinicalTime {
    Objects.requireNonNull(precision, "precision");
    boolean ok = switch (precision) {
      case INSTANT -> instant != null && date == null;
      case DAY -> date != null && instant == null;
      case MONTH -> date != null && instant == null && date.getDayOfMonth() == 1;
      case YEAR -> date != null && instant == null && date.getDayOfYear() == 1;
    };
    if (!ok) {
      throw new IllegalArgumentException("a " + precision + " time needs "
          + (precision == Precision.INSTANT ? "an instant and no date"
              : "the first day of its " + precision.name().toLowerCase() + " and no instant")
          + ", got date=" + date + ", instant=" + instant);
    }
  }

  /**
   * A time recorded as a calendar date.
   *
   * @param date the calendar day, with no time of day or zone; never null
   * @return a time of day precision
   */
  public static ClinicalTime of(LocalDate date) {
    return new ClinicalTime(Objects.requireNonNull(date, "date"), null, Precision.DAY);
  }

  /**
   * A time recorded as an exact instant.
   *
   * @param instant the exact instant; never null
   * @return a time of instant precision
   */
  public static ClinicalTime of(Instant instant) {
    return new ClinicalTime(null, Objects.requireNonNull(instant, "instant"), Precision.INSTANT);
  }

  /**
   * A time recorded with a time of day and an offset; the offset fixes the instant.
   *
   * @param dateTime the date, time of day and UTC offset as recorded; never null
   * @return a time of instant precision at the instant {@code dateTime} names (the offset itself is
   *     not kept)
   */
  public static ClinicalTime of(OffsetDateTime dateTime) {
    return of(dateTime.toInstant());
  }

  /**
   * A time recorded as a month.
   *
   * @param month the month; never null
   * @return a time of month precision, which spans every day of {@code month}
   */
  public static ClinicalTime of(YearMonth month) {
    return new ClinicalTime(month.atDay(1), null, Precision.MONTH);
  }

  /**
   * A time recorded as a year.
   *
   * @param year the year; never null
   * @return a time of year precision, which spans every day of {@code year}
   */
  public static ClinicalTime of(Year year) {
    return new ClinicalTime(year.atDay(1), null, Precision.YEAR);
  }

  /**
   * Parses a FHIR {@code date}, {@code dateTime} or {@code instant}: {@code 2020},
   * {@code 2020-05}, {@code 2020-05-01}, or {@code 2020-05-01T10:00:00Z} with an offset, which
   * FHIR requires whenever a time of day is given.
   *
   * <p>A leap second, {@code 23:59:60} (FHIR's {@code dateTime} and {@code instant} allow second
   * {@code 60}; with an offset it may stand at another local minute, such as {@code 18:59:60-05:00}),
   * is read as the last representable instant of second 59 of the same minute, {@code
   * 23:59:59.999999999}, whatever fraction it carries: {@link Instant} has no leap seconds, and so
   * the time stays in its own minute and calendar day, after every instant before it and before
   * the next minute.
   *
   * @param text the FHIR text; never null
   * @return the time, at the precision the text gives
   * @throws DateTimeParseException quoting the text when it is none of these, or an impossible
   *     date such as {@code 2023-02-30}
   */
  @JsonCreator
  public static ClinicalTime parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      // Each form has its own length: only the pattern of that length can match.
      int length = text.length();
      if (length == "YYYY-MM-DD".length() && DAY.matcher(text).matches()) {
        return of(LocalDate.parse(text));
      }
      if (length == "YYYY-MM".length() && MONTH.matcher(text).matches()) {
        return of(YearMonth.parse(text));
      }
      if (length == "YYYY".length() && YEAR.matcher(text).matches()) {
        return of(Year.parse(text));
      }
      if (!isDateTime(text)) {
        throw new DateTimeParseException("'" + text + "' is not a FHIR date or date-time: "
            + "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an offset", text, 0);
      }
      ClinicalTime fast = instantOf(text);
      if (fast != null) {
        return fast;
      }
      if (text.startsWith("60", LEAP_SECOND_AT)) {
        String secondBefore = text.substring(0, LEAP_SECOND_AT) + "59"
            + text.substring(LEAP_SECOND_AT + 2);
        return of(OffsetDateTime.parse(secondBefore).withNano(LAST_NANO));
      }
      return of(OffsetDateTime.parse(text));
    } catch (DateTimeParseException e) {
      if (e.getMessage().startsWith("'" + text + "'")) {
        throw e;
      }
      throw new DateTimeParseException("'" + text + "' is not a FHIR date or date-time with an "
          + "offset (" + e.getMessage() + ")", text, e.getErrorIndex(), e);
    } catch (DateTimeException e) {
      throw new DateTimeParseException("'" + text + "' is not a valid date: " + e.getMessage(),
          text, 0, e);
    }
  }

  /**
   * Whether {@code text} has the form {@link #DATE_TIME} describes, checked character by
   * character (the pattern's matcher costs more than the rest of the parse).
   */
  static boolean isDateTime(String text) {
    int length = text.length();
    // YYYY-MM-DDThh:mm:ss, then .f to .fffffffff, then Z or +hh:mm / -hh:mm.
    if (length < LEAP_SECOND_AT + 3 || !digitsAt(text, 0, 4) || text.charAt(4) != '-'
        || !digitsAt(text, 5, 2) || text.charAt(7) != '-' || !digitsAt(text, 8, 2)
        || text.charAt(10) != 'T' || !digitsAt(text, 11, 2) || text.charAt(13) != ':'
        || !digitsAt(text, 14, 2) || text.charAt(16) != ':' || !digitsAt(text, 17, 2)) {
      return false;
    }
    int at = LEAP_SECOND_AT + 2;
    if (text.charAt(at) == '.') {
      int fraction = at + 1;
      while (fraction < length && isAsciiDigit(text.charAt(fraction))) {
        fraction++;
      }
      int digits = fraction - at - 1;
      if (digits < 1 || digits > 9) {
        return false;
      }
      at = fraction;
    }
    if (at == length - 1) {
      return text.charAt(at) == 'Z';
    }
    return at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
        && digitsAt(text, at + 1, 2) && text.charAt(at + 3) == ':' && digitsAt(text, at + 4, 2);
  }

  private static boolean digitsAt(String text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isAsciiDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The instant a date-time that {@link #DATE_TIME} matched names, read from its fixed positions
   * (the common case: a tenth of the cost of {@link OffsetDateTime#parse}); {@code null} for a
   * leap second or a field out of range, which the full parser then reads or refuses with its own
   * message.
   */
  private static ClinicalTime instantOf(String text) {
    int second = digits(text, LEAP_SECOND_AT, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    if (second > 59 || hour > 23 || minute > 59) {
      return null;
    }
    int at = LEAP_SECOND_AT + 2;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int end = at + 1;
      while (Character.isDigit(text.charAt(end))) {
        end++;
      }
      nanos = digits(text, at + 1, end - at - 1);
      for (int i = end - at - 1; i < 9; i++) {
        nanos *= 10;
      }
      at = end;
    }
    int offsetSeconds = 0;
    if (text.charAt(at) != 'Z') {
      int offsetHours = digits(text, at + 1, 2);
      int offsetMinutes = digits(text, at + 4, 2);
      if (offsetHours > 18 || offsetMinutes > 59 || (offsetHours == 18 && offsetMinutes > 0)) {
        return null;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60)
          * (text.charAt(at) == '-' ? -1 : 1);
    }
    LocalDate date;
    try {
      date = LocalDate.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2));
    } catch (DateTimeException e) {
      return null;
    }
    long epochSecond = date.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second
        - offsetSeconds;
    return of(Instant.ofEpochSecond(epochSecond, nanos));
  }

  /** The number {@code length} ASCII digits from {@code start} stand for. */
  private static int digits(String text, int start, int length) {
    int value = 0;
    for (int i = start; i < start + length; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  /**
   * The first calendar day this time can be in {@code zone}.
   *
   * @param zone the time zone that fixes the calendar day of an instant; for a date, month or year
   *     it makes no difference
   * @return the day for an instant, the date itself, or the first day of the month or year
   */
  public LocalDate earliestDate(ZoneId zone) {
    return instant != null ? dateOf(instant, zone) : date;
  }

  /**
   * The calendar day {@code instant} falls on in {@code zone}. The same as {@link
   * LocalDate#ofInstant}, without building the zone rules of a fixed offset on every call (rules
   * compare dates fact by fact).
   *
   * @param instant the instant; never null
   * @param zone the time zone or offset whose calendar is meant; never null
   * @return the local date of {@code instant} in {@code zone}
   */
  public static LocalDate dateOf(Instant instant, ZoneId zone) {
    if (zone instanceof ZoneOffset offset) {
      long seconds = instant.getEpochSecond() + offset.getTotalSeconds();
      return LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    }
    return LocalDate.ofInstant(instant, zone);
  }

  /**
   * The last calendar day this time can be in {@code zone}.
   *
   * @param zone the time zone that fixes the calendar day of an instant; for a date, month or year
   *     it makes no difference
   * @return the day for an instant, the date itself, or the last day of the month or year
   */
  public LocalDate latestDate(ZoneId zone) {
    return switch (precision) {
      case INSTANT -> dateOf(instant, zone);
      case DAY -> date;
      case MONTH -> YearMonth.from(date).atEndOfMonth();
      case YEAR -> Year.from(date).atDay(Year.from(date).length());
    };
  }

  /**
   * The calendar day this time falls on in {@code zone}; for a year or a month, its first day
   * (see {@link #latestDate} for the other end).
   *
   * @param zone the time zone that fixes the calendar day of an instant
   * @return the same day as {@link #earliestDate(ZoneId)}
   */
  public LocalDate dateIn(ZoneId zone) {
    return earliestDate(zone);
  }

  /**
   * Whether this is a year or a month rather than a day or an instant.
   *
   * @return true for year or month precision
   */
  public boolean isPartial() {
    return precision == Precision.YEAR || precision == Precision.MONTH;
  }

  /**
   * Orders times by earliest calendar day in UTC, then coarser precision first, then instant.
   * Use {@link #dateIn(ZoneId)} for clinical comparisons; this order only makes sorting
   * deterministic.
   */
  @Override
  public int compareTo(ClinicalTime other) {
    int byDate = earliestDate(ZoneOffset.UTC).compareTo(other.earliestDate(ZoneOffset.UTC));
    if (byDate != 0) {
      return byDate;
    }
    int byPrecision = precision.compareTo(other.precision);
    if (byPrecision != 0 || instant == null) {
      return byPrecision;
    }
    return instant.compareTo(other.instant);
  }

  /** The time as FHIR writes it: {@code 2020}, {@code 2020-05}, {@code 2020-05-01} or an instant. */
  @JsonValue
  @Override
  public String toString() {
    return switch (precision) {
      case INSTANT -> instant.toString();
      case DAY -> date.toString();
      case MONTH -> YearMonth.from(date).toString();
      case YEAR -> Year.from(date).toString();
    };
  }
}
