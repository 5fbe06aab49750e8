package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * The days a medication order covers, as the QI-Core measure library CumulativeMedicationDuration
 * (version 4.1.000, used by the CMS 2025 eCQMs) computes "medicationRequestPeriod".
 *
 * <p>The period starts on the first of: the dosage's bounds start, the date the order was
 * authored, the dispense validity start. It lasts the days supplied: the expected supply
 * duration, or else the quantity dispensed divided by the daily dose; times one plus the refills
 * allowed. The last day is start + days supplied − 1. Without a supply, the period runs to the
 * dosage's bounds end if there is one; otherwise the order covers no known period and this returns
 * {@code null}. Supply durations in days, weeks, months or years convert at 1, 7, 30 and 365
 * days; {@code days} and {@code day} are read as {@code d}, as the measures' test decks write them.
 */
public final class MedicationPeriod {

  private static final Map<String, Integer> DAYS = Map.ofEntries(
      Map.entry("d", 1), Map.entry("day", 1), Map.entry("days", 1),
      Map.entry("wk", 7), Map.entry("week", 7), Map.entry("weeks", 7),
      Map.entry("mo", 30), Map.entry("month", 30), Map.entry("months", 30),
      Map.entry("a", 365), Map.entry("year", 365), Map.entry("years", 365));

  private MedicationPeriod() {}

  /**
   * The days the order covers, as dates in {@code zone}, or {@code null} when it has no start or
   * no known length.
   */
  public static Period of(MedicationRequest request, ZoneId zone) {
    Dosage dosage = request.dosage().size() == 1 ? request.dosage().get(0) : null;
    DispenseRequest dispense = request.dispenseRequest();
    LocalDate start = firstDate(zone,
        dosage != null && dosage.bounds() != null ? dosage.bounds().start() : null,
        request.authoredOn(),
        dispense != null && dispense.validity() != null ? dispense.validity().start() : null);
    if (start == null) {
      return null;
    }
    BigDecimal days = daysSupplied(dispense, dosage);
    if (days != null && days.signum() > 0) {
      long last = days.subtract(BigDecimal.ONE).setScale(0, RoundingMode.DOWN).longValueExact();
      return new Period(ClinicalTime.of(start), ClinicalTime.of(start.plusDays(last)));
    }
    if (dosage != null && dosage.bounds() != null && dosage.bounds().end() != null) {
      return new Period(ClinicalTime.of(start), dosage.bounds().end());
    }
    return null;
  }

  /** The days supplied including refills, or {@code null} when they cannot be known. */
  public static BigDecimal daysSupplied(DispenseRequest dispense, Dosage dosage) {
    if (dispense == null) {
      return null;
    }
    BigDecimal perFill = supplyDays(dispense.expectedSupplyDuration());
    if (perFill == null && dispense.quantity() != null && dosage != null) {
      BigDecimal daily = dailyDose(dosage);
      if (daily != null && daily.signum() > 0) {
        perFill = dispense.quantity().value().divide(daily, 8, RoundingMode.HALF_EVEN);
      }
    }
    if (perFill == null) {
      return null;
    }
    int fills = 1 + (dispense.repeatsAllowed() == null ? 0 : dispense.repeatsAllowed());
    return perFill.multiply(BigDecimal.valueOf(fills));
  }

  /** The dose per day: dose × doses a day (from frequency and period, times of day, or one). */
  public static BigDecimal dailyDose(Dosage dosage) {
    if (dosage.dose() == null) {
      return null;
    }
    return dosage.dose().value().multiply(dosesPerDay(dosage));
  }

  /** Doses a day from the timing: frequency per period, else the times of day, else one. */
  public static BigDecimal dosesPerDay(Dosage dosage) {
    if (dosage.frequency() != null && dosage.period() != null && dosage.periodUnit() != null
        && dosage.period().signum() > 0) {
      BigDecimal frequency = BigDecimal.valueOf(dosage.frequency());
      BigDecimal perDay = switch (dosage.periodUnit()) {
        case "s" -> frequency.multiply(BigDecimal.valueOf(86_400));
        case "min" -> frequency.multiply(BigDecimal.valueOf(1_440));
        case "h" -> frequency.multiply(BigDecimal.valueOf(24));
        case "d" -> frequency;
        case "wk" -> frequency.divide(BigDecimal.valueOf(7), 8, RoundingMode.HALF_EVEN);
        case "mo" -> frequency.divide(BigDecimal.valueOf(30), 8, RoundingMode.HALF_EVEN);
        default -> frequency.divide(BigDecimal.valueOf(365), 8, RoundingMode.HALF_EVEN);
      };
      return perDay.divide(dosage.period(), 8, RoundingMode.HALF_EVEN);
    }
    if (!dosage.timesOfDay().isEmpty()) {
      return BigDecimal.valueOf(dosage.timesOfDay().size());
    }
    return BigDecimal.ONE;
  }

  private static BigDecimal supplyDays(Quantity duration) {
    if (duration == null || duration.unit() == null) {
      return null;
    }
    Integer factor = DAYS.get(duration.unit());
    return factor == null ? null : duration.value().multiply(BigDecimal.valueOf(factor));
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
