package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.policy.RulePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped packs keep to the same rule policy as rule sets loaded from outside the jars. */
class ShippedPacksRulePolicyTest {

  @Test
  void everyShippedPackPassesTheRulePolicy() {
    List<RulePack> packs = ShippedRulePacks.all();
    assertThat(packs).isNotEmpty();
    for (RulePack pack : packs) {
      assertThat(RulePolicy.check(pack.rules())).as(pack.id()).isEmpty();
    }
  }

  @Test
  void allShippedPacksTogetherPassTheRulePolicy() {
    // Packs share declared types across files of one package, so check them as one rule set.
    List<RuleFile> files = new ArrayList<>();
    ShippedRulePacks.all().forEach(pack -> pack.rules().stream()
        .filter(file -> !files.contains(file)).forEach(files::add));
    assertThat(files).hasSizeGreaterThanOrEqualTo(14);
    assertThat(RulePolicy.check(files)).isEmpty();
  }
}
