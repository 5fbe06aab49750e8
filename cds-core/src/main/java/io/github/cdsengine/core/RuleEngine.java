package io.github.cdsengine.core;

import io.github.cdsengine.core.engine.DroolsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.terminology.ValueSets;
import java.util.List;

/** The engine {@link CdsEngine.Builder} builds: the API over one {@link DroolsEngine}. */
final class RuleEngine implements CdsEngine {

  private final DroolsEngine engine;

  RuleEngine(DroolsEngine engine) {
    this.engine = engine;
  }

  /** The engine underneath, for tests of how it evaluates. */
  DroolsEngine engine() {
    return engine;
  }

  @Override
  public EvaluationResult evaluate(PatientRecord record, EvaluationContext context) {
    return engine.evaluate(record, context);
  }

  @Override
  public List<RuleInfo> rules() {
    return engine.compiled().rules();
  }

  @Override
  public List<String> packs() {
    return engine.compiled().packs();
  }

  @Override
  public String ruleSet() {
    return engine.compiled().ruleSet();
  }

  @Override
  public List<MeasureDefinition> measures() {
    return engine.compiled().measures();
  }

  @Override
  public ValueSets valueSets() {
    return engine.compiled().valueSets();
  }

  @Override
  public boolean fromRuleImage() {
    return engine.compiled().fromImage();
  }

  @Override
  public void close() {
    engine.close();
  }
}
