package io.github.cdsengine.core.model;

import java.util.List;

/**
 * A procedure performed on the patient, such as a colonoscopy.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status whether it was done; only {@code completed} procedures count as done
 * @param code what was done
 * @param performed when it was done, or {@code null} when not recorded
 * @param performers who did it, as FHIR {@code performer.actor.reference} gives each (e.g.
 *     {@code Practitioner/123}); may be empty
 * @param reasonCode why it was done (FHIR {@code reasonCode}, every coding of every reason
 *     merged), or {@code null} when not recorded
 */
public record Procedure(String id, EventStatus status, CodeableConcept code, Period performed,
    List<String> performers, CodeableConcept reasonCode)
    implements ClinicalFact {

  /**
   * Checks id, status and code.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status whether it was done; only {@code completed} procedures count as done
   * @param code what was done
   * @param performed when it was done, or {@code null} when not recorded
   * @param performers who did it, as FHIR {@code performer.actor.reference} gives each (e.g. {@code
   *     Practitioner/123}); may be empty
   * @param reasonCode why it was done (FHIR {@code reasonCode}, every coding of every reason
   *     merged), or {@code null} when not recorded
   * @throws NullPointerException if any of them is null
   */
  public Procedure {
    Facts.requireId(id, "Procedure");
    Facts.require(status, "Procedure", id, "status");
    Facts.require(code, "Procedure", id, "code");
    performers = performers == null ? List.of() : List.copyOf(performers);
  }

  /**
   * A procedure with no reason recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status whether it was done; only {@code completed} procedures count as done
   * @param code what was done
   * @param performed when it was done, or {@code null} when not recorded
   * @param performers who did it, as FHIR {@code performer.actor.reference} gives each; may be
   *     empty
   */
  public Procedure(String id, EventStatus status, CodeableConcept code, Period performed,
      List<String> performers) {
    this(id, status, code, performed, performers, null);
  }

  /**
   * A procedure with no performer recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status whether it was done; only {@code completed} procedures count as done
   * @param code what was done
   * @param performed when it was done, or {@code null} when not recorded
   */
  public Procedure(String id, EventStatus status, CodeableConcept code, Period performed) {
    this(id, status, code, performed, List.of());
  }

  @Override
  public boolean enteredInError() {
    return status == EventStatus.ENTERED_IN_ERROR;
  }

  /**
   * Whether the procedure was completed.
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
    return "Procedure[patient data not shown]";
  }
}
