package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.terminology.ValueSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rule set is compiled from.
 *
 * @param files the DRL files, packs' and loose ones
 * @param valueSets every value set loaded, packs' and the host's
 * @param valueSetNames names rules use for value sets, each bound to a URL
 * @param measures the quality measures the packs declare
 * @param loadProblems problems already found while loading, reported with the build's own
 * @param helperPackages for each file of a pack, the helper packages the pack declares; a file
 *     added on its own has none
 */
public record RuleSources(List<RuleFile> files, List<ValueSet> valueSets,
    Map<String, NameBinding> valueSetNames, List<MeasureDefinition> measures,
    List<RuleProblem> loadProblems, Map<RuleFile, Set<String>> helperPackages) {

  public RuleSources {
    files = List.copyOf(files);
    helperPackages = Map.copyOf(helperPackages);
    valueSets = List.copyOf(valueSets);
    valueSetNames = Map.copyOf(valueSetNames);
    measures = List.copyOf(measures);
    loadProblems = List.copyOf(loadProblems);
  }
}
