package io.github.cdsengine.core.evaluation;

import static io.github.cdsengine.core.rule.Population.DENOMINATOR;
import static io.github.cdsengine.core.rule.Population.DENOMINATOR_EXCEPTION;
import static io.github.cdsengine.core.rule.Population.DENOMINATOR_EXCLUSION;
import static io.github.cdsengine.core.rule.Population.INITIAL_POPULATION;
import static io.github.cdsengine.core.rule.Population.NUMERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.rule.PopulationCriterion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proportion-measure hierarchy and what counts as a care gap. */
class MeasureResultTest {

  private static final MeasureDefinition UP = new MeasureDefinition("M1", "Up", "1",
      "https://example.org/Measure/Up", 2, Improvement.INCREASE);
  private static final MeasureDefinition DOWN = new MeasureDefinition("M2", "Down", "1",
      "https://example.org/Measure/Down", 1, Improvement.DECREASE);

  private static MeasureResult result(MeasureDefinition measure, Population... met) {
    List<PopulationCriterion> criteria = Arrays.stream(met)
        .map(p -> new PopulationCriterion(measure.id(), 1, p)).toList();
    return MeasureResult.of(measure, 1, criteria);
  }

  /** criteria met → populations counted, as in a FHIR individual MeasureReport. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "NUMERATOR                                    | ''",
      "DENOMINATOR NUMERATOR                        | ''",
      "INITIAL_POPULATION                           | INITIAL_POPULATION",
      "INITIAL_POPULATION DENOMINATOR               | INITIAL_POPULATION DENOMINATOR",
      "INITIAL_POPULATION DENOMINATOR NUMERATOR     | INITIAL_POPULATION DENOMINATOR NUMERATOR",
      "INITIAL_POPULATION NUMERATOR                 | INITIAL_POPULATION",
      "INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCLUSION NUMERATOR "
          + "| INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCLUSION",
      "INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCEPTION NUMERATOR "
          + "| INITIAL_POPULATION DENOMINATOR NUMERATOR",
      "INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCEPTION "
          + "| INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCEPTION",
      "INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCLUSION DENOMINATOR_EXCEPTION "
          + "| INITIAL_POPULATION DENOMINATOR DENOMINATOR_EXCLUSION",
  })
  void theHierarchyDecidesWhatCounts(String met, String counted) {
    Population[] criteria = parse(met);
    assertThat(result(UP, criteria).populations()).containsExactly(parse(counted));
  }

  @Test
  void criteriaOfOtherMeasuresAndGroupsAreIgnored() {
    List<PopulationCriterion> criteria = List.of(
        new PopulationCriterion("M1", 2, INITIAL_POPULATION),
        new PopulationCriterion("OTHER", 1, INITIAL_POPULATION));

    assertThat(MeasureResult.of(UP, 1, criteria).populations()).isEmpty();
    assertThat(MeasureResult.of(UP, 2, criteria).populations()).containsExactly(INITIAL_POPULATION);
  }

  @Test
  void aGapForAMeasureWhereHigherIsBetterIsADenominatorWithNothingElse() {
    assertThat(result(UP, INITIAL_POPULATION, DENOMINATOR).careGap()).isTrue();
    assertThat(result(UP, INITIAL_POPULATION).careGap()).isFalse();
    assertThat(result(UP, INITIAL_POPULATION, DENOMINATOR, NUMERATOR).careGap()).isFalse();
    assertThat(result(UP, INITIAL_POPULATION, DENOMINATOR, DENOMINATOR_EXCLUSION).careGap())
        .isFalse();
    assertThat(result(UP, INITIAL_POPULATION, DENOMINATOR, DENOMINATOR_EXCEPTION).careGap())
        .isFalse();
  }

  @Test
  void aGapForAnInverseMeasureIsTheNumerator() {
    assertThat(result(DOWN, INITIAL_POPULATION, DENOMINATOR, NUMERATOR).careGap()).isTrue();
    assertThat(result(DOWN, INITIAL_POPULATION, DENOMINATOR).careGap()).isFalse();
    assertThat(result(DOWN, INITIAL_POPULATION, DENOMINATOR, DENOMINATOR_EXCLUSION, NUMERATOR)
        .careGap()).isFalse();
  }

  @Test
  void countsAreOneOrZero() {
    MeasureResult result = result(UP, INITIAL_POPULATION, DENOMINATOR);
    assertThat(result.count(DENOMINATOR)).isEqualTo(1);
    assertThat(result.count(NUMERATOR)).isZero();
  }

  @Test
  void populationCodesAreTheFhirMeasurePopulationCodes() {
    assertThat(Arrays.stream(Population.values()).map(Population::code)).containsExactly(
        "initial-population", "denominator", "denominator-exclusion", "denominator-exception",
        "numerator");
  }

  @Test
  void measureIdsAndGroupsAreChecked() {
    assertThatIllegalArgumentException().isThrownBy(() -> new MeasureDefinition("CMS 130", "t",
        "1", "u", 1, Improvement.INCREASE)).withMessageContaining("'CMS 130'");
    assertThatIllegalArgumentException().isThrownBy(() -> new MeasureDefinition("CMS130", "t",
        "1", "u", 0, Improvement.INCREASE)).withMessageContaining("at least one group");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PopulationCriterion("CMS130", 0, NUMERATOR))
        .withMessageContaining("numbered from 1");
  }

  private static Population[] parse(String names) {
    return names.isBlank() ? new Population[0]
        : Arrays.stream(names.strip().split("\\s+")).map(Population::valueOf)
            .toArray(Population[]::new);
  }
}
