package io.github.cdsengine.core.evaluation;

import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.rule.PopulationCriterion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>A measure counted by episode (criteria that name an episode, see {@link
 * PopulationCriterion#episode()}) applies the hierarchy to each episode and counts the episodes
 * in each population ({@link #episodes()}); the patient then counts in a population when some
 * episode does, and has a care gap when some episode has one.
 *
 * @param measure the measure's id, e.g. {@code CMS130}
 * @param group the population group, from 1
 * @param improvement whether a higher or a lower rate is better
 * @param populations the populations the patient counts in, in {@link Population} order
 * @param episodes for a measure counted by episode, the number of episodes in each population
 *     the patient counts in; empty for a measure counted by patient
 */
public record MeasureResult(String measure, int group, MeasureDefinition.Improvement improvement,
    List<Population> populations, Map<Population, Integer> episodes) {

  /**
   * Copies the list and the map.
   *
   * @param measure the measure's id, e.g. {@code CMS130}; never null
   * @param group the population group, from 1
   * @param improvement whether a higher or a lower rate is better; never null
   * @param populations the populations the patient counts in, in {@link Population} order; copied,
   *     empty when the patient is not in the initial population
   * @param episodes the number of episodes in each population, empty for a measure counted by
   *     patient; copied
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if an episode count is not positive, or is given for a
   *     population not in {@code populations}
   */
  public MeasureResult {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(improvement, "improvement");
    populations = List.copyOf(populations);
    episodes = Map.copyOf(episodes);
    for (Map.Entry<Population, Integer> entry : episodes.entrySet()) {
      if (entry.getValue() < 1 || !populations.contains(entry.getKey())) {
        throw new IllegalArgumentException("episode count " + entry.getValue() + " for "
            + entry.getKey() + " with populations " + populations);
      }
    }
  }

  /**
   * A result counted by patient.
   *
   * @param measure the measure's id, e.g. {@code CMS130}; never null
   * @param group the population group, from 1
   * @param improvement whether a higher or a lower rate is better; never null
   * @param populations the populations the patient counts in, in {@link Population} order
   * @throws NullPointerException if a field is null
   */
  public MeasureResult(String measure, int group, MeasureDefinition.Improvement improvement,
      List<Population> populations) {
    this(measure, group, improvement, populations, Map.of());
  }

  /**
   * The result for one group of {@code measure} from the population criteria the patient met
   * (criteria of other measures and groups are ignored), with the measure hierarchy applied.
   *
   * @param measure the measure whose result this is
   * @param group the population group, from 1
   * @param criteria the population criteria the rules asserted for this patient, for any measure
   * @return the populations the patient counts in: a criterion counts only when the population
   *     above it in the hierarchy was met, and numerator and exception only when not excluded;
   *     per episode when a criterion names one
   */
  public static MeasureResult of(MeasureDefinition measure, int group,
      Collection<PopulationCriterion> criteria) {
    Set<Population> patient = EnumSet.noneOf(Population.class);
    Map<String, Set<Population>> byEpisode = new LinkedHashMap<>();
    for (PopulationCriterion criterion : criteria) {
      if (criterion.measure().equals(measure.id()) && criterion.group() == group) {
        if (criterion.episode() == null) {
          patient.add(criterion.population());
        } else {
          byEpisode.computeIfAbsent(criterion.episode(), e -> EnumSet.noneOf(Population.class))
              .add(criterion.population());
        }
      }
    }
    if (byEpisode.isEmpty()) {
      return new MeasureResult(measure.id(), group, measure.improvement(), counted(patient));
    }
    Map<Population, Integer> episodes = new EnumMap<>(Population.class);
    for (Set<Population> met : byEpisode.values()) {
      met.addAll(patient);
      counted(met).forEach(p -> episodes.merge(p, 1, Integer::sum));
    }
    return new MeasureResult(measure.id(), group, measure.improvement(),
        List.copyOf(episodes.keySet()), episodes);
  }

  /** The populations counted from those met, with the measure hierarchy applied. */
  private static List<Population> counted(Set<Population> met) {
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
    return counted;
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
   * The patient's count in {@code population}, as in an individual MeasureReport: 1 or 0, or for
   * a measure counted by episode the number of the patient's episodes in it.
   *
   * @param population the population asked about
   * @return the episodes in it, or for a measure counted by patient 1 when the patient counts in
   *     it, otherwise 0
   */
  public int count(Population population) {
    if (!episodes.isEmpty()) {
      return episodes.getOrDefault(population, 0);
    }
    return in(population) ? 1 : 0;
  }

  /**
   * Whether the patient has a care gap: for a measure where a higher rate is better, in the
   * denominator and neither excluded, excepted, nor in the numerator; for an inverse measure, in
   * the numerator. Counted by episode: some episode has one.
   *
   * @return true when the patient has a care gap for this measure group
   */
  public boolean careGap() {
    if (improvement == MeasureDefinition.Improvement.DECREASE) {
      return in(Population.NUMERATOR);
    }
    // Within the denominator, exclusion, numerator and exception are exclusive per episode (the
    // hierarchy puts an episode in one of them at most), so an episode is left over exactly when
    // the denominator counts more than the three.
    return count(Population.DENOMINATOR) > count(Population.DENOMINATOR_EXCLUSION)
        + count(Population.DENOMINATOR_EXCEPTION) + count(Population.NUMERATOR);
  }
}
