package io.github.cdsengine.cli;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * When an evaluation happens: {@code --at} (an instant or a date; "now" reads the clock, the only
 * place the command line does), {@code --zone} and {@code --period}.
 */
final class TimeOptions {

  @Option(names = "--at", paramLabel = "WHEN", defaultValue = "now",
      description = "Evaluation instant: a date (start of that day in --zone), a date-time with "
          + "an offset (2025-06-15T09:30:00-04:00), a local date-time (in --zone), or 'now' "
          + "(default; printed). A scenario file's own instant is used unless --at is given.")
  String at;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      converter = ZoneConverter.class,
      description = "Time zone that fixes the calendar day (default: UTC), e.g. America/New_York.")
  ZoneId zone;

  @Option(names = "--period", paramLabel = "START/END", converter = PeriodConverter.class,
      description = "Measurement period for the measure packs, both days included, e.g. "
          + "2025-01-01/2025-12-31.")
  MeasurementPeriod period;

  /**
   * The evaluation context; "now" is read from {@code clock}.
   *
   * @throws UsageException when {@code --at} is no date or date-time
   */
  EvaluationContext context(Clock clock) {
    Instant instant = at.equals("now") ? clock.instant() : parseAt(at, zone);
    return new EvaluationContext(instant, zone, period);
  }

  /** Says on {@code err} which instant "now" was, when it was used. */
  void announce(EvaluationContext context, PrintWriter err) {
    if (at.equals("now")) {
      err.println("evaluating at " + context.instant() + " (now; --at sets another instant)");
    }
  }

  /**
   * {@code text} as an instant: a date is the start of that day in {@code zone}.
   *
   * @throws UsageException quoting the text when it is no date or date-time
   */
  static Instant parseAt(String text, ZoneId zone) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(zone).toInstant();
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(text).toInstant();
      }
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException("--at: '" + text + "' is not a date (2025-06-15), a date-time "
          + "(2025-06-15T09:30:00Z, 2025-06-15T09:30:00-04:00, 2025-06-15T09:30) or 'now'");
    }
  }

  /** Reads a time zone id, quoting a bad one. */
  static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public ZoneId convert(String value) {
      try {
        return ZoneId.of(value);
      } catch (DateTimeException e) {
        throw new TypeConversionException("'" + value + "' is not a time zone (UTC, "
            + "America/New_York, +02:00)");
      }
    }
  }

  /** Reads {@code START/END}, two ISO dates. */
  static final class PeriodConverter implements ITypeConverter<MeasurementPeriod> {
    @Override
    public MeasurementPeriod convert(String value) {
      String[] parts = value.split("/", -1);
      try {
        if (parts.length == 2) {
          return new MeasurementPeriod(LocalDate.parse(parts[0]), LocalDate.parse(parts[1]));
        }
      } catch (DateTimeParseException e) {
        // reported below
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' starts after it ends");
      }
      throw new TypeConversionException("'" + value + "' is not START/END, two dates such as "
          + "2025-01-01/2025-12-31");
    }
  }
}
