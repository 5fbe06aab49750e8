package io.github.cdsengine.core.model;

import java.util.List;

/**
 * An order or prescription for a medication.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the order's status
 * @param intent what the order is meant to be
 * @param medication the medication ordered: the order's own code (FHIR {@code
 *     medicationCodeableConcept}), or the code of the {@code Medication} resource it references,
 *     as CQMCommon's {@code getMedicationCode()} resolves it; see {@link
 *     #medicationCodeableConcept()} for the code alone
 * @param authoredOn when it was written, or {@code null}
 * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
 *     "not done"): the patient must not get it
 * @param dispenseRequest how it may be dispensed, or {@code null}
 * @param dosage its dosage instructions; may be empty
 * @param category where the medication is meant to be taken (FHIR {@code
 *     MedicationRequest.category}: inpatient, outpatient, community, discharge), every coding of
 *     every category merged, or {@code null} when not recorded
 * @param product the form and ingredient strengths of the {@code Medication} resource the order
 *     references ({@code medicationReference}, contained or in the input), or {@code null} when
 *     the order names its medication by code only
 * @param recorder who wrote the order, as FHIR {@code recorder.reference} gives it (e.g.
 *     {@code Practitioner/123}), or {@code null} when not recorded
 * @param reasonCode why it was ordered, or, for an order not to do it, why not (FHIR {@code
 *     reasonCode}, every coding of every reason merged), or {@code null} when not recorded
 */
public record MedicationRequest(
    String id,
    RequestStatus status,
    RequestIntent intent,
    CodeableConcept medication,
    ClinicalTime authoredOn,
    boolean doNotPerform,
    DispenseRequest dispenseRequest,
    List<Dosage> dosage,
    CodeableConcept category,
    Medication product,
    String recorder,
    CodeableConcept reasonCode)
    implements ClinicalFact {

  /**
   * Checks id, status, intent and medication.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param medication the medication ordered: the order's own code (FHIR {@code
   *     medicationCodeableConcept}), or the code of the {@code Medication} resource it references,
   *     as CQMCommon's {@code getMedicationCode()} resolves it; see {@link
   *     #medicationCodeableConcept()} for the code alone
   * @param authoredOn when it was written, or {@code null}
   * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
   *     "not done"): the patient must not get it
   * @param dispenseRequest how it may be dispensed, or {@code null}
   * @param dosage its dosage instructions; may be empty
   * @param category where the medication is meant to be taken (FHIR {@code
   *     MedicationRequest.category}: inpatient, outpatient, community, discharge), every coding of
   *     every category merged, or {@code null} when not recorded
   * @param product the form and ingredient strengths of the {@code Medication} resource the order
   *     references ({@code medicationReference}, contained or in the input), or {@code null} when
   *     the order names its medication by code only
   * @param recorder who wrote the order, as FHIR {@code recorder.reference} gives it (e.g. {@code
   *     Practitioner/123}), or {@code null} when not recorded
   * @param reasonCode why it was ordered, or, for an order not to do it, why not, every coding
   *     merged, or {@code null} when not recorded
   * @throws NullPointerException if any of them is null
   */
  public MedicationRequest {
    Facts.requireId(id, "MedicationRequest");
    Facts.require(status, "MedicationRequest", id, "status");
    Facts.require(intent, "MedicationRequest", id, "intent");
    Facts.require(medication, "MedicationRequest", id, "medication");
    dosage = dosage == null ? List.of() : List.copyOf(dosage);
  }

  /**
   * Starts an order with nothing recorded besides its id, status, intent and medication: an
   * order to do it ({@code doNotPerform} false), with no authoring time, dispense request, dosage,
   * category, {@code Medication} resource or recorder.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param medication the medication ordered; see {@link MedicationRequest#medication()}
   * @return a builder holding only these four; {@link Builder#build()} checks them
   */
  public static Builder builder(String id, RequestStatus status, RequestIntent intent,
      CodeableConcept medication) {
    return new Builder(id, status, intent, medication);
  }

  /**
   * An order recorded without dispense or dosage details.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param medication the medication ordered: the order's own code (FHIR {@code
   *     medicationCodeableConcept}), or the code of the {@code Medication} resource it references,
   *     as CQMCommon's {@code getMedicationCode()} resolves it; see {@link
   *     #medicationCodeableConcept()} for the code alone
   * @param authoredOn when it was written, or {@code null}
   * @param doNotPerform whether this is an order NOT to do it (FHIR {@code doNotPerform}, QI-Core's
   *     "not done"): the patient must not get it
   */
  public MedicationRequest(String id, RequestStatus status, RequestIntent intent,
      CodeableConcept medication, ClinicalTime authoredOn, boolean doNotPerform) {
    this(id, status, intent, medication, authoredOn, doNotPerform, null, List.of(), null, null,
        null, null);
  }

  /**
   * An order to do it ({@code doNotPerform} false).
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the order's status
   * @param intent what the order is meant to be
   * @param medication the medication ordered: the order's own code (FHIR {@code
   *     medicationCodeableConcept}), or the code of the {@code Medication} resource it references,
   *     as CQMCommon's {@code getMedicationCode()} resolves it; see {@link
   *     #medicationCodeableConcept()} for the code alone
   * @param authoredOn when it was written, or {@code null}
   */
  public MedicationRequest(String id, RequestStatus status, RequestIntent intent, CodeableConcept medication,
      ClinicalTime authoredOn) {
    this(id, status, intent, medication, authoredOn, false);
  }

  /**
   * The medication as the order codes it itself (FHIR {@code medicationCodeableConcept}), or
   * {@code null} when the order names it through a {@code Medication} resource ({@link #product}
   * is then set). This is what a measure's retrieve {@code [MedicationRequest: medication in
   * "X"]} matches where its compiled logic does not resolve references; {@link #medication}
   * matches as a retrieve the translator joins with {@code [Medication]} does.
   *
   * @return the order's own coding of the medication, or {@code null} when it names a {@code
   *     Medication} resource
   */
  public CodeableConcept medicationCodeableConcept() {
    return product == null ? medication : null;
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
    return "MedicationRequest[patient data not shown]";
  }

  /**
   * Collects what an order records besides its id, status, intent and medication; each
   * component not set stays {@code null} ({@code doNotPerform}: false, dosage: empty). Not
   * thread-safe.
   */
  public static final class Builder {
    private final String id;
    private final RequestStatus status;
    private final RequestIntent intent;
    private final CodeableConcept medication;
    private ClinicalTime authoredOn;
    private boolean doNotPerform;
    private DispenseRequest dispenseRequest;
    private List<Dosage> dosage = List.of();
    private CodeableConcept category;
    private Medication product;
    private String recorder;
    private CodeableConcept reasonCode;

    private Builder(String id, RequestStatus status, RequestIntent intent,
        CodeableConcept medication) {
      this.id = id;
      this.status = status;
      this.intent = intent;
      this.medication = medication;
    }

    /**
     * Sets when the order was written.
     *
     * @param authoredOn the time, or {@code null} when not recorded
     * @return this builder
     */
    public Builder authoredOn(ClinicalTime authoredOn) {
      this.authoredOn = authoredOn;
      return this;
    }

    /**
     * Sets whether this is an order NOT to do it (FHIR {@code doNotPerform}).
     *
     * @param doNotPerform true when the patient must not get the medication
     * @return this builder
     */
    public Builder doNotPerform(boolean doNotPerform) {
      this.doNotPerform = doNotPerform;
      return this;
    }

    /**
     * Sets how the medication may be dispensed.
     *
     * @param dispenseRequest the dispense request, or {@code null} when not recorded
     * @return this builder
     */
    public Builder dispenseRequest(DispenseRequest dispenseRequest) {
      this.dispenseRequest = dispenseRequest;
      return this;
    }

    /**
     * Sets the dosage instructions.
     *
     * @param dosage the instructions; {@code null} or empty when none are recorded
     * @return this builder
     */
    public Builder dosage(List<Dosage> dosage) {
      this.dosage = dosage;
      return this;
    }

    /**
     * Sets where the medication is meant to be taken (FHIR {@code MedicationRequest.category}).
     *
     * @param category every coding of every category merged, or {@code null} when not recorded
     * @return this builder
     */
    public Builder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /**
     * Sets the {@code Medication} resource the order references.
     *
     * @param product its form and ingredient strengths, or {@code null} when the order names its
     *     medication by code only
     * @return this builder
     */
    public Builder product(Medication product) {
      this.product = product;
      return this;
    }

    /**
     * Sets who wrote the order.
     *
     * @param recorder the reference as FHIR {@code recorder.reference} gives it (e.g. {@code
     *     Practitioner/123}), or {@code null} when not recorded
     * @return this builder
     */
    public Builder recorder(String recorder) {
      this.recorder = recorder;
      return this;
    }

    /**
     * Sets why it was ordered, or, for an order not to do it, why not (FHIR {@code reasonCode}).
     *
     * @param reasonCode every coding of every reason merged, or {@code null} when not recorded
     * @return this builder
     */
    public Builder reasonCode(CodeableConcept reasonCode) {
      this.reasonCode = reasonCode;
      return this;
    }

    /**
     * The order, checked as the canonical constructor checks it.
     *
     * @return a new order with what this builder holds
     * @throws NullPointerException if id, status, intent or medication is null
     */
    public MedicationRequest build() {
      return new MedicationRequest(id, status, intent, medication, authoredOn, doNotPerform,
          dispenseRequest, dosage, category, product, recorder, reasonCode);
    }
  }
}
