package io.github.cdsengine.core.testing;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import java.time.LocalDate;
import java.util.List;

/**
 * Active medication orders for tests: {@code order(id, medication)}, then what the test records on
 * it ({@code .authoredOn(…).dispense(…).dosage(…)}), then {@code build()}.
 */
public final class Orders {

  private Orders() {}

  /** An active order of {@code medication} with nothing else recorded, to add to and build. */
  public static Builder order(String id, CodeableConcept medication) {
    return new Builder(id, medication);
  }

  /** An active order of {@code medication} with nothing else recorded, to add to and build. */
  public static Builder order(String id, Code medication) {
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

  /** What an order records besides its id, status (active), intent (order) and medication. */
  public static final class Builder {

    private final String id;
    private final CodeableConcept medication;
    private ClinicalTime authoredOn;
    private DispenseRequest dispense;
    private List<Dosage> dosage = List.of();
    private CodeableConcept category;
    private Medication product;

    private Builder(String id, CodeableConcept medication) {
      this.id = id;
      this.medication = medication;
    }

    /** Written at {@code time}, as FHIR writes it ({@code 2025-03-01}); null: not recorded. */
    public Builder authoredOn(String time) {
      this.authoredOn = time == null ? null : ClinicalTime.parse(time);
      return this;
    }

    /** Written on {@code date}. */
    public Builder authoredOn(LocalDate date) {
      this.authoredOn = ClinicalTime.of(date);
      return this;
    }

    /** With this dispense request; null: not recorded. */
    public Builder dispense(DispenseRequest dispense) {
      this.dispense = dispense;
      return this;
    }

    /** With these dosage instructions. */
    public Builder dosage(Dosage... dosage) {
      this.dosage = List.of(dosage);
      return this;
    }

    /** In this category; null: not recorded. */
    public Builder category(CodeableConcept category) {
      this.category = category;
      return this;
    }

    /** Naming its medication through a Medication resource, {@code product}; null: not. */
    public Builder product(Medication product) {
      this.product = product;
      return this;
    }

    /** The order. */
    public MedicationRequest build() {
      return new MedicationRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER, medication,
          authoredOn, false, dispense, dosage, category, product);
    }
  }
}
