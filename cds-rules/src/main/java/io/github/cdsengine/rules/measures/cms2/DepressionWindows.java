package io.github.cdsengine.rules.measures.cms2;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.ZoneId;

/**
 * The time tests of CMS2 (PCSDepressionScreenAndFollowUpFHIR 0.2.000,
 * https://github.com/cqframework/ecqm-content-qicore-2024, input/cql/
 * PCSDepressionScreenAndFollowUpFHIR.cql) that the measurement period's helpers do not give, each
 * answered as CQL answers it: false where CQL's comparison is uncertain (null).
 */
public final class DepressionWindows {

  private DepressionWindows() {}

  /**
   * "prevalenceInterval() starts before {@code start}" ("History of Bipolar Diagnosis Before
   * Qualifying Encounter"): the onset is before the encounter's start, two instants compared
   * exactly and otherwise by day (a day against an instant on that day is uncertain). A diagnosis
   * with no onset is prevalent from ever, which is before.
   *
   * @param condition the diagnosis, or {@code null}
   * @param start the start of the encounter, or {@code null}
   * @param zone the clinic's zone, which fixes an instant's day
   * @return true when certainly before; false when either is {@code null}
   */
  public static boolean startsBefore(Condition condition, ClinicalTime start, ZoneId zone) {
    if (condition == null || start == null) {
      return false;
    }
    ClinicalTime onset = condition.onset();
    if (onset == null) {
      return true;
    }
    if (onset.instant() != null && start.instant() != null) {
      return onset.instant().isBefore(start.instant());
    }
    return onset.latestDate(zone).isBefore(start.earliestDate(zone));
  }

  /**
   * "effective.toInterval() 14 days or less on or before day of start of
   * QualifyingEncounter.period": the end of the screening's effective time falls on the
   * encounter's first day or one of the 14 days before it.
   *
   * @param mp the measurement period, for its zone
   * @param screening the screening, or {@code null}
   * @param start the start of the encounter, or {@code null}
   * @return true when certainly so
   */
  public static boolean endsWithin14DaysBefore(MeasurementPeriod mp, Observation screening,
      ClinicalTime start) {
    return screening != null && screening.effective() != null
        && within(mp, screening.effective().end(), start, -14, 0);
  }

  /**
   * "effective.toInterval() starts 14 days or less on or before day of start of
   * QualifyingEncounter.period": the start of the screening's effective time falls in that window.
   *
   * @param mp the measurement period, for its zone
   * @param screening the screening, or {@code null}
   * @param start the start of the encounter, or {@code null}
   * @return true when certainly so
   */
  public static boolean startsWithin14DaysBefore(MeasurementPeriod mp, Observation screening,
      ClinicalTime start) {
    return screening != null && screening.effective() != null
        && within(mp, screening.effective().start(), start, -14, 0);
  }

  /**
   * "authoredOn 2 days or less on or after day of end of QualifyingEncounter.period".
   *
   * @param mp the measurement period, for its zone
   * @param authoredOn when the order was written, or {@code null}
   * @param end the end of the encounter, or {@code null}
   * @return true when certainly so
   */
  public static boolean within2DaysAfter(MeasurementPeriod mp, ClinicalTime authoredOn,
      ClinicalTime end) {
    return within(mp, authoredOn, end, 0, 2);
  }

  private static boolean within(MeasurementPeriod mp, ClinicalTime time, ClinicalTime anchor,
      int fromDays, int toDays) {
    MeasurementPeriod days = mp.daysAround(anchor, fromDays, toDays);
    return days != null && time != null && days.includesTime(time);
  }
}
