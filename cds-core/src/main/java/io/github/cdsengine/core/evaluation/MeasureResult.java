package io.github.cdsengine.core.evaluation;

import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.rule.PopulationCriterion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One patient's populations in one group of a proportion quality measure, as a FHIR individual
 * MeasureReport counts them.
 *
 * <p>The populations follow the measure hierarchy: the denominator counts only within the initial
 * population; an exclusion only within the denominator; the numerator only within a denominator
 * that is not excluded; an exception only within a denominator that is neither excluded nor in the
 * numerator.
 *
 * <p>A {@linkplain #careGap() care gap} is what a clinician can act on: for a measure where a
 * higher rate is better, a patient in the denominator who is neither excluded, excepted nor in
 * the numerator (no mammogram on record); for an inverse measure, a patient in the numerator
 * (HbA1c above 9%, a high-risk medication ordered).
 *
 * @param measure the measure's id, e.g. {@code CMS130}
 * @param group the population group, from 1
 * @param improvement whether a higher or a lower rate is better
 * @param populations the populations the patient counts in, in {@link Population} order
 */
public record MeasureResult(String measure, int group, MeasureDefinition.Improvement improvement,
    List<Population> populations) {

  /**
   * Copies the list.
   *
   * @param measure the measure's id, e.g. {@code CMS130}; never null
   * @param group the population group, from 1
   * @param improvement whether a higher or a lower rate is better; never null
   * @param populations the populations the patient counts in, in {@link Population} order; copied,
   *     empty when the patient is not in the initial population
   * @throws NullPointerException if a field is null
   */
  public MeasureResult {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(improvement, "improvement");
    populations = List.copyOf(populations);
  }

  /**
   * The result for one group of {@code measure} from the population criteria the patient met
   * (criteria of other measures and groups are ignored), with the measure hierarchy applied.
   *
   * @param measure the measure whose result this is
   * @param group the population group, from 1
   * @param criteria the population criteria the rules asserted for this patient, for any measure
   * @return the populations the patient counts in: a criterion counts only when the population
   *     above it in the hierarchy was met, and numerator and exception only when not excluded
   */
  public static MeasureResult of(MeasureDefinition measure, int group,
      Collection<PopulationCriterion> criteria) {
    Set<Population> met = EnumSet.noneOf(Population.class);
    for (PopulationCriterion criterion : criteria) {
      if (criterion.measure().equals(measure.id()) && criterion.group() == group) {
        met.add(criterion.population());
      }
    }
    List<Population> counted = new ArrayList<>();
    if (met.contains(Population.INITIAL_POPULATION)) {
      counted.add(Population.INITIAL_POPULATION);
      if (met.contains(Population.DENOMINATOR)) {
        counted.add(Population.DENOMINATOR);
        if (met.contains(Population.DENOMINATOR_EXCLUSION)) {
          counted.add(Population.DENOMINATOR_EXCLUSION);
        } else if (met.contains(Population.NUMERATOR)) {
          counted.add(Population.NUMERATOR);
        } else if (met.contains(Population.DENOMINATOR_EXCEPTION)) {
          counted.add(Population.DENOMINATOR_EXCEPTION);
        }
      }
    }
    return new MeasureResult(measure.id(), group, measure.improvement(), counted);
  }

  /**
   * Whether the patient counts in {@code population}.
   *
   * @param population the population asked about
   * @return true when the patient counts in it
   */
  public boolean in(Population population) {
    return populations.contains(population);
  }

  /**
   * The patient's count in {@code population}: 1 or 0, as in an individual MeasureReport.
   *
   * @param population the population asked about
   * @return 1 when the patient counts in it, otherwise 0
   */
  public int count(Population population) {
    return in(population) ? 1 : 0;
  }

  /**
   * Whether the patient has a care gap: for a measure where a higher rate is better, in the
   * denominator and neither excluded, excepted, nor in the numerator; for an inverse measure, in
   * the numerator.
   *
   * @return true when the patient has a care gap for this measure group
   */
  public boolean careGap() {
    if (improvement == MeasureDefinition.Improvement.DECREASE) {
      return in(Population.NUMERATOR);
    }
    return in(Population.DENOMINATOR) && !in(Population.DENOMINATOR_EXCLUSION)
        && !in(Population.DENOMINATOR_EXCEPTION) && !in(Population.NUMERATOR);
  }
}
