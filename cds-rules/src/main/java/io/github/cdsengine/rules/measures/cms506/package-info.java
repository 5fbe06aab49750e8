/**
 * The Java helpers of the CMS506 Safe Use of Opioids pack, which its rules call and its manifest
 * declares ({@code helperPackages}), so no other rule file may: a hospitalization extended back
 * through the observation stay and emergency visit that led into it ({@link HospitalStay}).
 */
package io.github.cdsengine.rules.measures.cms506;
