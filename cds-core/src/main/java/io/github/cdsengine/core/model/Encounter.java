package io.github.cdsengine.core.model;

import java.util.List;

/**
 * A visit or stay.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the encounter's status
 * @param encounterClass the kind of setting (ambulatory, inpatient, ...), or {@code null}
 * @param type the specific type of visit, or {@code null}
 * @param period when it took place, or {@code null}
 * @param dischargeDisposition where the patient went afterwards, or {@code null}
 * @param diagnoses the ids of the Conditions in the same record that are this encounter's
 *     diagnoses (FHIR {@code Encounter.diagnosis}); may be empty
 * @param participantType the roles or specialties of its participants (FHIR {@code
 *     Encounter.participant.type}), every coding of every participant merged, or {@code null}
 */
public record Encounter(
    String id,
    EncounterStatus status,
    Code encounterClass,
    CodeableConcept type,
    Period period,
    CodeableConcept dischargeDisposition,
    List<String> diagnoses,
    CodeableConcept participantType)
    implements ClinicalFact {

  /**
   * Checks id and status.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the encounter's status
   * @param encounterClass the kind of setting (ambulatory, inpatient, ...), or {@code null}
   * @param type the specific type of visit, or {@code null}
   * @param period when it took place, or {@code null}
   * @param dischargeDisposition where the patient went afterwards, or {@code null}
   * @param diagnoses the ids of the Conditions in the same record that are this encounter's
   *     diagnoses (FHIR {@code Encounter.diagnosis}); may be empty
   * @param participantType the roles or specialties of its participants (FHIR {@code
   *     Encounter.participant.type}), every coding of every participant merged, or {@code null}
   * @throws NullPointerException if id or status is null
   */
  public Encounter {
    Facts.requireId(id, "Encounter");
    Facts.require(status, "Encounter", id, "status");
    diagnoses = diagnoses == null ? List.of() : List.copyOf(diagnoses);
  }

  /**
   * An encounter with no diagnoses or participant types recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the encounter's status
   * @param encounterClass the kind of setting (ambulatory, inpatient, ...), or {@code null}
   * @param type the specific type of visit, or {@code null}
   * @param period when it took place, or {@code null}
   * @param dischargeDisposition where the patient went afterwards, or {@code null}
   */
  public Encounter(String id, EncounterStatus status, Code encounterClass, CodeableConcept type,
      Period period, CodeableConcept dischargeDisposition) {
    this(id, status, encounterClass, type, period, dischargeDisposition, List.of(), null);
  }

  @Override
  public boolean enteredInError() {
    return status == EncounterStatus.ENTERED_IN_ERROR;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Encounter[patient data not shown]";
  }
}
