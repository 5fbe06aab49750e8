package io.github.cdsengine.core.model;

/**
 * An order for a device, such as a walker or a glucose monitor.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the order's status
 * @param intent what the order is meant to be
 * @param code what is ordered
 * @param authoredOn when it was written, or {@code null}
 * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
 *     "not done"): the patient must not get it
 */
public record DeviceRequest(
    String id, RequestStatus status, RequestIntent intent, CodeableConcept code,
    ClinicalTime authoredOn,
    boolean doNotPerform)
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
   * @throws NullPointerException if any of them is null
   */
  public DeviceRequest {
    Facts.requireId(id, "DeviceRequest");
    Facts.require(status, "DeviceRequest", id, "status");
    Facts.require(intent, "DeviceRequest", id, "intent");
    Facts.require(code, "DeviceRequest", id, "code");
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
  public DeviceRequest(String id, RequestStatus status, RequestIntent intent, CodeableConcept code,
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
    return "DeviceRequest[patient data not shown]";
  }
}
