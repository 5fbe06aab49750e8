package io.github.cdsengine.core.testing;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.VerificationStatus;
import java.time.LocalDate;
import java.util.List;

/**
 * Test patients and facts, shared by the modules' tests: short constructors, and builders for
 * orders and observations ({@code order(id, medication)}, {@code observation(id, code)}), to
 * which a test adds what it records before {@code build()}.
 */
public final class Facts {

  /** LOINC 4548-4, Hemoglobin A1c/Hemoglobin.total in Blood. */
  public static final Code HBA1C = Code.of(CodeSystems.LOINC, "4548-4");
  /** LOINC 85354-9, Blood pressure panel with all children optional. */
  public static final Code BLOOD_PRESSURE_PANEL = Code.of(CodeSystems.LOINC, "85354-9");
  /** LOINC 8480-6, Systolic blood pressure. */
  public static final Code SYSTOLIC = Code.of(CodeSystems.LOINC, "8480-6");
  /** LOINC 8462-4, Diastolic blood pressure. */
  public static final Code DIASTOLIC = Code.of(CodeSystems.LOINC, "8462-4");

  private Facts() {}

  /** A patient with this id and birth date. */
  public static Patient patient(String id, LocalDate birthDate) {
    return new Patient(id, birthDate, AdministrativeGender.FEMALE);
  }

  /** A completed procedure on a date. */
  public static Procedure procedure(String id, Code code, LocalDate performed) {
    return procedure(id, code, EventStatus.COMPLETED, performed);
  }

  /** A procedure with a status on a date. */
  public static Procedure procedure(String id, Code code, EventStatus status, LocalDate performed) {
    return new Procedure(id, status, CodeableConcept.of(code),
        Period.at(ClinicalTime.of(performed)));
  }

  /** A final observation on a date with a coded value, SNOMED CT "Negative". */
  public static Observation result(String id, Code code, LocalDate effective) {
    return observation(id, code).on(effective)
        .value(Code.of(CodeSystems.SNOMED_CT, "260385009")).build();
  }

  /** An active, confirmed condition. */
  public static Condition condition(String id, Code code) {
    return condition(id, code, VerificationStatus.CONFIRMED);
  }

  /** An active condition with a verification status. */
  public static Condition condition(String id, Code code, VerificationStatus verification) {
    return Condition.builder(id, CodeableConcept.of(code))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).verificationStatus(verification).build();
  }

  /** An active order of {@code medication} with nothing else recorded, to add to and build. */
  public static OrderBuilder order(String id, CodeableConcept medication) {
    return new OrderBuilder(id, medication);
  }

  /** An active order of {@code medication} with nothing else recorded, to add to and build. */
  public static OrderBuilder order(String id, Code medication) {
    return order(id, CodeableConcept.of(medication));
  }

  /**
   * A dispense request with no validity period: {@code quantity} units (unit {@code "1"}) for an
   * expected supply of {@code duration} {@code unit}, and {@code refills} repeats; a null part is
   * not recorded.
   */
  public static DispenseRequest supply(String quantity, String duration, String unit,
      Integer refills) {
    return new DispenseRequest(null, refills, quantity == null ? null : Quantity.of(quantity, "1"),
        duration == null ? null : Quantity.of(duration, unit));
  }

  /** A final observation of {@code code} with nothing else recorded, to add to and build. */
  public static ObservationBuilder observation(String id, CodeableConcept code) {
    return new ObservationBuilder(id, code);
  }

  /** A final observation of {@code code} with nothing else recorded, to add to and build. */
  public static ObservationBuilder observation(String id, Code code) {
    return observation(id, CodeableConcept.of(code));
  }

  /** What an order records besides its id, status (active), intent (order) and medication. */
  public static final class OrderBuilder {

    private final String id;
    private final CodeableConcept medication;
    private ClinicalTime authoredOn;
    private DispenseRequest dispense;
    private List<Dosage> dosage = List.of();
    private CodeableConcept category;
    private Medication product;
    private RequestStatus status = RequestStatus.ACTIVE;

    private OrderBuilder(String id, CodeableConcept medication) {
      this.id = id;
      this.medication = medication;
    }

    /** Written at {@code time}, as FHIR writes it ({@code 2025-03-01}); null: not recorded. */
    public OrderBuilder authoredOn(String time) {
      this.authoredOn = time == null ? null : ClinicalTime.parse(time);
      return this;
    }

    /** Written on {@code date}. */
    public OrderBuilder authoredOn(LocalDate date) {
      this.authoredOn = ClinicalTime.of(date);
      return this;
    }

    /** With this dispense request; null: not recorded. */
    public OrderBuilder dispense(DispenseRequest dispense) {
      this.dispense = dispense;
      return this;
    }

    /** With these dosage instructions. */
    public OrderBuilder dosage(Dosage... dosage) {
      this.dosage = List.of(dosage);
      return this;
    }

    /** In this category; null: not recorded. */
    public OrderBuilder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /** Naming its medication through a Medication resource, {@code product}; null: not. */
    public OrderBuilder product(Medication product) {
      this.product = product;
      return this;
    }

    /** With this status instead of active. */
    public OrderBuilder status(RequestStatus status) {
      this.status = status;
      return this;
    }

    /** The order. */
    public MedicationRequest build() {
      return MedicationRequest.builder(id, status, RequestIntent.ORDER, medication)
          .authoredOn(authoredOn).dispenseRequest(dispense).dosage(dosage).category(category)
          .product(product).build();
    }
  }

  /** What an observation records besides its id and code. */
  public static final class ObservationBuilder {

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

    private ObservationBuilder(String id, CodeableConcept code) {
      this.id = id;
      this.code = code;
    }

    /** With this status instead of final. */
    public ObservationBuilder status(ObservationStatus status) {
      this.status = status;
      return this;
    }

    /** True of the patient over {@code effective}; null: not recorded. */
    public ObservationBuilder effective(Period effective) {
      this.effective = effective;
      return this;
    }

    /** True of the patient on {@code date}. */
    public ObservationBuilder on(LocalDate date) {
      return effective(Period.at(ClinicalTime.of(date)));
    }

    /** True of the patient at {@code time}, as FHIR writes it ({@code 2025-03-01}). */
    public ObservationBuilder on(String time) {
      return effective(Period.at(time));
    }

    /** With a quantity value; null: none. */
    public ObservationBuilder value(Quantity value) {
      this.valueQuantity = value;
      return this;
    }

    /** With a quantity value, {@code value} (a decimal) in {@code unit}; null value: none. */
    public ObservationBuilder value(String value, String unit) {
      return value(value == null ? null : Quantity.of(value, unit));
    }

    /** With a coded value; null: none. */
    public ObservationBuilder value(CodeableConcept value) {
      this.valueConcept = value;
      return this;
    }

    /** With a coded value of one code. */
    public ObservationBuilder value(Code value) {
      return value(CodeableConcept.of(value));
    }

    /** With a boolean value; null: none. */
    public ObservationBuilder value(Boolean value) {
      this.valueBoolean = value;
      return this;
    }

    /** With a text value; null: none. */
    public ObservationBuilder text(String value) {
      this.valueString = value;
      return this;
    }

    /** Whose value, as recorded, is of this type. */
    public ObservationBuilder valueType(ObservationValueType type) {
      this.valueType = type;
      return this;
    }

    /** With these components. */
    public ObservationBuilder components(ObservationComponent... components) {
      this.components = List.of(components);
      return this;
    }

    /** In the FHIR observation category {@code code} ({@code laboratory}); null: not recorded. */
    public ObservationBuilder category(String code) {
      this.category = code == null ? null
          : CodeableConcept.of(Code.of(Observation.CATEGORY_SYSTEM, code));
      return this;
    }

    /** Made during the encounter with this id. */
    public ObservationBuilder encounter(String encounter) {
      this.encounter = encounter;
      return this;
    }

    /** With an interpretation of one code; null: not recorded. */
    public ObservationBuilder interpretation(Code interpretation) {
      this.interpretation = interpretation == null ? null : CodeableConcept.of(interpretation);
      return this;
    }

    /** The observation. */
    public Observation build() {
      return Observation.builder(id, status, code).effective(effective)
          .valueQuantity(valueQuantity).valueConcept(valueConcept).valueBoolean(valueBoolean)
          .valueString(valueString).valueType(valueType).components(components)
          .category(category).encounter(encounter).interpretation(interpretation).build();
    }
  }
}
