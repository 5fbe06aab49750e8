package io.github.cdsengine.core.model;

/**
 * An order for a service: a test, a referral, a procedure.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the order's status
 * @param intent what the order is meant to be
 * @param code what is ordered
 * @param authoredOn when it was written, or {@code null}
 * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
 *     "not done"): the patient must not get it
 * @param occurrence when the service is to happen (FHIR {@code occurrence[x]}, a date-time taken
 *     as a one-instant period), or {@code null} when not recorded
 * @param reasonCode why it is ordered (FHIR {@code reasonCode}, every coding of every reason
 *     merged), or {@code null} when not recorded
 * @param doNotPerformReason for an order not to do it, why not: QI-Core's {@code
 *     qicore-doNotPerformReason} extension (the ServiceNotRequested profile's {@code
 *     reasonRefused}), or {@code null} when not recorded
 */
public record ServiceRequest(
    String id, RequestStatus status, RequestIntent intent, CodeableConcept code,
    ClinicalTime authoredOn,
    boolean doNotPerform,
    Period occurrence,
    CodeableConcept reasonCode,
    CodeableConcept doNotPerformReason)
    implements ClinicalFact {

  /**
   * Checks id, status, intent and code.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param code what is ordered
   * @param authoredOn when it was written, or {@code null}
   * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
   *     "not done"): the patient must not get it
   * @param occurrence when the service is to happen (FHIR {@code occurrence[x]}, a date-time taken
   *     as a one-instant period), or {@code null} when not recorded
   * @param reasonCode why it is ordered (FHIR {@code reasonCode}, every coding of every reason
   *     merged), or {@code null} when not recorded
   * @param doNotPerformReason for an order not to do it, why not: QI-Core's {@code
   *     qicore-doNotPerformReason} extension (the ServiceNotRequested profile's {@code
   *     reasonRefused}), or {@code null} when not recorded
   * @throws NullPointerException if any of them is null
   */
  public ServiceRequest {
    Facts.requireId(id, "ServiceRequest");
    Facts.require(status, "ServiceRequest", id, "status");
    Facts.require(intent, "ServiceRequest", id, "intent");
    Facts.require(code, "ServiceRequest", id, "code");
  }

  /**
   * An order with no occurrence recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param code what is ordered
   * @param authoredOn when it was written, or {@code null}
   * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
   *     "not done"): the patient must not get it
   */
  public ServiceRequest(String id, RequestStatus status, RequestIntent intent, CodeableConcept code,
      ClinicalTime authoredOn, boolean doNotPerform) {
    this(id, status, intent, code, authoredOn, doNotPerform, null, null, null);
  }

  /**
   * An order to do it ({@code doNotPerform} false).
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param code what is ordered
   * @param authoredOn when it was written, or {@code null}
   */
  public ServiceRequest(String id, RequestStatus status, RequestIntent intent, CodeableConcept code,
      ClinicalTime authoredOn) {
    this(id, status, intent, code, authoredOn, false);
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
    return "ServiceRequest[patient data not shown]";
  }
}
