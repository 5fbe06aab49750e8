package io.github.cdsengine.rules.measures.cms69;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import java.time.ZoneId;

/**
 * The tests CMS69 makes of an overweight, obese or underweight diagnosis against the time of an
 * intervention, as QI-Core's {@code prevalenceInterval()} (QICoreCommon 2.1.000) and the measure's
 * CQL (PCSBMIScreenAndFollowUpFHIR 0.2.000, https://github.com/cqframework/ecqm-content-qicore-2024,
 * input/cql/PCSBMIScreenAndFollowUpFHIR.cql) read it, at day precision in the clinic's zone. A
 * test whose answer depends on a date recorded only as a month or a year is false, as CQL's
 * uncertain comparison is null.
 */
public final class WeightDiagnosis {

  private WeightDiagnosis() {}

  /**
   * QICoreCommon's {@code isActive()}: clinical status active, recurrence or relapse.
   *
   * @param condition the diagnosis, or {@code null}
   * @return true when its clinical status is one of those
   */
  public static boolean isActive(Condition condition) {
    return condition != null && condition.clinicalStatus() != null
        && (condition.clinicalStatus() == ConditionClinicalStatus.ACTIVE
            || condition.clinicalStatus() == ConditionClinicalStatus.RECURRENCE
            || condition.clinicalStatus() == ConditionClinicalStatus.RELAPSE);
  }

  /**
   * "prevalenceInterval() starts before or on day of {@code time}": the onset's day is on or
   * before {@code time}'s day; a diagnosis with no onset is prevalent from ever.
   *
   * @param condition the diagnosis, or {@code null}
   * @param time the intervention's time (an order's authoredOn, the start of a procedure), or
   *     {@code null}
   * @param zone the clinic's zone, which fixes an instant's day
   * @return true when certainly so; false when either is {@code null}
   */
  public static boolean startsByDayOf(Condition condition, ClinicalTime time, ZoneId zone) {
    if (condition == null || time == null) {
      return false;
    }
    return condition.onset() == null
        || !condition.onset().latestDate(zone).isAfter(time.earliestDate(zone));
  }

  /**
   * "not (prevalenceInterval() ends before day of {@code time})": the abatement's day is on or
   * after {@code time}'s day. With no abatement an active, recurrent or relapsed diagnosis runs on
   * (its interval's closed end is the latest time); any other diagnosis has an unknown end, so the
   * test is false.
   *
   * @param condition the diagnosis, or {@code null}
   * @param time the intervention's time, or {@code null}
   * @param zone the clinic's zone, which fixes an instant's day
   * @return true when certainly so; false when either is {@code null}
   */
  public static boolean notEndedBeforeDayOf(Condition condition, ClinicalTime time, ZoneId zone) {
    if (condition == null || time == null) {
      return false;
    }
    if (condition.abatement() == null) {
      return isActive(condition);
    }
    return !condition.abatement().earliestDate(zone).isBefore(time.latestDate(zone));
  }
}
