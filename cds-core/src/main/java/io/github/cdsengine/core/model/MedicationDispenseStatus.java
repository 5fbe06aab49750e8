package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of a medication dispense (FHIR R4 MedicationDispense.status). */
public enum MedicationDispenseStatus implements FhirCode {
  PREPARATION("preparation"),
  IN_PROGRESS("in-progress"),
  CANCELLED("cancelled"),
  ON_HOLD("on-hold"),
  COMPLETED("completed"),
  ENTERED_IN_ERROR("entered-in-error"),
  STOPPED("stopped"),
  DECLINED("declined"),
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
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static MedicationDispenseStatus fromCode(String code) {
    return FhirCode.fromCode(MedicationDispenseStatus.class, code);
  }
}
