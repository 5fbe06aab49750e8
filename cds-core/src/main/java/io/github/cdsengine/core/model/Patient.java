package io.github.cdsengine.core.model;

import java.time.LocalDate;

/**
 * The patient the record is about.
 *
 * @param id the patient's id in the host system
 * @param birthDate the date of birth, or {@code null} when unknown (age-based rules then cannot
 *     apply, and the result carries a data warning saying so)
 * @param gender the administrative gender, or {@code null} when not recorded
 * @param deceased when the patient died, as FHIR's {@code Patient.deceasedDateTime} records it, or
 *     {@code null} when no date of death is recorded (a bare {@code deceasedBoolean} gives no
 *     time, and quality measures that ask "expired on or before" read it as no time either)
 */
public record Patient(String id, LocalDate birthDate, AdministrativeGender gender,
    ClinicalTime deceased) implements ClinicalFact {

  /**
   * Checks the id.
   *
   * @param id the patient's id in the host system
   * @param birthDate the date of birth, or {@code null} when unknown (age-based rules then cannot
   *     apply, and the result carries a data warning saying so)
   * @param gender the administrative gender, or {@code null} when not recorded
   * @param deceased when the patient died, or {@code null} when no date of death is recorded
   * @throws NullPointerException if id is null
   * @throws IllegalArgumentException if id is blank
   */
  public Patient {
    Facts.requireId(id, "Patient");
  }

  /**
   * A patient with no recorded date of death.
   *
   * @param id the patient's id in the host system
   * @param birthDate the date of birth, or {@code null} when unknown
   * @param gender the administrative gender, or {@code null} when not recorded
   * @throws NullPointerException if id is null
   * @throws IllegalArgumentException if id is blank
   */
  public Patient(String id, LocalDate birthDate, AdministrativeGender gender) {
    this(id, birthDate, gender, null);
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
