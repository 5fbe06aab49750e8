package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Whether a condition is active (FHIR condition-clinical). */
public enum ConditionClinicalStatus implements FhirCode {
  ACTIVE("active"),
  RECURRENCE("recurrence"),
  RELAPSE("relapse"),
  INACTIVE("inactive"),
  REMISSION("remission"),
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
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static ConditionClinicalStatus fromCode(String code) {
    return FhirCode.fromCode(ConditionClinicalStatus.class, code);
  }
}
