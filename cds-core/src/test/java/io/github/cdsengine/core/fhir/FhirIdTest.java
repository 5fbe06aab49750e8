package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Resource ids follow FHIR's rule, {@code [A-Za-z0-9\-.]{1,64}}; any other is refused. */
class FhirIdTest {

  private static String patient(String id) {
    return "{\"resourceType\": \"Patient\", \"id\": \"" + id + "\", \"birthDate\": "
        + "\"1970-01-01\", \"gender\": \"female\"}";
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "p\\u001b[31m1     | p\\u001B[31m1",
      "a\\u0000b         | a\\u0000b",
      "tab\\there        | tab\\u0009here",
      "line\\nbreak      | line\\u000Abreak",
      "bidi\\u202egnp    | bidi\\u202Egnp",
      "c1\\u009b2        | c1\\u009B2",
      "with space        | with space",
      "slash/inside      | slash/inside",
      "under_score       | under_score",
      "é                 | é"})
  void anIdOutsideTheRuleIsRefusedAndQuotedWithoutControlCharacters(String json, String shown) {
    assertThatThrownBy(() -> read(patient(json)))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("$.id")
        .hasMessageContaining("Patient/" + shown + ": not a FHIR id")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\p{Cc}\u202e]"));
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 1000})
  void anIdLongerThan64IsRefusedAndCutInTheMessage(int length) {
    String id = "a".repeat(length);
    assertThatThrownBy(() -> read(patient(id)))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("Patient/" + "a".repeat(64) + "...: not a FHIR id")
        .hasMessageNotContaining("a".repeat(65));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "A-z.0", "0123456789012345678901234567890123456789012345678901234567890123"})
  void anIdWithinTheRuleIsRead(String id) {
    assertThat(read(patient(id)).patients().get(0).patient().id()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Condition", "Observation", "MedicationRequest", "Medication"})
  void everyResourceTypeReadFollowsTheRule(String type) {
    String resource = "{\"resourceType\": \"" + type + "\", \"id\": \"x\\u0007\"}";
    assertThatThrownBy(() -> read(bundle(PATIENT, resource)))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("$.entry[1].resource.id")
        .hasMessageContaining(type + "/x\\u0007: not a FHIR id");
  }

  @org.junit.jupiter.api.Test
  void aCdsHooksPatientIdOutsideTheRuleIsRefused() {
    String json = "{\"hook\": \"patient-view\", \"hookInstance\": \"h1\", \"context\": "
        + "{\"patientId\": \"p\\u001b1\", \"userId\": \"Practitioner/u1\"}}";
    assertThatThrownBy(() -> FhirReader.create().readCdsHooksRequest(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json"))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("request.json")
        .hasMessageContaining("Patient/p\\u001B1: not a FHIR id");
  }
}
