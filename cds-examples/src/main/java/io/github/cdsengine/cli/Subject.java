package io.github.cdsengine.cli;

import io.github.cdsengine.core.DataWarning;
import io.github.cdsengine.core.EvaluationContext;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.scenario.Scenario;
import java.util.List;
import java.util.Objects;

/**
 * One patient to evaluate and where it came from.
 *
 * @param source the file (and line, for NDJSON) it was read from
 * @param record the patient's record
 * @param hookInstance the CDS Hooks request's hook instance, or {@code null} for other inputs
 * @param scenario the scenario file it came from, with its own instant, or {@code null}
 * @param warnings what the reader could not use
 */
record Subject(String source, PatientRecord record, String hookInstance, Scenario scenario,
    List<DataWarning> warnings) {

  Subject {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(record, "record");
    warnings = List.copyOf(warnings);
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
