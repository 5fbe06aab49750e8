package io.github.cdsengine.core.model;

import java.time.LocalDate;

/**
 * The patient the record is about.
 *
 * @param id the patient's id in the host system
 * @param birthDate the date of birth, or {@code null} when unknown (age-based rules then cannot
 *     apply, and the result carries a data warning saying so)
 * @param gender the administrative gender, or {@code null} when not recorded
 */
public record Patient(String id, LocalDate birthDate, AdministrativeGender gender)
    implements ClinicalFact {

  /**
   * Checks the id.
   *
   * @param id the patient's id in the host system
   * @param birthDate the date of birth, or {@code null} when unknown (age-based rules then cannot
   *     apply, and the result carries a data warning saying so)
   * @param gender the administrative gender, or {@code null} when not recorded
   * @throws NullPointerException if id is null
   * @throws IllegalArgumentException if id is blank
   */
  public Patient {
    Facts.requireId(id, "Patient");
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Patient[patient data not shown]";
  }
}
