package io.github.cdsengine.core.model;

/**
 * An allergy or intolerance to a substance.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param clinicalStatus whether it is active, or {@code null} when not recorded
 * @param verificationStatus how certain it is, or {@code null} when not recorded
 * @param code the substance or class of substances
 * @param recorded when it was recorded, or {@code null}
 * @param onset when it began (FHIR {@code onsetDateTime}, or the start of {@code onsetPeriod}),
 *     or {@code null} when not recorded
 * @param lastOccurrence when the last known reaction occurred (FHIR {@code lastOccurrence}), or
 *     {@code null} when not recorded
 */
public record AllergyIntolerance(
    String id,
    AllergyClinicalStatus clinicalStatus,
    VerificationStatus verificationStatus,
    CodeableConcept code,
    ClinicalTime recorded,
    ClinicalTime onset,
    ClinicalTime lastOccurrence)
    implements ClinicalFact {

  /**
   * Checks id and code.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param code the substance or class of substances
   * @param recorded when it was recorded, or {@code null}
   * @param onset when it began, or {@code null} when not recorded
   * @param lastOccurrence when the last known reaction occurred, or {@code null} when not
   *     recorded
   * @throws NullPointerException if id or code is null
   */
  public AllergyIntolerance {
    Facts.requireId(id, "AllergyIntolerance");
    Facts.require(code, "AllergyIntolerance", id, "code");
  }

  /**
   * An allergy with no recorded last occurrence.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param code the substance or class of substances
   * @param recorded when it was recorded, or {@code null}
   * @param onset when it began, or {@code null} when not recorded
   * @throws NullPointerException if id or code is null
   */
  public AllergyIntolerance(String id, AllergyClinicalStatus clinicalStatus,
      VerificationStatus verificationStatus, CodeableConcept code, ClinicalTime recorded,
      ClinicalTime onset) {
    this(id, clinicalStatus, verificationStatus, code, recorded, onset, null);
  }

  /**
   * An allergy with no recorded onset or last occurrence.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param clinicalStatus whether it is active, or {@code null} when not recorded
   * @param verificationStatus how certain it is, or {@code null} when not recorded
   * @param code the substance or class of substances
   * @param recorded when it was recorded, or {@code null}
   * @throws NullPointerException if id or code is null
   */
  public AllergyIntolerance(String id, AllergyClinicalStatus clinicalStatus,
      VerificationStatus verificationStatus, CodeableConcept code, ClinicalTime recorded) {
    this(id, clinicalStatus, verificationStatus, code, recorded, null, null);
  }

  @Override
  public boolean enteredInError() {
    return verificationStatus == VerificationStatus.ENTERED_IN_ERROR;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "AllergyIntolerance[patient data not shown]";
  }
}
