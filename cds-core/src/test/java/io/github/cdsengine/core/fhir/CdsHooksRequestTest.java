package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.testing.TestRules;
import io.github.cdsengine.core.testing.Conformance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import io.github.cdsengine.core.hooks.CdsHooksRequest;

/** CDS Hooks requests become a patient record plus the orders being written. */
class CdsHooksRequestTest {

  static final FhirReader READER = FhirReader.create();

  static final String REQUEST = """
      {"hookInstance": "h-1", "hook": "order-sign",
       "context": {"userId": "Practitioner/u1", "patientId": "Patient/p1",
         "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [
           {"resource": {"resourceType": "MedicationRequest", "id": "draft-1",
             "status": "draft", "intent": "order",
             "medicationCodeableConcept": {"coding": [{"system":
               "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]},
             "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-12-13"}}]}},
       "prefetch": {
         "patient": {"resourceType": "Patient", "id": "p1", "birthDate": "1960-04-01"},
         "meds": {"resourceType": "Bundle", "type": "searchset", "entry": [
           {"resource": {"resourceType": "MedicationRequest", "id": "old-1",
             "status": "active", "intent": "order",
             "medicationCodeableConcept": {"coding": [{"system":
               "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197696"}]},
             "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-10-01"}}]},
         "conditions": null}}
      """;

  static CdsHooksRequest read(String json) {
    return READER.readCdsHooksRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "request.json");
  }

  @Test
  void readsContextPrefetchAndDraftOrders() {
    CdsHooksRequest request = read(REQUEST);
    assertThat(request.hook()).isEqualTo("order-sign");
    assertThat(request.hookInstance()).isEqualTo("h-1");
    assertThat(request.patientId()).isEqualTo("p1");
    assertThat(request.context().userId()).isEqualTo("Practitioner/u1");
    assertThat(request.record().medicationRequests()).extracting(m -> m.id())
        .containsExactlyInAnyOrder("draft-1", "old-1");
    assertThat(request.draftOrders()).containsExactly("MedicationRequest/draft-1");
    assertThat(request.warnings()).isEmpty();
  }

  @Test
  void aRequestWithoutAPrefetchedPatientStillEvaluatesWithAWarning() {
    CdsHooksRequest request = read(REQUEST.replace(
        "\"patient\": {\"resourceType\": \"Patient\", \"id\": \"p1\", \"birthDate\": \"1960-04-01\"},",
        ""));
    assertThat(request.record().patient().id()).isEqualTo("p1");
    assertThat(request.record().patient().birthDate()).isNull();
    assertThat(request.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("no Patient resource"));
  }

  @Test
  void trailingContentAfterTheRequestIsRefused() {
    assertThatThrownBy(() -> read(REQUEST + "\n}"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.getMessage()).contains("not valid JSON");
        });
  }

  @Test
  void errorsNameTheirPlaceInTheRequest() {
    assertThatThrownBy(() -> read(REQUEST.replace("\"status\": \"draft\"", "\"status\": 3")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.context.draftOrders.entry[0].resource.status"));
    assertThatThrownBy(() -> read(REQUEST.replace("\"2022-10-01\"", "\"2022-02-30\"")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.prefetch.meds.entry[0].resource.authoredOn"));
    assertThatThrownBy(() -> read(REQUEST.replace("\"conditions\": null", "\"conditions\": 7")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.conditions"));
    assertThatThrownBy(() -> read(REQUEST.replace("\"hook\": \"order-sign\",", "")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.hook"));
  }

  @TestFactory
  Stream<DynamicTest> everyOpioidReferenceRequestReads() throws IOException {
    if (Conformance.find("opioid-cds/requests").isEmpty()) {
      return Conformance.skipped("opioid-cds/requests");
    }
    Path requests = Conformance.directory("opioid-cds/requests");
    List<Path> files = Conformance.jsonFiles(requests);
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    ObjectMapper json = new ObjectMapper();
    return files.stream().map(file -> DynamicTest.dynamicTest(
        requests.relativize(file).toString(), () -> {
          CdsHooksRequest request;
          try (InputStream in = Files.newInputStream(file)) {
            request = READER.readCdsHooksRequest(in, file.toString());
          }
          JsonNode raw = json.readTree(file.toFile());
          assertThat(request.hook()).isEqualTo(raw.path("hook").asText());
          assertThat(request.record().patient().id())
              .isEqualTo(raw.path("context").path("patientId").asText().replace("Patient/", ""));
          assertThat(request.draftOrders())
              .hasSize(raw.path("context").path("draftOrders").path("entry").size());
          for (JsonNode entry : raw.path("context").path("draftOrders").path("entry")) {
            JsonNode order = entry.path("resource");
            if (order.has("dosageInstruction")) {
              assertThat(request.record().medicationRequests())
                  .filteredOn(m -> m.id().equals(order.path("id").asText())).singleElement()
                  .satisfies(m -> assertThat(m.dosage())
                      .hasSize(order.path("dosageInstruction").size()));
            }
          }
        }));
  }

  @Test
  void aPrefetchedResourceNamingAnotherPatientIsLeftOutWithAWarningNotMergedIntoThisPatient() {
    String other = REQUEST.replace("\"subject\": {\"reference\": \"Patient/p1\"}, \"authoredOn\": \"2022-10-01\"",
        "\"subject\": {\"reference\": \"Patient/p2\"}, \"authoredOn\": \"2022-10-01\"");
    CdsHooksRequest request = read(other);
    assertThat(request.record().medicationRequests()).extracting(m -> m.id())
        .containsExactly("draft-1");
    assertThat(request.warnings()).singleElement().satisfies(w -> {
      assertThat(w.type()).isEqualTo("MedicationRequest");
      assertThat(w.id()).isEqualTo("old-1");
      assertThat(w.message()).contains("'meds'", "$.prefetch.meds.entry[0].resource",
          "other than the request's", "left out").doesNotContain("p2", "p1");
    });
  }

  @Test
  void aDraftOrderNamingAnotherPatientIsAnErrorNotTheRequestsPatient() {
    String other = REQUEST.replace("\"subject\": {\"reference\": \"Patient/p1\"}, \"authoredOn\": \"2022-12-13\"",
        "\"subject\": {\"reference\": \"Patient/p2\"}, \"authoredOn\": \"2022-12-13\"");
    assertThatThrownBy(() -> read(other))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e.path())
            .isEqualTo("$.context.draftOrders.entry[0].resource.subject.reference"));
  }

  @Test
  void aPatientIdThatIsNotThePrefetchedPatientIsNamed() {
    assertThatThrownBy(() -> read(REQUEST.replace("\"patientId\": \"Patient/p1\"",
            "\"patientId\": \"p9\"")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.context.patientId");
          assertThat(e.getMessage()).contains("'p9'", "[p1]");
        });
  }

  /** Two draft orders, one of them just selected: an order-select request. */
  static final String ORDER_SELECT = """
      {"hookInstance": "h-2", "hook": "order-select",
       "context": {"userId": "Practitioner/u1", "patientId": "p1",
         "selections": ["MedicationRequest/select-2"],
         "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [
           {"resource": {"resourceType": "MedicationRequest", "id": "context-1",
             "status": "draft", "intent": "order",
             "medicationCodeableConcept": {"coding": [{"system":
               "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197696"}]},
             "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-12-13"}},
           {"resource": {"resourceType": "MedicationRequest", "id": "select-2",
             "status": "draft", "intent": "order",
             "medicationCodeableConcept": {"coding": [{"system":
               "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]},
             "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-12-13"}}]}},
       "prefetch": {
         "patient": {"resourceType": "Patient", "id": "p1", "birthDate": "1960-04-01"}}}
      """;

  /**
   * order-select acts on the selected orders only: the other draft orders are context, in the
   * record but not marked, so rules see them as orders, not as the order being written.
   */
  @Test
  void orderSelectMarksOnlyTheSelectedOrdersAsBeingActedOn() {
    CdsHooksRequest request = read(ORDER_SELECT);
    assertThat(request.draftOrders()).containsExactly("MedicationRequest/select-2");
    assertThat(request.record().draftOrders()).containsExactly("MedicationRequest/select-2");
    assertThat(request.context().selections()).containsExactly("MedicationRequest/select-2");
    assertThat(request.context().draftOrders())
        .containsExactly("MedicationRequest/context-1", "MedicationRequest/select-2");
    assertThat(request.record().medicationRequests()).extracting(m -> m.id())
        .containsExactlyInAnyOrder("context-1", "select-2");

    // The same orders signed: every draft order is acted on.
    CdsHooksRequest signing = read(ORDER_SELECT.replace("\"order-select\"", "\"order-sign\""));
    assertThat(signing.draftOrders())
        .containsExactly("MedicationRequest/context-1", "MedicationRequest/select-2");
    assertThat(signing.context().draftOrders()).isEqualTo(signing.draftOrders());
  }

  @Test
  void rulesSeeOnlyTheSelectedOrderAsADraftOrder() {
    RuleFile rules = TestRules.file("selected.drl",
        TestRules.recommending("Order being selected", "being-selected", "USPSTF:A",
            "medication-safety", "info",
            "    DraftOrder(resourceType == \"MedicationRequest\", $id : id)\n"
                + "    MedicationRequest(id == $id)", "being selected"),
        TestRules.recommending("Unselected draft as context", "context-order", "USPSTF:A",
            "medication-safety", "info",
            "    MedicationRequest(id == \"context-1\")\n"
                + "    not DraftOrder(resourceType == \"MedicationRequest\", id == \"context-1\")",
            "context"));
    EvaluationContext at = EvaluationContext.on(LocalDate.of(2022, 12, 13), ZoneOffset.UTC);
    try (CdsEngine engine = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult selecting = engine.evaluate(read(ORDER_SELECT).record(), at);
      assertThat(selecting.recommendations()).extracting(Recommendation::id)
          .containsExactlyInAnyOrder("being-selected", "context-order");
      assertThat(selecting.recommendation("being-selected")).hasValueSatisfying(r -> assertThat(
          r.rationale()).extracting(MatchedFact::id).contains("select-2")
          .doesNotContain("context-1"));
      EvaluationResult signing = engine.evaluate(read(ORDER_SELECT.replace(
          "\"order-select\"", "\"order-sign\"")).record(), at);
      assertThat(signing.recommendations()).extracting(Recommendation::id)
          .containsExactly("being-selected");
    }
  }
}
