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
   * @param facts the vaccine doses the rule chose (value set, status), as {@code Immunization}
   *     and {@code Procedure} facts in any mix; an empty collection gives no days
   * @param window the days to count in, whose time zone fixes the day of an instant
   * @return the days, earliest first; a dose recorded only as a year or month, or with no time,
   *     gives none
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

  /**
   * The number of distinct days, within {@code window}, of the immunizations and procedures:
   * the number of doses CMS117 counts for one vaccine.
   *
   * @param window the days to count in, e.g. from 42 days old to the second birthday
   * @param immunizations the {@code Immunization} facts of the vaccine (completed, in its value
   *     set)
   * @param procedures the {@code Procedure} facts of giving it (completed, in its value set)
   * @return the number of days on which a dose was given, so an immunization and its
   *     procedure on the same day count once
   * @throws IllegalArgumentException if a fact is neither an Immunization nor a Procedure
   */
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
   *
   * @param immunizations the {@code Immunization} facts of the vaccine
   * @param immunizationWindow the days in which immunizations count
   * @param procedures the {@code Procedure} facts of giving it
   * @param procedureWindow the days in which procedures count
   * @return the number of days on which a dose was given, a day counted once however many
   *     records it has
   * @throws IllegalArgumentException if a fact is neither an Immunization nor a Procedure
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
   *
   * @param window the days in which the later doses count, e.g. the first two years
   * @param immunizations the {@code Immunization} facts of the later doses
   * @param procedures the {@code Procedure} facts of the later doses
   * @param earlier the facts of the dose that starts the count (immunizations, procedures or
   *     both), e.g. the newborn hepatitis B dose
   * @param earlierWindow the days in which that dose counts, e.g. the first 7 days of life
   * @return the number of days with a later dose strictly after the first day of an earlier
   *     dose; 0 when there is no earlier dose
   * @throws IllegalArgumentException if a fact is neither an Immunization nor a Procedure
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
