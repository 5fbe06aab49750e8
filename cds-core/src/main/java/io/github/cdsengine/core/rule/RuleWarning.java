package io.github.cdsengine.core.rule;

import java.util.Objects;

/**
 * Data a rule could not use, reported by inserting this fact: the result carries it as a
 * {@link io.github.cdsengine.core.problem.DataWarning}. For example, an order whose dose cannot be
 * converted, so that a threshold rule counts it as nothing.
 *
 * @param type the resource type of the fact concerned
 * @param id the id of the fact concerned
 * @param message what could not be used and what the rule did instead; it reaches the result
 *     only (never a log: {@link #toString()} hides it), so it may name what the clinician needs
 *     to find the record, such as its date, but should quote no more of the patient's data
 */
public record RuleWarning(String type, String id, String message) {

  /**
   * Checks the fields.
   *
   * @param type the resource type of the fact concerned
   * @param id the id of the fact concerned
   * @param message what could not be used and what the rule did instead; it reaches the result only
   *     (never a log: {@link #toString()} hides it), so it may name what the clinician needs to
   *     find the record, such as its date, but should quote no more of the patient's data
   * @throws NullPointerException if any field is null
   */
  public RuleWarning {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a resource id is the patient's data.
   */
  @Override
  public String toString() {
    return "RuleWarning[" + type + ", patient data not shown]";
  }
}
