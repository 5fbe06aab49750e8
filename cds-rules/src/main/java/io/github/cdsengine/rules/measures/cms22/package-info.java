/**
 * The Java helpers of the CMS22 Screening for High Blood Pressure and Follow-Up pack, which its
 * rules call and its manifest declares ({@code helperPackages}), so no other rule file may: how a
 * blood pressure reading is classed ({@link BloodPressureReading}).
 */
package io.github.cdsengine.rules.measures.cms22;
