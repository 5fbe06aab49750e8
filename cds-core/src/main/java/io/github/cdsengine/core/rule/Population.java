package io.github.cdsengine.core.rule;

/**
 * A population of a proportion quality measure, with its code in the FHIR measure-population
 * code system ({@code http://terminology.hl7.org/CodeSystem/measure-population}).
 */
public enum Population {
  /** The patients the measure is about: {@code initial-population}. */
  INITIAL_POPULATION("initial-population"),
  /** The initial population, or the subset of it the measure counts: {@code denominator}. */
  DENOMINATOR("denominator"),
  /** Removed from the denominator before the numerator is decided: {@code denominator-exclusion}. */
  DENOMINATOR_EXCLUSION("denominator-exclusion"),
  /** Removed from the denominator only when not in the numerator: {@code denominator-exception}. */
  DENOMINATOR_EXCEPTION("denominator-exception"),
  /** The patients who meet the measure's goal (or, for an inverse measure, fail it). */
  NUMERATOR("numerator");

  private final String code;

  Population(String code) {
    this.code = code;
  }

  /**
   * The code in the FHIR measure-population code system, e.g. {@code denominator-exclusion}.
   *
   * @return the measure-population code, lower case and hyphenated
   */
  public String code() {
    return code;
  }
}
