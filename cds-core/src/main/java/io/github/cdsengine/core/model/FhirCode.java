package io.github.cdsengine.core.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A value from one of FHIR's fixed code lists (a status, a gender, an intent). */
public interface FhirCode {

  /**
   * The code exactly as FHIR spells it, e.g. {@code entered-in-error}.
   *
   * @return the code, case and hyphens as in the FHIR code list; what JSON reads and writes
   */
  @JsonValue
  String code();

  /**
   * Finds the constant whose FHIR code is {@code code}.
   *
   * @param type the enum class to search
   * @param code the code to find; matched exactly, case matters
   * @param <E> the enum type, one of the model's FHIR code lists
   * @return the constant whose {@link #code()} equals {@code code}
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
