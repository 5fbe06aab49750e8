package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;

/**
 * The MME of one opioid ingredient of one order, with the steps that give it.
 *
 * @param opioid the ingredient
 * @param strengthSource where its strength was read, or {@code null} when the dose was already
 *     in milligrams of the ingredient
 * @param dosesPerDay administrations (or patches applied) per day
 * @param dailyDose the ingredient's daily dose: mg/d, or ug/h for a patch's delivery rate
 * @param factor the CDC conversion factor applied
 * @param mme the result, dailyDose times factor rounded to one decimal, in {MME}/d
 * @param steps the calculation in words, e.g. {@code 2/d * 10 mg = 20 mg/d; oxycodone 1.5 per
 *     mg/d -> 30 {MME}/d}
 */
public record IngredientMme(Opioid opioid, String strengthSource, BigDecimal dosesPerDay,
    Quantity dailyDose, ConversionFactor factor, BigDecimal mme, String steps) {

  /** Names the type only: the values are a patient's. */
  @Override
  public String toString() {
    return "IngredientMme[patient data not shown]";
  }
}
