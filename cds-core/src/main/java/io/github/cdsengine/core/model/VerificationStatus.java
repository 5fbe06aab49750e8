package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How certain a condition or allergy is (FHIR condition-ver-status and allergyintolerance-verification). */
public enum VerificationStatus implements FhirCode {
  /** Not enough evidence to confirm it. */
  UNCONFIRMED("unconfirmed"),
  /** A tentative diagnosis. */
  PROVISIONAL("provisional"),
  /** One of the possible diagnoses still being considered. */
  DIFFERENTIAL("differential"),
  /** Confirmed by enough evidence. */
  CONFIRMED("confirmed"),
  /** Ruled out by the evidence. */
  REFUTED("refuted"),
  /** Recorded in error: never shown to rules. */
  ENTERED_IN_ERROR("entered-in-error");

  private final String code;

  VerificationStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR condition-ver-status or allergyintolerance-verification exactly as
   *     FHIR spells it, e.g. {@code confirmed}; case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static VerificationStatus fromCode(String code) {
    return FhirCode.fromCode(VerificationStatus.class, code);
  }
}
