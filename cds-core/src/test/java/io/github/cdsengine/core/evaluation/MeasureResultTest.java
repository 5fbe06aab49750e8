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

  private static PopulationCriterion episode(String id, Population population) {
    return new PopulationCriterion("M1", 1, population, id);
  }

  @Test
  void episodesEachGetTheHierarchyAndAreCounted() {
    // e1 in the numerator, e2 excepted, e3 excluded (its numerator does not count), e4 a gap.
    List<PopulationCriterion> criteria = List.of(
        episode("e1", INITIAL_POPULATION), episode("e1", DENOMINATOR), episode("e1", NUMERATOR),
        episode("e2", INITIAL_POPULATION), episode("e2", DENOMINATOR),
        episode("e2", DENOMINATOR_EXCEPTION),
        episode("e3", INITIAL_POPULATION), episode("e3", DENOMINATOR),
        episode("e3", DENOMINATOR_EXCLUSION), episode("e3", NUMERATOR),
        episode("e4", INITIAL_POPULATION), episode("e4", DENOMINATOR));

    MeasureResult result = MeasureResult.of(UP, 1, criteria);

    assertThat(result.count(INITIAL_POPULATION)).isEqualTo(4);
    assertThat(result.count(DENOMINATOR)).isEqualTo(4);
    assertThat(result.count(DENOMINATOR_EXCLUSION)).isEqualTo(1);
    assertThat(result.count(NUMERATOR)).isEqualTo(1);
    assertThat(result.count(DENOMINATOR_EXCEPTION)).isEqualTo(1);
    assertThat(result.populations()).containsExactly(INITIAL_POPULATION, DENOMINATOR,
        DENOMINATOR_EXCLUSION, DENOMINATOR_EXCEPTION, NUMERATOR);
    assertThat(result.careGap()).isTrue();
  }

  @Test
  void noEpisodeLeftOverIsNoCareGap() {
    List<PopulationCriterion> criteria = List.of(
        episode("e1", INITIAL_POPULATION), episode("e1", DENOMINATOR), episode("e1", NUMERATOR),
        episode("e2", INITIAL_POPULATION), episode("e2", DENOMINATOR),
        episode("e2", DENOMINATOR_EXCEPTION));

    MeasureResult result = MeasureResult.of(UP, 1, criteria);

    assertThat(result.count(DENOMINATOR)).isEqualTo(2);
    assertThat(result.careGap()).isFalse();
  }

  @Test
  void aCriterionWithoutAnEpisodeHoldsForEveryEpisode() {
    List<PopulationCriterion> criteria = List.of(
        episode("e1", INITIAL_POPULATION), episode("e1", DENOMINATOR),
        episode("e2", INITIAL_POPULATION), episode("e2", DENOMINATOR),
        new PopulationCriterion("M1", 1, DENOMINATOR_EXCLUSION));

    MeasureResult result = MeasureResult.of(UP, 1, criteria);

    assertThat(result.count(DENOMINATOR_EXCLUSION)).isEqualTo(2);
    assertThat(result.careGap()).isFalse();
  }

  @Test
  void anEpisodeOutsideTheInitialPopulationCountsNowhere() {
    MeasureResult result = MeasureResult.of(UP, 1, List.of(episode("e1", NUMERATOR)));

    assertThat(result.populations()).isEmpty();
    assertThat(result.count(NUMERATOR)).isZero();
    assertThat(result.careGap()).isFalse();
  }

  @Test
  void aPatientMeasureCountsOneAtMost() {
    MeasureResult result = result(UP, INITIAL_POPULATION, DENOMINATOR);
    assertThat(result.episodes()).isEmpty();
    assertThat(result.count(DENOMINATOR)).isEqualTo(1);
  }

  @Test
  void anEpisodeCountMustBeForACountedPopulation() {
    assertThatIllegalArgumentException().isThrownBy(() -> new MeasureResult("M1", 1,
        Improvement.INCREASE, List.of(INITIAL_POPULATION), java.util.Map.of(DENOMINATOR, 1)));
    assertThatIllegalArgumentException().isThrownBy(() -> new MeasureResult("M1", 1,
        Improvement.INCREASE, List.of(INITIAL_POPULATION),
        java.util.Map.of(INITIAL_POPULATION, 0)));
  }

  @Test
  void anEpisodeIsNotShownInTheCriterionsText() {
    assertThat(episode("enc-123", NUMERATOR).toString()).doesNotContain("enc-123")
        .contains("M1").contains("NUMERATOR");
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
