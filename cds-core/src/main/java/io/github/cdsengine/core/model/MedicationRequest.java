package io.github.cdsengine.core.model;

/**
 * An order or prescription for a medication.
 *
 * @param id the fact's id
 * @param status the order's status
 * @param intent what the order is meant to be
 * @param medication the medication ordered
 * @param authoredOn when it was written, or {@code null}
 */
public record MedicationRequest(
    String id,
    RequestStatus status,
    RequestIntent intent,
    CodeableConcept medication,
    ClinicalTime authoredOn)
    implements ClinicalFact {

  /**
   * Checks id, status, intent and medication.
   *
   * @throws NullPointerException if any of them is null
   */
  public MedicationRequest {
    Facts.requireId(id, "MedicationRequest");
    Facts.require(status, "MedicationRequest", id, "status");
    Facts.require(intent, "MedicationRequest", id, "intent");
    Facts.require(medication, "MedicationRequest", id, "medication");
  }

  @Override
  public boolean enteredInError() {
    return status == RequestStatus.ENTERED_IN_ERROR;
  }
}
