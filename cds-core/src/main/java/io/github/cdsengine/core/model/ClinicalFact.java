package io.github.cdsengine.core.model;

/**
 * A fact from the patient's record, identified by its resource type and id.
 *
 * <p>Rationale entries in results refer to facts by these two values.
 */
public sealed interface ClinicalFact
    permits Patient, Condition, Observation, MedicationRequest, Procedure, Immunization,
        Encounter, AllergyIntolerance, ServiceRequest, DeviceRequest, CarePlan,
        MedicationDispense, AdverseEvent {

  /**
   * The fact's id, unique among facts of its resource type in one patient record.
   *
   * @return the id from the source, e.g. the FHIR resource's {@code id}; never null
   */
  String id();

  /**
   * The FHIR resource type this fact corresponds to, e.g. {@code Procedure}.
   *
   * @return the resource type as FHIR names it; derived from the class name unless overridden
   */
  default String resourceType() {
    return getClass().getSimpleName();
  }

  /**
   * Whether the source marked this fact as recorded in error. Such facts are kept in the record
   * for audit but are never shown to rules.
   *
   * @return true when the fact's status is {@code entered-in-error}; false for a fact type that
   *     has no such status
   */
  default boolean enteredInError() {
    return false;
  }
}
