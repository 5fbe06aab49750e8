package io.github.cdsengine.core.model;

/**
 * How a medication order may be dispensed (FHIR {@code MedicationRequest.dispenseRequest}), as
 * recorded: cumulative medication duration and supply calculations start from these.
 *
 * @param validity the period the prescription may be dispensed in, or {@code null}
 * @param repeatsAllowed refills allowed after the first dispense, or {@code null}
 * @param quantity the amount per dispense, or {@code null}; a bare count has the unit {@code 1}
 *     (units of the product)
 * @param expectedSupplyDuration the days (or other time) one dispense is meant to last, with the
 *     unit as recorded, or {@code null}
 */
public record DispenseRequest(Period validity, Integer repeatsAllowed, Quantity quantity,
    Quantity expectedSupplyDuration) {}
