/**
 * The vocabulary rules use beyond the patient facts: derived facts the engine inserts (the
 * evaluation's {@link io.github.cdsengine.core.rule.Now}, the patient's
 * {@link io.github.cdsengine.core.rule.PatientAge}) and the result facts rules insert
 * ({@link io.github.cdsengine.core.rule.Proposal}, {@link io.github.cdsengine.core.rule.Suppression},
 * {@link io.github.cdsengine.core.rule.Contraindication}).
 */
package io.github.cdsengine.core.rule;
