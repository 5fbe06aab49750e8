package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of something done: a procedure or an immunization (FHIR EventStatus). */
public enum EventStatus implements FhirCode {
  /** Being prepared, not yet started. */
  PREPARATION("preparation"),
  /** Under way. */
  IN_PROGRESS("in-progress"),
  /** Not done: it did not happen. */
  NOT_DONE("not-done"),
  /** Paused, expected to go on. */
  ON_HOLD("on-hold"),
  /** Started and stopped before it was complete. */
  STOPPED("stopped"),
  /** Done. */
  COMPLETED("completed"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error"),
  /** The source does not know the status. */
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
   * @param code a code from FHIR EventStatus exactly as FHIR spells it, e.g. {@code in-progress};
   *     case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static EventStatus fromCode(String code) {
    return FhirCode.fromCode(EventStatus.class, code);
  }
}
