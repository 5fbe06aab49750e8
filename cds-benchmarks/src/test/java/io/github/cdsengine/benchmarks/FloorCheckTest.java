package io.github.cdsengine.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.rules.ShippedRulePacks;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java floor the benchmarks compare against decides exactly what the shipped rules
 * decide for every benchmark patient, so a change to the pack that the floor misses fails the
 * build rather than a later benchmark run.
 */
class FloorCheckTest {

  @Test
  void thePlainJavaFloorAgreesWithTheEngineOnEveryBenchmarkPatient() {
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines()).build()) {
      FloorCheck.Coverage coverage = FloorCheck.verify(engine,
          new PlainJavaColorectalScreening(engine.valueSets()),
          SyntheticPatients.generate(ColorectalScreeningBenchmark.POOL_SIZE,
              ColorectalScreeningBenchmark.SEED, ColorectalScreeningBenchmark.CLINIC_DAY.date()),
          ColorectalScreeningBenchmark.CLINIC_DAY);
      assertThat(coverage.patients()).isEqualTo(ColorectalScreeningBenchmark.POOL_SIZE);
      assertThat(coverage.rulesSeen())
          .containsExactlyInAnyOrderElementsOf(engine.rules().stream().map(RuleInfo::name).toList());
      assertThat(coverage.outcomes().shown()).isPositive();
      assertThat(coverage.outcomes().withheld()).isPositive();
      assertThat(coverage.outcomes().upToDate()).isPositive();
    }
  }
}
