package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatientRecordTest {

  private static final CodeableConcept CODE = CodeableConcept.of(Code.of("urn:test", "1"));
  private static final Patient PATIENT =
      new Patient("p1", LocalDate.of(1980, 6, 15), AdministrativeGender.FEMALE);

  private static final Condition CONDITION =
      Condition.builder("c1", CODE).clinicalStatus(ConditionClinicalStatus.ACTIVE).build();
  private static final Observation OBSERVATION =
      Observation.builder("o1", ObservationStatus.FINAL, CODE).build();
  private static final MedicationRequest MEDICATION =
      new MedicationRequest("m1", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE, null);
  private static final Procedure PROCEDURE =
      new Procedure("pr1", EventStatus.COMPLETED, CODE, null);
  private static final Immunization IMMUNIZATION =
      new Immunization("i1", EventStatus.COMPLETED, CODE, null);
  private static final Encounter ENCOUNTER =
      new Encounter("e1", EncounterStatus.FINISHED, null, null, null, null);
  private static final AllergyIntolerance ALLERGY =
      new AllergyIntolerance("a1", AllergyClinicalStatus.ACTIVE, null, CODE, null);
  private static final ServiceRequest SERVICE =
      new ServiceRequest("s1", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE, null);
  private static final DeviceRequest DEVICE =
      new DeviceRequest("d1", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE, null);

  @Test
  void builderPutsEachFactInTheListOfItsType() {
    PatientRecord record = PatientRecord.builder(PATIENT)
        .add(DEVICE).add(SERVICE).add(ALLERGY).add(ENCOUNTER).add(IMMUNIZATION)
        .add(PROCEDURE).add(MEDICATION).add(OBSERVATION).add(CONDITION)
        .build();

    assertThat(record.patient()).isEqualTo(PATIENT);
    assertThat(record.conditions()).containsExactly(CONDITION);
    assertThat(record.observations()).containsExactly(OBSERVATION);
    assertThat(record.medicationRequests()).containsExactly(MEDICATION);
    assertThat(record.procedures()).containsExactly(PROCEDURE);
    assertThat(record.immunizations()).containsExactly(IMMUNIZATION);
    assertThat(record.encounters()).containsExactly(ENCOUNTER);
    assertThat(record.allergies()).containsExactly(ALLERGY);
    assertThat(record.serviceRequests()).containsExactly(SERVICE);
    assertThat(record.deviceRequests()).containsExactly(DEVICE);
  }

  @Test
  void factsListsThePatientFirstThenTypesInFieldOrderThenInsertionOrder() {
    Procedure secondProcedure = new Procedure("pr2", EventStatus.NOT_DONE, CODE, null);
    PatientRecord record = PatientRecord.builder(PATIENT)
        .add(DEVICE).add(PROCEDURE).add(SERVICE).add(ALLERGY).add(ENCOUNTER).add(IMMUNIZATION)
        .add(secondProcedure).add(MEDICATION).add(OBSERVATION).add(CONDITION)
        .build();

    assertThat(record.facts()).containsExactly(PATIENT, CONDITION, OBSERVATION, MEDICATION,
        PROCEDURE, secondProcedure, IMMUNIZATION, ENCOUNTER, ALLERGY, SERVICE, DEVICE);
    assertThat(record.size()).isEqualTo(11);
  }

  @Test
  void aRecordWithOnlyThePatientHasSizeOne() {
    PatientRecord record = PatientRecord.builder(PATIENT).build();

    assertThat(record.size()).isEqualTo(1);
    assertThat(record.facts()).containsExactly(PATIENT);
  }

  @Test
  void sizeCountsEveryFact() {
    PatientRecord record = PatientRecord.builder(PATIENT)
        .addAll(List.of(CONDITION, Condition.builder("c2", CODE).build(),
            OBSERVATION))
        .build();

    assertThat(record.size()).isEqualTo(4);
    assertThat(record.facts()).hasSize(record.size());
  }

  @Test
  void duplicateIdWithinOneTypeIsRejectedNamingTypeAndId() {
    PatientRecord.Builder builder = PatientRecord.builder(PATIENT)
        .add(PROCEDURE)
        .add(new Procedure("pr1", EventStatus.NOT_DONE, CODE, null));

    assertThatIllegalArgumentException()
        .isThrownBy(builder::build)
        .withMessage("patient record has two Procedure facts with id 'pr1'");
  }

  @Test
  void duplicateIdIsRejectedByTheConstructorToo() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PatientRecord(PATIENT, List.of(CONDITION, CONDITION), null, null,
            null, null, null, null, null, null, null, null, null, null, null))
        .withMessageContaining("Condition")
        .withMessageContaining("'c1'");
  }

  @Test
  void sameIdInDifferentTypesIsAllowed() {
    PatientRecord record = PatientRecord.builder(PATIENT)
        .add(Condition.builder("x", CODE).build())
        .add(Observation.builder("x", ObservationStatus.FINAL, CODE).build())
        .add(new Procedure("x", EventStatus.COMPLETED, CODE, null))
        .add(new ServiceRequest("x", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE, null))
        .add(new DeviceRequest("x", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE, null))
        .build();

    assertThat(record.size()).isEqualTo(6);
  }

  @Test
  void aFactMayShareThePatientsId() {
    PatientRecord record = PatientRecord.builder(PATIENT)
        .add(Condition.builder("p1", CODE).build())
        .build();

    assertThat(record.conditions()).hasSize(1);
  }

  @Test
  void aSecondPatientCannotBeAdded() {
    PatientRecord.Builder builder = PatientRecord.builder(PATIENT);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.add(new Patient("p2", null, null)))
        .withMessageContaining("exactly one Patient")
        .withMessageContaining("p2");
  }

  @Test
  void nullPatientOrFactIsRejected() {
    assertThatNullPointerException().isThrownBy(() -> PatientRecord.builder(null))
        .withMessage("patient");
    assertThatNullPointerException().isThrownBy(() -> PatientRecord.builder(PATIENT).add(null))
        .withMessage("fact");
    assertThatNullPointerException().isThrownBy(() -> new PatientRecord(null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null))
        .withMessage("patient");
  }

  @Test
  void missingListsReadAsEmpty() {
    PatientRecord record =
        new PatientRecord(PATIENT, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null);

    assertThat(record.conditions()).isEmpty();
    assertThat(record.deviceRequests()).isEmpty();
    assertThat(record.draftOrders()).isEmpty();
    assertThat(record.warnings()).isEmpty();
    assertThat(record.size()).isEqualTo(1);
  }

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<Condition> conditions = new ArrayList<>(List.of(CONDITION));
    PatientRecord record =
        new PatientRecord(PATIENT, conditions, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    conditions.clear();

    assertThat(record.conditions()).containsExactly(CONDITION);
    assertThatThrownBy(() -> record.conditions().add(CONDITION))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builtRecordDoesNotChangeWhenTheBuilderGoesOn() {
    PatientRecord.Builder builder = PatientRecord.builder(PATIENT).add(CONDITION);
    PatientRecord first = builder.build();

    builder.add(PROCEDURE);

    assertThat(first.procedures()).isEmpty();
    assertThat(builder.build().procedures()).containsExactly(PROCEDURE);
  }

  @org.junit.jupiter.api.Test
  void anEncounterDiagnosisMustBeAConditionOfTheRecord() {
    Encounter encounter = new Encounter("e1", EncounterStatus.FINISHED, null, null, null, null,
        java.util.List.of("c-missing"), null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PatientRecord.builder(
            new Patient("p1", null, null)).add(encounter).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Encounter 'e1'").hasMessageContaining("'c-missing'");
  }

  @Test
  void draftOrdersAreNamedTypeSlashId() {
    PatientRecord record = PatientRecord.builder(PATIENT).add(CONDITION)
        .draftOrder("MedicationRequest/m1").build();
    assertThat(record.draftOrders()).containsExactly("MedicationRequest/m1");
    for (String bad : List.of("m1", "/m1", "MedicationRequest/", "MedicationRequest/m/1")) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PatientRecord.builder(PATIENT).draftOrder(bad).build())
          .withMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void toBuilderKeepsFactsDraftOrdersAndWarnings() {
    io.github.cdsengine.core.problem.DataWarning warning =
        new io.github.cdsengine.core.problem.DataWarning("Condition", "c1", "was read");
    PatientRecord record = PatientRecord.builder(PATIENT).add(CONDITION)
        .draftOrder("MedicationRequest/m1").warning(warning).build();

    PatientRecord copy = record.toBuilder().build();

    assertThat(copy).isEqualTo(record);
    assertThat(record.toBuilder().draftOrder("ServiceRequest/s1").build().draftOrders())
        .containsExactly("MedicationRequest/m1", "ServiceRequest/s1");
  }

  @Test
  void toStringShowsCountsNotThePatientsData() {
    PatientRecord record = PatientRecord.builder(PATIENT).add(CONDITION)
        .draftOrder("MedicationRequest/secret-order")
        .warning(new io.github.cdsengine.core.problem.DataWarning("Patient", PATIENT.id(),
            "birth date 1970-05 has no day"))
        .build();
    assertThat(record.toString())
        .isEqualTo("PatientRecord[patient id not shown, 1 facts, 1 draft orders, 1 warnings]")
        .doesNotContain(PATIENT.id()).doesNotContain("secret-order").doesNotContain("1970");
  }
}
