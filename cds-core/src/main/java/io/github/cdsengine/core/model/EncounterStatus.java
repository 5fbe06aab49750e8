package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an encounter (FHIR EncounterStatus). */
public enum EncounterStatus implements FhirCode {
  /** Not yet started. */
  PLANNED("planned"),
  /** The patient is here and not yet seen. */
  ARRIVED("arrived"),
  /** The patient has been assessed for the priority of care. */
  TRIAGED("triaged"),
  /** Under way. */
  IN_PROGRESS("in-progress"),
  /** Under way, with the patient away for a time. */
  ONLEAVE("onleave"),
  /** Over. */
  FINISHED("finished"),
  /** Called off before it started. */
  CANCELLED("cancelled"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error"),
  /** The source does not know the status. */
  UNKNOWN("unknown");

  private final String code;

  EncounterStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR EncounterStatus exactly as FHIR spells it, e.g. {@code
   *     in-progress}; case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static EncounterStatus fromCode(String code) {
    return FhirCode.fromCode(EncounterStatus.class, code);
  }
}
