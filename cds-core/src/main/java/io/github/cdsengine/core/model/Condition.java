package io.github.cdsengine.core.model;

/**
 * A diagnosis, problem or health concern.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param code what the condition is
 * @param clinicalStatus whether it is active, or {@code null} when not recorded
 * @param verificationStatus how certain it is, or {@code null} when not recorded
 * @param onset when it began, or {@code null}
 * @param abatement when it resolved (the end of an abatement period), or {@code null} while it
 *     has not
 * @param recorded when it was first recorded, or {@code null}
 * @param category the kinds of condition it is recorded as (FHIR {@code Condition.category}, e.g.
 *     problem-list-item or encounter-diagnosis), all codings together, or {@code null}
 * @param bodySite where on the body it is (such as the side of a mastectomy), all codings of
 *     every body site together, or {@code null}
 */
public record Condition(
    String id,
    CodeableConcept code,
    ConditionClinicalStatus clinicalStatus,
    VerificationStatus verificationStatus,
    ClinicalTime onset,
    ClinicalTime abatement,
    ClinicalTime recorded,
    CodeableConcept category,
    CodeableConcept bodySite)
    implements ClinicalFact {

  /**
   * Checks id and code.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param code what the condition is
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param onset when it began, or {@code null}
   * @param abatement when it resolved (the end of an abatement period), or {@code null} while it
   *     has not
   * @param recorded when it was first recorded, or {@code null}
   * @param category the kinds of condition it is recorded as (FHIR {@code Condition.category}, e.g.
   *     problem-list-item or encounter-diagnosis), all codings together, or {@code null}
   * @param bodySite where on the body it is (such as the side of a mastectomy), all codings of
   *     every body site together, or {@code null}
   * @throws NullPointerException if id or code is null
   */
  public Condition {
    Facts.requireId(id, "Condition");
    Facts.require(code, "Condition", id, "code");
  }

  /**
   * A condition with no category recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param code what the condition is
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param onset when it began, or {@code null}
   * @param abatement when it resolved (the end of an abatement period), or {@code null} while it
   *     has not
   * @param recorded when it was first recorded, or {@code null}
   */
  public Condition(String id, CodeableConcept code, ConditionClinicalStatus clinicalStatus,
      VerificationStatus verificationStatus, ClinicalTime onset, ClinicalTime abatement,
      ClinicalTime recorded) {
    this(id, code, clinicalStatus, verificationStatus, onset, abatement, recorded, null, null);
  }

  /**
   * A condition with no body site recorded.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param code what the condition is
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param onset when it began, or {@code null}
   * @param abatement when it resolved (the end of an abatement period), or {@code null} while it
   *     has not
   * @param recorded when it was first recorded, or {@code null}
   * @param category the kinds of condition it is recorded as (FHIR {@code Condition.category}, e.g.
   *     problem-list-item or encounter-diagnosis), all codings together, or {@code null}
   */
  public Condition(String id, CodeableConcept code, ConditionClinicalStatus clinicalStatus,
      VerificationStatus verificationStatus, ClinicalTime onset, ClinicalTime abatement,
      ClinicalTime recorded, CodeableConcept category) {
    this(id, code, clinicalStatus, verificationStatus, onset, abatement, recorded, category,
        null);
  }

  @Override
  public boolean enteredInError() {
    return verificationStatus == VerificationStatus.ENTERED_IN_ERROR;
  }

  /**
   * Whether the condition counts as present: not refuted, and not resolved, inactive or in
   * remission. A condition with no clinical status counts as present, as FHIR's problem-list
   * convention reads it.
   *
   * @return true when the condition counts as present for rules
   */
  public boolean isActive() {
    if (verificationStatus == VerificationStatus.REFUTED) {
      return false;
    }
    return clinicalStatus == null
        || clinicalStatus == ConditionClinicalStatus.ACTIVE
        || clinicalStatus == ConditionClinicalStatus.RECURRENCE
        || clinicalStatus == ConditionClinicalStatus.RELAPSE;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Condition[patient data not shown]";
  }
}
