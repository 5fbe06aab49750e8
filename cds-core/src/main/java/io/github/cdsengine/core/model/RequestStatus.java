package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an order or request (FHIR RequestStatus, with MedicationRequest's cancelled and stopped). */
public enum RequestStatus implements FhirCode {
  /** Being written, not yet in force. */
  DRAFT("draft"),
  /** In force. */
  ACTIVE("active"),
  /** Suspended for a time. */
  ON_HOLD("on-hold"),
  /** Withdrawn before it was complete. */
  REVOKED("revoked"),
  /** Withdrawn before anything was done (MedicationRequest). */
  CANCELLED("cancelled"),
  /** Ended after some of it was done (MedicationRequest). */
  STOPPED("stopped"),
  /** Everything it asked for was done. */
  COMPLETED("completed"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error"),
  /** The source does not know the status. */
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
   * @param code a code from FHIR RequestStatus exactly as FHIR spells it, e.g. {@code active}; case
   *     matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static RequestStatus fromCode(String code) {
    return FhirCode.fromCode(RequestStatus.class, code);
  }
}
