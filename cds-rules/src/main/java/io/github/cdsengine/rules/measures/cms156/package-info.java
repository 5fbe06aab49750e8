/**
 * The Java helpers of the CMS156 Use of High-Risk Medications in Older Adults pack, which its
 * rules call and its manifest declares ({@code helperPackages}), so no other rule file may: the
 * strength per unit of the digoxin and doxepin products the measure lists ({@link
 * MedicationStrength}).
 */
package io.github.cdsengine.rules.measures.cms156;
