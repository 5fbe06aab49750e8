package io.github.cdsengine.core.fhir;

import java.io.Serializable;
import java.util.Objects;

/**
 * Something of a Bulk Data export that was not used, for the errors output: a malformed line, a
 * resource without its patient, a patient that could not be read, a file that could not be read
 * on.
 *
 * @serial exclude
 * @param source the file and line, as {@code Condition.ndjson line 12}
 * @param kind what happened: {@code malformed}, {@code no-patient}, {@code
 *     patient-not-in-export}, {@code duplicate}, {@code patient-failed} or {@code unreadable}
 * @param message what is wrong, naming the source and, where known, the JSON path
 */
public record BulkProblem(String source, String kind, String message) implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Checks the fields.
   *
   * @param source the file and line
   * @param kind what happened
   * @param message what is wrong
   * @throws NullPointerException if any is null
   */
  public BulkProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }
}
