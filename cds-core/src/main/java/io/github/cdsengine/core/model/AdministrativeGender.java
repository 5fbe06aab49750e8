package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A patient's administrative gender (FHIR AdministrativeGender). */
public enum AdministrativeGender implements FhirCode {
  /** Male. */
  MALE("male"),
  /** Female. */
  FEMALE("female"),
  /** Neither male nor female. */
  OTHER("other"),
  /** Not known. */
  UNKNOWN("unknown");

  private final String code;

  AdministrativeGender(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR AdministrativeGender exactly as FHIR spells it, e.g. {@code male};
   *     case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static AdministrativeGender fromCode(String code) {
    return FhirCode.fromCode(AdministrativeGender.class, code);
  }
}
