package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drools logs the facts a session holds through their {@code toString()} at TRACE: the facts the
 * engine and rules insert that carry patient data name their type only.
 */
class RuleFactsHidePatientDataTest {

  static Stream<Object> factsWithPatientData() {
    return Stream.of(
        new ChildhoodWindows(LocalDate.of(2023, 1, 17), ZoneOffset.UTC),
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
