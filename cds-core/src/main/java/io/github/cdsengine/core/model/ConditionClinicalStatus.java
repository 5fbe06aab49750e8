package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Whether a condition is active (FHIR condition-clinical). */
public enum ConditionClinicalStatus implements FhirCode {
  /** The patient has the condition now. */
  ACTIVE("active"),
  /** Active again after a time with no symptoms. */
  RECURRENCE("recurrence"),
  /** Active again after a remission. */
  RELAPSE("relapse"),
  /** The patient no longer has the condition. */
  INACTIVE("inactive"),
  /** No signs or symptoms now, though the condition may come back. */
  REMISSION("remission"),
  /** Over, with no risk of it coming back. */
  RESOLVED("resolved");

  private final String code;

  ConditionClinicalStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The constant for a FHIR code.
   *
   * @param code a code from FHIR condition-clinical exactly as FHIR spells it, e.g. {@code active};
   *     case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static ConditionClinicalStatus fromCode(String code) {
    return FhirCode.fromCode(ConditionClinicalStatus.class, code);
  }
}
