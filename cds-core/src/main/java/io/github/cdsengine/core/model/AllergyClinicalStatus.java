package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Whether an allergy or intolerance is active (FHIR allergyintolerance-clinical). */
public enum AllergyClinicalStatus implements FhirCode {
  /** The patient may react to the substance now. */
  ACTIVE("active"),
  /** The patient is no longer thought at risk of a reaction. */
  INACTIVE("inactive"),
  /** A reaction is no longer expected, e.g. after desensitization. */
  RESOLVED("resolved");

  private final String code;

  AllergyClinicalStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR allergyintolerance-clinical exactly as FHIR spells it, e.g. {@code
   *     active}; case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static AllergyClinicalStatus fromCode(String code) {
    return FhirCode.fromCode(AllergyClinicalStatus.class, code);
  }
}
