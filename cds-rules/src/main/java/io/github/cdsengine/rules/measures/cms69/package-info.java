/**
 * The Java helpers of the CMS69 Body Mass Index Screening and Follow-Up Plan pack, which its rules
 * call and its manifest declares ({@code helperPackages}), so no other rule file may: when an
 * overweight or underweight diagnosis was prevalent for an intervention ({@link
 * WeightDiagnosis}).
 */
package io.github.cdsengine.rules.measures.cms69;
