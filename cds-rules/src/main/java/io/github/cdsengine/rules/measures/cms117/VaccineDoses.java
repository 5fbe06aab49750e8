package io.github.cdsengine.rules.measures.cms117;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.LocalDate;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Counts vaccine doses as childhood immunization measures do: a dose is a calendar day on which
 * a vaccine was given, so two records on the same day, such as an immunization and the procedure
 * of giving it, or a combination vaccine recorded twice, count once. CMS117's chains of "1 day or
 * more after" between doses come to the number of distinct days.
 *
 * <p>The day of an immunization is the day of its occurrence; the day of a procedure, the day of
 * the start of its performed period (of its end when only the end was recorded), as QI-Core's
 * {@code earliest()} has it. Both in the window's time zone. A dose recorded only as a year or a
 * month, or with no time, is not counted: which day it was, and so whether it is a dose of its
 * own, is unknown. The rules choose which facts to pass (value set, status); this class only
 * counts them.
 */
public final class VaccineDoses {

  private VaccineDoses() {}

  /**
   * The distinct days, within {@code window}, of the given immunizations and procedures.
   *
   * @throws IllegalArgumentException if a fact is neither an Immunization nor a Procedure
   */
  public static SortedSet<LocalDate> days(Collection<?> facts, MeasurementPeriod window) {
    SortedSet<LocalDate> days = new TreeSet<>();
    for (Object fact : facts) {
      ClinicalTime time = timeOf(fact);
      if (time != null && !time.isPartial()) {
        LocalDate day = time.dateIn(window.zone());
        if (window.includes(day)) {
          days.add(day);
        }
      }
    }
    return days;
  }

  /** The number of distinct days, within {@code window}, of the immunizations and procedures. */
  public static int count(MeasurementPeriod window, Collection<?> immunizations,
      Collection<?> procedures) {
    SortedSet<LocalDate> days = days(immunizations, window);
    days.addAll(days(procedures, window));
    return days.size();
  }

  /**
   * The number of distinct days of the immunizations within {@code immunizationWindow} and the
   * procedures within {@code procedureWindow} together, for a measure that counts the two in
   * different windows (CMS117's influenza vaccines: immunizations from 42 days old, procedures
   * from 180 days old).
   */
  public static int count(Collection<?> immunizations, MeasurementPeriod immunizationWindow,
      Collection<?> procedures, MeasurementPeriod procedureWindow) {
    SortedSet<LocalDate> days = days(immunizations, immunizationWindow);
    days.addAll(days(procedures, procedureWindow));
    return days.size();
  }

  /**
   * The number of distinct days, within {@code window}, of the immunizations and procedures that
   * are after the first day of {@code earlier} within {@code earlierWindow}; 0 when there is no
   * such first day. For CMS117's hepatitis B with a newborn dose: two doses after a vaccine given
   * in the first week of life.
   */
  public static int countAfterFirst(MeasurementPeriod window, Collection<?> immunizations,
      Collection<?> procedures, Collection<?> earlier, MeasurementPeriod earlierWindow) {
    SortedSet<LocalDate> first = days(earlier, earlierWindow);
    if (first.isEmpty()) {
      return 0;
    }
    SortedSet<LocalDate> days = days(immunizations, window);
    days.addAll(days(procedures, window));
    return days.tailSet(first.first().plusDays(1)).size();
  }

  private static ClinicalTime timeOf(Object fact) {
    if (fact instanceof Immunization immunization) {
      return immunization.occurrence();
    }
    if (fact instanceof Procedure procedure) {
      return procedure.performed() == null ? null : procedure.performed().earliest();
    }
    throw new IllegalArgumentException("a vaccine dose is an Immunization or a Procedure, not "
        + (fact == null ? "null" : fact.getClass().getSimpleName()));
  }
}
