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
 * <p>For a measure whose populations are counted by episode (its population basis is a resource,
 * such as CMS22's Encounter), a criterion names the episode it holds for, e.g. the encounter's
 * id; the hierarchy is then applied to each episode, and a criterion with no episode holds for
 * every episode of the group.
 *
 * @param measure the measure's id, e.g. {@code CMS130}
 * @param group the population group, from 1
 * @param population the population whose criteria the patient meets
 * @param episode the episode the criterion holds for (for an Encounter basis the encounter's id),
 *     or {@code null} when it holds for the patient
 */
public record PopulationCriterion(String measure, int group, Population population,
    String episode) {

  /**
   * Checks the fields.
   *
   * @param measure the measure's id, e.g. {@code CMS130}
   * @param group the population group, from 1
   * @param population the population whose criteria the patient meets
   * @param episode the episode the criterion holds for, or {@code null} for the patient
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

  /**
   * A criterion the patient meets, not tied to an episode.
   *
   * @param measure the measure's id, e.g. {@code CMS130}
   * @param group the population group, from 1
   * @param population the population whose criteria the patient meets
   * @throws NullPointerException if measure or population is null
   * @throws IllegalArgumentException if group is less than 1
   */
  public PopulationCriterion(String measure, int group, Population population) {
    this(measure, group, population, null);
  }

  /**
   * Names the measure, group and population only: an episode is the id of a patient's record,
   * and the rule engine logs the facts it holds through {@code toString()}.
   */
  @Override
  public String toString() {
    return "PopulationCriterion[" + measure + " group " + group + " " + population
        + (episode == null ? "" : " for an episode") + "]";
  }
}
