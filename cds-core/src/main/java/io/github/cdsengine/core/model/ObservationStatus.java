package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an observation result (FHIR ObservationStatus). */
public enum ObservationStatus implements FhirCode {
  /** Ordered or begun, with no result yet. */
  REGISTERED("registered"),
  /** An early result, not yet verified. */
  PRELIMINARY("preliminary"),
  /** Complete and verified. */
  FINAL("final"),
  /** Changed after it was final. */
  AMENDED("amended"),
  /** Changed after it was final, to correct an error. */
  CORRECTED("corrected"),
  /** Not made: there is no result. */
  CANCELLED("cancelled"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error"),
  /** The source does not know the status. */
  UNKNOWN("unknown");

  private final String code;

  ObservationStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR ObservationStatus exactly as FHIR spells it, e.g. {@code
   *     registered}; case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static ObservationStatus fromCode(String code) {
    return FhirCode.fromCode(ObservationStatus.class, code);
  }
}
