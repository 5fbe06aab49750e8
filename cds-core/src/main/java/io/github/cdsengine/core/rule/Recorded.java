package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Procedure;
import java.time.ZoneId;
import java.util.Collection;

/**
 * Phrases for recommendation text about what the record holds, such as "last mammogram: none on
 * record". Rules collect the facts and pass them in:
 *
 * <pre>{@code
 * $mammograms : List() from collect(Observation(valueSets.includes("Mammography", code)))
 * ...
 * "last mammogram: " + Recorded.lastDate($mammograms, $mp.zone())
 * }</pre>
 */
public final class Recorded {

  /** What {@link #lastDate} says when no fact has a date. */
  public static final String NONE = "none on record";

  private Recorded() {}

  /**
   * The calendar day in {@code zone} of the latest of the facts' times (a procedure's performed,
   * an observation's effective, an immunization's occurrence, an encounter's period, a
   * condition's onset, an order's authored date), as {@code 2024-03-05}, or {@value #NONE}.
   * A time recorded as a year or month is written as recorded ({@code 2024-03}).
   */
  public static String lastDate(Collection<?> facts, ZoneId zone) {
    ClinicalTime last = null;
    for (Object fact : facts) {
      ClinicalTime time = timeOf(fact);
      if (time != null && (last == null || time.compareTo(last) > 0)) {
        last = time;
      }
    }
    if (last == null) {
      return NONE;
    }
    return last.isPartial() ? last.toString() : last.dateIn(zone).toString();
  }

  private static ClinicalTime timeOf(Object fact) {
    if (fact instanceof Procedure procedure && procedure.performed() != null) {
      return procedure.performed().latest();
    }
    if (fact instanceof Observation observation && observation.effective() != null) {
      return observation.effective().latest();
    }
    if (fact instanceof Immunization immunization) {
      return immunization.occurrence();
    }
    if (fact instanceof Encounter encounter && encounter.period() != null) {
      return encounter.period().latest();
    }
    if (fact instanceof Condition condition) {
      return condition.onset();
    }
    if (fact instanceof MedicationRequest request) {
      return request.authoredOn();
    }
    return null;
  }
}
