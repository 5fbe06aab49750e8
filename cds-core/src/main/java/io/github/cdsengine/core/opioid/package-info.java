/**
 * Morphine milligram equivalents (MME) of opioid orders, as the CDC Guideline for Prescribing
 * Opioids for Chronic Pain (Dowell D, Haegerich TM, Chou R. MMWR Recomm Rep 2016;65(No. RR-1):
 * 1-49, doi:10.15585/mmwr.rr6501e1) asks clinicians to calculate them: each opioid's daily dose
 * times its CDC conversion factor, summed over the patient's opioids.
 *
 * <p>{@link io.github.cdsengine.core.opioid.MmeCalculator} works out the MME of each order with
 * every step shown; {@link io.github.cdsengine.core.opioid.ConversionFactors} holds the CDC 2016
 * factors, each cited; {@link io.github.cdsengine.core.opioid.OpioidProducts} knows the strength
 * of a few RxNorm products for orders that name no {@code Medication} resource. What cannot be
 * worked out is reported as {@link io.github.cdsengine.core.opioid.OrderMme.NotComputed}, never
 * as zero.
 */
package io.github.cdsengine.core.opioid;
