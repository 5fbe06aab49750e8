package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.policy.RulePolicy;
import io.github.cdsengine.core.problem.RuleProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped packs keep to the same rule policy as rule sets loaded from outside the jars. */
class ShippedPacksRulePolicyTest {

  @Test
  void everyShippedPackPassesTheRulePolicy() {
    List<RulePack> packs = ShippedRulePacks.all();
    assertThat(packs).isNotEmpty();
    for (RulePack pack : packs) {
      assertThat(RulePolicy.check(pack.rules(), helperPackages(List.of(pack)))).as(pack.id())
          .isEmpty();
    }
  }

  @Test
  void everyShippedRuleStartsWithAFactPatternSoSessionsAreClearedByDeletingFacts() {
    // A rule on the session's initial tuple would make the engine reset sessions fully, which
    // costs more for large rule sets; the shipped packs keep the cheaper deletion of facts.
    for (RulePack pack : ShippedRulePacks.all()) {
      assertThat(RulePolicy.rulesOnTheInitialTuple(pack.rules())).as(pack.id()).isEmpty();
    }
  }

  @Test
  void allShippedPacksTogetherPassTheRulePolicy() {
    // Packs share declared types across files of one package, so check them as one rule set.
    List<RuleFile> files = new ArrayList<>();
    ShippedRulePacks.all().forEach(pack -> pack.rules().stream()
        .filter(file -> !files.contains(file)).forEach(files::add));
    assertThat(files).hasSizeGreaterThanOrEqualTo(14);
    assertThat(RulePolicy.check(files, helperPackages(ShippedRulePacks.all()))).isEmpty();
  }

  @Test
  void theOpioidPacksHelpersAreAllowedToItsOwnRulesOnly() {
    RulePack opioids = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    assertThat(opioids.helperPackages())
        .containsExactly("io.github.cdsengine.rules.cdc.opioids2016");
    // The same files added on their own, without the pack's manifest, call what they may not.
    assertThat(RulePolicy.check(opioids.rules())).extracting(RuleProblem::message)
        .contains("import io.github.cdsengine.rules.cdc.opioids2016.* is refused: it is not on "
            + "the allow-list (the fact model and helpers, java.time, collections, math and "
            + "strings)");
  }

  /** Each file of {@code packs} with the helper packages of the packs that hold it. */
  static Map<RuleFile, Set<String>> helperPackages(List<RulePack> packs) {
    Map<RuleFile, Set<String>> helpers = new HashMap<>();
    packs.forEach(pack -> pack.rules().forEach(file -> helpers
        .computeIfAbsent(file, f -> new HashSet<>()).addAll(pack.helperPackages())));
    return helpers;
  }
}
