/**
 * The patient fact model: immutable records that rules match and hosts build from their own data.
 *
 * <p>Codes are (system, code) pairs, quantities carry UCUM units, clinical times keep the precision
 * the source gave, and every status is kept so that, for example, an entered-in-error observation
 * never counts.
 */
package io.github.cdsengine.core.model;
