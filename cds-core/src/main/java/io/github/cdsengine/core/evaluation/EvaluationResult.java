package io.github.cdsengine.core.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import io.github.cdsengine.core.problem.DataWarning;

/**
 * What one evaluation found for one patient: ranked recommendations, the ones withheld and why,
 * warnings about the data, and any rule that failed.
 *
 * @param patientId the id of the patient evaluated
 * @param instant the evaluation instant
 * @param recommendations the recommendations to show, best first (see {@link io.github.cdsengine.core.CdsEngine} for the
 *     ranking)
 * @param withheld recommendations proposed but suppressed or contraindicated, in ranking order
 * @param measures the patient's populations in every group of every quality measure the engine's
 *     packs declare, by measure id then group; empty when the context has no measurement period
 * @param warnings data the engine could not use, and what it did instead
 * @param failures rules that did not complete; when not empty the result is incomplete
 * @param elapsed how long the evaluation took
 * @param ruleSet the identity of the rule set that produced the result ({@link
 *     io.github.cdsengine.core.CdsEngine#ruleSet()}); with a {@link
 *     io.github.cdsengine.core.SwappableEngine}, says which engine answered
 */
public record EvaluationResult(
    String patientId,
    Instant instant,
    List<Recommendation> recommendations,
    List<WithheldRecommendation> withheld,
    List<MeasureResult> measures,
    List<DataWarning> warnings,
    List<RuleFailure> failures,
    Duration elapsed,
    String ruleSet) {

  /**
   * Copies the lists.
   *
   * @param patientId the id of the patient evaluated; never null
   * @param instant the evaluation instant; never null
   * @param recommendations the recommendations to show, best first; copied, never null
   * @param withheld recommendations proposed but suppressed or contraindicated, in ranking order;
   *     copied, never null
   * @param measures the patient's populations in every measure group, by measure id then group;
   *     copied, never null, empty without a measurement period
   * @param warnings data the engine could not use, and what it did instead; copied, never null
   * @param failures rules that did not complete; copied, never null, empty when the result is
   *     complete
   * @param elapsed how long the evaluation took; never null
   * @param ruleSet the identity of the rule set that produced the result; never null
   * @throws NullPointerException if any field is null
   */
  public EvaluationResult {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(instant, "instant");
    recommendations = List.copyOf(recommendations);
    withheld = List.copyOf(withheld);
    measures = List.copyOf(measures);
    warnings = List.copyOf(warnings);
    failures = List.copyOf(failures);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(ruleSet, "ruleSet");
  }

  /**
   * Whether every rule ran to completion. When false, recommendations may be missing or a
   * recommendation that a failed rule would have withheld may be shown: the host must say so.
   *
   * @return whether no rule failed
   */
  public boolean complete() {
    return failures.isEmpty();
  }

  /**
   * The shown recommendation with this id, if any.
   *
   * @param id a recommendation id
   * @return the recommendation, or empty if it is not shown
   */
  public Optional<Recommendation> recommendation(String id) {
    return recommendations.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * The result for group {@code group} of the measure {@code measureId}, if it was computed.
   *
   * @param measureId the measure's id
   * @param group the group's number
   * @return the populations, or empty if they were not computed
   */
  public Optional<MeasureResult> measure(String measureId, int group) {
    return measures.stream().filter(m -> m.measure().equals(measureId) && m.group() == group)
        .findFirst();
  }

  /**
   * The withheld recommendation with this id, if any.
   *
   * @param id a recommendation id
   * @return the withheld recommendation, or empty if it was not withheld
   */
  public Optional<WithheldRecommendation> withheld(String id) {
    return withheld.stream().filter(w -> w.recommendation().id().equals(id)).findFirst();
  }
}
