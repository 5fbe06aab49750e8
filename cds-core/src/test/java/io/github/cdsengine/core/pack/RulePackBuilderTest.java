package io.github.cdsengine.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.evaluation.SettingDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RulePack.builder(): empty contents by default, each part set, and the pack's own checks. */
class RulePackBuilderTest {

  private static final MeasureDefinition MEASURE = new MeasureDefinition("TEST1", "Test",
      "1.0.0", "https://example.org/Measure/Test", 1, MeasureDefinition.Improvement.INCREASE);
  private static final SettingDefinition SETTING = new SettingDefinition("check", true,
      "A check", "Test Publisher");
  private static final ServiceDefinition SERVICE = new ServiceDefinition("svc", "patient-view",
      "A service", "What it offers", List.of("rec-1"));

  @Test
  void aPackWithNothingSetHasEmptyContents() {
    assertThat(RulePack.builder("p", "1", "Pack").build())
        .isEqualTo(new RulePack("p", "1", "Pack", List.of(), List.of()))
        .isEqualTo(new RulePack("p", "1", "Pack", List.of(), List.of(), List.of(), Map.of(),
            List.of(), List.of(), List.of(), PackFiles.none(), false));
  }

  @Test
  void eachPartSetLandsInItsComponent() {
    RulePack pack = RulePack.builder("p", "1", "Pack").measures(List.of(MEASURE))
        .valueSetNames(Map.of("Colonoscopy", "https://example.org/ValueSet/c"))
        .services(List.of(SERVICE)).settings(List.of(SETTING))
        .helperPackages(List.of("org.example.helpers")).build();

    assertThat(pack).isEqualTo(new RulePack("p", "1", "Pack", List.of(), List.of(),
        List.of(MEASURE), Map.of("Colonoscopy", "https://example.org/ValueSet/c"),
        List.of(SERVICE), List.of(SETTING), List.of("org.example.helpers"), PackFiles.none(),
        false));
  }

  @Test
  void buildChecksAsTheConstructorDoes() {
    assertThatNullPointerException().isThrownBy(() -> RulePack.builder(null, "1", "t").build());
    assertThatIllegalArgumentException().isThrownBy(() -> RulePack.builder("p", "1", "t")
            .settings(List.of(SETTING, SETTING)).build())
        .withMessage("pack 'p' declares the setting 'check' twice");
    assertThatIllegalArgumentException().isThrownBy(() -> RulePack.builder("p", "1", "t")
            .helperPackages(List.of("org.drools.core")).build())
        .withMessageContaining("reserved");
  }
}
