package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.entries;
import static io.github.cdsengine.core.fhir.FhirInputs.entry;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.PatientRecord;
import org.junit.jupiter.api.Test;

/** An observation keeps the id of the encounter it names, whether or not that is in the input. */
class FhirObservationEncounterTest {

  static final String ENCOUNTER = """
      {"resourceType": "Encounter", "id": "e1", "status": "finished",
       "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EMER"},
       "subject": {"reference": "Patient/p1"}}""";

  static String observation(String encounter) {
    return FhirInputs.observation("o1", "85354-9",
        encounter + "\"effectiveDateTime\": \"2025-03-01\"");
  }

  @Test
  void anEncounterInTheInputIsNamedByItsId() {
    PatientRecord record = read(bundle(PATIENT, ENCOUNTER,
        observation("\"encounter\": {\"reference\": \"Encounter/e1\"},"))).onlyPatient();
    assertThat(record.observations().get(0).encounter()).isEqualTo("e1");
  }

  @Test
  void anEncounterNamedByItsFullUrlIsNamedByItsId() {
    PatientRecord record = read(entries(entry("urn:uuid:p", PATIENT),
        entry("urn:uuid:7c1e", ENCOUNTER),
        entry("urn:uuid:o", observation("\"encounter\": {\"reference\": \"urn:uuid:7c1e\"},"))))
        .onlyPatient();
    assertThat(record.observations().get(0).encounter()).isEqualTo("e1");
  }

  @Test
  void anEncounterOutsideTheInputIsKeptAsTheReferencesLastSegmentWithoutWarning() {
    FhirData data = read(bundle(PATIENT,
        observation("\"encounter\": {\"reference\": \"https://example.org/fhir/Encounter/e9\"},")));
    assertThat(data.onlyPatient().observations().get(0).encounter()).isEqualTo("e9");
    assertThat(data.warnings()).isEmpty();
  }

  @Test
  void noEncounterIsNull() {
    PatientRecord record = read(bundle(PATIENT, observation(""))).onlyPatient();
    assertThat(record.observations().get(0).encounter()).isNull();
  }
}
