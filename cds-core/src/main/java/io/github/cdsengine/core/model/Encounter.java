package io.github.cdsengine.core.model;

/**
 * A visit or stay.
 *
 * @param id the fact's id
 * @param status the encounter's status
 * @param encounterClass the kind of setting (ambulatory, inpatient, ...), or {@code null}
 * @param type the specific type of visit, or {@code null}
 * @param period when it took place, or {@code null}
 * @param dischargeDisposition where the patient went afterwards, or {@code null}
 */
public record Encounter(
    String id,
    EncounterStatus status,
    Code encounterClass,
    CodeableConcept type,
    Period period,
    CodeableConcept dischargeDisposition)
    implements ClinicalFact {

  /**
   * Checks id and status.
   *
   * @throws NullPointerException if id or status is null
   */
  public Encounter {
    Facts.requireId(id, "Encounter");
    Facts.require(status, "Encounter", id, "status");
  }

  @Override
  public boolean enteredInError() {
    return status == EncounterStatus.ENTERED_IN_ERROR;
  }
}
