package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.CdsHooksRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.scenario.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One patient to evaluate and where it came from.
 *
 * @param source the file (and line, for NDJSON) it was read from
 * @param record the patient's record
 * @param hookInstance the CDS Hooks request's hook instance, or {@code null} for other inputs
 * @param scenario the scenario file it came from, with its own instant, or {@code null}
 * @param warnings what the reader could not use
 * @param draftOrders the orders being written now ({@code Type/id}): a CDS Hooks request's or
 *     a scenario's draft orders; empty otherwise
 */
record Subject(String source, PatientRecord record, String hookInstance, Scenario scenario,
    List<DataWarning> warnings, List<String> draftOrders) {

  Subject(String source, PatientRecord record, String hookInstance, Scenario scenario,
      List<DataWarning> warnings) {
    this(source, record, hookInstance, scenario, warnings,
        scenario == null ? List.of() : scenario.draftOrders());
  }

  /**
   * Evaluates this patient on {@code engine}: with its draft orders marked when it has any (as
   * {@link CdsEngine#evaluate(CdsHooksRequest, EvaluationContext)} does), otherwise the record.
   */
  EvaluationResult evaluate(CdsEngine engine, EvaluationContext context) {
    if (draftOrders.isEmpty()) {
      return engine.evaluate(record, context);
    }
    return engine.evaluate(new CdsHooksRequest("order-sign",
        hookInstance != null ? hookInstance : source, record.patient().id(), null, null,
        List.of(), record, draftOrders, Map.of(), List.of()), context);
  }

  Subject {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(record, "record");
    warnings = List.copyOf(warnings);
    draftOrders = List.copyOf(draftOrders);
  }

  /** The patient's id. */
  String patientId() {
    return record.patient().id();
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
