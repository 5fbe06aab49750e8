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
   * The days an order supplies, from {@code dispenseRequest.expectedSupplyDuration}
   * (OpioidCDSCommon {@code GetDurationInDays}): a year ({@code a}) is 365 days, a month
   * ({@code mo}) 30, a week ({@code wk}) 7; hours ({@code h}), minutes ({@code min}) and seconds
   * ({@code s}) are divided down to days.
   *
   * @param order the opioid order, draft or on record
   * @return the supply in days, possibly fractional; {@code null} when the order has no dispense
   *     request or expected supply duration, or its unit is not one of these UCUM units of time
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
   *
   * @param order the opioid order, draft or on record
   * @return {@code true} when its {@link #supplyDays} are at least {@link #CHRONIC_PAIN_DAYS};
   *     {@code false} when shorter or when the supply is unknown (neither acute nor chronic)
   */
  public static boolean chronicPain(MedicationRequest order) {
    BigDecimal days = supplyDays(order);
    return days != null && days.compareTo(CHRONIC_PAIN_DAYS) >= 0;
  }

  /**
   * Whether the order is for acute pain: it supplies fewer than 28 days (OpioidCDSRoutines "Is
   * Acute Pain Prescription?").
   *
   * @param order the opioid order, draft or on record
   * @return {@code true} when its {@link #supplyDays} are under {@link #CHRONIC_PAIN_DAYS};
   *     {@code false} when 28 or more or when the supply is unknown (neither acute nor chronic)
   */
  public static boolean acutePain(MedicationRequest order) {
    BigDecimal days = supplyDays(order);
    return days != null && days.compareTo(CHRONIC_PAIN_DAYS) < 0;
  }

  /**
   * Whether the order supplies more than {@code days} days.
   *
   * @param order the opioid order, draft or on record
   * @param days the number of days of supply to exceed, e.g. 7: for acute pain, recommendation
   *     6 holds that more than seven days will rarely be needed
   * @return {@code true} when its {@link #supplyDays} are strictly more than {@code days};
   *     {@code false} when not, or when the supply is unknown
   */
  public static boolean suppliesMoreThan(MedicationRequest order, int days) {
    BigDecimal supply = supplyDays(order);
    return supply != null && supply.compareTo(BigDecimal.valueOf(days)) > 0;
  }

  /**
   * Whether {@code fact} is one of the orders the clinician is writing now (a CDS Hooks
   * request's {@code context.draftOrders}), as opposed to one already on record.
   *
   * @param fact an order or other resource of the patient's record
   * @param drafts the {@link DraftOrder} facts of the evaluation; other objects are ignored, and
   *     an empty collection means no draft orders (every fact is on record)
   * @return {@code true} when a draft order has the same resource type and id as {@code fact}
   */
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
   * What a reader of a total MME should know, as text for a card: the assumptions made for each
   * order (a default timing, a dose range's high end, as-needed use counted in full) and the
   * orders that could not be counted, with why.
   *
   * @param total the total MME per day whose orders are explained
   * @return a sentence starting with a space ({@code " MME notes: ..."}), to append to a card's
   *     detail; empty when no order needed an assumption and every order was counted
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
   * The date the order was written ({@code authoredOn}) in the evaluation's time zone.
   *
   * @param order the opioid order
   * @param zone the evaluation's time zone, on whose calendar an instant falls on a day
   * @return the day written; a date-only value as recorded, a year or month recorded without a
   *     day as its first day; {@code null} when {@code authoredOn} is not recorded
   */
  public static LocalDate authoredDate(MedicationRequest order, ZoneId zone) {
    ClinicalTime authored = order.authoredOn();
    return authored == null ? null : authored.dateIn(zone);
  }

  /**
   * Whether the order was written on a day from {@code from} to {@code to}, both included, as
   * the reference's lookbacks on {@code authoredOn} (e.g. "in the past 90 days") read.
   *
   * @param order the opioid order
   * @param zone the evaluation's time zone
   * @param from the first day of the lookback, included
   * @param to the last day of the lookback, included
   * @return {@code true} when its {@link #authoredDate} is on one of those days; {@code false}
   *     when outside them or not recorded
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
   *
   * @param dispense the opioid dispense on record
   * @param zone the evaluation's time zone
   * @param from the first day of the lookback, included
   * @param to the last day of the lookback, included
   * @return whether every day {@code whenHandedOver} could be lies from {@code from} to {@code
   *     to}
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
   *
   * @param orders the opioid orders to count; the caller chooses which (e.g. on record, not
   *     draft); an empty collection gives 0
   * @param zone the evaluation's time zone
   * @param from the first day of the period
   * @param to the last day of the period
   * @return the days on opioids, from 0 to the days between {@code from} and {@code to}
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
   *
   * @param orders the opioid orders on record; an empty collection is never long-term use
   * @param zone the evaluation's time zone
   * @param today the evaluation's day, which ends the last month
   * @return {@code true} when {@link #daysOnOpioids} is 21 or more in each of the three months
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

  /**
   * Whether {@code time} falls on a day from {@code from} to {@code to}, both included.
   *
   * @param time when something happened (a visit's start, an order's date); may be {@code
   *     null}
   * @param zone the evaluation's time zone, on whose calendar an instant falls on a day
   * @param from the first day, included
   * @param to the last day, included
   * @return {@code true} when its day ({@link ClinicalTime#dateIn}: a year or month recorded
   *     without a day counts as its first day) is on those days; {@code false} when {@code time}
   *     is {@code null}
   */
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
   *
   * @param period a procedure's {@code performed} or a request's {@code occurrence} period; may
   *     be {@code null}
   * @param zone the evaluation's time zone
   * @param from the first day, included
   * @param to the last day, included
   * @return {@code true} when both ends are recorded and each {@linkplain #onDayBetween falls
   *     on} those days; {@code false} when {@code period} is {@code null} or has an open end
   */
  public static boolean periodWithin(Period period, ZoneId zone, LocalDate from, LocalDate to) {
    return period != null && onDayBetween(period.start(), zone, from, to)
        && onDayBetween(period.end(), zone, from, to);
  }

  /**
   * Whether {@code encounter} has one of {@code conditions} among its diagnoses, as the
   * reference links an encounter to a condition (e.g. an office visit for cancer, routine 3).
   *
   * @param encounter the visit
   * @param conditions the conditions of interest (e.g. those in the CDC malignant cancer value
   *     set); objects other than {@link Condition} are ignored
   * @return {@code true} when the encounter's diagnoses name the id of one of them
   */
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
   * the day before, and not of unknown status, cancelled or entered in error.
   *
   * @param screen a urine drug screen result (the caller checks its code)
   * @param zone the evaluation's time zone
   * @param today the evaluation's day, itself not included
   * @return {@code true} when its status counts and the start of its {@code effective} time
   *     falls in that year; {@code false} when it has no effective time
   */
  public static boolean urineScreenInPastYear(Observation screen, ZoneId zone, LocalDate today) {
    return screen.status() != ObservationStatus.UNKNOWN
        && screen.status() != ObservationStatus.CANCELLED
        && screen.status() != ObservationStatus.ENTERED_IN_ERROR
        && screen.effective() != null
        && onDayBetween(screen.effective().start(), zone, today.minusMonths(12).minusDays(1),
            today.minusDays(1));
  }

  /**
   * The total MME per day of {@code orders} ({@link MmeCalculator#total}).
   *
   * @param orders the opioid orders to add up (typically the patient's active orders and the
   *     draft being signed); an empty collection gives a total of 0 MME/d
   * @return the total, with each order's MME or the reason it was not counted
   */
  public static TotalMme totalMme(Collection<MedicationRequest> orders) {
    return MmeCalculator.total(List.copyOf(orders));
  }
}
