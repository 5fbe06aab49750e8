package io.github.cdsengine.core.model;

import java.util.List;

/**
 * A medication supplied to the patient by a pharmacy: a dispensing event (FHIR {@code
 * MedicationDispense}).
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the dispense's status; only a {@code completed} dispense was handed over
 * @param medication the medication dispensed: its {@code medicationCodeableConcept}, or the code
 *     of the {@code Medication} resource its {@code medicationReference} names
 * @param whenPrepared when it was packaged and reviewed, or {@code null} when not recorded
 * @param whenHandedOver when it was given to the patient or their representative, or {@code null}
 *     when not recorded
 * @param quantity the amount dispensed, or {@code null}; a bare count has the unit {@code 1}
 *     (units of the product)
 * @param daysSupply the days the amount is meant to last, with the unit as recorded (UCUM
 *     {@code d}), or {@code null}
 * @param category where the medication is meant to be taken (FHIR {@code
 *     MedicationDispense.category}: inpatient, outpatient, community, discharge), or {@code null}
 *     when not recorded
 * @param product the form and ingredient strengths of the {@code Medication} resource the
 *     dispense references, or {@code null} when it names its medication by code only
 * @param authorizingPrescriptions the orders the dispense fills, as FHIR {@code
 *     authorizingPrescription.reference} gives each (e.g. {@code MedicationRequest/123}); may be
 *     empty
 */
public record MedicationDispense(
    String id,
    MedicationDispenseStatus status,
    CodeableConcept medication,
    ClinicalTime whenPrepared,
    ClinicalTime whenHandedOver,
    Quantity quantity,
    Quantity daysSupply,
    CodeableConcept category,
    Medication product,
    List<String> authorizingPrescriptions)
    implements ClinicalFact {

  /**
   * Checks id, status and medication.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the dispense's status; only a {@code completed} dispense was handed over
   * @param medication the medication dispensed: its {@code medicationCodeableConcept}, or the code
   *     of the {@code Medication} resource its {@code medicationReference} names
   * @param whenPrepared when it was packaged and reviewed, or {@code null} when not recorded
   * @param whenHandedOver when it was given to the patient or their representative, or {@code null}
   *     when not recorded
   * @param quantity the amount dispensed, or {@code null}; a bare count has the unit {@code 1}
   *     (units of the product)
   * @param daysSupply the days the amount is meant to last, with the unit as recorded (UCUM {@code
   *     d}), or {@code null}
   * @param category where the medication is meant to be taken (FHIR {@code
   *     MedicationDispense.category}: inpatient, outpatient, community, discharge), or {@code null}
   *     when not recorded
   * @param product the form and ingredient strengths of the {@code Medication} resource the
   *     dispense references, or {@code null} when it names its medication by code only
   * @param authorizingPrescriptions the orders the dispense fills, as FHIR {@code
   *     authorizingPrescription.reference} gives each (e.g. {@code MedicationRequest/123}); may be
   *     empty
   * @throws NullPointerException if any of them is null
   */
  public MedicationDispense {
    Facts.requireId(id, "MedicationDispense");
    Facts.require(status, "MedicationDispense", id, "status");
    Facts.require(medication, "MedicationDispense", id, "medication");
    authorizingPrescriptions = authorizingPrescriptions == null ? List.of()
        : List.copyOf(authorizingPrescriptions);
  }

  /**
   * A dispense recorded with its status, medication and hand-over time only.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the dispense's status; only a {@code completed} dispense was handed over
   * @param medication the medication dispensed: its {@code medicationCodeableConcept}, or the code
   *     of the {@code Medication} resource its {@code medicationReference} names
   * @param whenHandedOver when it was given to the patient or their representative, or {@code null}
   *     when not recorded
   */
  public MedicationDispense(String id, MedicationDispenseStatus status,
      CodeableConcept medication, ClinicalTime whenHandedOver) {
    this(id, status, medication, null, whenHandedOver, null, null, null, null, List.of());
  }

  /**
   * Whether the medication was handed over: the status is {@code completed}.
   *
   * @return true when the status is {@code completed}
   */
  public boolean isCompleted() {
    return status == MedicationDispenseStatus.COMPLETED;
  }

  @Override
  public boolean enteredInError() {
    return status == MedicationDispenseStatus.ENTERED_IN_ERROR;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "MedicationDispense[patient data not shown]";
  }
}
