package io.github.cdsengine.core.fhir;

import java.util.Objects;

/**
 * One patient of a Bulk Data export, with every resource that names it and the shared resources
 * they refer to: read into a record, or not, with the reason.
 *
 * @param patientId the patient's id
 * @param source the file and line of its Patient resource
 * @param data what was read: one patient's record, skipped types and warnings; {@code null}
 *     when the patient could not be read
 * @param error why the patient could not be read (naming the source and JSON path), or
 *     {@code null} when it was read
 * @param lines how many lines of the export are this patient's own (its Patient and the
 *     resources naming it), shared resources joined in not counted
 */
public record BulkPatient(String patientId, String source, FhirData data, String error,
    int lines) {

  /**
   * Checks that exactly one of {@code data} and {@code error} is given.
   *
   * @param patientId the patient's id
   * @param source the file and line of its Patient resource
   * @param data what was read, or null
   * @param error why it could not be read, or null
   * @param lines how many lines are the patient's own
   * @throws NullPointerException if {@code patientId} or {@code source} is null
   * @throws IllegalArgumentException unless exactly one of {@code data} and {@code error} is
   *     given, or if {@code lines} is below 1
   */
  public BulkPatient {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(source, "source");
    if ((data == null) == (error == null)) {
      throw new IllegalArgumentException("a patient is either read or not, with a reason: "
          + "data " + (data == null ? "null" : "given") + ", error " + error);
    }
    if (lines < 1) {
      throw new IllegalArgumentException("a patient has at least its Patient line: " + lines);
    }
  }

  /**
   * Whether the patient was read.
   *
   * @return true when {@link #data()} holds its record
   */
  public boolean read() {
    return data != null;
  }
}
