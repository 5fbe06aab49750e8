package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What an order or request is meant to be (FHIR RequestIntent). */
public enum RequestIntent implements FhirCode {
  PROPOSAL("proposal"),
  PLAN("plan"),
  DIRECTIVE("directive"),
  ORDER("order"),
  ORIGINAL_ORDER("original-order"),
  REFLEX_ORDER("reflex-order"),
  FILLER_ORDER("filler-order"),
  INSTANCE_ORDER("instance-order"),
  OPTION("option");

  private final String code;

  RequestIntent(String code) {
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
  public static RequestIntent fromCode(String code) {
    return FhirCode.fromCode(RequestIntent.class, code);
  }
}
