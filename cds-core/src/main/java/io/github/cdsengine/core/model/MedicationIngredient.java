package io.github.cdsengine.core.model;

/**
 * One ingredient of a medication product (FHIR {@code Medication.ingredient}), with its strength
 * as recorded: {@code strength} of the ingredient per {@code per} of the product, e.g. 60 mg per
 * 1 tablet, 5 mg per 1 mL, or 0.075 mg per 1 h for a transdermal patch.
 *
 * @param item the ingredient ({@code itemCodeableConcept}), or {@code null} when it is given
 *     only by reference
 * @param strength the strength's numerator ({@code strength.numerator}), or {@code null}
 * @param per the strength's denominator ({@code strength.denominator}), or {@code null}: a
 *     strength without one is per unit of the product
 */
public record MedicationIngredient(CodeableConcept item, Quantity strength, Quantity per) {}
