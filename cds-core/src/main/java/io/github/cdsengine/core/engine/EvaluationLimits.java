package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.evaluation.FailurePolicy;
import io.github.cdsengine.core.evaluation.SessionReuse;
import java.time.Duration;
import java.util.Objects;

/**
 * How each evaluation is bounded and what a failure does.
 *
 * @param failurePolicy whether a failed rule is reported or thrown
 * @param maxRuleFirings the most rule firings one evaluation may take
 * @param maxEvaluationTime the longest one evaluation may take
 * @param sessionReuse how a rule session is readied for the next patient
 */
public record EvaluationLimits(FailurePolicy failurePolicy, int maxRuleFirings,
    Duration maxEvaluationTime, SessionReuse sessionReuse) {

  public EvaluationLimits {
    Objects.requireNonNull(failurePolicy, "failurePolicy");
    Objects.requireNonNull(maxEvaluationTime, "maxEvaluationTime");
    Objects.requireNonNull(sessionReuse, "sessionReuse");
  }
}
