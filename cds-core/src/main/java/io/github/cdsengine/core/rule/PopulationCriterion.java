package io.github.cdsengine.core.rule;

import java.util.Objects;

/**
 * Inserted by a measure rule when the patient meets the criteria of one population of one group
 * of a quality measure, exactly as the measure defines that population (its CQL definition):
 *
 * <pre>{@code
 * then
 *     insert(new PopulationCriterion("CMS130", 1, Population.NUMERATOR));
 * }</pre>
 *
 * <p>Rules state each population's own criteria; the engine applies the measure's population
 * hierarchy (a numerator counts only inside a denominator that is not excluded, and so on) when
 * it reports a {@code MeasureResult}, so a rule does not repeat it. The measure must be declared
 * by a rule pack loaded into the engine.
 *
 * @param measure the measure's id, e.g. {@code CMS130}
 * @param group the population group, from 1
 * @param population the population whose criteria the patient meets
 */
public record PopulationCriterion(String measure, int group, Population population) {

  /**
   * Checks the fields.
   *
   * @param measure the measure's id, e.g. {@code CMS130}
   * @param group the population group, from 1
   * @param population the population whose criteria the patient meets
   * @throws NullPointerException if measure or population is null
   * @throws IllegalArgumentException if group is less than 1
   */
  public PopulationCriterion {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(population, "population");
    if (group < 1) {
      throw new IllegalArgumentException("population groups are numbered from 1: " + group);
    }
  }
}
