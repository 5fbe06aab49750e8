package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.SOURCE;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.entries;
import static io.github.cdsengine.core.fhir.FhirInputs.entry;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a reader that follows the token stream could get wrong and a reader of whole trees does
 * not: members in any order (a {@code resourceType} that comes last, a {@code fullUrl} after its
 * resource), faults inside resource types that are skipped (duplicate keys, nesting past the
 * limit), huge strings, numbers written as strings, nulls in arrays, and which fault wins when a
 * document has a JSON fault after a FHIR one (the JSON fault: the whole document is checked
 * before any of it is read).
 */
class FhirReaderTokenOrderTest {

  private static final String OBSERVATION_FIELDS = "\"id\": \"o1\", \"status\": \"final\", "
      + "\"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"2345-7\"}]}, "
      + "\"subject\": {\"reference\": \"Patient/p1\"}, "
      + "\"valueQuantity\": {\"value\": 5.40, \"unit\": \"mmol/L\"}";

  private static InvalidPatientDataException refused(String json) {
    try {
      read(json);
    } catch (InvalidPatientDataException e) {
      return e;
    }
    throw new AssertionError("expected InvalidPatientDataException for " + json);
  }

  private static Observation onlyObservation(FhirData data) {
    PatientRecord record = data.patients().get(0);
    return record.facts().filter(Observation.class::isInstance)
        .map(Observation.class::cast).findFirst().orElseThrow();
  }

  @Test
  void aResourceTypeAfterTheOtherMembersIsRead() {
    FhirData data = read(bundle(PATIENT, "{" + OBSERVATION_FIELDS
        + ", \"resourceType\": \"Observation\"}"));

    Observation observation = onlyObservation(data);
    assertThat(observation.id()).isEqualTo("o1");
    assertThat(observation.valueQuantity().value()).isEqualTo(new BigDecimal("5.40"));
  }

  @Test
  void aBundleWhoseResourceTypeComesLastIsRead() {
    String json = "{\"type\": \"collection\", \"entry\": [{\"resource\": " + PATIENT + "}, "
        + "{\"resource\": {\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS + "}}], "
        + "\"resourceType\": \"Bundle\"}";

    assertThat(onlyObservation(read(json)).id()).isEqualTo("o1");
  }

  @Test
  void aMissingRootResourceTypeIsFoundBeforeAFaultInTheEntries() {
    String json = "{\"type\": \"collection\", \"entry\": {}}";

    InvalidPatientDataException e = refused(json);
    assertThat(e.path()).isEqualTo("$.resourceType");
  }

  @Test
  void aFullUrlAfterItsResourceStillNamesIt() {
    String url = "urn:uuid:6b0c3f0e-0000-4000-8000-00000000000a";
    String observation = "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS
        .replace("\"Patient/p1\"", "\"" + url + "\"") + "}";
    String json = entries("{\"resource\": " + PATIENT + ", \"fullUrl\": \"" + url + "\"}",
        "{\"resource\": " + observation + "}");

    assertThat(onlyObservation(read(json)).id()).isEqualTo("o1");
  }

  @Test
  void aBadFullUrlAfterItsResourceIsRefusedAtTheFullUrl() {
    String json = entries("{\"resource\": " + PATIENT + ", \"fullUrl\": 7}");

    InvalidPatientDataException e = refused(json);
    assertThat(e.path()).isEqualTo("$.entry[0].fullUrl");
    assertThat(e.getMessage()).contains("expected a string");
  }

  @Test
  void aBadFullUrlOfAnEntryWithoutResourceIsPassedOver() {
    FhirData data = read(entries(entry("urn:uuid:1", PATIENT), "{\"fullUrl\": 7}"));

    assertThat(data.patients()).hasSize(1);
  }

  @Test
  void aDuplicateKeyInAResourceTypeNoRuleUsesIsRefused() {
    String organization = "{\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"name\": \"A\", \"name\": \"B\"}";

    InvalidPatientDataException e = refused(bundle(PATIENT, organization));
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("Duplicate field 'name'");
  }

  @Test
  void aSecondResourceTypeInOneResourceIsRefused() {
    String twice = "{\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"resourceType\": \"Observation\"}";

    InvalidPatientDataException e = refused(bundle(PATIENT, twice));
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("Duplicate field 'resourceType'");
  }

  @Test
  void nestingPastTheLimitInAResourceTypeNoRuleUsesIsRefused() {
    String deep = "{\"resourceType\": \"Organization\", \"id\": \"org1\", \"x\": "
        + "[".repeat(1001) + "]".repeat(1001) + "}";

    assertThat(refused(bundle(PATIENT, deep)).path()).isEqualTo("$");
  }

  @Test
  void nestingWithinTheLimitInAResourceTypeNoRuleUsesIsSkipped() {
    String deep = "{\"resourceType\": \"Organization\", \"id\": \"org1\", \"x\": "
        + "[".repeat(900) + "]".repeat(900) + "}";

    assertThat(read(bundle(PATIENT, deep)).skipped()).isEqualTo(Map.of("Organization", 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DiagnosticReport", "Observation"})
  void aHugeStringIsRead(String type) {
    String huge = "QUJD".repeat(2_000_000);
    String resource = type.equals("Observation")
        ? "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS + ", \"note\": [{\"text\": \""
            + huge + "\"}]}"
        : "{\"resourceType\": \"DiagnosticReport\", \"id\": \"dr1\", \"presentedForm\": "
            + "[{\"data\": \"" + huge + "\"}]}";

    FhirData data = read(bundle(PATIENT, resource));
    if (type.equals("Observation")) {
      assertThat(onlyObservation(data).id()).isEqualTo("o1");
    } else {
      assertThat(data.skipped()).isEqualTo(Map.of("DiagnosticReport", 1));
    }
  }

  @Test
  void aStringPastTheParsersLimitInASkippedResourceIsRefused() {
    String organization = "{\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"name\": \"" + "x".repeat(20_000_001) + "\"}";

    InvalidPatientDataException e = refused(bundle(PATIENT, organization));
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("String value length (20000001) exceeds");
  }

  @Test
  void aDecimalNoDecimalCanHoldInASkippedResourceIsRefused() {
    String claim = "{\"resourceType\": \"Claim\", \"id\": \"c1\", "
        + "\"total\": {\"value\": 1e2147483648}}";

    assertThat(refused(bundle(PATIENT, claim)).path()).isEqualTo("$");
  }

  @Test
  void aStringThatNeverEndsInASkippedResourceIsRefused() {
    String json = bundle(PATIENT, "{\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"name\": \"" + "x".repeat(100_000));

    InvalidPatientDataException e = refused(json);
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("not valid JSON");
  }

  @Test
  void aNumberWrittenAsAStringIsRefusedWhereANumberIsRequired() {
    String observation = "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS
        .replace("5.40", "\"5.40\"") + "}";

    InvalidPatientDataException e = refused(bundle(PATIENT, observation));
    assertThat(e.path()).isEqualTo("$.entry[1].resource.valueQuantity.value");
    assertThat(e.getMessage()).contains("expected a number");
  }

  @Test
  void anIdWrittenAsANumberIsRefused() {
    String observation = "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS
        .replace("\"id\": \"o1\"", "\"id\": 1") + "}";

    InvalidPatientDataException e = refused(bundle(PATIENT, observation));
    assertThat(e.path()).isEqualTo("$.entry[1].resource.id");
  }

  @Test
  void aNullEntryIsRefused() {
    String json = "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [{"
        + "\"resource\": " + PATIENT + "}, null]}";

    InvalidPatientDataException e = refused(json);
    assertThat(e.path()).isEqualTo("$.entry[1]");
    assertThat(e.getMessage()).contains("expected an object");
  }

  @Test
  void aNullResourceIsRefused() {
    InvalidPatientDataException e = refused(entries("{\"resource\": null}"));

    assertThat(e.path()).isEqualTo("$.entry[0].resource");
    assertThat(e.getMessage()).contains("expected an object");
  }

  @Test
  void aNullCodingIsRefused() {
    String observation = "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS
        .replace("\"coding\": [{", "\"coding\": [null, {") + "}";

    InvalidPatientDataException e = refused(bundle(PATIENT, observation));
    assertThat(e.path()).isEqualTo("$.entry[1].resource.code.coding[0]");
  }

  @Test
  void aNullInAnArrayOfASkippedResourceIsSkipped() {
    String organization = "{\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"alias\": [null, \"A\", null]}";

    assertThat(read(bundle(PATIENT, organization)).skipped())
        .isEqualTo(Map.of("Organization", 1));
  }

  @Test
  void aJsonFaultAfterAFhirFaultWins() {
    String badId = "{\"resourceType\": \"Observation\", " + OBSERVATION_FIELDS
        .replace("\"id\": \"o1\"", "\"id\": \"o 1\"") + "}";

    InvalidPatientDataException e = refused(bundle(PATIENT, badId) + " x");
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("Unrecognized token 'x'");
  }

  @Test
  void aJsonFaultLaterInTheBundleWinsOverAFhirFaultEarlierInIt() {
    String badEntry = "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        + "\"not an entry\", {\"resource\": {\"resourceType\": \"Organization\", \"id\": \"org1\", "
        + "\"name\": \"A\", \"name\": \"B\"}}]}";

    InvalidPatientDataException e = refused(badEntry);
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("Duplicate field 'name'");
  }

  @Test
  void trailingContentAfterABundleWithAFaultIsTheFaultReported() {
    String json = entries("{\"resource\": " + PATIENT + "}", "7") + " {}";

    InvalidPatientDataException e = refused(json);
    assertThat(e.path()).isEqualTo("$");
    assertThat(e.getMessage()).contains("Trailing token");
  }

  @Test
  void theFirstFhirFaultInDocumentOrderIsReported() {
    String json = entries("{\"resource\": " + PATIENT + "}",
        "{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"o 1\"}}",
        "{\"resource\": {\"resourceType\": \" \"}}");

    InvalidPatientDataException e = refused(json);
    assertThat(e.source()).isEqualTo(SOURCE);
    assertThat(e.path()).isEqualTo("$.entry[1].resource.id");
  }

  @Test
  void aBundleInAnEntryWithItsResourceTypeLastIsTakenApart() {
    String inner = "{\"type\": \"collection\", \"entry\": [{\"resource\": {\"resourceType\": "
        + "\"Observation\", " + OBSERVATION_FIELDS + "}}], \"resourceType\": \"Bundle\"}";

    assertThat(onlyObservation(read(bundle(PATIENT, inner))).id()).isEqualTo("o1");
  }

  @Test
  void anEmptyResourceIsRefusedAtItsResourceType() {
    assertThatThrownBy(() -> read(bundle(PATIENT, "{}")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.entry[1].resource.resourceType"));
  }
}
