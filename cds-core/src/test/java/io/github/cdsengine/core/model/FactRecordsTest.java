package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.LocalDate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Required fields, resource types and the entered-in-error flag of every fact record. */
class FactRecordsTest {

  private static final CodeableConcept CODE = CodeableConcept.of(Code.of("urn:test", "1"));

  /** Each fact type with every required field but the id set. */
  static Stream<Arguments> factoriesById() {
    return Stream.of(
        factory("Patient", id -> new Patient(id, null, null)),
        factory("Condition", id -> Condition.builder(id, CODE).build()),
        factory("Observation", id -> Observation.builder(id, ObservationStatus.FINAL, CODE)
            .build()),
        factory("MedicationRequest", id -> new MedicationRequest(id, RequestStatus.ACTIVE,
            RequestIntent.ORDER, CODE, null)),
        factory("Procedure", id -> new Procedure(id, EventStatus.COMPLETED, CODE, null)),
        factory("Immunization", id -> new Immunization(id, EventStatus.COMPLETED, CODE, null)),
        factory("Encounter", id -> new Encounter(id, EncounterStatus.FINISHED, null, null, null,
            null)),
        factory("AllergyIntolerance", id -> new AllergyIntolerance(id, null, null, CODE, null)),
        factory("ServiceRequest", id -> new ServiceRequest(id, RequestStatus.ACTIVE,
            RequestIntent.ORDER, CODE, null)),
        factory("DeviceRequest", id -> new DeviceRequest(id, RequestStatus.ACTIVE,
            RequestIntent.ORDER, CODE, null)));
  }

  private static Arguments factory(String type, Function<String, ClinicalFact> create) {
    return arguments(type, create);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factoriesById")
  void onlyTheRequiredFieldsAreNeeded(String type, Function<String, ClinicalFact> create) {
    ClinicalFact fact = create.apply("f1");

    assertThat(fact.id()).isEqualTo("f1");
    assertThat(fact.resourceType()).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factoriesById")
  void nullIdIsRejectedNamingTheType(String type, Function<String, ClinicalFact> create) {
    assertThatNullPointerException()
        .isThrownBy(() -> create.apply(null))
        .withMessage(type + " id");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factoriesById")
  void blankIdIsRejectedNamingTheType(String type, Function<String, ClinicalFact> create) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> create.apply(" "))
        .withMessage(type + " id must not be blank");
    assertThatIllegalArgumentException().isThrownBy(() -> create.apply(""));
  }

  static Stream<Arguments> missingRequiredField() {
    return Stream.of(
        missing("Condition 'c1': code is required",
            () -> Condition.builder("c1", null).build()),
        missing("Observation 'o1': status is required",
            () -> Observation.builder("o1", null, CODE).build()),
        missing("Observation 'o1': code is required",
            () -> Observation.builder("o1", ObservationStatus.FINAL, null).build()),
        missing("MedicationRequest 'm1': status is required",
            () -> new MedicationRequest("m1", null, RequestIntent.ORDER, CODE, null)),
        missing("MedicationRequest 'm1': intent is required",
            () -> new MedicationRequest("m1", RequestStatus.ACTIVE, null, CODE, null)),
        missing("MedicationRequest 'm1': medication is required",
            () -> new MedicationRequest("m1", RequestStatus.ACTIVE, RequestIntent.ORDER, null,
                null)),
        missing("Procedure 'p1': status is required",
            () -> new Procedure("p1", null, CODE, null)),
        missing("Procedure 'p1': code is required",
            () -> new Procedure("p1", EventStatus.COMPLETED, null, null)),
        missing("Immunization 'i1': status is required",
            () -> new Immunization("i1", null, CODE, null)),
        missing("Immunization 'i1': vaccineCode is required",
            () -> new Immunization("i1", EventStatus.COMPLETED, null, null)),
        missing("Encounter 'e1': status is required",
            () -> new Encounter("e1", null, null, null, null, null)),
        missing("AllergyIntolerance 'a1': code is required",
            () -> new AllergyIntolerance("a1", null, null, null, null)),
        missing("ServiceRequest 's1': status is required",
            () -> new ServiceRequest("s1", null, RequestIntent.ORDER, CODE, null)),
        missing("ServiceRequest 's1': intent is required",
            () -> new ServiceRequest("s1", RequestStatus.ACTIVE, null, CODE, null)),
        missing("ServiceRequest 's1': code is required",
            () -> new ServiceRequest("s1", RequestStatus.ACTIVE, RequestIntent.ORDER, null, null)),
        missing("DeviceRequest 'd1': status is required",
            () -> new DeviceRequest("d1", null, RequestIntent.ORDER, CODE, null)),
        missing("DeviceRequest 'd1': intent is required",
            () -> new DeviceRequest("d1", RequestStatus.ACTIVE, null, CODE, null)),
        missing("DeviceRequest 'd1': code is required",
            () -> new DeviceRequest("d1", RequestStatus.ACTIVE, RequestIntent.ORDER, null, null)));
  }

  private static Arguments missing(String message, ThrowingCallable create) {
    return arguments(message, create);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingRequiredField")
  void nullRequiredFieldIsRejectedNamingTypeIdAndField(String message, ThrowingCallable create) {
    assertThatNullPointerException().isThrownBy(create).withMessage(message);
  }

  @Test
  void patientNeedsNeitherBirthDateNorGender() {
    Patient patient = new Patient("p1", null, null);

    assertThat(patient.birthDate()).isNull();
    assertThat(patient.enteredInError()).isFalse();
    assertThat(new Patient("p2", LocalDate.of(1980, 6, 15), AdministrativeGender.MALE)
        .enteredInError()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(EventStatus.class)
  void procedureAndImmunizationAreInErrorOnlyWhenEnteredInError(EventStatus status) {
    boolean inError = status == EventStatus.ENTERED_IN_ERROR;

    assertThat(new Procedure("p1", status, CODE, null).enteredInError()).isEqualTo(inError);
    assertThat(new Immunization("i1", status, CODE, null).enteredInError()).isEqualTo(inError);
  }

  @ParameterizedTest
  @EnumSource(EventStatus.class)
  void procedureAndImmunizationAreCompletedOnlyWhenCompleted(EventStatus status) {
    boolean completed = status == EventStatus.COMPLETED;

    assertThat(new Procedure("p1", status, CODE, null).isCompleted()).isEqualTo(completed);
    assertThat(new Immunization("i1", status, CODE, null).isCompleted()).isEqualTo(completed);
  }

  @ParameterizedTest
  @EnumSource(RequestStatus.class)
  void requestsAreInErrorOnlyWhenEnteredInError(RequestStatus status) {
    boolean inError = status == RequestStatus.ENTERED_IN_ERROR;

    assertThat(new MedicationRequest("m1", status, RequestIntent.ORDER, CODE, null)
        .enteredInError()).isEqualTo(inError);
    assertThat(new ServiceRequest("s1", status, RequestIntent.ORDER, CODE, null)
        .enteredInError()).isEqualTo(inError);
    assertThat(new DeviceRequest("d1", status, RequestIntent.ORDER, CODE, null)
        .enteredInError()).isEqualTo(inError);
  }

  @ParameterizedTest
  @EnumSource(EncounterStatus.class)
  void encounterIsInErrorOnlyWhenEnteredInError(EncounterStatus status) {
    assertThat(new Encounter("e1", status, null, null, null, null).enteredInError())
        .isEqualTo(status == EncounterStatus.ENTERED_IN_ERROR);
  }

  @ParameterizedTest
  @EnumSource(ObservationStatus.class)
  void observationIsInErrorOnlyWhenEnteredInError(ObservationStatus status) {
    assertThat(Observation.builder("o1", status, CODE).build().enteredInError())
        .isEqualTo(status == ObservationStatus.ENTERED_IN_ERROR);
  }

  @ParameterizedTest
  @EnumSource(VerificationStatus.class)
  void conditionAndAllergyAreInErrorOnlyWhenVerifiedEnteredInError(VerificationStatus status) {
    boolean inError = status == VerificationStatus.ENTERED_IN_ERROR;

    assertThat(Condition.builder("c1", CODE).clinicalStatus(ConditionClinicalStatus.ACTIVE)
        .verificationStatus(status).build().enteredInError()).isEqualTo(inError);
    assertThat(new AllergyIntolerance("a1", AllergyClinicalStatus.ACTIVE, status, CODE, null)
        .enteredInError()).isEqualTo(inError);
  }

  @Test
  void conditionAndAllergyWithNoVerificationStatusAreNotInError() {
    assertThat(Condition.builder("c1", CODE).build().enteredInError()).isFalse();
    assertThat(new AllergyIntolerance("a1", null, null, CODE, null).enteredInError()).isFalse();
  }
}
