package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an order or request (FHIR RequestStatus, with MedicationRequest's cancelled and stopped). */
public enum RequestStatus implements FhirCode {
  DRAFT("draft"),
  ACTIVE("active"),
  ON_HOLD("on-hold"),
  REVOKED("revoked"),
  CANCELLED("cancelled"),
  STOPPED("stopped"),
  COMPLETED("completed"),
  ENTERED_IN_ERROR("entered-in-error"),
  UNKNOWN("unknown");

  private final String code;

  RequestStatus(String code) {
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
  public static RequestStatus fromCode(String code) {
    return FhirCode.fromCode(RequestStatus.class, code);
  }
}
