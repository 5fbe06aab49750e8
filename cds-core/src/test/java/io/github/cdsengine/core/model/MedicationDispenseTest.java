package io.github.cdsengine.core.model;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dispense fact: its checks, its flags, and its place in a patient record. */
class MedicationDispenseTest {

  private static final CodeableConcept OXYCODONE = CodeableConcept.of(
      Code.of(RXNORM, "1049621"));
  private static final ClinicalTime HANDED_OVER = ClinicalTime.of(LocalDate.of(2022, 11, 1));

  @Test
  void idStatusAndMedicationAreRequiredAndNamed() {
    assertThatNullPointerException().isThrownBy(() -> new MedicationDispense(null,
        MedicationDispenseStatus.COMPLETED, OXYCODONE, HANDED_OVER))
        .withMessage("MedicationDispense id");
    assertThatIllegalArgumentException().isThrownBy(() -> new MedicationDispense(" ",
        MedicationDispenseStatus.COMPLETED, OXYCODONE, HANDED_OVER))
        .withMessage("MedicationDispense id must not be blank");
    assertThatNullPointerException().isThrownBy(() -> new MedicationDispense("md1", null,
        OXYCODONE, HANDED_OVER)).withMessage("MedicationDispense 'md1': status is required");
    assertThatNullPointerException().isThrownBy(() -> new MedicationDispense("md1",
        MedicationDispenseStatus.COMPLETED, null, HANDED_OVER))
        .withMessage("MedicationDispense 'md1': medication is required");
  }

  @Test
  void onlyTheRequiredFieldsAreNeeded() {
    MedicationDispense dispense = new MedicationDispense("md1",
        MedicationDispenseStatus.COMPLETED, OXYCODONE, null);

    assertThat(dispense.resourceType()).isEqualTo("MedicationDispense");
    assertThat(dispense.whenHandedOver()).isNull();
    assertThat(dispense.authorizingPrescriptions()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(MedicationDispenseStatus.class)
  void isCompletedOnlyWhenCompletedAndInErrorOnlyWhenEnteredInError(
      MedicationDispenseStatus status) {
    MedicationDispense dispense = new MedicationDispense("md1", status, OXYCODONE, HANDED_OVER);

    assertThat(dispense.isCompleted()).isEqualTo(status == MedicationDispenseStatus.COMPLETED);
    assertThat(dispense.enteredInError())
        .isEqualTo(status == MedicationDispenseStatus.ENTERED_IN_ERROR);
    assertThat(MedicationDispenseStatus.fromCode(status.code())).isEqualTo(status);
  }

  @Test
  void theStatusesAreFhirR4s() {
    assertThat(List.of(MedicationDispenseStatus.values())).extracting(FhirCode::code)
        .containsExactly("preparation", "in-progress", "cancelled", "on-hold", "completed",
            "entered-in-error", "stopped", "declined", "unknown");
    assertThatIllegalArgumentException().isThrownBy(
        () -> MedicationDispenseStatus.fromCode("active"));
  }

  @Test
  void thePrescriptionsAreCopied() {
    List<String> prescriptions = new ArrayList<>(List.of("MedicationRequest/rx1"));
    MedicationDispense dispense = new MedicationDispense("md1",
        MedicationDispenseStatus.COMPLETED, OXYCODONE, null, HANDED_OVER, null, null, null, null,
        prescriptions);
    prescriptions.add("MedicationRequest/rx2");

    assertThat(dispense.authorizingPrescriptions()).containsExactly("MedicationRequest/rx1");
  }

  @Test
  void toStringNamesTheTypeOnly() {
    assertThat(new MedicationDispense("md1", MedicationDispenseStatus.COMPLETED, OXYCODONE,
        HANDED_OVER).toString()).isEqualTo("MedicationDispense[patient data not shown]");
  }

  @Test
  void aRecordHoldsDispensesAmongItsFactsAndRefusesATwiceUsedId() {
    Patient patient = new Patient("p1", LocalDate.of(1970, 1, 1), null);
    MedicationDispense dispense = new MedicationDispense("md1",
        MedicationDispenseStatus.COMPLETED, OXYCODONE, HANDED_OVER);
    PatientRecord record = PatientRecord.builder(patient).add(dispense)
        .add(new MedicationRequest("md1", RequestStatus.ACTIVE, RequestIntent.ORDER, OXYCODONE,
            null))
        .build();

    assertThat(record.medicationDispenses()).containsExactly(dispense);
    assertThat(record.facts()).contains(dispense);
    assertThat(record.size()).isEqualTo(3);
    assertThatIllegalArgumentException().isThrownBy(
        () -> PatientRecord.builder(patient).add(dispense).add(dispense).build())
        .withMessage("patient record has two MedicationDispense facts with id 'md1'");
  }
}
