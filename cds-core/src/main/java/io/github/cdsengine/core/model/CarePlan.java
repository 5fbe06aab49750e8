package io.github.cdsengine.core.model;

/**
 * A plan of care, such as a pain treatment plan.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the plan's status
 * @param intent what the plan is meant to be
 * @param category the kinds of plan it is, every coding of every category merged, or {@code null}
 *     when not recorded
 * @param created when it was first written, or {@code null} when not recorded
 * @param lastUpdated when the record was last changed (FHIR {@code meta.lastUpdated}), or {@code
 *     null} when not recorded
 * @param author who is responsible for it, as FHIR {@code author.reference} gives it (e.g.
 *     {@code Practitioner/123}), or {@code null} when not recorded
 */
public record CarePlan(String id, RequestStatus status, RequestIntent intent,
    CodeableConcept category, ClinicalTime created, ClinicalTime lastUpdated, String author)
    implements ClinicalFact {

  /**
   * Checks id, status and intent.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the plan's status
   * @param intent what the plan is meant to be
   * @param category the kinds of plan it is, every coding of every category merged, or {@code null}
   *     when not recorded
   * @param created when it was first written, or {@code null} when not recorded
   * @param lastUpdated when the record was last changed (FHIR {@code meta.lastUpdated}), or {@code
   *     null} when not recorded
   * @param author who is responsible for it, as FHIR {@code author.reference} gives it (e.g. {@code
   *     Practitioner/123}), or {@code null} when not recorded
   * @throws NullPointerException if any of them is null
   */
  public CarePlan {
    Facts.requireId(id, "CarePlan");
    Facts.require(status, "CarePlan", id, "status");
    Facts.require(intent, "CarePlan", id, "intent");
  }

  @Override
  public boolean enteredInError() {
    return status == RequestStatus.ENTERED_IN_ERROR;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "CarePlan[patient data not shown]";
  }
}
