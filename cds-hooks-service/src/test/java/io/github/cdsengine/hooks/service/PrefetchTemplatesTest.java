package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prefetch tokens as CDS Hooks 2.0 defines them, and what a token without a value means. */
class PrefetchTemplatesTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode context(String userId) throws Exception {
    return JSON.readTree("{\"patientId\": \"Patient/p-1\", \"encounterId\": \"e.7\", "
        + "\"userId\": \"" + userId + "\", \"count\": 3, \"draftOrders\": {}}");
  }

  @ParameterizedTest(name = "{0} for {1}")
  @CsvSource(delimiter = '|', value = {
      "Patient/{{context.patientId}}|Practitioner/u-1|Patient/p-1",
      "/Condition?patient={{ context.patientId }}&clinical-status=active|Practitioner/u-1"
          + "|Condition?patient=p-1&clinical-status=active",
      "Encounter/{{context.encounterId}}|Practitioner/u-1|Encounter/e.7",
      "{{context.userId}}|Practitioner/u-1|Practitioner/u-1",
      "Practitioner/{{userPractitionerId}}|Practitioner/u-1|Practitioner/u-1",
      "PractitionerRole?_id={{userPractitionerRoleId}}|PractitionerRole/r-2"
          + "|PractitionerRole?_id=r-2",
      "Patient/{{userPatientId}}|Patient/p-1|Patient/p-1",
      "RelatedPerson/{{userRelatedPersonId}}|RelatedPerson/rp|RelatedPerson/rp",
      "Observation?patient={{context.patientId}}&_count={{context.count}}|Practitioner/u-1"
          + "|Observation?patient=p-1&_count=3"})
  void tokensAreReplacedFromTheContext(String template, String userId, String query)
      throws Exception {
    assertThat(PrefetchTemplates.expand(template, context(userId), "p-1"))
        .isEqualTo(new PrefetchTemplates.Query(query));
  }

  @ParameterizedTest(name = "{0} for {1}")
  @CsvSource(delimiter = '|', value = {
      "Practitioner/{{userPractitionerId}}|Patient/p-1|userPractitionerId",
      "Procedure?encounter={{context.appointmentId}}|Practitioner/u-1|context.appointmentId",
      "Bundle?x={{context.draftOrders}}|Practitioner/u-1|context.draftOrders"})
  void aTokenTheRequestGivesNoValueForLeavesTheTemplateWithoutData(String template,
      String userId, String token) throws Exception {
    assertThat(PrefetchTemplates.expand(template, context(userId), "p-1"))
        .isEqualTo(new PrefetchTemplates.NoData(token));
  }

  @ParameterizedTest(name = "{0} for {1}")
  @CsvSource(delimiter = '|', value = {
      "Patient/{{patient}}|Practitioner/u-1|is not a prefetch token",
      "Practitioner/{{userPractitionerId}}|Practitioner/a b|is not a FHIR id",
      "Practitioner/{{userPractitionerId}}|Practitioner/..|is not a FHIR id",
      "Practitioner/{{userPractitionerId}}|Practitioner/x&_id=y|is not a FHIR id"})
  void aTokenThatCannotMakeAQueryIsRefused(String template, String userId, String reason)
      throws Exception {
    assertThat(PrefetchTemplates.expand(template, context(userId), "p-1"))
        .isInstanceOfSatisfying(PrefetchTemplates.Unusable.class,
            u -> assertThat(u.reason()).contains(reason));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "Observation?patient=1&_count=1&_sort=-date, true",
      "Observation?_count=5, true",
      "Observation?patient=1, false",
      "Observation?patient=1&x_count=1, false",
      "Patient/1, false"})
  void aQueryWithItsOwnCountKeepsItsFirstPage(String query, boolean counts) {
    assertThat(PrefetchTemplates.countsItself(query)).isEqualTo(counts);
  }
}
