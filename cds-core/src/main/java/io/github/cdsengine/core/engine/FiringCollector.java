package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.rule.Contraindication;
import io.github.cdsengine.core.rule.PopulationCriterion;
import io.github.cdsengine.core.rule.RuleWarning;
import io.github.cdsengine.core.rule.Proposal;
import io.github.cdsengine.core.rule.Suppression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.rule.Match;
import io.github.cdsengine.core.evaluation.RuleFailure;

/**
 * Listens to one evaluation: ties every proposal, suppression and contraindication a rule
 * inserts to that rule and the facts its firing matched, and records failures. One instance per
 * evaluation; not thread-safe.
 */
final class FiringCollector extends DefaultAgendaEventListener
    implements RuleRuntimeEventListener, RuleFailureSink {

  /**
   * A result fact (proposal, suppression, contraindication or population criterion) inserted by a
   * rule firing, with the facts the firing matched.
   */
  record Emission(String rule, Object fact, List<Object> matched, int firing) {}

  private final List<Emission> emissions = new ArrayList<>();
  private final List<RuleFailure> failures = new ArrayList<>();
  private final Map<String, Integer> firingsByRule = new HashMap<>();
  private Match current;
  private int firing;
  private EvaluationTimeBound timeBound;
  private String lastRule;
  /** The rule firing when the time bound ran out, or ENGINE when it ran out between firings. */
  private String overrunRule;

  /**
   * Reads {@code bound} between firings (the watchdog's verdict) and notes which rule was firing
   * when it ran out.
   */
  void watch(EvaluationTimeBound bound) {
    this.timeBound = bound;
  }

  @Override
  public void beforeMatchFired(BeforeMatchFiredEvent event) {
    if (timeBound != null && timeBound.expired() && overrunRule == null) {
      overrunRule = RuleNames.ENGINE; // ran out while matching, between firings
    }
    current = event.getMatch();
    firing++;
    firingsByRule.merge(current.getRule().getName(), 1, Integer::sum);
  }

  @Override
  public void afterMatchFired(AfterMatchFiredEvent event) {
    String rule = event.getMatch().getRule().getName();
    if (timeBound != null && overrunRule == null && timeBound.expired()) {
      overrunRule = rule;
    }
    lastRule = rule;
    current = null;
  }

  @Override
  public void objectInserted(ObjectInsertedEvent event) {
    Object fact = event.getObject();
    if (current != null
        && (fact instanceof Proposal || fact instanceof Suppression
            || fact instanceof Contraindication || fact instanceof PopulationCriterion
            || fact instanceof RuleWarning)) {
      emissions.add(new Emission(current.getRule().getName(), fact,
          List.copyOf(current.getObjects()), firing));
    }
  }

  @Override
  public void objectUpdated(ObjectUpdatedEvent event) {}

  /** A result fact deleted or retracted by truth maintenance no longer counts. */
  @Override
  public void objectDeleted(ObjectDeletedEvent event) {
    Object fact = event.getOldObject();
    emissions.removeIf(e -> e.fact() == fact);
  }

  /**
   * Records the failure and discards the proposals and population criteria of the failed firing.
   * Its suppressions and contraindications are kept: withholding what a half-run rule said to
   * withhold is the safe side.
   */
  @Override
  public void ruleFailed(String rule, Exception error) {
    int failed = firing;
    emissions.removeIf(e -> e.firing() == failed
        && (e.fact() instanceof Proposal || e.fact() instanceof PopulationCriterion));
    if (timeBound == null || !timeBound.interrupted()) {
      // After the backstop's interrupt, the action failed because it was interrupted: the time
      // bound is the failure to report.
      failures.add(new RuleFailure(rule, describe(error)));
    }
    current = null;
  }

  /**
   * Records that the evaluation reached its bound of {@code max} firings, and discards what any
   * firing past the bound inserted (the engine fires one more to learn whether the bound was
   * reached).
   */
  void firingLimitReached(int max) {
    emissions.removeIf(e -> e.firing() > max);
    String busiest = firingsByRule.entrySet().stream()
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(RuleNames.ENGINE);
    failures.add(new RuleFailure(busiest, "stopped at " + max + " rule firings, the bound for "
        + "one evaluation; the rule that fired most was \"" + busiest + "\""));
  }

  /**
   * Records that the evaluation ran past {@code overrun}, one of its time bounds ({@code cpuBound}
   * on CPU time, measured on elapsed time unless {@code measuresCpu}, or the {@code elapsedBound}
   * backstop), naming the rule that was firing when the time ran out, or the engine when it ran
   * out outside a firing.
   */
  void timeBoundReached(EvaluationTimeBound.Overrun overrun, Duration cpuBound,
      Duration elapsedBound, boolean measuresCpu) {
    String rule = overrunRule != null ? overrunRule : RuleNames.ENGINE;
    String where;
    if (!rule.equals(RuleNames.ENGINE)) {
      where = "; rule \"" + rule + "\" was firing when the time ran out";
    } else if (lastRule != null) {
      where = "; the time ran out while matching, after rule \"" + lastRule + "\" fired";
    } else {
      where = "; the time ran out before any rule fired";
    }
    String bound;
    if (overrun == EvaluationTimeBound.Overrun.ELAPSED_TIME) {
      bound = describe(elapsedBound) + " of elapsed time, the backstop for one evaluation "
          + "(maxElapsedTime) that stops an action which is blocked or sleeping";
    } else if (measuresCpu) {
      bound = describe(cpuBound) + " of CPU time, the time bound for one evaluation "
          + "(maxEvaluationTime)";
    } else {
      bound = describe(cpuBound) + " of elapsed time, the time bound for one evaluation "
          + "(maxEvaluationTime; this JVM does not measure thread CPU time)";
    }
    failures.add(new RuleFailure(rule, "stopped after " + bound + where));
  }

  private static String describe(Duration bound) {
    return bound.toNanos() % 1_000_000 == 0 ? bound.toMillis() + " ms" : bound.toNanos() + " ns";
  }

  /**
   * Records an exception that stopped the whole evaluation, such as a constraint that threw,
   * naming the rule only when Drools says which one it was.
   */
  void evaluationFailed(Throwable error, java.util.Set<String> ruleNames) {
    String rule = current != null ? current.getRule().getName()
        : RuleNames.of(error, ruleNames);
    failures.add(new RuleFailure(rule, describe(error)));
  }

  List<Emission> emissions() {
    return emissions;
  }

  List<RuleFailure> failures() {
    return failures;
  }

  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof StackOverflowError) {
      return root.getClass().getName() + ": the rule's code recursed deeper than the thread's "
          + "stack allows (a function or action that calls itself without end?)";
    }
    return root.getClass().getName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
  }
}
