package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an observation result (FHIR ObservationStatus). */
public enum ObservationStatus implements FhirCode {
  REGISTERED("registered"),
  PRELIMINARY("preliminary"),
  FINAL("final"),
  AMENDED("amended"),
  CORRECTED("corrected"),
  CANCELLED("cancelled"),
  ENTERED_IN_ERROR("entered-in-error"),
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
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static ObservationStatus fromCode(String code) {
    return FhirCode.fromCode(ObservationStatus.class, code);
  }
}
