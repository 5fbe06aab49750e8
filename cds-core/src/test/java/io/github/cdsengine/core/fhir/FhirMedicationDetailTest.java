package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** Dispense requests and dosage instructions are read as recorded, for supply and dose math. */
class FhirMedicationDetailTest {

  static String order(String details) {
    return FhirInputs.order("m1", "\"medicationCodeableConcept\": {\"coding\": [{\"system\": "
        + "\"http://www.nlm.nih.gov/research/umls/rxnorm\", \"code\": \"1049621\"}]}, " + details);
  }

  static final String DETAILS = """
      "dispenseRequest": {"validityPeriod": {"start": "2022-12-13", "end": "2023-03-15"},
        "numberOfRepeatsAllowed": 3, "quantity": {"value": 60},
        "expectedSupplyDuration": {"value": 90, "system": "http://unitsofmeasure.org",
          "code": "days"}},
      "dosageInstruction": [{"asNeededBoolean": false,
        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d",
          "timeOfDay": ["08:00:00", "20:00:00"]}},
        "doseAndRate": [{"doseQuantity": {"value": 5, "system": "http://unitsofmeasure.org",
          "code": "mg"}}]}]""";

  @Test
  void dispenseAndDosageAreReadAsRecorded() {
    MedicationRequest order = read(bundle(PATIENT, order(DETAILS))).onlyPatient()
        .medicationRequests().get(0);
    assertThat(order.dispenseRequest().repeatsAllowed()).isEqualTo(3);
    assertThat(order.dispenseRequest().quantity()).isEqualTo(Quantity.of("60", "1"));
    assertThat(order.dispenseRequest().expectedSupplyDuration())
        .as("kept as recorded, though 'days' is not UCUM").isEqualTo(Quantity.of("90", "days"));
    assertThat(order.dispenseRequest().validity().end().toString()).isEqualTo("2023-03-15");
    Dosage dosage = order.dosage().get(0);
    assertThat(dosage.dose()).isEqualTo(Quantity.of("5", "mg"));
    assertThat(dosage.frequency()).isEqualTo(2);
    assertThat(dosage.period()).isEqualByComparingTo(BigDecimal.ONE);
    assertThat(dosage.periodUnit()).isEqualTo("d");
    assertThat(dosage.timesOfDay()).containsExactly(LocalTime.of(8, 0), LocalTime.of(20, 0));
    assertThat(dosage.asNeeded()).isFalse();
  }

  @Test
  void badDetailsAreRefusedWithTheirPath() {
    assertThatThrownBy(() -> read(bundle(PATIENT, order(DETAILS.replace("\"periodUnit\": \"d\"",
            "\"periodUnit\": \"day\"")))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.entry[1].resource.dosageInstruction[0].timing.repeat.periodUnit"));
    assertThatThrownBy(() -> read(bundle(PATIENT, order(DETAILS.replace(
            "\"numberOfRepeatsAllowed\": 3", "\"numberOfRepeatsAllowed\": 2.5")))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.entry[1].resource.dispenseRequest.numberOfRepeatsAllowed"));
    assertThatThrownBy(() -> read(bundle(PATIENT, order(DETAILS.replace("\"08:00:00\"",
            "\"8am\"")))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.entry[1].resource.dosageInstruction[0].timing.repeat.timeOfDay[0]"));
  }

  @Test
  void aDoseRangeCarriesItsHighEndAndFrequencyMaxIsRead() {
    String range = "\"dosageInstruction\": [{\"timing\": {\"repeat\": {\"frequency\": 1, "
        + "\"frequencyMax\": 3, \"period\": 1, \"periodUnit\": \"d\"}}, \"doseAndRate\": "
        + "[{\"doseRange\": {\"low\": {\"value\": 5, \"system\": \"http://unitsofmeasure.org\", "
        + "\"code\": \"mg\"}, \"high\": {\"value\": 10, \"system\": "
        + "\"http://unitsofmeasure.org\", \"code\": \"mg\"}}}]}]";
    FhirData data = read(bundle(PATIENT, order(range)));
    Dosage dosage = data.onlyPatient().medicationRequests().get(0).dosage().get(0);
    assertThat(dosage.dose()).as("no doseQuantity").isNull();
    assertThat(dosage.doseRangeHigh()).isEqualTo(Quantity.of("10", "mg"));
    assertThat(dosage.frequency()).isEqualTo(1);
    assertThat(dosage.frequencyMax()).isEqualTo(3);
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void aDoseRangeHighWithoutUnitIsLeftOutWithAWarning() {
    String range = "\"dosageInstruction\": [{\"timing\": {\"repeat\": {\"frequency\": 1, "
        + "\"period\": 1, \"periodUnit\": \"d\"}}, \"doseAndRate\": [{\"doseRange\": "
        + "{\"low\": {\"value\": 5}, \"high\": {\"value\": 10}}}]}]";
    FhirData data = read(bundle(PATIENT, order(range)));
    Dosage dosage = data.onlyPatient().medicationRequests().get(0).dosage().get(0);
    assertThat(dosage.dose()).isNull();
    assertThat(dosage.doseRangeHigh()).isNull();
    assertThat(data.warnings()).isNotEmpty();
  }

  @Test
  void theCategoryIsReadWithEveryCoding() {
    String category = "\"category\": [{\"coding\": [{\"system\": "
        + "\"http://terminology.hl7.org/CodeSystem/medicationrequest-category\", "
        + "\"code\": \"discharge\"}]}, {\"coding\": [{\"system\": "
        + "\"http://terminology.hl7.org/CodeSystem/medicationrequest-category\", "
        + "\"code\": \"community\"}]}]";
    MedicationRequest withCategory = read(bundle(PATIENT, order(category))).onlyPatient()
        .medicationRequests().get(0);
    assertThat(withCategory.category().codings()).extracting(Code::code)
        .containsExactly("discharge", "community");
    MedicationRequest without = read(bundle(PATIENT, order(DETAILS))).onlyPatient()
        .medicationRequests().get(0);
    assertThat(without.category()).isNull();
  }

  static String supplyOf(String value, String code) {
    return "\"dispenseRequest\": {\"expectedSupplyDuration\": {\"value\": " + value
        + ", \"system\": \"http://unitsofmeasure.org\", \"code\": \"" + code + "\"}}";
  }

  @Test
  void aSupplyDurationInMonthsOrYearsIsATimeAndReadsWithoutWarning() {
    for (String unit : new String[] {"mo", "a", "wk", "h", "min", "s", "d"}) {
      FhirData data = read(bundle(PATIENT, order(supplyOf("3", unit))));
      assertThat(data.onlyPatient().medicationRequests().get(0).dispenseRequest()
          .expectedSupplyDuration()).isEqualTo(Quantity.of("3", unit));
      assertThat(data.warnings()).as(unit).isEmpty();
    }
  }

  @Test
  void aSupplyDurationThatIsNoTimeIsKeptAndWarnedOf() {
    for (String unit : new String[] {"mg", "mL", "1", "{tbl}", "fortnight"}) {
      FhirData data = read(bundle(PATIENT, order(supplyOf("3", unit))));
      MedicationRequest order = data.onlyPatient().medicationRequests().get(0);
      assertThat(order.dispenseRequest().expectedSupplyDuration())
          .as("kept as recorded").isEqualTo(Quantity.of("3", unit));
      assertThat(data.warnings()).as(unit).extracting(DataWarning::message)
          .containsExactly("dispenseRequest.expectedSupplyDuration has the unit '" + unit
              + "', which is not a unit of time, so the days the order supplies are unknown");
    }
  }
}
