package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.rule.DraftOrder;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Arithmetic on opioid orders that the CDC opioid prescribing guideline's rules share, as the
 * reference logic defines it (cqframework opioid-cds-r4, branch v2016, libraries
 * OpioidCDSCommon and OpioidCDSRoutines 2016.4.0): the days an order supplies, whether it is for
 * acute or chronic pain, and on how many days of a period a patient had opioids.
 */
public final class OpioidOrders {

  /**
   * Units of an expected supply duration per day, as OpioidCDSCommon {@code GetDurationInDays}
   * converts them: a year is 365 days, a month 30, a week 7; hours, minutes and seconds are
   * divided down to days.
   */
  private static final Map<String, BigDecimal> DAYS_PER_UNIT = Map.of(
      "a", new BigDecimal("365"), "mo", new BigDecimal("30"), "wk", new BigDecimal("7"),
      "d", BigDecimal.ONE);
  private static final Map<String, BigDecimal> UNITS_PER_DAY = Map.of(
      "h", new BigDecimal("24"), "min", new BigDecimal("1440"), "s", new BigDecimal("86400"));

  private static final BigDecimal MAX_SUPPLY_DAYS = new BigDecimal("36525");

  /** Days of supply from which an order is for chronic pain (OpioidCDSRoutines, routine 4). */
  public static final BigDecimal CHRONIC_PAIN_DAYS = new BigDecimal("28");

  private OpioidOrders() {}

  /**
   * The days an order supplies, from {@code dispenseRequest.expectedSupplyDuration}, or {@code
   * null} when it does not say or its unit is not a UCUM unit of time.
   */
  public static BigDecimal supplyDays(MedicationRequest order) {
    if (order.dispenseRequest() == null) {
      return null;
    }
    Quantity duration = order.dispenseRequest().expectedSupplyDuration();
    if (duration == null) {
      return null;
    }
    BigDecimal perUnit = DAYS_PER_UNIT.get(duration.unit());
    if (perUnit != null) {
      return duration.value().multiply(perUnit);
    }
    BigDecimal perDay = UNITS_PER_DAY.get(duration.unit());
    return perDay == null ? null : duration.value().divide(perDay, MathContext.DECIMAL64);
  }

  /**
   * Whether the order is for chronic pain: it supplies 28 days or more (OpioidCDSRoutines "Is
   * Chronic Pain Prescription?").
   */
  public static boolean chronicPain(MedicationRequest order) {
    BigDecimal days = supplyDays(order);
    return days != null && days.compareTo(CHRONIC_PAIN_DAYS) >= 0;
  }

  /**
   * Whether the order is for acute pain: it supplies fewer than 28 days (OpioidCDSRoutines "Is
   * Acute Pain Prescription?").
   */
  public static boolean acutePain(MedicationRequest order) {
    BigDecimal days = supplyDays(order);
    return days != null && days.compareTo(CHRONIC_PAIN_DAYS) < 0;
  }

  /** Whether the order supplies more than {@code days} days. */
  public static boolean suppliesMoreThan(MedicationRequest order, int days) {
    BigDecimal supply = supplyDays(order);
    return supply != null && supply.compareTo(BigDecimal.valueOf(days)) > 0;
  }

  /** Whether {@code fact} is one of the draft orders (by resource type and id). */
  public static boolean isDraft(ClinicalFact fact, Collection<?> drafts) {
    for (Object draft : drafts) {
      if (draft instanceof DraftOrder d && d.resourceType().equals(fact.resourceType())
          && d.id().equals(fact.id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a reader of a total MME should know, as a sentence starting with a space, or empty:
   * the assumptions made for each order (a default timing, a dose range's high end, as-needed
   * use counted in full) and the orders that could not be counted, with why.
   */
  public static String mmeNotes(TotalMme total) {
    List<String> notes = new ArrayList<>();
    for (OrderMme order : total.orders()) {
      if (order instanceof OrderMme.Computed computed && !computed.notes().isEmpty()) {
        notes.add("MedicationRequest/" + computed.orderId() + ": "
            + String.join("; ", computed.notes()));
      } else if (order instanceof OrderMme.NotComputed missing) {
        notes.add(missing.message() + " (not counted)");
      }
    }
    return notes.isEmpty() ? "" : " MME notes: " + String.join(". ", notes) + ".";
  }

  /**
   * The date the order was written in {@code zone}, or {@code null} when not recorded (a
   * date-only value is taken as written).
   */
  public static LocalDate authoredDate(MedicationRequest order, ZoneId zone) {
    ClinicalTime authored = order.authoredOn();
    return authored == null ? null : authored.dateIn(zone);
  }

  /**
   * Whether the order was written on a day from {@code from} to {@code to}, both included.
   */
  public static boolean authoredBetween(MedicationRequest order, ZoneId zone, LocalDate from,
      LocalDate to) {
    LocalDate date = authoredDate(order, zone);
    return date != null && !date.isBefore(from) && !date.isAfter(to);
  }

  /**
   * Whether the dispense was handed over on a day from {@code from} to {@code to}, both included
   * (OpioidCDSRoutines "Opioid Dispense with Ambulatory Abuse Potential In Past 90 Days":
   * {@code whenHandedOver during day of} the inclusion period). A year or a month recorded
   * without a day counts only when all of it lies on those days, as CQL counts an uncertain
   * comparison as not met; no hand-over time never counts.
   */
  public static boolean handedOverBetween(MedicationDispense dispense, ZoneId zone,
      LocalDate from, LocalDate to) {
    ClinicalTime handedOver = dispense.whenHandedOver();
    return handedOver != null && !handedOver.earliestDate(zone).isBefore(from)
        && !handedOver.latestDate(zone).isAfter(to);
  }

  /**
   * On how many days of {@code from} to {@code to} the orders supplied opioids
   * (OpioidCDSCommon "Days on Opioids during Period"): each order covers the days from the day
   * it was written to that day plus its supply days (whole days); the covered spans are merged
   * where they overlap or touch, cut to the period, and each span counts the days between its
   * first and last day. Orders without a written date or a supply duration count for nothing.
   * Only orders count: the reference reads {@code [MedicationRequest]} here, not dispenses.
   */
  public static long daysOnOpioids(Collection<MedicationRequest> orders, ZoneId zone,
      LocalDate from, LocalDate to) {
    List<LocalDate[]> spans = new ArrayList<>();
    for (MedicationRequest order : orders) {
      LocalDate start = authoredDate(order, zone);
      BigDecimal days = supplyDays(order);
      if (start == null || days == null) {
        continue;
      }
      // A supply beyond a century reaches past any lookback: capped, not overflowed.
      long whole = days.compareTo(MAX_SUPPLY_DAYS) > 0 ? MAX_SUPPLY_DAYS.longValue()
          : days.longValue();
      spans.add(new LocalDate[] {start, start.plusDays(whole)});
    }
    spans.sort(Comparator.comparing(span -> span[0]));
    List<LocalDate[]> merged = new ArrayList<>();
    for (LocalDate[] span : spans) {
      LocalDate[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !span[0].isAfter(last[1].plusDays(1))) {
        if (span[1].isAfter(last[1])) {
          last[1] = span[1];
        }
      } else {
        merged.add(new LocalDate[] {span[0], span[1]});
      }
    }
    long total = 0;
    for (LocalDate[] span : merged) {
      LocalDate start = span[0].isBefore(from) ? from : span[0];
      LocalDate end = span[1].isAfter(to) ? to : span[1];
      if (!end.isBefore(start)) {
        total += ChronoUnit.DAYS.between(start, end);
      }
    }
    return total;
  }

  /**
   * Whether the orders supplied opioids on 21 or more days of each of the past three months
   * (OpioidCDSCommon "Prescribed Opioids for 21 or more of 30 Days for each of the past 3
   * Months"): the months are {@code today - 3 months} to {@code today - 2 months}, then to
   * {@code today - 1 month}, then to {@code today}.
   */
  public static boolean longTermUse(Collection<MedicationRequest> orders, ZoneId zone,
      LocalDate today) {
    for (int month = 3; month >= 1; month--) {
      if (daysOnOpioids(orders, zone, today.minusMonths(month), today.minusMonths(month - 1))
          < 21) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code time} falls on a day from {@code from} to {@code to}, both included. */
  public static boolean onDayBetween(ClinicalTime time, ZoneId zone, LocalDate from,
      LocalDate to) {
    if (time == null) {
      return false;
    }
    LocalDate date = time.dateIn(zone);
    return !date.isBefore(from) && !date.isAfter(to);
  }

  /**
   * Whether {@code period} lies within the days from {@code from} to {@code to} (CQL {@code
   * during day of}): both its ends on those days; an open end does not lie within.
   */
  public static boolean periodWithin(Period period, ZoneId zone, LocalDate from, LocalDate to) {
    return period != null && onDayBetween(period.start(), zone, from, to)
        && onDayBetween(period.end(), zone, from, to);
  }

  /** Whether {@code encounter} has one of {@code conditions} among its diagnoses. */
  public static boolean diagnosedWithAny(Encounter encounter, Collection<?> conditions) {
    for (Object fact : conditions) {
      if (fact instanceof Condition condition && encounter.diagnoses().contains(condition.id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a result counts as a urine drug screen of the past year (OpioidCDSREC10Common
   * "GetRelevantScreenings"): effective on a day from a year and a day before {@code today} to
   * the day before, and not of unknown status or cancelled.
   */
  public static boolean urineScreenInPastYear(Observation screen, ZoneId zone, LocalDate today) {
    return screen.status() != ObservationStatus.UNKNOWN
        && screen.status() != ObservationStatus.CANCELLED
        && screen.status() != ObservationStatus.ENTERED_IN_ERROR
        && screen.effective() != null
        && onDayBetween(screen.effective().start(), zone, today.minusMonths(12).minusDays(1),
            today.minusDays(1));
  }

  /** The total MME per day of {@code orders} ({@link MmeCalculator#total}). */
  public static TotalMme totalMme(Collection<MedicationRequest> orders) {
    return MmeCalculator.total(List.copyOf(orders));
  }
}
