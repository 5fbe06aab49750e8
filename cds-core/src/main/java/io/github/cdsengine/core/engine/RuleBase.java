package io.github.cdsengine.core.engine;

import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

/**
 * Drools' side of a compiled rule set, with what the build read from the rule files.
 *
 * @param container the container that owns the rule base
 * @param base the rule base sessions are made from
 * @param definitions each rule's metadata, by rule name
 * @param admission which record facts some rule could match
 * @param valueSetsGlobal whether some rule file declares the {@code valueSets} global
 * @param unitsGlobal whether some rule file declares the {@code units} global
 */
record RuleBase(KieContainer container, KieBase base, Map<String, RuleDefinition> definitions,
    FactAdmission admission, boolean valueSetsGlobal, boolean unitsGlobal) {

  RuleBase {
    definitions = Map.copyOf(definitions);
  }
}
