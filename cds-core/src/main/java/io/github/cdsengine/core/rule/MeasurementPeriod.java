package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A period of calendar days, both ends included, such as a quality measure's measurement period
 * from 2024-01-01 to 2024-12-31, with the time zone that fixes the calendar day of instants.
 * Inserted as a fact when the evaluation context has one; the context supplies the zone.
 *
 * <p>The tests are the day-precision interval tests quality measures use ("during day of",
 * "ends during day of", "overlaps day of", "ends on or before day of end of"), written once.
 * A time recorded only as a year or a month satisfies a test only if every day it could be does.
 * An ongoing period (no end) has not ended, so it is never during or ending within a period; a
 * period with no recorded start is never during or starting within one.
 *
 * @param start the first day
 * @param end the last day
 * @param zone the time zone of the evaluation, or {@code null} until a context sets it
 */
public record MeasurementPeriod(LocalDate start, LocalDate end, ZoneId zone) {

  /**
   * Checks that start is not after end.
   *
   * @param start the first day
   * @param end the last day
   * @param zone the time zone of the evaluation, or {@code null} until a context sets it
   * @throws NullPointerException if start or end is null
   * @throws IllegalArgumentException if start is after end
   */
  public MeasurementPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isAfter(end)) {
      throw new IllegalArgumentException(
          "measurement period starts after it ends: " + start + " > " + end);
    }
  }

  /**
   * A period of days whose zone the evaluation context will set.
   *
   * @param start the first day
   * @param end the last day
   */
  public MeasurementPeriod(LocalDate start, LocalDate end) {
    this(start, end, null);
  }

  /**
   * This period with {@code zone} as the zone that fixes the day of instants.
   *
   * @param zone the clinic's time zone; never null
   * @return a period with the same days in {@code zone}
   */
  public MeasurementPeriod inZone(ZoneId zone) {
    return new MeasurementPeriod(start, end, Objects.requireNonNull(zone, "zone"));
  }

  /**
   * Whether {@code date} is within the period, both ends included.
   *
   * @param date the day to test, or {@code null}
   * @return true when {@code date} is from the first to the last day; false for {@code null}
   */
  public boolean includes(LocalDate date) {
    return date != null && !date.isBefore(start) && !date.isAfter(end);
  }

  /**
   * Whether every day {@code time} could be is within the period ("during day of").
   *
   * @param time the time to test, or {@code null}
   * @return true when its first and last possible days are both within; false for {@code null}
   */
  public boolean includesTime(ClinicalTime time) {
    return time != null && includes(time.earliestDate(zone())) && includes(time.latestDate(zone()));
  }

  /**
   * Whether {@code period} starts and ends within this period ("during day of").
   *
   * @param period the period to test, or {@code null}
   * @return true when its start and end are both within; false for {@code null} or an ongoing
   *     period
   */
  public boolean contains(Period period) {
    return period != null && period.end() != null && includesTime(period.start())
        && includesTime(period.end());
  }

  /**
   * Whether {@code period} has ended within this period ("ends during day of").
   *
   * @param period the period to test, or {@code null}
   * @return true when it has an end and that end is within; false for {@code null}
   */
  public boolean endsWithin(Period period) {
    return period != null && period.end() != null && includesTime(period.end());
  }

  /**
   * Whether {@code period} starts within this period ("starts during day of").
   *
   * @param period the period to test, or {@code null}
   * @return true when its start is within; false for {@code null} or a period with no start
   */
  public boolean startsWithin(Period period) {
    return period != null && includesTime(period.start());
  }

  /**
   * Whether {@code period} certainly has a day in common with this one ("overlaps day of"):
   * every day its start could be is by this period's last day, and every day its end could be is
   * on or after this period's first. An ongoing period overlaps from its start on.
   *
   * @param period the period to test, or {@code null}
   * @return true when the overlap is certain; false for {@code null}
   */
  public boolean overlaps(Period period) {
    if (period == null) {
      return false;
    }
    if (period.start() == null) {
      // With the start unknown, only an end within this period makes the overlap certain.
      return includesTime(period.end());
    }
    if (period.start().latestDate(zone()).isAfter(end)) {
      return false;
    }
    return period.end() == null || !period.end().earliestDate(zone()).isBefore(start);
  }

  /**
   * Whether {@code period} has ended by this period's last day ("ends on or before day of end").
   *
   * @param period the period to test, or {@code null}
   * @return true when it has an end whose last possible day is on or before this period's last day
   */
  public boolean endsByEnd(Period period) {
    return period != null && period.end() != null
        && !period.end().latestDate(zone()).isAfter(end);
  }

  /**
   * Whether {@code time} is on or before this period's last day (every day it could be).
   *
   * @param time the time to test, or {@code null}
   * @return true when its last possible day is on or before this period's last day; false for
   *     {@code null}
   */
  public boolean byEnd(ClinicalTime time) {
    return time != null && !time.latestDate(zone()).isAfter(end);
  }

  /**
   * Whether {@code time} is certainly before this period's last instant, compared at the time's
   * own precision as CQL compares date-times ("starts before end of Measurement Period", without
   * "day of"): an instant must be before the last millisecond of the last day in this period's
   * zone; a day, month or year must end before the last day, since a time recorded as the last
   * day itself may be before or not.
   *
   * @param time the time to test, or {@code null}
   * @return true when it is certainly before the period's end; false for {@code null}
   */
  public boolean beforeEnd(ClinicalTime time) {
    if (time == null) {
      return false;
    }
    if (time.instant() != null) {
      return time.instant().isBefore(end.plusDays(1).atStartOfDay(zone()).toInstant()
          .minusMillis(1));
    }
    return time.latestDate(zone()).isBefore(end);
  }

  /**
   * Whether {@code time} is certainly before this period's first day ("starts before day of start
   * of Measurement Period"): every day it could be is before the first day.
   *
   * @param time the time to test, or {@code null}
   * @return true when its last possible day is before the first day; false for {@code null}
   */
  public boolean beforeStart(ClinicalTime time) {
    return time != null && time.latestDate(zone()).isBefore(start);
  }

  /**
   * Whether {@code time} is certainly on or before this period's last instant, compared at the
   * time's own precision as CQL compares date-times ("on or before end of Measurement Period",
   * without "day of"): an instant counts up to and including the last millisecond of the last
   * day in this period's zone; a day, month or year must end before the last day, since one that
   * ends on the last day compares as uncertain with its last millisecond.
   *
   * @param time the time to test, or {@code null}
   * @return true when it is certainly on or before the period's end; false for {@code null}
   */
  public boolean onOrBeforeEnd(ClinicalTime time) {
    if (time == null) {
      return false;
    }
    if (time.instant() != null) {
      return time.instant().isBefore(end.plusDays(1).atStartOfDay(zone()).toInstant());
    }
    return time.latestDate(zone()).isBefore(end);
  }

  /**
   * Whether {@code time} is certainly within this period compared at the time's own precision, as
   * CQL compares date-times ("authoredOn during Measurement Period", without "day of"): an
   * instant from the first to the last millisecond of the period in its zone; a day, month or
   * year only when it starts after the first day and ends before the last, since one that shares
   * the first or last day compares as uncertain with that day's first or last millisecond.
   *
   * @param time the time to test, or {@code null}
   * @return true when it is certainly within; false for {@code null}
   */
  public boolean includesTimeExactly(ClinicalTime time) {
    if (time == null) {
      return false;
    }
    if (time.instant() != null) {
      return !time.instant().isBefore(start.atStartOfDay(zone()).toInstant())
          && time.instant().isBefore(end.plusDays(1).atStartOfDay(zone()).toInstant());
    }
    return time.earliestDate(zone()).isAfter(start) && time.latestDate(zone()).isBefore(end);
  }

  /**
   * Whether every day {@code time} could be is from the day of {@code from} to {@code days} days
   * after it, in this period's zone ("X occurs 6 days or less on or after day of Y", CMS153's
   * pregnancy test followed by an X-ray or isotretinoin order).
   *
   * @param time the later time, or {@code null}
   * @param from the earlier time, or {@code null}
   * @param days how many days after the day of {@code from} still count; 0 or more
   * @return true when the day of {@code time} is certainly in that window; false when either is
   *     {@code null}
   * @throws IllegalArgumentException if {@code days} is negative
   */
  public boolean withinDaysAfter(ClinicalTime time, ClinicalTime from, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("a window of " + days + " days after a time");
    }
    return time != null && from != null
        && !time.earliestDate(zone()).isBefore(from.latestDate(zone()))
        && !time.latestDate(zone()).isAfter(from.earliestDate(zone()).plusDays(days));
  }

  /**
   * Whether the patient's recorded date of death is certainly on or before this period's last
   * instant ("Patient.deceased on or before end of Measurement Period", compared at the recorded
   * precision, {@link #onOrBeforeEnd}): a date of death recorded as a day counts when it is
   * before the last day; an instant counts up to and including the last millisecond. A patient
   * with no date of death (none recorded, or only FHIR's {@code deceasedBoolean}) has not died by
   * this test, as the measures' compiled ELM reads the value {@code As DateTime}.
   *
   * @param patient the patient, or {@code null}
   * @return true when the date of death is certainly on or before the period's end
   */
  public boolean diedByEnd(Patient patient) {
    return patient != null && onOrBeforeEnd(patient.deceased());
  }

  /**
   * This period extended back by {@code years} years from its start, such as CMS130's
   * "Interval[start of Measurement Period - 9 years, end of Measurement Period]".
   *
   * @param years how many years to move the start back; 0 or more
   * @return a period from the same day {@code years} years before the start to the same last day,
   *     in the same zone
   * @throws IllegalArgumentException if {@code years} is negative
   */
  public MeasurementPeriod extendedBack(int years) {
    if (years < 0) {
      throw new IllegalArgumentException("cannot extend a period back by " + years + " years");
    }
    return new MeasurementPeriod(start.minusYears(years), end, zone);
  }


  /**
   * This period from {@code newStart} to the same last day, such as CMS125's "Interval[October 1
   * Two Years Prior to the Measurement Period, end of Measurement Period]", which starts on
   * October 1 of the year two years before the period's first year.
   *
   * @param newStart the first day of the new period, on or before this period's last day; never
   *     null
   * @return a period from {@code newStart} to this period's last day, in the same zone
   * @throws NullPointerException if {@code newStart} is null
   * @throws IllegalArgumentException if {@code newStart} is after this period's last day
   */
  public MeasurementPeriod startingOn(LocalDate newStart) {
    return new MeasurementPeriod(Objects.requireNonNull(newStart, "newStart"), end, zone);
  }

  /**
   * This period from the same first day to {@code newEnd}, such as CMS146's "Interval[start of
   * Measurement Period, end of Measurement Period - 3 days]".
   *
   * @param newEnd the last day of the new period, on or after this period's first day; never
   *     null
   * @return a period from this period's first day to {@code newEnd}, in the same zone
   * @throws NullPointerException if {@code newEnd} is null
   * @throws IllegalArgumentException if {@code newEnd} is before this period's first day
   */
  public MeasurementPeriod endingOn(LocalDate newEnd) {
    return new MeasurementPeriod(start, Objects.requireNonNull(newEnd, "newEnd"), zone);
  }

  /**
   * The days from {@code fromDays} to {@code toDays} days after the day of {@code time}, both
   * included, in this period's zone, such as the Antibiotic library's "Interval[date from start
   * of episode - 30 days, date from start of episode - 1 day]" ({@code daysAround(start, -30,
   * -1)}) or CMS146's strep test window "Interval[end of period - 3 days, end of period + 3
   * days]" ({@code daysAround(end, -3, 3)}). Null when {@code time} is null or recorded only as a
   * month or a year, whose day is unknown; a rule matching {@code from} a null window matches
   * nothing.
   *
   * @param time the time whose day the window is counted from, or {@code null}
   * @param fromDays the first day's offset from that day, negative for days before
   * @param toDays the last day's offset, at least {@code fromDays}
   * @return the window of days, in this period's zone, or {@code null} as said above
   * @throws IllegalArgumentException if {@code toDays} is less than {@code fromDays}
   */
  public MeasurementPeriod daysAround(ClinicalTime time, int fromDays, int toDays) {
    if (toDays < fromDays) {
      throw new IllegalArgumentException("a window from " + fromDays + " to " + toDays
          + " days ends before it starts");
    }
    if (time == null || time.isPartial()) {
      return null;
    }
    LocalDate day = time.earliestDate(zone());
    return new MeasurementPeriod(day.plusDays(fromDays), day.plusDays(toDays), zone);
  }

  /**
   * The year up to the day of {@code time}: from the same day one calendar year before to that
   * day, both included, in this period's zone (the Antibiotic library's "Interval[date from start
   * of episode - 1 year, date from start of episode]"). Null when {@code time} is null or has no
   * day.
   *
   * @param time the time whose day ends the year, or {@code null}
   * @return the year's days, or {@code null} as said above
   */
  public MeasurementPeriod yearUpTo(ClinicalTime time) {
    if (time == null || time.isPartial()) {
      return null;
    }
    LocalDate day = time.earliestDate(zone());
    return new MeasurementPeriod(day.minusYears(1), day, zone);
  }

  /**
   * The first {@code months} months of this period: from its start up to, not including, the
   * same day {@code months} months later, such as CMS165's "Interval[start of Measurement
   * Period, start of Measurement Period + 6 months)" (2025-01-01 to 2025-06-30). The end is not
   * moved past this period's own end.
   *
   * @param months how many months to take; at least 1
   * @return the first months of this period, in the same zone
   * @throws IllegalArgumentException if {@code months} is not positive
   */
  public MeasurementPeriod firstMonths(int months) {
    if (months <= 0) {
      throw new IllegalArgumentException("cannot take the first " + months + " months of a period");
    }
    LocalDate last = start.plusMonths(months).minusDays(1);
    return new MeasurementPeriod(start, last.isAfter(end) ? end : last, zone);
  }

  /**
   * Whether the condition's prevalence period has a day in common with this period (QI-Core's
   * "prevalenceInterval() overlaps day of"). An active, recurrent or relapsed condition is
   * prevalent from its onset (from ever, when no onset is recorded) to its abatement, or on; any
   * other condition, including one with no clinical status, needs a recorded abatement, since
   * without one its end is unknown.
   *
   * @param condition the condition, or {@code null}
   * @return true when its prevalence certainly has a day in this period; false for {@code null}
   */
  public boolean prevalenceOverlaps(Condition condition) {
    if (condition == null) {
      return false;
    }
    ClinicalTime onset = condition.onset();
    ClinicalTime abatement = condition.abatement();
    if (abatement == null && !activeLike(condition)) {
      return false;
    }
    boolean startsByEnd = onset == null || !onset.latestDate(zone()).isAfter(end);
    boolean endsFromStart = abatement == null || !abatement.earliestDate(zone()).isBefore(start);
    return startsByEnd && endsFromStart;
  }

  /**
   * Whether the condition's prevalence starts on or before this period's last day ("starts on or
   * before day of end of"): true when no onset is recorded, since the condition is then prevalent
   * from ever.
   *
   * @param condition the condition, or {@code null}
   * @return true when its onset's last possible day is on or before this period's last day or no
   *     onset is recorded
   */
  public boolean prevalenceStartsByEnd(Condition condition) {
    return condition != null
        && (condition.onset() == null || !condition.onset().latestDate(zone()).isAfter(end));
  }

  /**
   * Whether the condition's recorded onset is within this period ("starts during day of").
   *
   * @param condition the condition, or {@code null}
   * @return true when its onset is within this period; false for {@code null} or no onset
   */
  public boolean prevalenceStartsWithin(Condition condition) {
    return condition != null && includesTime(condition.onset());
  }

  /**
   * Whether the days a medication order covers ({@link MedicationPeriod}) have a day in common
   * with this period; false when they are unknown.
   *
   * @param request the medication order, or {@code null}
   * @return true when the days it covers, in this period's zone, overlap this period
   */
  public boolean medicationOverlaps(MedicationRequest request) {
    return request != null && overlaps(MedicationPeriod.of(request, zone()));
  }

  /**
   * Whether any of the order's dosage instructions has a bounds period overlapping this period
   * ("exists (dosageInstruction.timing T where T.repeat.bounds.toInterval() overlaps day of
   * Measurement Period)", CMS347).
   *
   * @param request the medication order, or {@code null}
   * @return true when some dosage's {@code timing.repeat.boundsPeriod} overlaps this period
   */
  public boolean dosageBoundsOverlap(MedicationRequest request) {
    return request != null
        && request.dosage().stream().anyMatch(dosage -> overlaps(dosage.bounds()));
  }

  /**
   * The calendar days of {@code period} in this period's zone, both ends included, as a period of
   * days with the same zone, for "during day of" and "overlaps day of" tests against an
   * encounter's or a procedure's own period (CMS506: "authoredOn during day of
   * InpatientEncounter.period"). An ongoing period (no end) runs on to {@link LocalDate#MAX}. Null
   * when {@code period} is null or has no start (its start is then unknown), or when the days it
   * certainly covers are none (a start recorded only as a month that may fall after its end).
   *
   * @param period the encounter's or procedure's period, or {@code null}
   * @return the days it covers in this period's zone, or {@code null} as said above
   */
  public MeasurementPeriod daysOf(Period period) {
    if (period == null || period.start() == null) {
      return null;
    }
    LocalDate first = period.start().latestDate(zone());
    LocalDate last = period.end() == null ? LocalDate.MAX : period.end().earliestDate(zone());
    return first.isAfter(last) ? null : new MeasurementPeriod(first, last, zone);
  }

  /**
   * Whether the day of {@code time} is certainly within the condition's prevalence ("time during
   * day of Condition.prevalenceInterval()", as CMS506 tests an opioid use disorder treatment
   * order against the disorder). An active, recurrent or relapsed condition is prevalent from its
   * onset (from ever with none recorded) to its abatement, or on; any other condition needs a
   * recorded abatement, since without one its end is unknown.
   *
   * @param condition the condition, or {@code null}
   * @param time the time to test, or {@code null}
   * @return true when every day {@code time} could be lies within the prevalence; false when either
   *     is {@code null}
   */
  public boolean prevalentOn(Condition condition, ClinicalTime time) {
    if (condition == null || time == null) {
      return false;
    }
    if (condition.abatement() == null && !activeLike(condition)) {
      return false;
    }
    LocalDate first = condition.onset() == null ? LocalDate.MIN
        : condition.onset().latestDate(zone());
    LocalDate last = condition.abatement() == null ? LocalDate.MAX
        : condition.abatement().earliestDate(zone());
    return !time.earliestDate(zone()).isBefore(first) && !time.latestDate(zone()).isAfter(last);
  }

  /**
   * Whether the condition's prevalence certainly overlaps the closed interval {@code [from, to]}
   * compared on full timestamps, not days (CMS156: "prevalenceInterval() overlaps
   * Interval[start of Measurement Period - 1 year, IPSD]"). {@code from} is a bound: given as a
   * day, it is that day's first instant in this period's zone (pass {@code
   * ClinicalTime.of(date)} for "the start of that day"). The condition's onset and abatement and
   * {@code to}, recorded as a day, month or year, stand for every instant of it, so they must be
   * certainly on the right side. Prevalence as in {@link #prevalentOn}; null times give false.
   *
   * @param condition the condition, or {@code null}
   * @param from the start of the interval, or {@code null}
   * @param to the end of the interval, or {@code null}
   * @return true when the overlap is certain; false when any argument is {@code null}
   */
  public boolean prevalenceOverlapsTimes(Condition condition, ClinicalTime from, ClinicalTime to) {
    if (condition == null || from == null || to == null) {
      return false;
    }
    if (condition.abatement() == null && !activeLike(condition)) {
      return false;
    }
    boolean startsByTo = condition.onset() == null
        || !latestInstant(condition.onset()).isAfter(earliestInstant(to));
    boolean endsFromFrom = condition.abatement() == null
        || !earliestInstant(condition.abatement()).isBefore(earliestInstant(from));
    return startsByTo && endsFromFrom;
  }

  /**
   * Whether the condition's prevalence certainly "overlaps before" {@code period}, compared as
   * CQL compares date-times, at the coarser of each pair's precisions (CMS154: "URI.prevalenceInterval() overlaps before
   * QualifyingEncounters.period"): the prevalence starts before the period starts, starts on or
   * before it ends, and ends on or after it starts. No onset recorded is the earliest date-time
   * (the interval's closed null start); an active, recurrent or relapsed condition with no
   * abatement runs on; any other condition needs a recorded abatement. A period with no start
   * does not start at a known time, so nothing overlaps before it; one with no end runs on.
   *
   * @param condition the condition, or {@code null}
   * @param period the period, such as an encounter's, or {@code null}
   * @return true when the overlap is certain; false when either is {@code null}
   */
  public boolean prevalenceOverlapsBefore(Condition condition, Period period) {
    if (condition == null || period == null || period.start() == null) {
      return false;
    }
    if (condition.abatement() == null && !activeLike(condition)) {
      return false;
    }
    ClinicalTime onset = condition.onset();
    boolean startsBefore = onset == null || certainly(compare(onset, period.start()), -1);
    boolean startsByEnd = onset == null || period.end() == null
        || certainly(compare(onset, period.end()), -1, 0);
    boolean endsFromStart = condition.abatement() == null
        || certainly(compare(condition.abatement(), period.start()), 0, 1);
    return startsBefore && startsByEnd && endsFromStart;
  }

  /**
   * Whether {@code time} is certainly from {@code from} to {@code days} days after it, compared
   * as CQL compares date-times, at the coarser of the two precisions ("authoredOn 3 days or less
   * on or after start of period", without "day of"): two instants exactly; a day against an
   * instant by their days, so a day recorded against an instant on the same day is uncertain,
   * not after it; two days as days. False when {@code from} is recorded only as a month or a
   * year.
   *
   * @param time the later time, or {@code null}
   * @param from the earlier time, or {@code null}
   * @param days how many days after {@code from} still count; 0 or more
   * @return true when {@code time} is certainly in that window; false when either is {@code null}
   * @throws IllegalArgumentException if {@code days} is negative
   */
  public boolean withinDaysAfterExactly(ClinicalTime time, ClinicalTime from, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("a window of " + days + " days after a time");
    }
    if (time == null || from == null || from.isPartial()) {
      return false;
    }
    ClinicalTime last = from.instant() != null
        ? ClinicalTime.of(from.instant().plus(Duration.ofDays(days)))
        : ClinicalTime.of(from.date().plusDays(days));
    return certainly(compare(time, from), 0, 1) && certainly(compare(time, last), -1, 0);
  }

  /**
   * Whether {@code time} is certainly within {@code period}, both ends included, compared as CQL
   * compares date-times at the coarser of each pair's precisions ("authoredOn during
   * QualifyingEncounter.period", without "day of", CMS347): a day against the instant an
   * encounter starts or ends on that day is uncertain. A period with no end runs on; one with no
   * start has no time within it that is certain.
   *
   * @param time the time to test, or {@code null}
   * @param period the period, such as an encounter's, or {@code null}
   * @return true when {@code time} is certainly within; false when either is {@code null}
   */
  public boolean duringExactly(ClinicalTime time, Period period) {
    if (time == null || period == null || period.start() == null) {
      return false;
    }
    return certainly(compare(time, period.start()), 0, 1)
        && (period.end() == null || certainly(compare(time, period.end()), -1, 0));
  }

  /**
   * How {@code a} compares with {@code b} as CQL compares date-times, at the coarser of their
   * precisions: two instants exactly; otherwise by the days each could be in this period's zone,
   * equal only when both are recorded to the same precision and cover the same days (a day and
   * an instant on that day, or a month and a day in it, compare as uncertain).
   *
   * @return -1, 0 or 1, or {@code null} when the comparison is uncertain
   */
  Integer compare(ClinicalTime a, ClinicalTime b) {
    if (a.instant() != null && b.instant() != null) {
      return Integer.signum(a.instant().compareTo(b.instant()));
    }
    LocalDate aFirst = a.earliestDate(zone());
    LocalDate aLast = a.latestDate(zone());
    LocalDate bFirst = b.earliestDate(zone());
    LocalDate bLast = b.latestDate(zone());
    if (aLast.isBefore(bFirst)) {
      return -1;
    }
    if (aFirst.isAfter(bLast)) {
      return 1;
    }
    if (a.precision() == b.precision() && aFirst.equals(bFirst) && aLast.equals(bLast)) {
      return 0;
    }
    return null;
  }

  /** Whether a comparison is certain and one of {@code accepted}. */
  static boolean certainly(Integer comparison, int... accepted) {
    if (comparison == null) {
      return false;
    }
    for (int value : accepted) {
      if (comparison == value) {
        return true;
      }
    }
    return false;
  }

  /** The first instant {@code time} can be, in this period's zone. */
  private Instant earliestInstant(ClinicalTime time) {
    return time.instant() != null ? time.instant()
        : time.earliestDate(zone()).atStartOfDay(zone()).toInstant();
  }

  /** The last millisecond {@code time} can be, in this period's zone. */
  private Instant latestInstant(ClinicalTime time) {
    return time.instant() != null ? time.instant()
        : time.latestDate(zone()).plusDays(1).atStartOfDay(zone()).toInstant().minusMillis(1);
  }

  /**
   * Whether the patient's age in completed years on the day of {@code time} is between {@code
   * min} and {@code max}, both included (CMS506: "AgeInYearsAt(date from start of
   * InpatientEncounter.period) >= 18"; CMS124: 30 or older on the day of an HPV test). False
   * when the birth date or the time is unknown; a time recorded as a month or a year counts only
   * if every day it could be gives an age in range.
   *
   * @param patient the patient, or {@code null}
   * @param time the time the age is taken on, or {@code null}
   * @param min the lowest age in completed years, included
   * @param max the highest age in completed years, included
   * @return true when the age is certainly in range
   */
  public boolean ageOnBetween(Patient patient, ClinicalTime time, int min, int max) {
    return time != null && ageBetween(patient, time.earliestDate(zone()), min, max)
        && ageBetween(patient, time.latestDate(zone()), min, max);
  }

  static boolean activeLike(Condition condition) {
    return condition.clinicalStatus() == ConditionClinicalStatus.ACTIVE
        || condition.clinicalStatus() == ConditionClinicalStatus.RECURRENCE
        || condition.clinicalStatus() == ConditionClinicalStatus.RELAPSE;
  }

  /**
   * Whether the patient's age in completed years on the period's last day is between {@code min}
   * and {@code max}, both included ("AgeInYearsAt(date from end of Measurement Period)"). False
   * when the birth date is unknown.
   *
   * @param patient the patient, or {@code null}
   * @param min the lowest age in completed years, included
   * @param max the highest age in completed years, included
   * @return true when the age on the last day is in range
   */
  public boolean ageAtEndBetween(Patient patient, int min, int max) {
    return ageBetween(patient, end, min, max);
  }

  /**
   * Whether the patient's age in completed years on the period's first day is between {@code
   * min} and {@code max}, both included ("AgeInYearsAt(date from start of Measurement Period)").
   * False when the birth date is unknown.
   *
   * @param patient the patient, or {@code null}
   * @param min the lowest age in completed years, included
   * @param max the highest age in completed years, included
   * @return true when the age on the first day is in range
   */
  public boolean ageAtStartBetween(Patient patient, int min, int max) {
    return ageBetween(patient, start, min, max);
  }


  /**
   * Whether the patient was at least {@code months} completed months old on the period's first
   * day ("AgeInMonthsAt(date from start of Measurement Period) >= 3", CMS154). False when the
   * birth date is unknown or after that day.
   *
   * @param patient the patient, or {@code null}
   * @param months the lowest age in completed months, included
   * @return true when the age in months on the first day is at least {@code months}
   */
  public boolean monthsOldAtStart(Patient patient, int months) {
    return patient != null && patient.birthDate() != null && !patient.birthDate().isAfter(start)
        && ChronoUnit.MONTHS.between(patient.birthDate(), start) >= months;
  }

  private static boolean ageBetween(Patient patient, LocalDate date, int min, int max) {
    if (patient == null || patient.birthDate() == null || patient.birthDate().isAfter(date)) {
      return false;
    }
    long age = ChronoUnit.YEARS.between(patient.birthDate(), date);
    return age >= min && age <= max;
  }

  /**
   * The time zone that fixes the calendar day of instants.
   *
   * @return the zone the evaluation context set
   * @throws IllegalStateException if no evaluation context has set one yet
   */
  @Override
  public ZoneId zone() {
    if (zone == null) {
      throw new IllegalStateException("measurement period " + start + " to " + end
          + " has no time zone; an EvaluationContext gives it the evaluation's zone");
    }
    return zone;
  }
}
