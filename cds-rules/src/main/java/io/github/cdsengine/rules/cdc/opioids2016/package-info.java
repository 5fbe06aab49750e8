/**
 * The Java helpers of the CDC 2016 opioid prescribing pack ({@code cdc-opioids-2016}), which its
 * rules call and its manifest declares ({@code helperPackages}), so no other rule file may.
 *
 * <p>Morphine milligram equivalents (MME) of opioid orders, as the CDC Guideline for Prescribing
 * Opioids for Chronic Pain (Dowell D, Haegerich TM, Chou R. MMWR Recomm Rep 2016;65(No. RR-1):
 * 1-49, doi:10.15585/mmwr.rr6501e1) asks clinicians to calculate them: each opioid's daily dose
 * times its CDC conversion factor, summed over the patient's opioids. {@link MmeCalculator} works
 * out the MME of each order with every step shown; {@link ConversionFactors} holds the CDC 2016
 * factors, each cited; {@link OpioidProducts} knows the strength of a few RxNorm products for
 * orders that name no {@code Medication} resource. What cannot be worked out is reported as
 * {@link OrderMme.NotComputed}, never as zero. {@link OpioidOrders} and {@link UrineDrugScreens}
 * hold the order and urine screen arithmetic the pack's recommendations share.
 */
package io.github.cdsengine.rules.cdc.opioids2016;
