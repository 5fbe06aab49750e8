package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Period;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a record's times stand to another period, usually an encounter's, as measure logic relates
 * them ("prevalenceInterval() overlaps Encounter.period", "overlaps after day of", "starts before
 * end of"). Each test is certain or false: a comparison CQL would leave uncertain (a day against
 * an instant on that day) gives false, as a null condition does in a CQL query.
 *
 * <p>Interval ends follow QI-Core: a condition is prevalent from its onset (from the earliest
 * time when none is recorded) to its abatement; an active, recurrent or relapsed one with no
 * abatement runs on; any other with no abatement has no prevalence interval at all (QI-Core's
 * prevalenceInterval() queries its missing abatement, and a query of null is null), so nothing
 * is said of its start either. A period with no end runs on; a period with no
 * start starts at an unknown time. Day-precision tests take calendar days in the measurement
 * period's zone; the others compare as {@link MeasurementPeriod} compares times, at the coarser
 * of two precisions.
 */
public final class PeriodRelations {

  private PeriodRelations() {}

  /**
   * Whether the condition's prevalence certainly overlaps {@code period}, compared on full times
   * ("prevalenceInterval() overlaps Encounter.period", without "day of").
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @return true when the overlap is certain
   */
  public static boolean prevalenceOverlaps(MeasurementPeriod mp, Condition condition,
      Period period) {
    if (condition == null || period == null || period.start() == null) {
      return false;
    }
    if (condition.abatement() == null && !MeasurementPeriod.activeLike(condition)) {
      return false;
    }
    boolean startsByEnd = condition.onset() == null || period.end() == null
        || MeasurementPeriod.certainly(mp.compare(condition.onset(), period.end()), -1, 0);
    boolean endsFromStart = condition.abatement() == null
        || MeasurementPeriod.certainly(mp.compare(condition.abatement(), period.start()), 0, 1);
    return startsByEnd && endsFromStart;
  }

  /**
   * Whether the condition's prevalence certainly has a day in common with the days of {@code
   * period} ("prevalenceInterval() overlaps day of Encounter.period").
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @return true when the overlap is certain
   */
  public static boolean prevalenceOverlapsDays(MeasurementPeriod mp, Condition condition,
      Period period) {
    MeasurementPeriod days = mp.daysOf(period);
    return days != null && days.prevalenceOverlaps(condition);
  }

  /**
   * Whether the condition's prevalence certainly overlaps the days of {@code period} and ends on a
   * later day than the period ("prevalenceInterval() overlaps after day of Encounter.period"): an
   * active condition with no abatement runs on past any period that has an end.
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @return true when both are certain
   */
  public static boolean prevalenceOverlapsAfterDays(MeasurementPeriod mp, Condition condition,
      Period period) {
    if (!prevalenceOverlapsDays(mp, condition, period)) {
      return false;
    }
    return endsAfterDays(mp, condition.abatement(), period);
  }

  /**
   * Whether {@code start} is certainly before the end of {@code period}, compared on full times
   * ("start of X before end of Encounter.period"); a period with no end runs on, so any known
   * start is before it.
   *
   * @param mp the measurement period, for its zone
   * @param start the time, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certainly before; false when {@code start} or {@code period} is null
   */
  public static boolean startsBeforeEnd(MeasurementPeriod mp, ClinicalTime start,
      Period period) {
    if (start == null || period == null) {
      return false;
    }
    if (period.end() == null) {
      return period.start() != null;
    }
    return MeasurementPeriod.certainly(mp.compare(start, period.end()), -1);
  }

  /**
   * Whether the condition's prevalence starts before the end of {@code period}: true with no
   * onset recorded (prevalent from the earliest time), else as {@link #startsBeforeEnd}; false
   * for a condition neither active-like nor abated, which has no prevalence interval.
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certainly before
   */
  public static boolean prevalenceStartsBeforeEnd(MeasurementPeriod mp, Condition condition,
      Period period) {
    if (condition == null || period == null || !hasPrevalence(condition)) {
      return false;
    }
    if (condition.onset() == null) {
      return period.end() != null || period.start() != null;
    }
    return startsBeforeEnd(mp, condition.onset(), period);
  }

  /**
   * Whether the condition was diagnosed before the end of {@code period}, its diagnosis taken as
   * its recorded date or, with none, the start of its prevalence ("Coalesce(recordedDate, start
   * of prevalenceInterval()) before end of Encounter.period").
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certainly before
   */
  public static boolean diagnosedBeforeEnd(MeasurementPeriod mp, Condition condition,
      Period period) {
    if (condition != null && condition.recorded() != null) {
      return startsBeforeEnd(mp, condition.recorded(), period);
    }
    return prevalenceStartsBeforeEnd(mp, condition, period);
  }

  /**
   * Whether the condition's prevalence starts at most {@code months} months before the start of
   * {@code period}, or at its start, compared on full times ("prevalenceInterval() starts 9
   * months or less before or on start of Encounter.period"). False with no onset recorded (the
   * prevalence then starts at the earliest time) and for a condition neither active-like nor
   * abated, which has no prevalence interval.
   *
   * @param mp the measurement period, for its zone
   * @param condition the condition, or {@code null}
   * @param period the period, or {@code null}
   * @param months how many months before the period's start still count; 0 or more
   * @return true when certainly within
   */
  public static boolean prevalenceStartsMonthsBeforeStart(MeasurementPeriod mp,
      Condition condition, Period period, int months) {
    if (months < 0) {
      throw new IllegalArgumentException("a window of " + months + " months before a time");
    }
    if (condition == null || condition.onset() == null || !hasPrevalence(condition)
        || period == null || period.start() == null) {
      return false;
    }
    ClinicalTime start = period.start();
    ClinicalTime from;
    if (start.instant() != null) {
      from = ClinicalTime.of(ZonedDateTime.ofInstant(start.instant(), mp.zone())
          .minusMonths(months).toInstant());
    } else if (start.precision() == ClinicalTime.Precision.DAY) {
      from = ClinicalTime.of(start.date().minusMonths(months));
    } else {
      return false;
    }
    return MeasurementPeriod.certainly(mp.compare(condition.onset(), from), 0, 1)
        && MeasurementPeriod.certainly(mp.compare(condition.onset(), start), -1, 0);
  }

  /**
   * Whether the allergy, from its onset (the earliest time with none recorded) to its last
   * occurrence (on and on with none recorded), certainly overlaps the days of {@code period} and
   * ends on a later day ("Interval[start of onset, lastOccurrence] overlaps after day of
   * Encounter.period").
   *
   * @param mp the measurement period, for its zone
   * @param allergy the allergy, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certain
   */
  public static boolean allergyOverlapsAfterDays(MeasurementPeriod mp, AllergyIntolerance allergy,
      Period period) {
    MeasurementPeriod days = mp.daysOf(period);
    if (allergy == null || days == null) {
      return false;
    }
    boolean startsByEnd = allergy.onset() == null
        || !allergy.onset().latestDate(mp.zone()).isAfter(days.end());
    boolean endsFromStart = allergy.lastOccurrence() == null
        || !allergy.lastOccurrence().earliestDate(mp.zone()).isBefore(days.start());
    return startsByEnd && endsFromStart && endsAfterDays(mp, allergy.lastOccurrence(), period);
  }

  /**
   * Whether the order's first period of dosing certainly overlaps the days of {@code period} and
   * ends on a later day ("First(collapse dosageInstruction.timing.repeat.bounds sorted by start)
   * overlaps after day of Encounter.period"). The dosage bounds periods that have a start are
   * collapsed as CQL's collapse merges intervals that overlap or meet (at the next millisecond
   * for two instants, the next day otherwise) and the earliest is tested; a bounds period with
   * no end runs on.
   *
   * @param mp the measurement period, for its zone
   * @param request the order, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certain; false when no dosage has a bounds period with a start
   */
  public static boolean firstDosingOverlapsAfterDays(MeasurementPeriod mp,
      MedicationRequest request, Period period) {
    MeasurementPeriod days = mp.daysOf(period);
    if (request == null || days == null) {
      return false;
    }
    List<Period> bounds = new ArrayList<>();
    for (Dosage dosage : request.dosage()) {
      if (dosage.bounds() != null && dosage.bounds().start() != null) {
        bounds.add(dosage.bounds());
      }
    }
    if (bounds.isEmpty()) {
      return false;
    }
    bounds.sort(Comparator.comparing((Period b) -> b.start().earliestDate(mp.zone()))
        .thenComparing(b -> b.start().instant(),
            Comparator.nullsFirst(Comparator.naturalOrder())));
    LocalDate first = bounds.get(0).start().latestDate(mp.zone());
    ClinicalTime lastEnd = bounds.get(0).end();
    for (Period next : bounds.subList(1, bounds.size())) {
      if (lastEnd == null || !startsByNextPoint(mp, next.start(), lastEnd)) {
        break;
      }
      if (next.end() == null || endsLater(mp, next.end(), lastEnd)) {
        lastEnd = next.end();
      }
    }
    LocalDate last = lastEnd == null ? LocalDate.MAX : lastEnd.earliestDate(mp.zone());
    return !first.isAfter(days.end()) && !last.isBefore(days.start()) && last.isAfter(days.end());
  }

  /**
   * Whether an interval starting at {@code start} overlaps or meets one ending at {@code end}, as
   * CQL's collapse merges them: two instants when {@code start} is at most one millisecond (the
   * next point) after {@code end}; otherwise by days, when {@code start}'s first day is at most
   * the day after {@code end}'s.
   */
  private static boolean startsByNextPoint(MeasurementPeriod mp, ClinicalTime start,
      ClinicalTime end) {
    if (start.instant() != null && end.instant() != null) {
      return !start.instant().isAfter(end.instant().plusMillis(1));
    }
    return !start.earliestDate(mp.zone()).isAfter(end.earliestDate(mp.zone()).plusDays(1));
  }

  /** Whether {@code a} ends later than {@code b}: by instants when both have one, else by days. */
  private static boolean endsLater(MeasurementPeriod mp, ClinicalTime a, ClinicalTime b) {
    if (a.instant() != null && b.instant() != null) {
      return a.instant().isAfter(b.instant());
    }
    return a.earliestDate(mp.zone()).isAfter(b.earliestDate(mp.zone()));
  }

  /**
   * Whether the observation's effective time certainly lies within {@code period}, both ends
   * included, compared on full times ("effective.toInterval() during Encounter.period").
   *
   * @param mp the measurement period, for its zone
   * @param observation the observation, or {@code null}
   * @param period the period, or {@code null}
   * @return true when certainly within
   */
  public static boolean effectiveDuring(MeasurementPeriod mp, Observation observation,
      Period period) {
    if (observation == null || observation.effective() == null || period == null
        || period.start() == null || observation.effective().start() == null) {
      return false;
    }
    Period effective = observation.effective();
    boolean fromStart = MeasurementPeriod.certainly(
        mp.compare(effective.start(), period.start()), 0, 1);
    boolean byEnd = period.end() == null || effective.end() != null
        && MeasurementPeriod.certainly(mp.compare(effective.end(), period.end()), -1, 0);
    return fromStart && byEnd;
  }

  /**
   * Whether {@code earlier}'s effective time certainly ends before {@code later}'s starts
   * ("A.effective.toInterval() before B.effective.toInterval()").
   *
   * @param mp the measurement period, for its zone
   * @param earlier the first observation, or {@code null}
   * @param later the second observation, or {@code null}
   * @return true when certainly before
   */
  public static boolean effectiveBefore(MeasurementPeriod mp, Observation earlier,
      Observation later) {
    if (earlier == null || later == null || earlier.effective() == null
        || later.effective() == null || earlier.effective().end() == null
        || later.effective().start() == null) {
      return false;
    }
    return MeasurementPeriod.certainly(
        mp.compare(earlier.effective().end(), later.effective().start()), -1);
  }

  /**
   * Whether {@code a}'s effective time certainly starts after {@code b}'s, for choosing the
   * latest of several readings ("sort by start of effective.toInterval()").
   *
   * @param mp the measurement period, for its zone
   * @param a one observation, or {@code null}
   * @param b another, or {@code null}
   * @return true when {@code a} certainly starts later
   */
  public static boolean effectiveStartsAfter(MeasurementPeriod mp, Observation a,
      Observation b) {
    if (a == null || b == null || a.effective() == null || b.effective() == null
        || a.effective().start() == null || b.effective().start() == null) {
      return false;
    }
    return MeasurementPeriod.certainly(mp.compare(a.effective().start(), b.effective().start()),
        1);
  }

  /** Whether the condition has a prevalence interval: it is active-like or has abated. */
  private static boolean hasPrevalence(Condition condition) {
    return condition.abatement() != null || MeasurementPeriod.activeLike(condition);
  }

  /** Whether an interval ending at {@code end} (on and on when null) ends on a later day. */
  private static boolean endsAfterDays(MeasurementPeriod mp, ClinicalTime end, Period period) {
    if (period.end() == null) {
      return false;
    }
    LocalDate periodLast = period.end().latestDate(mp.zone());
    return end == null || end.earliestDate(mp.zone()).isAfter(periodLast);
  }

}
