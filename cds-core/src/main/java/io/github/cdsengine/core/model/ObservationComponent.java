package io.github.cdsengine.core.model;

import java.util.Objects;

/**
 * One part of a multi-part observation, such as the systolic value of a blood pressure.
 *
 * @param code what this part measures
 * @param valueQuantity its value when measured, or {@code null}
 * @param valueConcept its value when coded, or {@code null}
 */
public record ObservationComponent(
    CodeableConcept code, Quantity valueQuantity, CodeableConcept valueConcept) {

  /**
   * Checks the code.
   *
   * @param code what this part measures
   * @param valueQuantity its value when measured, or {@code null}
   * @param valueConcept its value when coded, or {@code null}
   * @throws NullPointerException if code is null
   */
  public ObservationComponent {
    Objects.requireNonNull(code, "observation component code");
  }
}
