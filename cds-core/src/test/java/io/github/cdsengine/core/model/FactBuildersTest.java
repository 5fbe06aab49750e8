package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The builders of the fact records: what is not set is not recorded, what is set lands in its
 * component, and build() checks as the canonical constructor does.
 */
class FactBuildersTest {

  private static final CodeableConcept CODE = CodeableConcept.of(Code.of("urn:test", "1"));
  private static final CodeableConcept OTHER = CodeableConcept.of(Code.of("urn:test", "2"));
  private static final ClinicalTime DAY = ClinicalTime.of(LocalDate.of(2025, 3, 1));

  @Test
  void anObservationWithNothingSetRecordsNothingElse() {
    assertThat(Observation.builder("o1", ObservationStatus.FINAL, CODE).build())
        .isEqualTo(new Observation("o1", ObservationStatus.FINAL, CODE, null, null, null, null,
            List.of(), null, null, null, null, null, null, null));
  }

  @Test
  void anObservationBuilderSetsEachComponent() {
    ObservationComponent part = new ObservationComponent(OTHER, Quantity.of("1", "mg"), null);
    Observation built = Observation.builder("o1", ObservationStatus.AMENDED, CODE)
        .effective(Period.at(DAY)).valueString("POS").valueType(ObservationValueType.STRING)
        .components(List.of(part)).category(OTHER).encounter("e1").interpretation(CODE)
        .issued(DAY).notDoneReason(OTHER).build();

    assertThat(built).isEqualTo(new Observation("o1", ObservationStatus.AMENDED, CODE,
        Period.at(DAY), null, null, null, List.of(part), OTHER, "e1", "POS",
        ObservationValueType.STRING, CODE, DAY, OTHER));
  }

  @Test
  void anObservationBuilderChecksAsTheConstructorDoes() {
    assertThatNullPointerException()
        .isThrownBy(() -> Observation.builder("o1", null, CODE).build());
    assertThatIllegalArgumentException().isThrownBy(() -> Observation.builder("o1",
            ObservationStatus.FINAL, CODE).valueQuantity(Quantity.of("1", "mg"))
        .valueBoolean(true).build()).withMessageContaining("has 2 values");
  }

  @Test
  void anOrderWithNothingSetIsAnOrderToDoItWithNothingElseRecorded() {
    MedicationRequest built = MedicationRequest.builder("m1", RequestStatus.ACTIVE,
        RequestIntent.ORDER, CODE).build();

    assertThat(built).isEqualTo(new MedicationRequest("m1", RequestStatus.ACTIVE,
        RequestIntent.ORDER, CODE, null));
    assertThat(built.doNotPerform()).isFalse();
    assertThat(built.dosage()).isEmpty();
    assertThat(built.recorder()).isNull();
  }

  @Test
  void anOrderBuilderSetsEachComponent() {
    Dosage daily = Dosage.builder().frequency(1).period(BigDecimal.ONE, "d").build();
    DispenseRequest dispense = new DispenseRequest(null, 2, Quantity.of("30", "1"), null);
    Medication product = new Medication(null, List.of());
    MedicationRequest built = MedicationRequest.builder("m1", RequestStatus.ACTIVE,
            RequestIntent.PLAN, CODE)
        .authoredOn(DAY).doNotPerform(true).dispenseRequest(dispense).dosage(List.of(daily))
        .category(OTHER).product(product).recorder("Practitioner/1").reasonCode(CODE).build();

    assertThat(built).isEqualTo(new MedicationRequest("m1", RequestStatus.ACTIVE,
        RequestIntent.PLAN, CODE, DAY, true, dispense, List.of(daily), OTHER, product,
        "Practitioner/1", CODE));
  }

  @Test
  void aConditionBuilderSetsEachComponentAndLeavesTheRestUnrecorded() {
    assertThat(Condition.builder("c1", CODE).build())
        .isEqualTo(new Condition("c1", CODE, null, null, null, null, null, null, null, null));
    ClinicalTime later = ClinicalTime.of(LocalDate.of(2025, 4, 1));
    assertThat(Condition.builder("c1", CODE).clinicalStatus(ConditionClinicalStatus.RESOLVED)
        .verificationStatus(VerificationStatus.CONFIRMED).onset(DAY).abatement(later)
        .recorded(DAY).category(OTHER).bodySite(CODE).severity(OTHER).build())
        .isEqualTo(new Condition("c1", CODE, ConditionClinicalStatus.RESOLVED,
            VerificationStatus.CONFIRMED, DAY, later, DAY, OTHER, CODE, OTHER));
    assertThatNullPointerException().isThrownBy(() -> Condition.builder("c1", null).build());
  }

  @Test
  void aDosageBuilderSetsEachComponentAndChecksThePeriodUnit() {
    assertThat(Dosage.builder().build())
        .isEqualTo(new Dosage(null, null, null, null, List.of(), null, null, null, null));
    List<LocalTime> times = List.of(LocalTime.of(8, 0));
    Period bounds = Period.at(DAY);
    assertThat(Dosage.builder().dose(Quantity.of("5", "mg")).frequency(2)
        .period(new BigDecimal("4"), "h").timesOfDay(times).bounds(bounds).asNeeded(true)
        .frequencyMax(3).doseRangeHigh(Quantity.of("10", "mg")).build())
        .isEqualTo(new Dosage(Quantity.of("5", "mg"), 2, new BigDecimal("4"), "h", times, bounds,
            true, 3, Quantity.of("10", "mg")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Dosage.builder().period(BigDecimal.ONE, "day").build())
        .withMessageContaining("'day'");
  }
}
