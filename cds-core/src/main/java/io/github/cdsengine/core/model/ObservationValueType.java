package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * The FHIR type of an observation's value: the types FHIR R4 allows for {@code
 * Observation.value[x]}, named by the type code that follows {@code value} in the element's name
 * ({@code valueQuantity} is {@code Quantity}, {@code valueString} is {@code string}).
 *
 * <p>The model keeps the detail of a quantity, an integer (as a quantity of unit {@code 1}), a
 * coded value, yes or no, and text. Of a range, a ratio, sampled data, a time, a date-time or a
 * period it keeps only this type: no rule compares them, but they are results all the same (the
 * measures' CQL tests {@code value is not null} on any type).
 */
public enum ObservationValueType implements FhirCode {
  QUANTITY("Quantity"),
  CODEABLE_CONCEPT("CodeableConcept"),
  STRING("string"),
  BOOLEAN("boolean"),
  INTEGER("integer"),
  RANGE("Range"),
  RATIO("Ratio"),
  SAMPLED_DATA("SampledData"),
  TIME("time"),
  DATE_TIME("dateTime"),
  PERIOD("Period");

  private final String code;

  ObservationValueType(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /** The name of the FHIR element that carries a value of this type, e.g. {@code valueString}. */
  public String element() {
    return "value" + Character.toUpperCase(code.charAt(0)) + code.substring(1);
  }

  /**
   * The constant for a FHIR type code, such as {@code Quantity} or {@code dateTime}.
   *
   * @throws IllegalArgumentException if {@code code} is not a type Observation.value[x] allows
   */
  @JsonCreator
  public static ObservationValueType fromCode(String code) {
    return FhirCode.fromCode(ObservationValueType.class, code);
  }
}
