package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The status of an encounter (FHIR EncounterStatus). */
public enum EncounterStatus implements FhirCode {
  PLANNED("planned"),
  ARRIVED("arrived"),
  TRIAGED("triaged"),
  IN_PROGRESS("in-progress"),
  ONLEAVE("onleave"),
  FINISHED("finished"),
  CANCELLED("cancelled"),
  ENTERED_IN_ERROR("entered-in-error"),
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
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static EncounterStatus fromCode(String code) {
    return FhirCode.fromCode(EncounterStatus.class, code);
  }
}
