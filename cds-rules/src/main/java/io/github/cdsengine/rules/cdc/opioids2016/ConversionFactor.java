package io.github.cdsengine.rules.cdc.opioids2016;

import java.math.BigDecimal;

/**
 * A CDC conversion factor: MME per day for one unit of daily dose.
 *
 * @param value the factor
 * @param doseUnit the unit of the dose it multiplies: {@code mg/d}, or {@code ug/h} for a
 *     fentanyl patch's delivery rate
 * @param basis why this factor applies, e.g. {@code methadone 21-40 mg/d}
 * @param source where the factor is published
 */
public record ConversionFactor(BigDecimal value, String doseUnit, String basis, String source) {}
