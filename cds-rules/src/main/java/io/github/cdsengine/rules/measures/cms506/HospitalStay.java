package io.github.cdsengine.rules.measures.cms506;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.Period;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * A hospitalization with the observation stay and emergency department visit that led into it,
 * as the QI-Core measure library CQMCommon (version 2.2.000, used by the CMS eCQMs) computes
 * {@code hospitalizationWithObservation()}:
 *
 * <pre>
 *   ObsVisit:   the last observation-services encounter ending 1 hour or less on or before the
 *               start of the visit
 *   VisitStart: Coalesce(start of ObsVisit.period, start of Visit.period)
 *   EDVisit:    the last emergency department encounter ending 1 hour or less on or before
 *               VisitStart
 *   returns     Interval[Coalesce(start of EDVisit.period, VisitStart), end of Visit.period]
 * </pre>
 *
 * <p>The rules choose the candidate encounters (their value sets and the status {@code
 * finished}); this class only does the time arithmetic. Times are compared as instants: a time
 * recorded without a time of day cannot be placed within an hour and is not matched.
 */
public final class HospitalStay {

  private static final Duration HOUR = Duration.ofHours(1);

  private HospitalStay() {}

  /**
   * The visit's period extended back through an observation stay and an emergency department
   * visit ending 1 hour or less before it, or {@code null} when the visit has no period.
   *
   * @param visit the inpatient encounter
   * @param observationVisits candidate observation-services encounters (already filtered)
   * @param emergencyVisits candidate emergency department encounters (already filtered)
   * @return the hospitalization from the start of the emergency visit, else of the observation
   *     stay, else of the visit, to the visit's end (open when the visit has not ended); {@code
   *     null} when {@code visit} or its period is {@code null}
   */
  public static Period withObservation(Encounter visit, Collection<?> observationVisits,
      Collection<?> emergencyVisits) {
    if (visit == null || visit.period() == null) {
      return null;
    }
    ClinicalTime visitStart = visit.period().start();
    Encounter observation = lastEndingWithinHourBefore(observationVisits, visitStart);
    if (observation != null && observation.period().start() != null) {
      visitStart = observation.period().start();
    }
    Encounter emergency = lastEndingWithinHourBefore(emergencyVisits, visitStart);
    ClinicalTime start = emergency != null && emergency.period().start() != null
        ? emergency.period().start() : visitStart;
    return new Period(start, visit.period().end());
  }

  /**
   * The encounter among {@code candidates} with the latest end in [{@code time} − 1 hour,
   * {@code time}] ("ends 1 hour or less on or before"), or null.
   */
  static Encounter lastEndingWithinHourBefore(Collection<?> candidates, ClinicalTime time) {
    if (candidates == null || time == null || time.instant() == null) {
      return null;
    }
    Instant at = time.instant();
    Encounter last = null;
    for (Object candidate : candidates) {
      if (!(candidate instanceof Encounter encounter) || encounter.period() == null
          || encounter.period().end() == null || encounter.period().end().instant() == null) {
        continue;
      }
      Instant end = encounter.period().end().instant();
      if (end.isAfter(at) || end.isBefore(at.minus(HOUR))) {
        continue;
      }
      if (last == null || end.isAfter(last.period().end().instant())) {
        last = encounter;
      }
    }
    return last;
  }
}
