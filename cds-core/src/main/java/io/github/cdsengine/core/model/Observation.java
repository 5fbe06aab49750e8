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
    CodeableConcept interpretation)
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
   * An observation whose value type is the one of the value field that is set. (A {@code null}
   * last argument is ambiguous with the constructor that takes a value type: pass both, to the
   * canonical constructor, or neither.)
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
   * @param interpretation how the laboratory interpreted the result (FHIR {@code
   *     Observation.interpretation}, e.g. HL7 v3 ObservationInterpretation {@code POS}), every
   *     coding of every interpretation merged, or {@code null} when not recorded
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components, CodeableConcept category, String encounter,
      String valueString, CodeableConcept interpretation) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        category, encounter, valueString, null, interpretation);
  }

  /**
   * An observation with no interpretation recorded.
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
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components, CodeableConcept category, String encounter,
      String valueString, ObservationValueType valueType) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        category, encounter, valueString, valueType, null);
  }

  /**
   * An observation with no interpretation recorded, whose value type is the one of the value
   * field that is set.
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
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components, CodeableConcept category, String encounter,
      String valueString) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        category, encounter, valueString, null, null);
  }

  /**
   * An observation whose value, if any, is not text.
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
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components, CodeableConcept category, String encounter) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        category, encounter, null);
  }

  /**
   * An observation with no encounter recorded.
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
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components, CodeableConcept category) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        category, null);
  }

  /**
   * An observation with no category recorded.
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
   */
  public Observation(String id, ObservationStatus status, CodeableConcept code, Period effective,
      Quantity valueQuantity, CodeableConcept valueConcept, Boolean valueBoolean,
      List<ObservationComponent> components) {
    this(id, status, code, effective, valueQuantity, valueConcept, valueBoolean, components,
        null);
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
}
