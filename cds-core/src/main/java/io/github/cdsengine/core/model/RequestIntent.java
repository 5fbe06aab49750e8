package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What an order or request is meant to be (FHIR RequestIntent). */
public enum RequestIntent implements FhirCode {
  /** A suggestion, with no authority to act on it. */
  PROPOSAL("proposal"),
  /** An intention to act, not yet authorized. */
  PLAN("plan"),
  /** A legally binding instruction from the patient or a related person. */
  DIRECTIVE("directive"),
  /** An authorized request to act. */
  ORDER("order"),
  /** The order as first written. */
  ORIGINAL_ORDER("original-order"),
  /** An order added because of another order's result. */
  REFLEX_ORDER("reflex-order"),
  /** The order as its filler (the pharmacy, the laboratory) took it on. */
  FILLER_ORDER("filler-order"),
  /** One occurrence of a repeating order. */
  INSTANCE_ORDER("instance-order"),
  /** One of the choices within a request group. */
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
   * @param code a code from FHIR RequestIntent exactly as FHIR spells it, e.g. {@code proposal};
   *     case matters
   * @return the constant with that code
   * @throws IllegalArgumentException if {@code code} is not one of this list's codes
   */
  @JsonCreator
  public static RequestIntent fromCode(String code) {
    return FhirCode.fromCode(RequestIntent.class, code);
  }
}
