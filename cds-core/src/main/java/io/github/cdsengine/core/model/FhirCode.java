package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A value from one of FHIR's fixed code lists (a status, a gender, an intent). */
public interface FhirCode {

  /** The code exactly as FHIR spells it, e.g. {@code entered-in-error}. */
  @JsonValue
  String code();

  /**
   * Finds the constant whose FHIR code is {@code code}.
   *
   * @throws IllegalArgumentException naming the type, the bad value and the allowed codes
   */
  static <E extends Enum<E> & FhirCode> E fromCode(Class<E> type, String code) {
    for (E value : type.getEnumConstants()) {
      if (value.code().equals(code)) {
        return value;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E value : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(value.code());
    }
    throw new IllegalArgumentException(
        "unknown " + type.getSimpleName() + " '" + code + "'; expected one of: " + allowed);
  }
}
