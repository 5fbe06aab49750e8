package io.github.cdsengine.core.model;

/**
 * An adverse event the patient had, such as a reaction to a statin (FHIR {@code AdverseEvent}
 * whose {@code actuality} is {@code actual}; a potential event, a near miss, is not read).
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param event what happened ({@code AdverseEvent.event}), or {@code null} when not coded
 * @param recorded when it was recorded ({@code recordedDate}), or {@code null}
 * @param occurred when it happened ({@code date}), or {@code null}
 */
public record AdverseEvent(String id, CodeableConcept event, ClinicalTime recorded,
    ClinicalTime occurred) implements ClinicalFact {

  /**
   * Checks the id.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param event what happened ({@code AdverseEvent.event}), or {@code null} when not coded
   * @param recorded when it was recorded ({@code recordedDate}), or {@code null}
   * @param occurred when it happened ({@code date}), or {@code null}
   * @throws NullPointerException if id is null
   * @throws IllegalArgumentException if id is blank
   */
  public AdverseEvent {
    Facts.requireId(id, "AdverseEvent");
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "AdverseEvent[patient data not shown]";
  }
}
