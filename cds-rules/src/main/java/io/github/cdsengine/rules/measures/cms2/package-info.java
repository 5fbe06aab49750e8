/**
 * The Java helpers of the CMS2 Screening for Depression and Follow-Up Plan pack, which its rules
 * call and its manifest declares ({@code helperPackages}), so no other rule file may: CQL's date
 * comparisons the pack needs beyond {@code MeasurementPeriod} ({@link DepressionWindows}).
 */
package io.github.cdsengine.rules.measures.cms2;
