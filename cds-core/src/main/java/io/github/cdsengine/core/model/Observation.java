package io.github.cdsengine.core.model;

import java.util.List;

/**
 * A measurement, test result or assessment. At most one of the value fields is set, and {@code
 * valueType} says which FHIR type of value the observation carries, if any.
 *
 * @param id the fact's id, unique among facts of its resource type in one patient record
 * @param status the result status; {@code entered-in-error} and {@code cancelled} results never
 *     count as results
 * @param code what was observed
 * @param effective when it was true of the patient, or {@code null} when not recorded
 * @param valueQuantity the value when measured, or {@code null}
 * @param valueConcept the value when coded (e.g. a positive or negative finding), or {@code null}
 * @param valueBoolean the value when yes or no, or {@code null}
 * @param components the parts of a multi-part observation; empty for a single value
 * @param category the kinds of observation it is (laboratory, survey, vital-signs...), every
 *     coding of every category merged, or {@code null} when not recorded
 * @param encounter the id of the encounter it was part of (FHIR {@code Observation.encounter}),
 *     or {@code null} when not recorded; the encounter need not be in the record
 * @param valueString the value when given as text (FHIR {@code valueString}, e.g. a urine drug
 *     screen reported as {@code POS}), or {@code null}
 * @param valueType the type of the value the observation carries, or {@code null} for none; when
 *     {@code null} it is taken from the value field that is set. It may name a type whose detail
 *     no field keeps (a range, a ratio, sampled data, a time, a date-time, a period), or a
 *     quantity or coded value the FHIR reader left out (a quantity with a comparator or without a
 *     unit, a concept with neither coding nor text): the observation still has a value ({@link
 *     #hasValue()}), but no rule can compare it. A concept with text and no coding is kept in
 *     {@code valueConcept} with no codings
 * @param interpretation how the laboratory interpreted the result (FHIR {@code
 *     Observation.interpretation}, e.g. HL7 v3 ObservationInterpretation {@code POS}), every
 *     coding of every interpretation merged, or {@code null} when not recorded
 * @param issued when this version of the result was made available (FHIR {@code
 *     Observation.issued}), or {@code null} when not recorded; QI-Core's ObservationNotDone
 *     dates a measurement not taken by it
 * @param notDoneReason why the observation was not made, for one not made (status {@code
 *     cancelled}): QI-Core's {@code qicore-notDoneReason} extension, or {@code null} when not
 *     recorded
 */
public record Observation(
    String id,
    ObservationStatus status,
    CodeableConcept code,
    Period effective,
    Quantity valueQuantity,
    CodeableConcept valueConcept,
    Boolean valueBoolean,
    List<ObservationComponent> components,
    CodeableConcept category,
    String encounter,
    String valueString,
    ObservationValueType valueType,
    CodeableConcept interpretation,
    ClinicalTime issued,
    CodeableConcept notDoneReason)
    implements ClinicalFact {

  /** The FHIR observation-category code system. */
  public static final String CATEGORY_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/observation-category";

  /**
   * Checks id, status and code, that at most one value is set, and that the value type agrees
   * with it.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the result status; {@code entered-in-error} and {@code cancelled} results never
   *     count as results
   * @param code what was observed
   * @param effective when it was true of the patient, or {@code null} when not recorded
   * @param valueQuantity the value when measured, or {@code null}
   * @param valueConcept the value when coded (e.g. a positive or negative finding), or {@code null}
   * @param valueBoolean the value when yes or no, or {@code null}
   * @param components the parts of a multi-part observation; empty for a single value
   * @param category the kinds of observation it is (laboratory, survey, vital-signs...), every
   *     coding of every category merged, or {@code null} when not recorded
   * @param encounter the id of the encounter it was part of (FHIR {@code Observation.encounter}),
   *     or {@code null} when not recorded; the encounter need not be in the record
   * @param valueString the value when given as text (FHIR {@code valueString}, e.g. a urine drug
   *     screen reported as {@code POS}), or {@code null}
   * @param valueType the type of the value the observation carries, or {@code null} for none; when
   *     {@code null} it is taken from the value field that is set. It may name a type whose detail
   *     no field keeps (a range, a ratio, sampled data, a time, a date-time, a period), or a
   *     quantity or coded value the FHIR reader left out (a quantity with a comparator or without a
   *     unit, a concept with neither coding nor text): the observation still has a value ({@link
   *     #hasValue()}), but no rule can compare it. A concept with text and no coding is kept in
   *     {@code valueConcept} with no codings
   * @param interpretation how the laboratory interpreted the result (FHIR {@code
   *     Observation.interpretation}, e.g. HL7 v3 ObservationInterpretation {@code POS}), every
   *     coding of every interpretation merged, or {@code null} when not recorded
   * @param issued when this version of the result was made available (FHIR {@code
   *     Observation.issued}), or {@code null} when not recorded; QI-Core's ObservationNotDone
   *     dates a measurement not taken by it
   * @param notDoneReason why the observation was not made, for one not made (status {@code
   *     cancelled}): QI-Core's {@code qicore-notDoneReason} extension, or {@code null} when not
   *     recorded
   * @throws NullPointerException if id, status or code is null
   * @throws IllegalArgumentException if more than one value field is set, or one is set and
   *     {@code valueType} names another type
   */
  public Observation {
    Facts.requireId(id, "Observation");
    Facts.require(status, "Observation", id, "status");
    Facts.require(code, "Observation", id, "code");
    int values = (valueQuantity != null ? 1 : 0) + (valueConcept != null ? 1 : 0)
        + (valueBoolean != null ? 1 : 0) + (valueString != null ? 1 : 0);
    if (values > 1) {
      throw new IllegalArgumentException("Observation '" + id + "' has " + values
          + " values; at most one of valueQuantity, valueConcept, valueBoolean and valueString may be set");
    }
    ObservationValueType carried = valueQuantity != null ? ObservationValueType.QUANTITY
        : valueConcept != null ? ObservationValueType.CODEABLE_CONCEPT
        : valueBoolean != null ? ObservationValueType.BOOLEAN
        : valueString != null ? ObservationValueType.STRING
        : null;
    if (valueType == null) {
      valueType = carried;
    } else if (carried != null && carried != valueType
        && !(carried == ObservationValueType.QUANTITY
            && valueType == ObservationValueType.INTEGER)) {
      throw new IllegalArgumentException("Observation '" + id + "' has a " + carried.element()
          + " but its value type is " + valueType.code());
    }
    components = components == null ? List.of() : List.copyOf(components);
  }

  /**
   * Starts an observation of {@code code} with nothing else recorded: no effective time, value,
   * components, category, encounter or interpretation.
   *
   * @param id the fact's id, unique among facts of its resource type in one patient record
   * @param status the result status; {@code entered-in-error} and {@code cancelled} results never
   *     count as results
   * @param code what was observed
   * @return a builder holding only these three; {@link Builder#build()} checks them
   */
  public static Builder builder(String id, ObservationStatus status, CodeableConcept code) {
    return new Builder(id, status, code);
  }

  /**
   * Whether a category has {@code code} in the FHIR observation-category code system, e.g.
   * {@code laboratory}, {@code survey}, {@code exam}, {@code vital-signs}.
   *
   * @param code a code of {@link #CATEGORY_SYSTEM}, e.g. {@code laboratory}; case matters
   * @return true when a category coding has that system and code; false when no category is
   *     recorded
   */
  public boolean inCategory(String code) {
    return category != null && category.codings().stream()
        .anyMatch(c -> c.system().equals(CATEGORY_SYSTEM) && c.code().equals(code));
  }

  @Override
  public boolean enteredInError() {
    return status == ObservationStatus.ENTERED_IN_ERROR;
  }

  /**
   * The value as a quantity, as the measures' CQL reads it with {@code value as Quantity}: the
   * quantity of a {@code valueQuantity}, or {@code null} for a value of any other type. An
   * integer ({@code valueInteger}) is kept in {@link #valueQuantity()} with the unit {@code 1},
   * but it is not a quantity here: CQL's {@code As Quantity} of an Integer is null, so an integer
   * is never above or below a threshold with a unit (CMS122 "Has Most Recent Elevated Glycemic
   * Status Assessment").
   *
   * @return the {@code valueQuantity} when the value type is {@code Quantity}, otherwise {@code
   *     null}
   */
  public Quantity quantity() {
    return valueType == ObservationValueType.QUANTITY ? valueQuantity : null;
  }

  /**
   * Whether the observation carries a value of any type, as the CMS measures' CQL tests {@code
   * value is not null} (CMS130 "Fecal Occult Blood Test Performed", CMS124 "Cervical Cytology
   * Within 3 Years", CMS951 "Has Kidney Panel Performed During Measurement Period"): a
   * quantity, a coded value, yes or no, text, or any other type of {@link ObservationValueType},
   * whether or not a rule can compare it.
   *
   * @return true when any value is recorded
   */
  public boolean hasValue() {
    return valueType != null;
  }

  /**
   * Whether this is a usable result: final, amended or corrected.
   *
   * @return true when the status is {@code final}, {@code amended} or {@code corrected}
   */
  public boolean isResult() {
    return status == ObservationStatus.FINAL
        || status == ObservationStatus.AMENDED
        || status == ObservationStatus.CORRECTED;
  }

  /**
   * Names the type only: the rule engine logs the facts it holds through {@code toString()}, and
   * a log must never carry patient data.
   */
  @Override
  public String toString() {
    return "Observation[patient data not shown]";
  }

  /**
   * Collects what an observation records besides its id, status and code; each component not
   * set stays {@code null} (components: empty). Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private final ObservationStatus status;
    private final CodeableConcept code;
    private Period effective;
    private Quantity valueQuantity;
    private CodeableConcept valueConcept;
    private Boolean valueBoolean;
    private List<ObservationComponent> components = List.of();
    private CodeableConcept category;
    private String encounter;
    private String valueString;
    private ObservationValueType valueType;
    private CodeableConcept interpretation;
    private ClinicalTime issued;
    private CodeableConcept notDoneReason;

    private Builder(String id, ObservationStatus status, CodeableConcept code) {
      this.id = id;
      this.status = status;
      this.code = code;
    }

    /**
     * Sets when the observation was true of the patient.
     *
     * @param effective the time or period, or {@code null} when not recorded
     * @return this builder
     */
    public Builder effective(Period effective) {
      this.effective = effective;
      return this;
    }

    /**
     * Sets the value when measured.
     *
     * @param valueQuantity the quantity, or {@code null}
     * @return this builder
     */
    public Builder valueQuantity(Quantity valueQuantity) {
      this.valueQuantity = valueQuantity;
      return this;
    }

    /**
     * Sets the value when coded (e.g. a positive or negative finding).
     *
     * @param valueConcept the coded value, or {@code null}
     * @return this builder
     */
    public Builder valueConcept(CodeableConcept valueConcept) {
      this.valueConcept = valueConcept;
      return this;
    }

    /**
     * Sets the value when yes or no.
     *
     * @param valueBoolean the value, or {@code null}
     * @return this builder
     */
    public Builder valueBoolean(Boolean valueBoolean) {
      this.valueBoolean = valueBoolean;
      return this;
    }

    /**
     * Sets the value when given as text (FHIR {@code valueString}).
     *
     * @param valueString the text, or {@code null}
     * @return this builder
     */
    public Builder valueString(String valueString) {
      this.valueString = valueString;
      return this;
    }

    /**
     * Sets the type of the value the observation carries; see {@link Observation#valueType()}.
     *
     * @param valueType the type, or {@code null} to take it from the value field that is set
     * @return this builder
     */
    public Builder valueType(ObservationValueType valueType) {
      this.valueType = valueType;
      return this;
    }

    /**
     * Sets the parts of a multi-part observation.
     *
     * @param components the parts; {@code null} or empty for a single value
     * @return this builder
     */
    public Builder components(List<ObservationComponent> components) {
      this.components = components;
      return this;
    }

    /**
     * Sets the kinds of observation it is (laboratory, survey, vital-signs...).
     *
     * @param category every coding of every category merged, or {@code null} when not recorded
     * @return this builder
     */
    public Builder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /**
     * Sets the encounter it was part of (FHIR {@code Observation.encounter}).
     *
     * @param encounter the encounter's id, or {@code null} when not recorded
     * @return this builder
     */
    public Builder encounter(String encounter) {
      this.encounter = encounter;
      return this;
    }

    /**
     * Sets how the laboratory interpreted the result (FHIR {@code Observation.interpretation}).
     *
     * @param interpretation every coding of every interpretation merged, or {@code null} when not
     *     recorded
     * @return this builder
     */
    public Builder interpretation(CodeableConcept interpretation) {
      this.interpretation = interpretation;
      return this;
    }

    /**
     * Sets when this version of the result was made available (FHIR {@code Observation.issued}).
     *
     * @param issued the instant, or {@code null} when not recorded
     * @return this builder
     */
    public Builder issued(ClinicalTime issued) {
      this.issued = issued;
      return this;
    }

    /**
     * Sets why the observation was not made (QI-Core's {@code qicore-notDoneReason} extension).
     *
     * @param notDoneReason the reason, or {@code null} when not recorded
     * @return this builder
     */
    public Builder notDoneReason(CodeableConcept notDoneReason) {
      this.notDoneReason = notDoneReason;
      return this;
    }

    /**
     * The observation, checked as the canonical constructor checks it.
     *
     * @return a new observation with what this builder holds
     * @throws NullPointerException if id, status or code is null
     * @throws IllegalArgumentException if more than one value is set, or one is set and the
     *     value type names another type
     */
    public Observation build() {
      return new Observation(id, status, code, effective, valueQuantity, valueConcept,
          valueBoolean, components, category, encounter, valueString, valueType, interpretation,
          issued, notDoneReason);
    }
  }
}
