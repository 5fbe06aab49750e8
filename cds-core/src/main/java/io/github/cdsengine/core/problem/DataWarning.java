package io.github.cdsengine.core.problem;

import java.util.Objects;

/**
 * Something in the patient data that kept the engine from using part of it, such as a missing
 * birth date (no age-based rule can apply) or a fact dated in the future.
 *
 * @param type the resource type of the fact concerned
 * @param id the id of the fact concerned
 * @param message what was wrong and what the engine did about it
 */
public record DataWarning(String type, String id, String message) {

  /**
   * Checks the fields.
   *
   * @param type the FHIR resource type of the fact concerned, e.g. {@code Observation}; never null
   * @param id the id of that resource in the record; never null
   * @param message what was wrong and what the engine did about it; never null
   * @throws NullPointerException if any field is null
   */
  public DataWarning {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return type + "/" + id + ": " + message;
  }
}
