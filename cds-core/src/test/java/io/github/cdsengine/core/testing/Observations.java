package io.github.cdsengine.core.testing;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import java.time.LocalDate;
import java.util.List;

/**
 * Observations for tests: {@code observation(id, code)}, then what the test records on it
 * ({@code .on(date).value("7.5", "%")}), then {@code build()}. Unless a test says otherwise an
 * observation is final and records nothing else.
 */
public final class Observations {

  private Observations() {}

  /** A final observation of {@code code} with nothing else recorded, to add to and build. */
  public static Builder observation(String id, CodeableConcept code) {
    return new Builder(id, code);
  }

  /** A final observation of {@code code} with nothing else recorded, to add to and build. */
  public static Builder observation(String id, Code code) {
    return observation(id, CodeableConcept.of(code));
  }

  /** What an observation records besides its id and code. */
  public static final class Builder {

    private final String id;
    private final CodeableConcept code;
    private ObservationStatus status = ObservationStatus.FINAL;
    private Period effective;
    private Quantity valueQuantity;
    private CodeableConcept valueConcept;
    private Boolean valueBoolean;
    private String valueString;
    private ObservationValueType valueType;
    private List<ObservationComponent> components = List.of();
    private CodeableConcept category;
    private String encounter;
    private CodeableConcept interpretation;

    private Builder(String id, CodeableConcept code) {
      this.id = id;
      this.code = code;
    }

    /** With this status instead of final. */
    public Builder status(ObservationStatus status) {
      this.status = status;
      return this;
    }

    /** True of the patient over {@code effective}; null: not recorded. */
    public Builder effective(Period effective) {
      this.effective = effective;
      return this;
    }

    /** True of the patient on {@code date}. */
    public Builder on(LocalDate date) {
      return effective(Period.at(ClinicalTime.of(date)));
    }

    /** True of the patient at {@code time}, as FHIR writes it ({@code 2025-03-01}). */
    public Builder on(String time) {
      return effective(Period.at(time));
    }

    /** With a quantity value; null: none. */
    public Builder value(Quantity value) {
      this.valueQuantity = value;
      return this;
    }

    /** With a quantity value, {@code value} (a decimal) in {@code unit}; null value: none. */
    public Builder value(String value, String unit) {
      return value(value == null ? null : Quantity.of(value, unit));
    }

    /** With a coded value; null: none. */
    public Builder value(CodeableConcept value) {
      this.valueConcept = value;
      return this;
    }

    /** With a coded value of one code. */
    public Builder value(Code value) {
      return value(CodeableConcept.of(value));
    }

    /** With a boolean value; null: none. */
    public Builder value(Boolean value) {
      this.valueBoolean = value;
      return this;
    }

    /** With a text value; null: none. */
    public Builder text(String value) {
      this.valueString = value;
      return this;
    }

    /** Whose value, as recorded, is of this type. */
    public Builder valueType(ObservationValueType type) {
      this.valueType = type;
      return this;
    }

    /** With these components. */
    public Builder components(ObservationComponent... components) {
      this.components = List.of(components);
      return this;
    }

    /** In this category; null: not recorded. */
    public Builder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /** In the FHIR observation category {@code code} ({@code laboratory}); null: not recorded. */
    public Builder category(String code) {
      return category(code == null ? null
          : CodeableConcept.of(Code.of(Observation.CATEGORY_SYSTEM, code)));
    }

    /** Made during the encounter with this id. */
    public Builder encounter(String encounter) {
      this.encounter = encounter;
      return this;
    }

    /** With this interpretation; null: not recorded. */
    public Builder interpretation(CodeableConcept interpretation) {
      this.interpretation = interpretation;
      return this;
    }

    /** With an interpretation of one code; null: not recorded. */
    public Builder interpretation(Code interpretation) {
      return interpretation(interpretation == null ? null : CodeableConcept.of(interpretation));
    }

    /** The observation. */
    public Observation build() {
      return new Observation(id, status, code, effective, valueQuantity, valueConcept,
          valueBoolean, components, category, encounter, valueString, valueType, interpretation);
    }
  }
}
