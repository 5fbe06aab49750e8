package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Procedure;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

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
   *
   * @param facts facts of any type; those without a time of their own are ignored; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the date as ISO text, or {@link #NONE}
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

  /**
   * The medications of the orders among {@code facts}, each once, in order, joined by {@code ", "}
   * (such as "oxycodone 5 MG Oral Tablet, diazepam 5 MG Oral Tablet"): the concept's text, else
   * its first coding's display, else that coding's code; {@value #NONE} when there are none.
   *
   * @param facts facts of any type; only medication orders count; never null
   * @return the medication names, or {@link #NONE}
   */
  public static String medications(Collection<?> facts) {
    Set<String> names = new LinkedHashSet<>();
    for (Object fact : facts) {
      if (fact instanceof MedicationRequest request) {
        names.add(name(request.medication()));
      }
    }
    return names.isEmpty() ? NONE : String.join(", ", names);
  }

  private static String name(CodeableConcept concept) {
    if (concept.text() != null && !concept.text().isBlank()) {
      return concept.text();
    }
    for (Code code : concept.codings()) {
      if (code.display() != null && !code.display().isBlank()) {
        return code.display();
      }
    }
    return concept.codings().isEmpty() ? "unnamed medication"
        : "code " + concept.codings().get(0).code();
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
