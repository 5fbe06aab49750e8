/**
 * The Java helpers of the CMS117 Childhood Immunization Status pack, which its rules call and its
 * manifest declares ({@code helperPackages}), so no other rule file may: the windows of a
 * child's first two years ({@link ChildhoodWindows}) and vaccine doses counted as distinct days
 * ({@link VaccineDoses}).
 */
package io.github.cdsengine.rules.measures.cms117;
