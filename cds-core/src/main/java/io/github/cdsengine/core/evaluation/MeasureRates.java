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
 * exceptions), as the measures' specifications define it. Not thread-safe: give each thread its
 * own and {@linkplain #add(MeasureRates) add} them up.
 */
public final class MeasureRates {

  /** Counts for one group of one measure. */
  public record Rate(String measure, int group, MeasureDefinition.Improvement improvement,
      Map<Population, Integer> counts, int careGaps) {

    /** Copies the counts. */
    public Rate {
      Objects.requireNonNull(measure, "measure");
      Objects.requireNonNull(improvement, "improvement");
      counts = Map.copyOf(counts);
    }

    /** The number of patients in {@code population}. */
    public int count(Population population) {
      return counts.getOrDefault(population, 0);
    }

    /**
     * numerator / (denominator − exclusions − exceptions), or empty when that is zero. For an
     * inverse measure a lower rate is better.
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

  /** Adds one patient's measure results. */
  public MeasureRates add(EvaluationResult result) {
    Objects.requireNonNull(result, "result");
    patients++;
    for (MeasureResult measure : result.measures()) {
      Tally tally = tallies.computeIfAbsent(key(measure.measure(), measure.group()),
          k -> new Tally(measure.improvement()));
      for (Population population : measure.populations()) {
        tally.counts.merge(population, 1, Integer::sum);
      }
      if (measure.careGap()) {
        tally.careGaps++;
      }
    }
    return this;
  }

  /** Adds the counts of {@code other}, such as another thread's. */
  public MeasureRates add(MeasureRates other) {
    patients += other.patients;
    other.tallies.forEach((key, theirs) -> {
      Tally ours = tallies.computeIfAbsent(key, k -> new Tally(theirs.improvement));
      theirs.counts.forEach((population, n) -> ours.counts.merge(population, n, Integer::sum));
      ours.careGaps += theirs.careGaps;
    });
    return this;
  }

  /** How many evaluation results were added. */
  public long patients() {
    return patients;
  }

  /** The counts of every measure group seen, by measure id then group. */
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
