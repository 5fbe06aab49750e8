package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.terminology.ValueSets;
import java.util.Comparator;
import java.util.List;

/**
 * A rule set compiled and checked, ready to evaluate: made by {@link RuleBaseCompiler}, owned by
 * the {@link DroolsEngine} that evaluates it. Immutable.
 */
public final class CompiledRules {

  private final RuleBase ruleBase;
  private final RuleSetIdentity identity;
  private final List<MeasureDefinition> measures;
  private final ValueSets valueSets;
  private final List<RuleInfo> rules;
  private final boolean rulesOnInitialTuple;
  private final boolean fromImage;

  CompiledRules(RuleBase ruleBase, RuleSetIdentity identity, List<MeasureDefinition> measures,
      ValueSets valueSets, boolean rulesOnInitialTuple, boolean fromImage) {
    this.ruleBase = ruleBase;
    this.rulesOnInitialTuple = rulesOnInitialTuple;
    this.fromImage = fromImage;
    this.identity = identity;
    this.measures = measures.stream()
        .sorted(Comparator.comparing(MeasureDefinition::id)).toList();
    this.valueSets = valueSets;
    this.rules = ruleBase.definitions().values().stream()
        .map(RuleDefinition::info)
        .sorted(Comparator.comparing(RuleInfo::file).thenComparingInt(RuleInfo::line))
        .toList();
  }

  RuleBase ruleBase() {
    return ruleBase;
  }

  RuleSetIdentity identity() {
    return identity;
  }

  /** The rules, sorted by file and line. */
  public List<RuleInfo> rules() {
    return rules;
  }

  /** The packs' ids and versions. */
  public List<String> packs() {
    return identity.packs();
  }

  /** The rule set's identity, carried by every result. */
  public String ruleSet() {
    return identity.name();
  }

  /** The quality measures, by id. */
  public List<MeasureDefinition> measures() {
    return measures;
  }

  /**
   * Whether some rule's first condition is not a fact pattern: such a rule keeps what it computed
   * in a session's initial tuple, so sessions of this rule set are reset fully between patients.
   */
  public boolean rulesOnInitialTuple() {
    return rulesOnInitialTuple;
  }

  /** Whether Drools' packages were read from a {@linkplain RuleImages rule image}. */
  public boolean fromImage() {
    return fromImage;
  }

  /** The value sets loaded. */
  public ValueSets valueSets() {
    return valueSets;
  }
}
