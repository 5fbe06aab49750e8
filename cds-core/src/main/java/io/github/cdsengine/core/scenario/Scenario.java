package io.github.cdsengine.core.scenario;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A test patient with the instant to evaluate it at and the recommendations expected.
 *
 * @param name a short name for reports
 * @param description what the scenario shows, or {@code null}
 * @param at the evaluation instant
 * @param zone the evaluation time zone
 * @param measurementPeriod the measurement period, or {@code null}
 * @param record the patient record
 * @param expect what the evaluation must give; empty expectations check nothing
 * @param packs the ids of the rule packs the scenario is about; a runner skips the scenario,
 *     saying so, when one of them is not loaded. Empty: whatever packs the runner loads
 * @param draftOrders the orders of the record being written now, as {@code Type/id} (a CDS
 *     Hooks request's draft orders); empty for a chart with nothing being ordered
 */
public record Scenario(String name, String description, Instant at, ZoneId zone,
    MeasurementPeriod measurementPeriod, PatientRecord record, Expectations expect,
    List<String> packs, List<String> draftOrders) {

  /**
   * Checks the required fields and copies the pack ids.
   *
   * @param name a short name for reports
   * @param description what the scenario shows, or {@code null}
   * @param at the evaluation instant
   * @param zone the evaluation time zone
   * @param measurementPeriod the measurement period, or {@code null}
   * @param record the patient record
   * @param expect what the evaluation must give; empty expectations check nothing
   * @param packs the ids of the rule packs the scenario is about; a runner skips the scenario,
   *     saying so, when one of them is not loaded. Empty: whatever packs the runner loads
   * @param draftOrders the orders of the record being written now, as {@code Type/id} (a CDS Hooks
   *     request's draft orders); empty for a chart with nothing being ordered
   * @throws NullPointerException if name, at, zone or record is null
   */
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(record, "record");
    expect = expect == null ? new Expectations(null, null, null, null) : expect;
    packs = packs == null ? List.of() : List.copyOf(packs);
    draftOrders = draftOrders == null ? List.of() : List.copyOf(draftOrders);
    Set<String> inRecord = new HashSet<>();
    record.facts().forEach(f -> inRecord.add(f.resourceType() + "/" + f.id()));
    for (String draft : draftOrders) {
      if (!inRecord.contains(draft)) {
        throw new IllegalArgumentException("draft order " + draft + " is not in the record");
      }
    }
  }

  /**
   * Evaluates the scenario on {@code engine}: its record with {@link #draftOrders()} marked.
   *
   * @param engine the engine to run the scenario on; never null
   * @return the engine's result for this scenario's record and context
   */
  public EvaluationResult evaluate(CdsEngine engine) {
    return engine.evaluate(withDraftOrders(record, draftOrders), context());
  }

  /**
   * {@code record} with each of {@code draftOrders} marked that it does not mark already.
   *
   * @param record the patient record; never null
   * @param draftOrders the orders to mark, each as {@code Type/id}; never null
   * @return {@code record} itself when it marks them all already, else a copy that marks them too
   */
  public static PatientRecord withDraftOrders(PatientRecord record, List<String> draftOrders) {
    List<String> unmarked = draftOrders.stream()
        .filter(draft -> !record.draftOrders().contains(draft)).toList();
    return unmarked.isEmpty() ? record : record.toBuilder().draftOrders(unmarked).build();
  }

  /**
   * The evaluation context this scenario describes.
   *
   * @return a context with the scenario's instant, zone and measurement period (or none)
   */
  public EvaluationContext context() {
    return new EvaluationContext(at, zone, measurementPeriod);
  }

  /**
   * Every way {@code result} differs from the expectations; empty when it meets them all.
   *
   * @param result the result of evaluating this scenario
   * @return one line per mismatch, saying what was expected and what happened
   */
  public List<String> mismatches(EvaluationResult result) {
    List<String> shown = result.recommendations().stream().map(Recommendation::id).toList();
    List<String> withheld = result.withheld().stream()
        .map(WithheldRecommendation::recommendation).map(Recommendation::id).toList();
    List<String> mismatches = new ArrayList<>();
    for (String id : expect.shown()) {
      if (!shown.contains(id)) {
        mismatches.add("expected '" + id + "' to be shown" + where(id, withheld));
      }
    }
    for (String id : expect.withheld()) {
      if (!withheld.contains(id)) {
        mismatches.add("expected '" + id + "' to be withheld"
            + (shown.contains(id) ? ", but it was shown" : ", but no rule proposed it"));
      }
    }
    for (String id : expect.absent()) {
      if (shown.contains(id) || withheld.contains(id)) {
        mismatches.add("expected '" + id + "' to be absent, but it was "
            + (shown.contains(id) ? "shown" : "withheld"));
      }
    }
    List<String> actualOrder = shown.stream().filter(expect.order()::contains).toList();
    if (!expect.order().isEmpty() && !actualOrder.equals(expect.order())) {
      mismatches.add("expected the order " + expect.order() + ", but it was " + actualOrder);
    }
    for (var failure : result.failures()) {
      mismatches.add("rule failed: " + failure);
    }
    return mismatches;
  }

  private static String where(String id, List<String> withheld) {
    return withheld.contains(id) ? ", but it was withheld" : ", but no rule proposed it";
  }
}
