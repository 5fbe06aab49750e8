package io.github.cdsengine.rules.measures.cms117;

import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The windows of a child's first two years that childhood immunization measures count vaccines
 * in, as periods of calendar days (both ends included) in the evaluation's time zone, such as
 * CMS117's "42 days up to 2 years old": {@code fromDaysOld(42)} is from the day the child is 42
 * days old to the second birthday. Measure rules name the numbers; this class only does the date
 * arithmetic. A birthday on February 29 falls on February 28 in a common year, as CQL's date
 * arithmetic and {@link LocalDate#plusYears} both have it.
 *
 * @param birthDate the child's date of birth
 * @param zone the time zone that fixes the calendar day of an instant
 */
public record ChildhoodWindows(LocalDate birthDate, ZoneId zone) {

  /**
   * Checks both fields.
   *
   * @param birthDate the child's date of birth ({@code Patient.birthDate})
   * @param zone the evaluation's time zone (the measurement period's)
   * @throws NullPointerException if birthDate or zone is null
   */
  public ChildhoodWindows {
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(zone, "zone");
  }

  /**
   * The windows of {@code patient}'s childhood, or {@code null} when the birth date is unknown
   * (so that a rule's {@code from ChildhoodWindows.of($patient, $mp.zone())} matches nothing).
   *
   * @param patient the child; may be {@code null}
   * @param zone the evaluation's time zone, e.g. the measurement period's {@code zone()}
   * @return the windows from the child's birth date; {@code null} when there is no patient or
   *     no birth date
   */
  public static ChildhoodWindows of(Patient patient, ZoneId zone) {
    return patient == null || patient.birthDate() == null ? null
        : new ChildhoodWindows(patient.birthDate(), zone);
  }

  /**
   * The first birthday: the birth date plus one year.
   *
   * @return the date the child turns 1 (February 28 for a child born on February 29)
   */
  public LocalDate firstBirthday() {
    return birthDate.plusYears(1);
  }

  /**
   * The second birthday: the birth date plus two years.
   *
   * @return the date the child turns 2, the end of CMS117's counting windows
   */
  public LocalDate secondBirthday() {
    return birthDate.plusYears(2);
  }

  /**
   * From the day the child is {@code days} days old (the birth date plus {@code days}) to the
   * second birthday, such as "Vaccine Administration Interval - 42 Days up to 2 Years Old".
   *
   * @param days the child's age in days on the window's first day, e.g. 42 for DTaP, IPV, Hib,
   *     PCV and rotavirus, 180 for influenza procedures
   * @return the window, both ends included
   * @throws IllegalArgumentException if {@code days} is negative, or the child is that many days
   *     old only after the second birthday
   */
  public MeasurementPeriod fromDaysOld(int days) {
    if (days < 0) {
      throw new IllegalArgumentException("a child cannot be " + days + " days old");
    }
    return window(birthDate.plusDays(days), secondBirthday());
  }

  /**
   * From the birth date to the second birthday ("First Two Years").
   *
   * @return the window, both ends included, in which CMS117 counts hepatitis B doses and looks
   *     for the exclusions (e.g. severe combined immunodeficiency)
   */
  public MeasurementPeriod firstTwoYears() {
    return fromDaysOld(0);
  }

  /**
   * From the first birthday to the second ("Date of First Birthday to Date of Second Birthday").
   *
   * @return the window, both ends included, in which CMS117 counts MMR, varicella and
   *     hepatitis A doses
   */
  public MeasurementPeriod firstToSecondBirthday() {
    return window(firstBirthday(), secondBirthday());
  }

  /**
   * From the birth date to the day the child is {@code days} days old, such as the newborn week
   * "Interval[date from Patient.birthDate, date from Patient.birthDate + 7 days]".
   *
   * @param days the child's age in days on the window's last day, e.g. 7 for the newborn
   *     hepatitis B dose
   * @return the window, both ends included
   * @throws IllegalArgumentException if {@code days} is negative
   */
  public MeasurementPeriod firstDays(int days) {
    if (days < 0) {
      throw new IllegalArgumentException("a child cannot be " + days + " days old");
    }
    return window(birthDate, birthDate.plusDays(days));
  }

  /**
   * The second birthday alone, a window of one day.
   *
   * @return a window whose first and last day is the second birthday, for a measure that asks
   *     what was recorded on that day
   */
  public MeasurementPeriod onSecondBirthday() {
    return window(secondBirthday(), secondBirthday());
  }

  private MeasurementPeriod window(LocalDate start, LocalDate end) {
    return new MeasurementPeriod(start, end, zone);
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()} (at
   * TRACE), and a log must never carry patient data such as the birth date.
   */
  @Override
  public String toString() {
    return "ChildhoodWindows[patient data not shown]";
  }
}
