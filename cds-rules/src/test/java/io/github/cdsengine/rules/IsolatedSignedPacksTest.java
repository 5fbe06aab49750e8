package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.isolated.IsolatedEngine;
import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.TrustedKeys;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import org.junit.jupiter.api.Test;

/**
 * Isolated mode under a signature requirement: a pack given as an object is checked on the
 * host before any worker starts, a pack given by id is checked by the worker that loads it, and a
 * rule file outside packs is refused unless allowed.
 */
class IsolatedSignedPacksTest {

  private static final TrustedKeys OTHER = PackSigningKey.generate().trustedKeys();

  @Test
  void aShippedPackByIdOrAsAnObjectBuildsUnderTheShippedKey() {
    RulePack colorectal = ShippedRulePacks.byId(ShippedRulePacks.USPSTF_COLORECTAL);
    for (IsolatedEngine.Builder builder : new IsolatedEngine.Builder[] {
        IsolatedEngine.builder().addRulePack(ShippedRulePacks.USPSTF_COLORECTAL),
        IsolatedEngine.builder().addRulePack(colorectal)}) {
      try (CdsEngine engine = builder.requireSignedPacks(ShippedRulePacks.trustedKeys())
          .workers(1).build()) {
        assertThat(engine.packs()).singleElement().asString()
            .startsWith(ShippedRulePacks.USPSTF_COLORECTAL);
      }
    }
  }

  @Test
  void aPackObjectNotSignedByATrustedKeyIsRefusedOnTheHost() {
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    assertThatExceptionOfType(RuleSetException.class).isThrownBy(() -> IsolatedEngine.builder()
            .requireSignedPacks(OTHER).addRulePack(pack).workers(1).build())
        .satisfies(e -> assertThat(e.problems()).isNotEmpty()
            .allSatisfy(p -> assertThat(p.message()).isNotBlank()));
  }

  @Test
  void aPackByIdNotSignedByATrustedKeyIsRefusedByTheWorker() {
    assertThatExceptionOfType(RuleSetException.class).isThrownBy(() -> IsolatedEngine.builder()
            .requireSignedPacks(OTHER).addRulePack(ShippedRulePacks.USPSTF_COLORECTAL)
            .workers(1).build())
        .satisfies(e -> assertThat(e.problems()).isNotEmpty());
  }

  @Test
  void aLooseRuleFileIsRefusedUnlessAllowed() {
    RuleFile loose = new RuleFile("loose.drl", "package test.loose;\n");
    RuleSetException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> IsolatedEngine.builder().requireSignedPacks(ShippedRulePacks.trustedKeys())
            .addRulePack(ShippedRulePacks.USPSTF_COLORECTAL).addRules(loose).workers(1).build(),
        RuleSetException.class);
    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(RuleProblem::file).containsExactly("loose.drl");
    assertThat(e.problems()).extracting(RuleProblem::message)
        .allSatisfy(m -> assertThat(m).contains("in no signed rule pack"));
  }
}
