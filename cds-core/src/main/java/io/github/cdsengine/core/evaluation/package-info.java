/**
 * What an evaluation takes and gives: the {@link io.github.cdsengine.core.evaluation.EvaluationContext}
 * (the clinical instant, the measurement period), the
 * {@link io.github.cdsengine.core.evaluation.EvaluationResult} with its ranked
 * {@link io.github.cdsengine.core.evaluation.Recommendation}s, withheld recommendations, measure
 * results and failures, and the metadata rules declare (severity, evidence grade, category,
 * guideline). Depends on nothing that is Drools.
 */
package io.github.cdsengine.core.evaluation;
