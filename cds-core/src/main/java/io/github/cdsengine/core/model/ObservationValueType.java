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
  /** A measured amount with its unit ({@code valueQuantity}). */
  QUANTITY("Quantity"),
  /** A coded value ({@code valueCodeableConcept}). */
  CODEABLE_CONCEPT("CodeableConcept"),
  /** Text ({@code valueString}). */
  STRING("string"),
  /** Yes or no ({@code valueBoolean}). */
  BOOLEAN("boolean"),
  /** A whole number ({@code valueInteger}), kept as a quantity of unit {@code 1}. */
  INTEGER("integer"),
  /** A range ({@code valueRange}); only its type is kept. */
  RANGE("Range"),
  /** A ratio ({@code valueRatio}); only its type is kept. */
  RATIO("Ratio"),
  /** Sampled data ({@code valueSampledData}); only its type is kept. */
  SAMPLED_DATA("SampledData"),
  /** A time of day ({@code valueTime}); only its type is kept. */
  TIME("time"),
  /** A date and time ({@code valueDateTime}); only its type is kept. */
  DATE_TIME("dateTime"),
  /** A period ({@code valuePeriod}); only its type is kept. */
  PERIOD("Period");

  private final String code;

  ObservationValueType(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The name of the FHIR element that carries a value of this type, e.g. {@code valueString}.
   *
   * @return {@code value} followed by the type code with its first letter in upper case
   */
  public String element() {
    return "value" + Character.toUpperCase(code.charAt(0)) + code.substring(1);
  }

  /**
   * The constant for a FHIR type code, such as {@code Quantity} or {@code dateTime}.
   *
   * @param code a FHIR type code as it follows {@code value} in the element's name; case matters
   * @return the value type with that code
   * @throws IllegalArgumentException if {@code code} is not a type Observation.value[x] allows
   */
  @JsonCreator
  public static ObservationValueType fromCode(String code) {
    return FhirCode.fromCode(ObservationValueType.class, code);
  }
}
