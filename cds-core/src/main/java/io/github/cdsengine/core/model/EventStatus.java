package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of something done: a procedure or an immunization (FHIR EventStatus). */
public enum EventStatus implements FhirCode {
  PREPARATION("preparation"),
  IN_PROGRESS("in-progress"),
  NOT_DONE("not-done"),
  ON_HOLD("on-hold"),
  STOPPED("stopped"),
  COMPLETED("completed"),
  ENTERED_IN_ERROR("entered-in-error"),
  UNKNOWN("unknown");

  private final String code;

  EventStatus(String code) {
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
  public static EventStatus fromCode(String code) {
    return FhirCode.fromCode(EventStatus.class, code);
  }
}
