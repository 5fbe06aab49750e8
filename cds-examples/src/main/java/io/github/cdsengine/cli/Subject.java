package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.scenario.Scenario;
import java.util.List;
import java.util.Objects;

/**
 * One patient to evaluate and where it came from.
 *
 * @param source the file (and line, for NDJSON) it was read from
 * @param record the patient's record
 * @param request the CDS Hooks request it was read from, or {@code null} for other inputs
 * @param scenario the scenario file it came from, with its own instant, or {@code null}
 * @param draftOrders the orders being written now ({@code Type/id}) that the record does not
 *     mark itself: a scenario's draft orders; empty otherwise
 */
record Subject(String source, PatientRecord record, CdsHooksRequest request, Scenario scenario,
    List<String> draftOrders) {

  Subject(String source, PatientRecord record, CdsHooksRequest request, Scenario scenario) {
    this(source, record, request, scenario,
        scenario == null ? List.of() : scenario.draftOrders());
  }

  /** Evaluates this patient on {@code engine}, its draft orders marked. */
  EvaluationResult evaluate(CdsEngine engine, EvaluationContext context) {
    return engine.evaluate(markedRecord(), context);
  }

  /** The record as evaluated: its draft orders marked, a scenario's among them. */
  PatientRecord markedRecord() {
    return Scenario.withDraftOrders(record, draftOrders);
  }

  Subject {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(record, "record");
    draftOrders = List.copyOf(draftOrders);
  }

  /** The patient's id. */
  String patientId() {
    return record.patient().id();
  }

  /** The CDS Hooks request's hook instance, or {@code null} for other inputs. */
  String hookInstance() {
    return request == null ? null : request.hookInstance();
  }

  /**
   * The context to evaluate in: a scenario's own unless the user set {@code --at}, then the
   * given one.
   */
  EvaluationContext context(EvaluationContext given, boolean atGiven) {
    if (scenario == null || atGiven) {
      return given;
    }
    return scenario.context();
  }
}
