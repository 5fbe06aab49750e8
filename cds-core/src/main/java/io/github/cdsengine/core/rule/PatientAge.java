package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.Patient;
import java.time.LocalDate;
import java.time.Period;

/**
 * The patient's age at the evaluation date, inserted by the engine when the birth date is known
 * and not after the evaluation date.
 *
 * <p>Age is counted in completed years and months of the calendar: a patient born on 1980-06-15
 * is 45 from 2025-06-15 on. A patient born on 29 February turns a year older on 1 March in years
 * that have no 29 February.
 *
 * @param patientId the patient's id
 * @param years completed years
 * @param months completed months in all (for pediatric rules)
 */
public record PatientAge(String patientId, int years, int months) {

  /**
   * Computes the age of {@code patient} on {@code date}.
   *
   * @param patient the patient, whose birth date is used; never null
   * @param date the day to count the age on, usually the evaluation date in the clinic's zone
   * @return the age in completed years and months on {@code date}
   * @throws IllegalArgumentException if the birth date is missing or after {@code date}
   */
  public static PatientAge of(Patient patient, LocalDate date) {
    LocalDate birthDate = patient.birthDate();
    if (birthDate == null || birthDate.isAfter(date)) {
      throw new IllegalArgumentException("no age: birth date " + birthDate
          + " is missing or after the evaluation date " + date);
    }
    Period age = Period.between(birthDate, date);
    return new PatientAge(patient.id(), age.getYears(), (int) age.toTotalMonths());
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "PatientAge[patient data not shown]";
  }
}
