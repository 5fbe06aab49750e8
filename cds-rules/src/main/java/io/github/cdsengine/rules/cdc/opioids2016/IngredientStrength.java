package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Quantity;

/**
 * How much of one opioid a product holds.
 *
 * @param opioid the ingredient
 * @param amount the amount, e.g. 60 mg, or {@code null} when unknown
 * @param per the amount of product that holds it, e.g. 1 mL or 1 h (a patch's delivery rate),
 *     or {@code null} for one unit of the product (a tablet, a capsule)
 * @param transdermal whether the product is a transdermal patch
 * @param source where the strength was read: a product table entry or the order's Medication
 */
public record IngredientStrength(Opioid opioid, Quantity amount, Quantity per,
    boolean transdermal, String source) {}
