package io.github.cdsengine.core.model;

/**
 * A vaccine given, or recorded as not given.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status {@code completed}, {@code not-done} or {@code entered-in-error}
 * @param vaccineCode the vaccine
 * @param occurrence when it was given, or {@code null}
 */
public record Immunization(
    String id, EventStatus status, CodeableConcept vaccineCode, ClinicalTime occurrence)
    implements ClinicalFact {

  /**
   * Checks id, status and vaccine code.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status {@code completed}, {@code not-done} or {@code entered-in-error}
   * @param vaccineCode the vaccine
   * @param occurrence when it was given, or {@code null}
   * @throws NullPointerException if any of them is null
   */
  public Immunization {
    Facts.requireId(id, "Immunization");
    Facts.require(status, "Immunization", id, "status");
    Facts.require(vaccineCode, "Immunization", id, "vaccineCode");
  }

  @Override
  public boolean enteredInError() {
    return status == EventStatus.ENTERED_IN_ERROR;
  }

  /**
   * Whether the vaccine was given.
   *
   * @return true when the status is {@code completed}
   */
  public boolean isCompleted() {
    return status == EventStatus.COMPLETED;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Immunization[patient data not shown]";
  }
}
