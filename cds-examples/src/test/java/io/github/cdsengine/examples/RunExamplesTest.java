package io.github.cdsengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled examples meet their own expectations and the report shows the ranking. */
class RunExamplesTest {

  static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines()).build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void everyBundledExampleMeetsItsExpectations() {
    List<Scenario> scenarios = RunExamples.bundled();
    assertThat(scenarios).hasSizeGreaterThanOrEqualTo(8);
    for (Scenario scenario : scenarios) {
      assertThat(scenario.mismatches(engine.evaluate(scenario.record(), scenario.context())))
          .as(scenario.name()).isEmpty();
    }
  }

  @Test
  void theExamplesCoverEveryRecommendationOfEveryShippedPack() {
    List<Scenario> scenarios = RunExamples.bundled();
    List<String> covered = scenarios.stream()
        .flatMap(s -> s.expect().shown().stream()).distinct().toList();
    assertThat(engine.rules()).allSatisfy(rule -> {
      if (rule.recommendationId() != null) {
        assertThat(covered).contains(rule.recommendationId());
      }
    });
  }

  @Test
  void theReportRanksAndExplains() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failed = RunExamples.run(engine, RunExamples.bundled(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(failed).isZero();
    assertThat(report)
        .contains("Rule packs: uspstf-colorectal-cancer-screening@1.1.0")
        .contains("1. warning  USPSTF:B  Colorectal cancer screening is due  [uspstf-crc-screening]")
        .contains("Because: PatientAge/never-screened-47 (47 years)")
        .contains("Withheld (suppressed): Colorectal cancer screening is due")
        .contains("Because: Condition/cond-1")
        .contains("expectations met for every patient");
  }
}
