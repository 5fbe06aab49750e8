package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.units.UnitConverter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The days a medication order covers and the dose it supplies, as the QI-Core measure library
 * CumulativeMedicationDuration (version 4.1.000, used by the CMS eCQMs) computes {@code
 * medicationRequestPeriod()}, and as CMS156 (UseofHighRiskMedicationsintheElderlyFHIR 0.2.001)
 * computes {@code MedicationRequestPeriodInDays()} and {@code averageDailyDose()}.
 *
 * <pre>
 *   dosage            = singleton from dosageInstruction    (more than one: not computable)
 *   frequency         = Coalesce(repeat.frequencyMax, repeat.frequency)
 *   dose              = Coalesce(doseRange.high, doseQuantity)
 *   dosesPerDay       = Coalesce(ToDaily(frequency, period), Count(repeat.timeOfDay))
 *   daysSupply        = expectedSupplyDuration in days
 *   totalDaysSupplied = Coalesce(daysSupply, quantity / (dose * dosesPerDay)) * (1 + refills)
 *   startDate         = Coalesce(date of boundsPeriod.start, date of authoredOn,
 *                                date of validityPeriod.start)
 *   period            = [startDate, startDate + (totalDaysSupplied - 1) days], else
 *                       [startDate, date of boundsPeriod.end], else unknown
 * </pre>
 *
 * <p>Decisions the library leaves to its engine, reproduced as the CQL engine behaves:
 *
 * <ul>
 *   <li>The library writes {@code Coalesce(ToDaily(...), Count(timeOfDay), 1.0)}, but {@code
 *       Count} of no times of day is 0, never null, so the default of one dose a day is never
 *       reached: with no frequency and no times of day there are 0 doses a day, the division by
 *       zero is null, and the supply comes only from the expected supply duration.
 *   <li>Supply durations convert to days as CQL's {@code convert ... to days} does, through UCUM
 *       ({@link #supplyDays}): a month is 30.4375 days and a year 365.25, so an order for 3
 *       months supplies 91.3125 days. (The library's {@code ToDaily}, for dosing frequencies,
 *       counts 30 days a month and 365 a year instead, as its own comment states; {@link
 *       #toDaily} follows it.) A duration whose unit is not a unit of time is unknown.
 *   <li>Fractional days stay fractional in the sums ({@code totalDaysSupplied}, CMS156's
 *       {@code Sum(...) > 90}); adding a fraction of a day to a date truncates it, as CQL's
 *       Date + Quantity does, so 91.3125 days from 1 January end on 1 April (start + 90).
 *   <li>Where CQL would stop with an error (more than one dosage instruction; a supply of zero
 *       days, which would end the period before it starts; a supply ending after CQL's last
 *       date, 9999-12-31), the result here is unknown
 *       ({@code null}).
 * </ul>
 *
 * <p>Known deviation: when an instruction has several {@code doseAndRate} entries (a CQL error),
 * the first with a dose quantity is used, as the reader keeps only that one.
 */
public final class MedicationPeriod {

  private static final int SCALE = 8;
  /** CQL's largest Date: a period ending after it is a CQL error, and unknown here. */
  private static final LocalDate LAST_CQL_DATE = LocalDate.of(9999, 12, 31);
  /**
   * CQL's calendar duration words and the UCUM units they stand for in a conversion (FHIRHelpers
   * 4.4.000 {@code ToCalendarUnit} maps {@code mo} to {@code month}, {@code a} to {@code year}...).
   */
  private static final Map<String, String> CALENDAR_UNITS = Map.ofEntries(
      Map.entry("millisecond", "ms"), Map.entry("milliseconds", "ms"),
      Map.entry("second", "s"), Map.entry("seconds", "s"),
      Map.entry("minute", "min"), Map.entry("minutes", "min"),
      Map.entry("hour", "h"), Map.entry("hours", "h"),
      Map.entry("day", "d"), Map.entry("days", "d"),
      Map.entry("week", "wk"), Map.entry("weeks", "wk"),
      Map.entry("month", "mo"), Map.entry("months", "mo"),
      Map.entry("year", "a"), Map.entry("years", "a"));
  /** A UCUM annotation such as {@code {tbl}}: a count of units of the product. */
  private static final Pattern ANNOTATION = Pattern.compile("\\{[^{}]*\\}");

  private MedicationPeriod() {}

  /**
   * The days the order covers ({@code medicationRequestPeriod()}), as dates in {@code zone}, or
   * {@code null} when it has no start or no known length.
   *
   * @param request the medication order; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the covered days as a period of dates, both ends included, or {@code null}
   */
  public static Period of(MedicationRequest request, ZoneId zone) {
    if (request.dosage().size() > 1) {
      return null;
    }
    Dosage dosage = request.dosage().isEmpty() ? null : request.dosage().get(0);
    LocalDate start = startDate(request, zone);
    if (start == null) {
      return null;
    }
    BigDecimal days = daysSupplied(request.dispenseRequest(), dosage);
    if (days != null) {
      if (days.signum() <= 0) {
        return null;
      }
      BigDecimal last = days.subtract(BigDecimal.ONE).setScale(0, RoundingMode.DOWN);
      if (last.compareTo(BigDecimal.valueOf(ChronoUnit.DAYS.between(start, LAST_CQL_DATE))) > 0) {
        return null;
      }
      return new Period(ClinicalTime.of(start), ClinicalTime.of(start.plusDays(last.longValue())));
    }
    if (dosage != null && dosage.bounds() != null && dosage.bounds().end() != null) {
      return new Period(ClinicalTime.of(start),
          ClinicalTime.of(dosage.bounds().end().earliestDate(zone)));
    }
    return null;
  }

  /**
   * The first day of {@link #of} ({@code start of medicationRequestPeriod()}), or {@code null}
   * when the period is unknown: CMS156 compares the starts of two orders authored on one day.
   *
   * @param request the medication order; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the first covered day, or {@code null}
   */
  public static LocalDate periodStart(MedicationRequest request, ZoneId zone) {
    Period period = of(request, zone);
    return period == null ? null : period.start().earliestDate(zone);
  }

  /**
   * The sum of {@link #totalDaysSupplied} over the orders among {@code requests}, each order
   * once, leaving out unknown supplies; {@code null} when none is known (CQL's {@code Sum}, as
   * CMS156 adds the days of its anti-infective orders).
   *
   * @param requests facts of any type; only {@link
   *     io.github.cdsengine.core.model.MedicationRequest}s count, and an order listed twice counts
   *     once
   * @return the total in days, or {@code null}
   */
  public static BigDecimal sumOfTotalDaysSupplied(Collection<?> requests) {
    BigDecimal sum = null;
    for (Object request : new LinkedHashSet<>(requests)) {
      if (request instanceof MedicationRequest order) {
        BigDecimal days = totalDaysSupplied(order);
        if (days != null) {
          sum = sum == null ? days : sum.add(days);
        }
      }
    }
    return sum;
  }

  /**
   * The first day of the order ({@code startDate}): the day the dosage's bounds start, else the
   * day it was authored, else the day its dispense validity starts; {@code null} when none is
   * recorded or the order has more than one dosage instruction.
   *
   * @param request the medication order; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the start date, or {@code null}
   */
  public static LocalDate startDate(MedicationRequest request, ZoneId zone) {
    if (request.dosage().size() > 1) {
      return null;
    }
    Dosage dosage = request.dosage().isEmpty() ? null : request.dosage().get(0);
    DispenseRequest dispense = request.dispenseRequest();
    return firstDate(zone,
        dosage != null && dosage.bounds() != null ? dosage.bounds().start() : null,
        request.authoredOn(),
        dispense != null && dispense.validity() != null ? dispense.validity().start() : null);
  }

  /**
   * The days supplied including refills ({@code totalDaysSupplied}, CMS156's {@code
   * MedicationRequestPeriodInDays()}), or {@code null} when not computable.
   *
   * @param request the medication order; never null
   * @return the days, a decimal number, or {@code null}
   */
  public static BigDecimal totalDaysSupplied(MedicationRequest request) {
    if (request.dosage().size() > 1) {
      return null;
    }
    return daysSupplied(request.dispenseRequest(),
        request.dosage().isEmpty() ? null : request.dosage().get(0));
  }

  /**
   * The days supplied including refills: the expected supply duration in days, else the quantity
   * over the daily dose; times one plus the refills allowed. {@code null} when neither is known.
   *
   * @param dispense the order's dispense request, or {@code null}
   * @param dosage the order's single dosage instruction, or {@code null}
   * @return the days, a decimal number, or {@code null}
   */
  public static BigDecimal daysSupplied(DispenseRequest dispense, Dosage dosage) {
    if (dispense == null) {
      return null;
    }
    BigDecimal perFill = supplyDays(dispense.expectedSupplyDuration());
    if (perFill == null && dispense.quantity() != null && dosage != null) {
      BigDecimal daily = dailyDose(dosage);
      if (daily != null && daily.signum() != 0) {
        perFill = dispense.quantity().value().divide(daily, SCALE, RoundingMode.HALF_EVEN);
      }
    }
    if (perFill == null) {
      return null;
    }
    int fills = 1 + (dispense.repeatsAllowed() == null ? 0 : dispense.repeatsAllowed());
    return perFill.multiply(BigDecimal.valueOf(fills));
  }

  /**
   * The amount taken per day: the dose (a range's high end, else the dose quantity) times the
   * doses per day; {@code null} without a dose.
   *
   * @param dosage the dosage instruction; never null
   * @return the amount per day in the dose's unit, or {@code null}
   */
  public static BigDecimal dailyDose(Dosage dosage) {
    Quantity dose = dosage.doseRangeHigh() != null ? dosage.doseRangeHigh() : dosage.dose();
    if (dose == null) {
      return null;
    }
    return dose.value().multiply(dosesPerDay(dosage));
  }

  /**
   * Doses a day: {@link #toDaily} of the maximum frequency (else the frequency) and the period,
   * else the number of times of day, which is 0 when none are given (see the class comment).
   *
   * @param dosage the dosage instruction; never null
   * @return the doses per day, 0 when neither a frequency and period nor times of day are given
   */
  public static BigDecimal dosesPerDay(Dosage dosage) {
    Integer frequency = dosage.frequencyMax() != null ? dosage.frequencyMax()
        : dosage.frequency();
    BigDecimal daily = toDaily(frequency, dosage.period(), dosage.periodUnit());
    return daily != null ? daily : BigDecimal.valueOf(dosage.timesOfDay().size());
  }

  /**
   * CumulativeMedicationDuration's {@code ToDaily(frequency, period)}: administrations per day
   * for {@code frequency} per {@code period} {@code unit} (UCUM s, min, h, d, wk, mo, a, or the
   * words second, minute, hour, day, week, month, year, singular or plural; a month is 30 days
   * and a year 365, as the library states). {@code null} when any is missing, the period is
   * zero, or the unit is unknown.
   *
   * @param frequency how many administrations per period, or {@code null}
   * @param period the length of the period in {@code unit}, or {@code null}
   * @param unit the period's unit, or {@code null}
   * @return administrations per day, or {@code null}
   */
  public static BigDecimal toDaily(Integer frequency, BigDecimal period, String unit) {
    if (frequency == null || period == null || unit == null || period.signum() == 0) {
      return null;
    }
    BigDecimal f = BigDecimal.valueOf(frequency);
    BigDecimal perDay = switch (unit) {
      case "s", "second", "seconds" -> f.multiply(BigDecimal.valueOf(86_400));
      case "min", "minute", "minutes" -> f.multiply(BigDecimal.valueOf(1_440));
      case "h", "hour", "hours" -> f.multiply(BigDecimal.valueOf(24));
      case "d", "day", "days" -> f;
      case "wk", "week", "weeks" -> f.divide(BigDecimal.valueOf(7), SCALE, RoundingMode.HALF_EVEN);
      case "mo", "month", "months" ->
          f.divide(BigDecimal.valueOf(30), SCALE, RoundingMode.HALF_EVEN);
      case "a", "year", "years" ->
          f.divide(BigDecimal.valueOf(365), SCALE, RoundingMode.HALF_EVEN);
      default -> null;
    };
    return perDay == null ? null : perDay.divide(period, SCALE, RoundingMode.HALF_EVEN);
  }

  /**
   * A supply duration in days, as the measures' {@code (convert expectedSupplyDuration to
   * days).value} gives it: through UCUM, so a month ({@code mo}) is 30.4375 days and a year
   * ({@code a}) 365.25, a week 7, an hour 1/24. The calendar words FHIRHelpers' {@code
   * ToCalendarUnit} writes for those UCUM codes ({@code month}, {@code year}, {@code day}...,
   * singular or plural) read as the same units. {@code null} for no duration or a unit that is
   * not a unit of time: the supply is then unknown, and the FHIR reader has warned of the unit.
   *
   * @param duration the expected supply duration, or {@code null}
   * @return the days, a decimal number, or {@code null}
   */
  public static BigDecimal supplyDays(Quantity duration) {
    if (duration == null) {
      return null;
    }
    String unit = CALENDAR_UNITS.getOrDefault(duration.unit(), duration.unit());
    return UnitConverter.ucum().convert(new Quantity(duration.value(), unit), "d").orElse(null);
  }

  /**
   * CMS156's {@code averageDailyDose()} in mg per day: the quantity dispensed times the
   * medication's strength per unit, over the total days supplied (which count refills; the
   * quantity does not). {@code null} when the days supplied are unknown or zero, when there is no
   * strength or quantity, or when the units do not give milligrams: a strength in {@code mg}
   * needs a quantity that is a count (unit {@code 1} or a UCUM annotation such as {@code {tbl}}),
   * a strength in {@code mg/mL} a quantity in {@code mL}.
   *
   * @param request the medication order; never null
   * @param strength the strength per unit of the product (for CMS156, its pack's table), or null
   * @return milligrams per day, or {@code null}
   */
  public static BigDecimal averageDailyDose(MedicationRequest request, Quantity strength) {
    BigDecimal days = totalDaysSupplied(request);
    DispenseRequest dispense = request.dispenseRequest();
    if (days == null || days.signum() == 0 || strength == null || dispense == null
        || dispense.quantity() == null) {
      return null;
    }
    String quantityUnit = dispense.quantity().unit();
    boolean milligrams = switch (strength.unit()) {
      case "mg" -> quantityUnit.equals("1") || ANNOTATION.matcher(quantityUnit).matches();
      case "mg/mL" -> quantityUnit.equals("mL");
      default -> false;
    };
    if (!milligrams) {
      return null;
    }
    return dispense.quantity().value().multiply(strength.value())
        .divide(days, SCALE, RoundingMode.HALF_EVEN);
  }

  private static LocalDate firstDate(ZoneId zone, ClinicalTime... times) {
    for (ClinicalTime time : times) {
      if (time != null) {
        return time.earliestDate(zone);
      }
    }
    return null;
  }
}
