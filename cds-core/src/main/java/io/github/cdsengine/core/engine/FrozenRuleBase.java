package io.github.cdsengine.core.engine;

import org.kie.api.event.kiebase.BeforeFunctionRemovedEvent;
import org.kie.api.event.kiebase.BeforeKiePackageAddedEvent;
import org.kie.api.event.kiebase.BeforeKiePackageRemovedEvent;
import org.kie.api.event.kiebase.BeforeProcessAddedEvent;
import org.kie.api.event.kiebase.BeforeProcessRemovedEvent;
import org.kie.api.event.kiebase.BeforeRuleAddedEvent;
import org.kie.api.event.kiebase.BeforeRuleRemovedEvent;
import org.kie.api.event.kiebase.DefaultKieBaseEventListener;

/**
 * Keeps a built rule base as it was built. Drools tells its listeners before it adds or removes a
 * package, rule, function or process, and a listener that throws stops the change; this one
 * throws for every change. The rule policy already keeps rule code from reaching the rule base;
 * this holds for code that reaches it anyway (a rule set built without the policy, a host's own
 * mistake), so no evaluation can change the rules the next one runs. Swapping rule sets is done
 * by building a new engine ({@code SwappableEngine}), never by changing a built one.
 */
final class FrozenRuleBase extends DefaultKieBaseEventListener {

  /** Thrown into the code that tried to change the rule base. */
  static final class FrozenException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    FrozenException(String change) {
      super("the rule base is frozen once built: " + change + " refused");
    }
  }

  @Override
  public void beforeKiePackageAdded(BeforeKiePackageAddedEvent event) {
    throw new FrozenException("adding a package");
  }

  @Override
  public void beforeKiePackageRemoved(BeforeKiePackageRemovedEvent event) {
    throw new FrozenException("removing a package");
  }

  @Override
  public void beforeRuleAdded(BeforeRuleAddedEvent event) {
    throw new FrozenException("adding a rule");
  }

  @Override
  public void beforeRuleRemoved(BeforeRuleRemovedEvent event) {
    throw new FrozenException("removing a rule");
  }

  @Override
  public void beforeFunctionRemoved(BeforeFunctionRemovedEvent event) {
    throw new FrozenException("removing a function");
  }

  @Override
  public void beforeProcessAdded(BeforeProcessAddedEvent event) {
    throw new FrozenException("adding a process");
  }

  @Override
  public void beforeProcessRemoved(BeforeProcessRemovedEvent event) {
    throw new FrozenException("removing a process");
  }
}
