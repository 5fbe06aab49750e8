package io.github.cdsengine.core.engine;

import org.kie.api.event.KieRuntimeEventManager;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.runtime.rule.ConsequenceExceptionHandler;
import org.kie.api.runtime.rule.Match;
import org.kie.api.runtime.rule.RuleRuntime;

/**
 * Hands an exception thrown by a rule's action to the evaluation's failure sink and lets the
 * other rules go on firing. The rule runtime makes one instance per rule base and shares it
 * across sessions, so it keeps no state. Not an API.
 */
public final class RuleFailureHandler implements ConsequenceExceptionHandler {

  /** Made by the rule runtime, by class name. */
  public RuleFailureHandler() {}

  @Override
  public void handleException(Match match, RuleRuntime runtime, Exception error) {
    if (runtime instanceof KieRuntimeEventManager events) {
      for (AgendaEventListener listener : events.getAgendaEventListeners()) {
        if (listener instanceof RuleFailureSink sink) {
          sink.ruleFailed(match.getRule().getName(), error);
          return;
        }
      }
    }
    throw new IllegalStateException(
        "rule \"" + match.getRule().getName() + "\" failed outside an evaluation", error);
  }
}
