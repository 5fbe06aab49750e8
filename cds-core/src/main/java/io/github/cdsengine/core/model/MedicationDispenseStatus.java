package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of a medication dispense (FHIR R4 MedicationDispense.status). */
public enum MedicationDispenseStatus implements FhirCode {
  /** Being prepared, not yet dispensed. */
  PREPARATION("preparation"),
  /** Being dispensed. */
  IN_PROGRESS("in-progress"),
  /** Called off before any of it was dispensed. */
  CANCELLED("cancelled"),
  /** Paused. */
  ON_HOLD("on-hold"),
  /** Dispensed. */
  COMPLETED("completed"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error"),
  /** Stopped before it was complete. */
  STOPPED("stopped"),
  /** Not dispensed: declined, for example by the pharmacist. */
  DECLINED("declined"),
  /** The source does not know the status. */
  UNKNOWN("unknown");

  private final String code;

  MedicationDispenseStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR MedicationDispense.status exactly as FHIR spells it, e.g. {@code
   *     in-progress}; case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static MedicationDispenseStatus fromCode(String code) {
    return FhirCode.fromCode(MedicationDispenseStatus.class, code);
  }
}
