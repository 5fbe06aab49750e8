package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.drl.DrlScanner;
import io.github.cdsengine.core.drl.DrlTokens;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.terminology.ValueSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one way a rule pack names value sets: by a name its manifest binds in {@code
 * valueSetNames} to the value set's canonical URL ({@code "Colonoscopy":
 * "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.108.12.1020"}), whether the
 * value set ships in the pack or is loaded by the host. A pack's rule file that names a value set
 * its pack does not bind, or that writes a loaded value set's id where a name belongs (also as an
 * argument of a helper), is a problem at its file and line.
 *
 * <p>Names are global to an engine: two packs may bind one name only to one URL (the builder
 * reports a conflict). Rule files added on their own, outside packs, may also name a value set by
 * its id.
 */
public final class PackValueSetNames {

  private PackValueSetNames() {}

  /**
   * The problems of {@code pack}'s rule files' value-set names.
   *
   * @param pack the pack
   * @param loaded every value set the engine loads, the pack's and the host's
   * @return the problems, in file and line order; empty when every name is bound
   */
  public static List<RuleProblem> check(RulePack pack, Collection<ValueSet> loaded) {
    Set<String> bound = pack.valueSetNames().keySet();
    Set<String> ids = new HashSet<>();
    loaded.forEach(valueSet -> ids.add(valueSet.id()));
    pack.valueSets().forEach(valueSet -> ids.add(valueSet.id()));
    ids.removeAll(bound);
    List<RuleProblem> problems = new ArrayList<>();
    for (RuleFile file : pack.rules()) {
      Set<Integer> reported = new HashSet<>();
      for (DrlScanner.Reference reference
          : DrlScanner.scan(file.name(), file.content()).references().valueSets()) {
        if (!bound.contains(reference.value())) {
          reported.add(reference.line());
          problems.add(new RuleProblem(file.name(), reference.line(), "value set '"
              + reference.value() + "' is not a name pack '" + pack.id() + "' binds; a pack "
              + "names each value set its rules use in valueSetNames (name -> canonical URL)"));
        }
      }
      for (DrlTokens.Token token : DrlTokens.of(file.withoutComments())) {
        if (token.kind() != DrlTokens.Kind.STRING || token.text().length() < 2
            || !token.text().startsWith("\"") || reported.contains(token.line())) {
          continue;
        }
        String literal = token.text().substring(1, token.text().length() - 1);
        if (ids.contains(literal)) {
          problems.add(new RuleProblem(file.name(), token.line(), "\"" + literal
              + "\" is the id of a loaded value set; pack '" + pack.id() + "' names value sets "
              + "only by the names it binds in valueSetNames"));
        }
      }
    }
    return problems;
  }
}
