package io.github.cdsengine.core.model;

import io.github.cdsengine.core.problem.DataWarning;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything known about one patient that rules may look at: the patient and their clinical facts.
 *
 * <p>Ids are unique within each resource type. Lists are copied and unmodifiable; a missing list
 * reads as empty.
 *
 * @param patient the patient
 * @param conditions diagnoses and problems
 * @param observations results, vital signs and assessments
 * @param medicationRequests medication orders
 * @param procedures procedures performed
 * @param immunizations vaccines given or not given
 * @param encounters visits and stays
 * @param allergies allergies and intolerances
 * @param serviceRequests orders for services
 * @param deviceRequests orders for devices
 * @param carePlans plans of care
 * @param medicationDispenses medications supplied by a pharmacy
 * @param adverseEvents adverse events the patient had
 * @param draftOrders the orders being written now, as {@code Type/id} of resources in the
 *     record (a CDS Hooks request's {@code context.draftOrders}); rules see each as a {@code
 *     DraftOrder} fact
 * @param warnings what the reader of the record's source could not use and what it did instead,
 *     each naming its resource; every evaluation of the record reports them first among its
 *     warnings
 */
public record PatientRecord(
    Patient patient,
    List<Condition> conditions,
    List<Observation> observations,
    List<MedicationRequest> medicationRequests,
    List<Procedure> procedures,
    List<Immunization> immunizations,
    List<Encounter> encounters,
    List<AllergyIntolerance> allergies,
    List<ServiceRequest> serviceRequests,
    List<DeviceRequest> deviceRequests,
    List<CarePlan> carePlans,
    List<MedicationDispense> medicationDispenses,
    List<AdverseEvent> adverseEvents,
    List<String> draftOrders,
    List<DataWarning> warnings) {

  /**
   * Copies the lists and checks that ids are unique within each resource type.
   *
   * @param patient the patient
   * @param conditions diagnoses and problems
   * @param observations results, vital signs and assessments
   * @param medicationRequests medication orders
   * @param procedures procedures performed
   * @param immunizations vaccines given or not given
   * @param encounters visits and stays
   * @param allergies allergies and intolerances
   * @param serviceRequests orders for services
   * @param deviceRequests orders for devices
   * @param carePlans plans of care
   * @param medicationDispenses medications supplied by a pharmacy
   * @param adverseEvents adverse events the patient had
   * @param draftOrders the orders being written now, as {@code Type/id} of resources in the record
   *     (a CDS Hooks request's {@code context.draftOrders}); rules see each as a {@code DraftOrder}
   *     fact
   * @param warnings what the reader of the record's source could not use and what it did instead,
   *     each naming its resource; every evaluation of the record reports them first among its
   *     warnings
   * @throws NullPointerException if patient or any listed fact is null
   * @throws IllegalArgumentException naming the first duplicated resource type and id, or a
   *     draft order that is not {@code Type/id}
   */
  public PatientRecord {
    Objects.requireNonNull(patient, "patient");
    conditions = copy(conditions);
    observations = copy(observations);
    medicationRequests = copy(medicationRequests);
    procedures = copy(procedures);
    immunizations = copy(immunizations);
    encounters = copy(encounters);
    allergies = copy(allergies);
    serviceRequests = copy(serviceRequests);
    deviceRequests = copy(deviceRequests);
    carePlans = copy(carePlans);
    medicationDispenses = copy(medicationDispenses);
    adverseEvents = copy(adverseEvents);
    draftOrders = copy(draftOrders);
    warnings = copy(warnings);
    for (String draft : draftOrders) {
      int slash = draft.indexOf('/');
      if (slash <= 0 || slash == draft.length() - 1 || draft.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("a draft order is named Type/id, not '" + draft + "'");
      }
    }
    Set<String> seen = new HashSet<>();
    Stream.of(conditions, observations, medicationRequests, procedures, immunizations, encounters,
            allergies, serviceRequests, deviceRequests, carePlans, medicationDispenses,
            adverseEvents)
        .flatMap(List::stream)
        .forEach(fact -> {
          if (!seen.add(fact.resourceType() + "/" + fact.id())) {
            throw new IllegalArgumentException("patient record has two " + fact.resourceType()
                + " facts with id '" + fact.id() + "'");
          }
        });
    for (Encounter encounter : encounters) {
      for (String diagnosis : encounter.diagnoses()) {
        if (!seen.contains("Condition/" + diagnosis)) {
          throw new IllegalArgumentException("Encounter '" + encounter.id()
              + "' has the diagnosis Condition '" + diagnosis + "', which is not in the record");
        }
      }
    }
  }

  private static <T> List<T> copy(List<T> facts) {
    return facts == null ? List.of() : List.copyOf(facts);
  }

  /**
   * Starts a record for {@code patient}.
   *
   * @param patient the patient the facts are about
   * @return a builder holding only the patient
   */
  public static Builder builder(Patient patient) {
    return new Builder(patient);
  }

  /**
   * Counts only: a record is the patient's data, and the rule engine and hosts may log what they
   * hold through {@code toString()}.
   */
  @Override
  public String toString() {
    return "PatientRecord[patient id not shown, " + (size() - 1) + " facts, "
        + draftOrders.size() + " draft orders, " + warnings.size() + " warnings]";
  }

  /**
   * A builder holding everything in this record, to add to it.
   *
   * @return a new builder with this record's patient, facts, draft orders and warnings; this record
   *     is unchanged
   */
  public Builder toBuilder() {
    return new Builder(patient).addAll(facts().skip(1).toList()).draftOrders(draftOrders)
        .warnings(warnings);
  }

  /**
   * Every clinical fact in the record, the patient first, then by resource type in field order.
   *
   * @return the facts, the patient first
   */
  public Stream<ClinicalFact> facts() {
    return Stream.of(List.of(patient), conditions, observations, medicationRequests, procedures,
            immunizations, encounters, allergies, serviceRequests, deviceRequests, carePlans,
            medicationDispenses, adverseEvents)
        .flatMap(List::stream);
  }

  /**
   * The number of clinical facts in the record, the patient included.
   *
   * @return the number of facts, at least 1
   */
  public int size() {
    return 1 + conditions.size() + observations.size() + medicationRequests.size()
        + procedures.size() + immunizations.size() + encounters.size() + allergies.size()
        + serviceRequests.size() + deviceRequests.size() + carePlans.size()
        + medicationDispenses.size() + adverseEvents.size();
  }

  /** Collects facts into a {@link PatientRecord}. Not thread-safe. */
  public static final class Builder {
    private final Patient patient;
    private final List<Condition> conditions = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();
    private final List<MedicationRequest> medicationRequests = new ArrayList<>();
    private final List<Procedure> procedures = new ArrayList<>();
    private final List<Immunization> immunizations = new ArrayList<>();
    private final List<Encounter> encounters = new ArrayList<>();
    private final List<AllergyIntolerance> allergies = new ArrayList<>();
    private final List<ServiceRequest> serviceRequests = new ArrayList<>();
    private final List<DeviceRequest> deviceRequests = new ArrayList<>();
    private final List<CarePlan> carePlans = new ArrayList<>();
    private final List<MedicationDispense> medicationDispenses = new ArrayList<>();
    private final List<AdverseEvent> adverseEvents = new ArrayList<>();
    private final List<String> draftOrders = new ArrayList<>();
    private final List<DataWarning> warnings = new ArrayList<>();

    private Builder(Patient patient) {
      this.patient = Objects.requireNonNull(patient, "patient");
    }

    /**
     * Adds a fact of any type other than {@link Patient}.
     *
     * @param fact the fact
     * @return this builder
     * @throws IllegalArgumentException if {@code fact} is a Patient
     */
    public Builder add(ClinicalFact fact) {
      Objects.requireNonNull(fact, "fact");
      if (fact instanceof Condition c) {
        conditions.add(c);
      } else if (fact instanceof Observation o) {
        observations.add(o);
      } else if (fact instanceof MedicationRequest m) {
        medicationRequests.add(m);
      } else if (fact instanceof Procedure p) {
        procedures.add(p);
      } else if (fact instanceof Immunization i) {
        immunizations.add(i);
      } else if (fact instanceof Encounter e) {
        encounters.add(e);
      } else if (fact instanceof AllergyIntolerance a) {
        allergies.add(a);
      } else if (fact instanceof ServiceRequest s) {
        serviceRequests.add(s);
      } else if (fact instanceof DeviceRequest d) {
        deviceRequests.add(d);
      } else if (fact instanceof CarePlan p) {
        carePlans.add(p);
      } else if (fact instanceof MedicationDispense d) {
        medicationDispenses.add(d);
      } else if (fact instanceof AdverseEvent e) {
        adverseEvents.add(e);
      } else {
        throw new IllegalArgumentException(
            "a record has exactly one Patient, given to builder(); cannot add " + fact.id());
      }
      return this;
    }

    /**
     * Adds every fact in {@code facts}.
     *
     * @param facts the facts
     * @return this builder
     */
    public Builder addAll(Iterable<? extends ClinicalFact> facts) {
      facts.forEach(this::add);
      return this;
    }

    /**
     * Marks the resource {@code reference} ({@code Type/id}, e.g. {@code MedicationRequest/m1})
     * as an order being written now.
     *
     * @param reference the order as {@code Type/id}; never null
     * @return this builder
     */
    public Builder draftOrder(String reference) {
      draftOrders.add(Objects.requireNonNull(reference, "reference"));
      return this;
    }

    /**
     * Marks every resource in {@code references} as an order being written now.
     *
     * @param references the orders, each as {@code Type/id}
     * @return this builder
     */
    public Builder draftOrders(Iterable<String> references) {
      references.forEach(this::draftOrder);
      return this;
    }

    /**
     * Adds what the reader of the record's source could not use.
     *
     * @param warning the warning to add; never null
     * @return this builder
     */
    public Builder warning(DataWarning warning) {
      warnings.add(Objects.requireNonNull(warning, "warning"));
      return this;
    }

    /**
     * Adds every warning in {@code warnings}.
     *
     * @param warnings the warnings to add, in order
     * @return this builder
     */
    public Builder warnings(Iterable<DataWarning> warnings) {
      warnings.forEach(this::warning);
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record
     * @throws IllegalArgumentException if two facts of one resource type share an id
     */
    public PatientRecord build() {
      return new PatientRecord(patient, conditions, observations, medicationRequests, procedures,
          immunizations, encounters, allergies, serviceRequests, deviceRequests, carePlans,
          medicationDispenses, adverseEvents, draftOrders, warnings);
    }
  }
}
