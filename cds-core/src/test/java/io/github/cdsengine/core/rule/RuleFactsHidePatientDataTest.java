package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drools logs the facts a session holds through their {@code toString()} at TRACE: the facts the
 * engine and rules insert that carry patient data name their type only (a pack's own facts are
 * checked beside the pack, such as CMS117's ChildhoodWindows).
 */
class RuleFactsHidePatientDataTest {

  static Stream<Object> factsWithPatientData() {
    return Stream.of(
        new Suppression("uspstf-crc-screening", "colectomy on 2023-01-17"),
        new Contraindication("uspstf-crc-screening", "colectomy on 2023-01-17"));
  }

  @ParameterizedTest
  @MethodSource("factsWithPatientData")
  void toStringNamesTheTypeOnly(Object fact) {
    assertThat(fact.toString())
        .isEqualTo(fact.getClass().getSimpleName() + "[patient data not shown]")
        .doesNotContain("2023");
  }
}
