package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a request's fhirServer and fhirAuthorization allow, and where the token may go. */
class FhirAccessTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode request(String server, String token, String type) {
    ObjectNode request = JSON.createObjectNode();
    if (server != null) {
      request.put("fhirServer", server);
    }
    if (token != null) {
      ObjectNode authorization = request.putObject("fhirAuthorization")
          .put("access_token", token);
      if (type != null) {
        authorization.put("token_type", type);
      }
    }
    return request;
  }

  @Test
  void aServerAndABearerTokenGiveAccess() throws Exception {
    FhirAccess access = FhirAccess.of(request("https://ehr.example.org/fhir/", "abc.DEF-1",
        "bearer"));
    assertThat(access.server()).isEqualTo(URI.create("https://ehr.example.org/fhir"));
    assertThat(access.token()).isEqualTo("abc.DEF-1");
    assertThat(access.toString()).doesNotContain("abc.DEF-1");
    assertThat(access.resolve("Condition?code=http://loinc.org|1 2")).isEqualTo(URI.create(
        "https://ehr.example.org/fhir/Condition?code=http://loinc.org%7C1%202"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(nullValues = "-", value = {
      "-, -, -, neither fhirServer nor fhirAuthorization",
      "https://ehr.example.org/fhir, -, -, no fhirAuthorization",
      "-, abc, Bearer, no fhirServer",
      "ftp://ehr.example.org/fhir, abc, Bearer, not an http or https URL",
      "fhir, abc, Bearer, not an http or https URL",
      "https://user@ehr.example.org/fhir, abc, Bearer, a host, no user",
      "https://ehr.example.org/fhir?x=1, abc, Bearer, a host, no user",
      "https://ehr.example.org/fhir, abc, MAC, not Bearer",
      "https://ehr.example.org/fhir, '', Bearer, no access_token",
      "https://ehr.example.org/fhir, 'a b', Bearer, characters a bearer token cannot"})
  void anythingElseIsRefusedSayingWhy(String server, String token, String type, String reason) {
    assertThatThrownBy(() -> FhirAccess.of(request(server, token, type)))
        .isInstanceOf(FhirAccess.Refused.class).hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "https://ehr.example.org/fhir/Observation?_getpages=1, true",
      "https://EHR.example.org:443/fhir?_getpages=1, true",
      "https://ehr.example.org/fhir, true",
      "http://ehr.example.org/fhir/Observation, false",
      "https://ehr.example.org:8443/fhir/Observation, false",
      "https://other.example.org/fhir/Observation, false",
      "https://ehr.example.org.evil.example/fhir/Observation, false",
      "https://ehr.example.org/fhirx/Observation, false",
      "https://ehr.example.org/fhir/../admin, false",
      "https://ehr.example.org/other, false",
      "https://user@ehr.example.org/fhir/Observation, false"})
  void theTokenGoesOnlyToTheServerAndBelowItsBase(String uri, boolean served) throws Exception {
    FhirAccess access = FhirAccess.of(request("https://ehr.example.org/fhir", "t", null));
    assertThat(access.serves(URI.create(uri))).isEqualTo(served);
  }
}
