package io.github.cdsengine.core.evaluation;

import io.github.cdsengine.core.rule.Population;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Population counts and performance rates of quality measures over many patients, summed from
 * their evaluation results: what a researcher reports for a population.
 *
 * <p>The performance rate of a proportion measure is numerator / (denominator − exclusions −
 * exceptions), as the measures' specifications define it. A measure counted by episode (CMS22's
 * encounters) is counted in episodes, as its rate is. Not thread-safe: give each thread its
 * own and {@linkplain #add(MeasureRates) add} them up.
 */
public final class MeasureRates {

  /**
   * Counts for one group of one measure.
   *
   * @param measure the measure's id, e.g. {@code CMS130}
   * @param group the population group, from 1
   * @param improvement whether a higher or a lower rate is better
   * @param counts the number of patients (for a measure counted by episode, of episodes) in each
   *     population; a population nobody was in may be absent
   * @param careGaps the number of patients with a care gap ({@link MeasureResult#careGap()})
   */
  public record Rate(String measure, int group, MeasureDefinition.Improvement improvement,
      Map<Population, Integer> counts, int careGaps) {

    /**
     * Copies the counts.
     *
     * @param measure the measure's id; never null
     * @param group the population group, from 1
     * @param improvement whether a higher or a lower rate is better; never null
     * @param counts the number of patients or episodes in each population; copied, never null
     * @param careGaps the number of patients with a care gap
     */
    public Rate {
      Objects.requireNonNull(measure, "measure");
      Objects.requireNonNull(improvement, "improvement");
      counts = Map.copyOf(counts);
    }

    /**
     * The number of patients (for a measure counted by episode, of episodes) in {@code
     * population}.
     *
     * @param population the population to count
     * @return the number in it, 0 when none was
     */
    public int count(Population population) {
      return counts.getOrDefault(population, 0);
    }

    /**
     * numerator / (denominator − exclusions − exceptions), or empty when that is zero. For an
     * inverse measure a lower rate is better.
     *
     * @return the rate between 0 and 1, or empty when no patient is left in the denominator
     */
    public OptionalDouble performanceRate() {
      int eligible = count(Population.DENOMINATOR) - count(Population.DENOMINATOR_EXCLUSION)
          - count(Population.DENOMINATOR_EXCEPTION);
      return eligible == 0 ? OptionalDouble.empty()
          : OptionalDouble.of((double) count(Population.NUMERATOR) / eligible);
    }
  }

  private static final class Tally {
    final MeasureDefinition.Improvement improvement;
    final Map<Population, Integer> counts = new EnumMap<>(Population.class);
    int careGaps;

    Tally(MeasureDefinition.Improvement improvement) {
      this.improvement = improvement;
    }
  }

  private final Map<String, Tally> tallies = new TreeMap<>();
  private long patients;

  /**
   * Adds one patient's measure results.
   *
   * @param result one patient's evaluation result; its measure results are counted, and the patient
   *     is counted even when it has none
   * @return this, to chain calls
   */
  public MeasureRates add(EvaluationResult result) {
    Objects.requireNonNull(result, "result");
    patients++;
    for (MeasureResult measure : result.measures()) {
      Tally tally = tallies.computeIfAbsent(key(measure.measure(), measure.group()),
          k -> new Tally(measure.improvement()));
      for (Population population : measure.populations()) {
        tally.counts.merge(population, measure.count(population), Integer::sum);
      }
      if (measure.careGap()) {
        tally.careGaps++;
      }
    }
    return this;
  }

  /**
   * Adds the counts of {@code other}, such as another thread's.
   *
   * @param other counts to add to these; it is left unchanged
   * @return this, to chain calls
   */
  public MeasureRates add(MeasureRates other) {
    patients += other.patients;
    other.tallies.forEach((key, theirs) -> {
      Tally ours = tallies.computeIfAbsent(key, k -> new Tally(theirs.improvement));
      theirs.counts.forEach((population, n) -> ours.counts.merge(population, n, Integer::sum));
      ours.careGaps += theirs.careGaps;
    });
    return this;
  }

  /**
   * How many evaluation results were added.
   *
   * @return the number of results added here and in every {@code MeasureRates} added to this one
   */
  public long patients() {
    return patients;
  }

  /**
   * The counts of every measure group seen, by measure id then group.
   *
   * @return one rate per measure group that any added result reported; unmodifiable, empty when
   *     none
   */
  public List<Rate> rates() {
    List<Rate> rates = new ArrayList<>();
    tallies.forEach((key, tally) -> {
      int bar = key.lastIndexOf('#');
      rates.add(new Rate(key.substring(0, bar), Integer.parseInt(key.substring(bar + 1)),
          tally.improvement, tally.counts, tally.careGaps));
    });
    return List.copyOf(rates);
  }

  private static String key(String measure, int group) {
    return measure + "#" + String.format("%03d", group);
  }
}
