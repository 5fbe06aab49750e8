package io.github.cdsengine.core;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.model.PatientRecord;

/** Tells tests in other modules how an engine built by {@link CdsEngine#builder()} evaluates. */
public final class EngineSessions {

  private EngineSessions() {}

  /**
   * Whether {@code engine} takes a rule session to evaluate {@code record} in {@code context},
   * rather than answering without one because no rule could fire on it.
   */
  public static boolean takesSession(CdsEngine engine, PatientRecord record,
      EvaluationContext context) {
    if (!(engine instanceof RuleEngine rules)) {
      throw new IllegalArgumentException("not an engine of CdsEngine.builder(): " + engine);
    }
    return rules.engine().takesSession(record, context);
  }
}
