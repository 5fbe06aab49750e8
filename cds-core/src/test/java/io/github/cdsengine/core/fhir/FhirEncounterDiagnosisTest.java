package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.PatientRecord;
import org.junit.jupiter.api.Test;

/** Encounter diagnoses link to the record's Conditions; conditions keep their categories. */
class FhirEncounterDiagnosisTest {

  static final String CONDITION = """
      {"resourceType": "Condition", "id": "c1",
       "category": [{"coding": [{"system":
         "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
       "code": {"coding": [{"system": "http://snomed.info/sct", "code": "84114007"}]},
       "subject": {"reference": "Patient/p1"}}""";

  static String encounter(String conditionReference) {
    return """
        {"resourceType": "Encounter", "id": "e1", "status": "finished",
         "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
         "subject": {"reference": "Patient/p1"},
         "diagnosis": [{"condition": {"reference": "%s"}}]}""".formatted(conditionReference);
  }

  @Test
  void anEncounterNamesItsDiagnosesAndAConditionItsCategory() {
    PatientRecord record = read(bundle(PATIENT, CONDITION, encounter("Condition/c1"))).onlyPatient();
    assertThat(record.encounters().get(0).diagnoses()).containsExactly("c1");
    assertThat(record.conditions().get(0).category().hasCoding(Code.of(
        "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")))
        .isTrue();
  }

  @Test
  void aDiagnosisThatResolvesNowhereIsRefused() {
    assertThatThrownBy(() -> read(bundle(PATIENT, CONDITION, encounter("Condition/c9"))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.entry[2].resource.diagnosis[0].condition.reference"));
  }
}
