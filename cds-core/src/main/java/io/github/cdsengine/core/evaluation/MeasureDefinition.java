package io.github.cdsengine.core.evaluation;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A proportion quality measure that rules compute populations for, as a rule pack declares it.
 *
 * <p>In a pack manifest:
 *
 * <pre>{@code
 * "measures": [{"id": "CMS130", "title": "Colorectal Cancer Screening", "version": "0.3.000",
 *               "url": "https://madie.cms.gov/Measure/ColonCancerScreeningFHIR",
 *               "groups": 1, "improvement": "increase"}]
 * }</pre>
 *
 * @param id the measure's id, as rules name it in {@code PopulationCriterion}
 * @param title the measure's title
 * @param version the measure's version
 * @param url the measure's canonical URL
 * @param groups how many population groups it has, numbered from 1
 * @param improvement whether a higher or a lower rate is better
 */
public record MeasureDefinition(String id, String title, String version, String url, int groups,
    Improvement improvement) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Whether a higher rate is better (most measures) or a lower one (inverse measures). */
  public enum Improvement {
    /** A higher rate is better: the numerator is the goal met. */
    INCREASE,
    /** A lower rate is better (an inverse measure): the numerator is the goal failed. */
    DECREASE
  }

  /**
   * Checks the fields.
   *
   * @param id the measure's id as rules name it in {@code PopulationCriterion}: letters, digits,
   *     {@code .}, {@code _} or {@code -}, e.g. {@code CMS130}
   * @param title the measure's title; never null
   * @param version the measure's version; never null
   * @param url the measure's canonical URL; never null
   * @param groups how many population groups it has, numbered from 1; at least 1
   * @param improvement whether a higher or a lower rate is better; never null
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the id is not a plain token or groups is less than 1
   */
  public MeasureDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(improvement, "improvement");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("measure id '" + id
          + "' must be letters, digits, '.', '_' or '-', e.g. CMS130");
    }
    if (groups < 1) {
      throw new IllegalArgumentException("measure " + id + " must have at least one group");
    }
  }
}
