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
 * @param severity how severe the clinician judged it (FHIR {@code Condition.severity}, e.g.
 *     SNOMED CT's mild, moderate or severe qualifiers), or {@code null}
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
    CodeableConcept bodySite,
    CodeableConcept severity)
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
   * @param severity how severe the clinician judged it, or {@code null}
   * @throws NullPointerException if id or code is null
   */
  public Condition {
    Facts.requireId(id, "Condition");
    Facts.require(code, "Condition", id, "code");
  }

  /**
   * Starts a condition of {@code code} with nothing else recorded: no clinical or verification
   * status, onset, abatement, recorded time, category, body site or severity.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param code what the condition is
   * @return a builder holding only these two; {@link Builder#build()} checks them
   */
  public static Builder builder(String id, CodeableConcept code) {
    return new Builder(id, code);
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

  /**
   * Collects what a condition records besides its id and code; each component not set stays
   * {@code null}. Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private final CodeableConcept code;
    private ConditionClinicalStatus clinicalStatus;
    private VerificationStatus verificationStatus;
    private ClinicalTime onset;
    private ClinicalTime abatement;
    private ClinicalTime recorded;
    private CodeableConcept category;
    private CodeableConcept bodySite;
    private CodeableConcept severity;

    private Builder(String id, CodeableConcept code) {
      this.id = id;
      this.code = code;
    }

    /**
     * Sets whether the condition is active.
     *
     * @param clinicalStatus the clinical status, or {@code null} when not recorded
     * @return this builder
     */
    public Builder clinicalStatus(ConditionClinicalStatus clinicalStatus) {
      this.clinicalStatus = clinicalStatus;
      return this;
    }

    /**
     * Sets how certain the condition is.
     *
     * @param verificationStatus the verification status, or {@code null} when not recorded
     * @return this builder
     */
    public Builder verificationStatus(VerificationStatus verificationStatus) {
      this.verificationStatus = verificationStatus;
      return this;
    }

    /**
     * Sets when the condition began.
     *
     * @param onset the time, or {@code null} when not recorded
     * @return this builder
     */
    public Builder onset(ClinicalTime onset) {
      this.onset = onset;
      return this;
    }

    /**
     * Sets when the condition resolved (the end of an abatement period).
     *
     * @param abatement the time, or {@code null} while it has not
     * @return this builder
     */
    public Builder abatement(ClinicalTime abatement) {
      this.abatement = abatement;
      return this;
    }

    /**
     * Sets when the condition was first recorded.
     *
     * @param recorded the time, or {@code null} when not recorded
     * @return this builder
     */
    public Builder recorded(ClinicalTime recorded) {
      this.recorded = recorded;
      return this;
    }

    /**
     * Sets the kinds of condition it is recorded as (FHIR {@code Condition.category}).
     *
     * @param category all codings together, or {@code null} when not recorded
     * @return this builder
     */
    public Builder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /**
     * Sets where on the body the condition is.
     *
     * @param bodySite all codings of every body site together, or {@code null} when not recorded
     * @return this builder
     */
    public Builder bodySite(CodeableConcept bodySite) {
      this.bodySite = bodySite;
      return this;
    }

    /**
     * Sets how severe the clinician judged the condition (FHIR {@code Condition.severity}).
     *
     * @param severity all codings together, or {@code null} when not recorded
     * @return this builder
     */
    public Builder severity(CodeableConcept severity) {
      this.severity = severity;
      return this;
    }

    /**
     * The condition, checked as the canonical constructor checks it.
     *
     * @return a new condition with what this builder holds
     * @throws NullPointerException if id or code is null
     */
    public Condition build() {
      return new Condition(id, code, clinicalStatus, verificationStatus, onset, abatement,
          recorded, category, bodySite, severity);
    }
  }
}
