package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.DeviceRequest;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;

/**
 * The status filters quality measures apply before they look at a fact, as the QI-Core measure
 * library "Status" (version 1.8.000, used by the CMS 2025 eCQMs) defines them: which encounters
 * count as performed, which observations as a laboratory result, which requests as an order.
 * Rules call them in constraints: {@code Encounter(QiCoreStatus.encounterPerformed(this), ...)}.
 */
public final class QiCoreStatus {

  private QiCoreStatus() {}

  /**
   * An encounter that took place or is taking place: finished, arrived, triaged, in progress or on
   * leave.
   *
   * @param encounter the encounter to test, usually {@code this} in a constraint; never null
   * @return true when the measure counts it as performed
   */
  public static boolean encounterPerformed(Encounter encounter) {
    EncounterStatus status = encounter.status();
    return status == EncounterStatus.FINISHED || status == EncounterStatus.ARRIVED
        || status == EncounterStatus.TRIAGED || status == EncounterStatus.IN_PROGRESS
        || status == EncounterStatus.ONLEAVE;
  }

  /**
   * A procedure or intervention done: completed.
   *
   * @param procedure the procedure to test; never null
   * @return true when its status is {@code completed}
   */
  public static boolean procedurePerformed(Procedure procedure) {
    return procedure.status() == EventStatus.COMPLETED;
  }

  /**
   * A final, amended or corrected observation of any category (a diagnostic study).
   *
   * @param observation the observation to test; never null
   * @return true when its status is {@code final}, {@code amended} or {@code corrected}
   */
  public static boolean diagnosticStudyPerformed(Observation observation) {
    return observation.isResult();
  }

  /**
   * A final, amended or corrected observation in the {@code laboratory} category.
   *
   * @param observation the observation to test; never null
   * @return true when it has a result status and the {@code laboratory} category
   */
  public static boolean laboratoryTestPerformed(Observation observation) {
    return observation.isResult() && observation.inCategory("laboratory");
  }

  /**
   * A final, amended or corrected observation in the {@code survey} category (an assessment).
   *
   * @param observation the observation to test; never null
   * @return true when it has a result status and the {@code survey} category
   */
  public static boolean assessmentPerformed(Observation observation) {
    return observation.isResult() && observation.inCategory("survey");
  }

  /**
   * A final, amended or corrected observation in the {@code exam} category.
   *
   * @param observation the observation to test; never null
   * @return true when it has a result status and the {@code exam} category
   */
  public static boolean physicalExamPerformed(Observation observation) {
    return observation.isResult() && observation.inCategory("exam");
  }

  /**
   * A final, amended or corrected observation of any category (vital signs such as blood pressure).
   *
   * @param observation the observation to test; never null
   * @return true when its status is {@code final}, {@code amended} or {@code corrected}
   */
  public static boolean vitalSignPerformed(Observation observation) {
    return observation.isResult();
  }

  /**
   * A preliminary, final, amended or corrected observation (a symptom).
   *
   * @param observation the observation to test; never null
   * @return true when its status is {@code preliminary}, {@code final}, {@code amended} or {@code
   *     corrected}
   */
  public static boolean symptom(Observation observation) {
    return observation.status() == ObservationStatus.PRELIMINARY || observation.isResult();
  }

  /**
   * An active or completed service request whose intent is exactly {@code order}.
   *
   * @param request the service request to test; never null
   * @return true when the measure counts it as an order
   */
  public static boolean serviceOrder(ServiceRequest request) {
    return (request.status() == RequestStatus.ACTIVE || request.status() == RequestStatus.COMPLETED)
        && request.intent() == RequestIntent.ORDER;
  }

  /**
   * An active or completed device request whose intent is exactly {@code order}.
   *
   * @param request the device request to test; never null
   * @return true when the measure counts it as an order
   */
  public static boolean deviceOrder(DeviceRequest request) {
    return (request.status() == RequestStatus.ACTIVE || request.status() == RequestStatus.COMPLETED)
        && request.intent() == RequestIntent.ORDER;
  }

  /**
   * An active medication request whose intent is exactly {@code order}.
   *
   * @param request the medication order to test; never null
   * @return true when its status is {@code active} and its intent {@code order}
   */
  public static boolean medicationActive(MedicationRequest request) {
    return request.status() == RequestStatus.ACTIVE && request.intent() == RequestIntent.ORDER;
  }

  /**
   * An active or completed medication request whose intent is exactly {@code order}.
   *
   * @param request the medication order to test; never null
   * @return true when the measure counts it as an order
   */
  public static boolean medicationOrder(MedicationRequest request) {
    return (request.status() == RequestStatus.ACTIVE || request.status() == RequestStatus.COMPLETED)
        && request.intent() == RequestIntent.ORDER;
  }

  /**
   * A completed immunization.
   *
   * @param immunization the immunization to test; never null
   * @return true when its status is {@code completed}
   */
  public static boolean immunizationAdministered(Immunization immunization) {
    return immunization.status() == EventStatus.COMPLETED;
  }
}
