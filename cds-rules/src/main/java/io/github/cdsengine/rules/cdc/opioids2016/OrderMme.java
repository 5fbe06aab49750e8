package io.github.cdsengine.rules.cdc.opioids2016;

import java.math.BigDecimal;
import java.util.List;

/** The MME of one medication order: computed with its steps, or not computed and why. */
public sealed interface OrderMme {

  /**
   * The order's id.
   *
   * @return the id of the {@code MedicationRequest} in the patient record
   */
  String orderId();

  /**
   * The order's MME per day, each opioid ingredient's counted.
   *
   * @param orderId the order's id
   * @param asNeeded whether the order is taken as needed; its MME assumes the most a patient
   *     may take, as the reference does
   * @param ingredients the MME of each opioid ingredient, with steps
   * @param mme their sum, in {MME}/d
   * @param notes assumptions made, e.g. a default timing; empty when none
   */
  record Computed(String orderId, boolean asNeeded, List<IngredientMme> ingredients,
      BigDecimal mme, List<String> notes) implements OrderMme {

    /**
     * Copies the lists.
     *
     * @param orderId the order's id
     * @param asNeeded whether the order is taken as needed
     * @param ingredients the MME of each opioid ingredient, with steps
     * @param mme their sum, in {MME}/d
     * @param notes assumptions made; empty when none
     */
    public Computed {
      ingredients = List.copyOf(ingredients);
      notes = List.copyOf(notes);
    }

    /** Names the type and order only: the values are a patient's. */
    @Override
    public String toString() {
      return "OrderMme.Computed[" + orderId + ", patient data not shown]";
    }
  }

  /**
   * An order whose MME could not be worked out: it is unknown, not zero.
   *
   * @param orderId the order's id
   * @param problem what kind of input was missing or not usable
   * @param where the element of the order concerned, e.g. {@code dosageInstruction[0]}
   * @param detail what exactly, naming codes and units but no values
   */
  record NotComputed(String orderId, Problem problem, String where, String detail)
      implements OrderMme {

    /**
     * Names the type and problem only: the rule engine logs the facts it holds through {@code
     * toString()}, and the order's id is the patient's data.
     */
    @Override
    public String toString() {
      return "OrderMme.NotComputed[" + problem + ", patient data not shown]";
    }

    /**
     * The message: order, element, problem.
     *
     * @return e.g. {@code MedicationRequest/rx-1 dosageInstruction[0].doseAndRate: no dose
     *     quantity or dose range high}, for a card to show the clinician who wrote the order
     */
    public String message() {
      return "MedicationRequest/" + orderId + " " + where + ": " + detail;
    }
  }

  /** Why an order's MME could not be worked out. */
  enum Problem {
    /** The order names no opioid this calculator knows, by product or ingredient. */
    UNKNOWN_MEDICATION,
    /** The order has no dosage instruction, or several (one is expected). */
    DOSAGE_NOT_SINGLE,
    /** The dosage has no dose. */
    MISSING_DOSE,
    /** The dose is in units of the product, but the product's strength is unknown. */
    MISSING_STRENGTH,
    /** The dose's or strength's unit cannot be turned into milligrams of the ingredient. */
    UNIT_NOT_CONVERTIBLE,
    /** The timing cannot be turned into doses per day. */
    TIMING_NOT_CONVERTIBLE,
    /** The CDC 2016 table has no factor for this ingredient, form or dose. */
    NO_CONVERSION_FACTOR
  }
}
