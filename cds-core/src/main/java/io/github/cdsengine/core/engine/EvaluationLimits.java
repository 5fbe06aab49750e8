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
 * @param maxEvaluationTime the most CPU time one evaluation may take (elapsed time where the JVM
 *     cannot measure thread CPU time)
 * @param maxElapsedTime the most elapsed time one evaluation may take: the backstop for an action
 *     that is blocked or sleeping, at least {@code maxEvaluationTime}
 * @param sessionReuse how a rule session is readied for the next patient
 * @param answerUntouchedWithoutSession whether a record on which no rule could fire is answered
 *     without a rule session (see {@code RuleReach})
 */
public record EvaluationLimits(FailurePolicy failurePolicy, int maxRuleFirings,
    Duration maxEvaluationTime, Duration maxElapsedTime, SessionReuse sessionReuse,
    boolean answerUntouchedWithoutSession) {

  public EvaluationLimits {
    Objects.requireNonNull(failurePolicy, "failurePolicy");
    Objects.requireNonNull(maxEvaluationTime, "maxEvaluationTime");
    Objects.requireNonNull(maxElapsedTime, "maxElapsedTime");
    Objects.requireNonNull(sessionReuse, "sessionReuse");
    if (maxElapsedTime.compareTo(maxEvaluationTime) < 0) {
      throw new IllegalArgumentException("maxElapsedTime (" + maxElapsedTime
          + ") must be at least maxEvaluationTime (" + maxEvaluationTime + ")");
    }
  }
}
