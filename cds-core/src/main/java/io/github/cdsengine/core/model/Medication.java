package io.github.cdsengine.core.model;

import java.util.List;

/**
 * The product details of a medication an order names through a {@code Medication} resource
 * (FHIR {@code Medication.form} and {@code Medication.ingredient}), from which the amount of each
 * ingredient per dose can be worked out. The medication's code stays on the order.
 *
 * @param form the dose form ({@code Medication.form}), or {@code null}
 * @param ingredients the ingredients with their strengths; may be empty
 */
public record Medication(CodeableConcept form, List<MedicationIngredient> ingredients) {

  /**
   * Copies the ingredients.
   *
   * @param form the dose form ({@code Medication.form}), or {@code null}
   * @param ingredients the ingredients with their strengths; may be empty
   */
  public Medication {
    ingredients = ingredients == null ? List.of() : List.copyOf(ingredients);
  }
}
