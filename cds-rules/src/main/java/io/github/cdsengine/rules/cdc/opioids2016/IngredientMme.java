package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;

/**
 * The MME of one opioid ingredient of one order, with the steps that give it.
 *
 * @param opioid the ingredient
 * @param dailyDose the ingredient's daily dose and how it was worked out
 * @param factor the CDC conversion factor applied
 * @param mme the result, the daily dose times factor rounded to one decimal, in {MME}/d
 * @param steps the calculation in words, e.g. {@code 2/d * 10 mg = 20 mg/d; oxycodone 1.5 per
 *     mg/d -> 30 {MME}/d}
 */
public record IngredientMme(Opioid opioid, DailyDose dailyDose, ConversionFactor factor,
    BigDecimal mme, String steps) {

  /**
   * The daily dose of one opioid ingredient of an order, which its conversion factor multiplies.
   *
   * @param amount the daily dose: mg/d, or ug/h for a patch's delivery rate
   * @param dosesPerDay administrations (or patches applied) per day
   * @param strengthSource where the ingredient's strength was read, or {@code null} when the
   *     dose was already in milligrams of the ingredient
   */
  public record DailyDose(Quantity amount, BigDecimal dosesPerDay, String strengthSource) {

    /** Names the type only: the values are a patient's. */
    @Override
    public String toString() {
      return "IngredientMme.DailyDose[patient data not shown]";
    }
  }

  /** Names the type only: the values are a patient's. */
  @Override
  public String toString() {
    return "IngredientMme[patient data not shown]";
  }
}
