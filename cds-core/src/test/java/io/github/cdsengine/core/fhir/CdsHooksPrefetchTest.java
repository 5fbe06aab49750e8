package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.CdsHooksRequestTest.REQUEST;
import static io.github.cdsengine.core.fhir.CdsHooksRequestTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.PrefetchStatus;
import io.github.cdsengine.core.hooks.PrefetchStatus.Kind;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every form a client sends a prefetch result in, and what the request records for each key:
 * present, empty ({@code null}), absent, failed (an OperationOutcome or a CDS Hooks 1.0 wrapped
 * non-2xx response) or incomplete (a Bundle with a {@code next} link).
 */
class CdsHooksPrefetchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The old order of {@link CdsHooksRequestTest#REQUEST}'s {@code meds} Bundle, on its own. */
  private static final String OLD_ORDER = """
      {"resourceType": "MedicationRequest", "id": "old-1", "status": "active", "intent": "order",
       "medicationCodeableConcept": {"coding": [{"system":
         "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197696"}]},
       "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-10-01"}""";

  private static final String OUTCOME = """
      {"resourceType": "OperationOutcome", "id": "oo-1",
       "text": {"status": "generated", "div": "<div>Jane Roe, born 1960-04-01</div>"},
       "issue": [{"severity": "error", "code": "timeout",
                  "details": {"text": "The search took too long"},
                  "expression": ["MedicationRequest.subject"]},
                 {"severity": "warning", "code": "too-costly",
                  "diagnostics": "Narrow the search"}]}""";

  /** {@link CdsHooksRequestTest#REQUEST} with its {@code meds} value replaced. */
  private static CdsHooksRequest withMeds(String meds) {
    int start = REQUEST.indexOf("\"meds\": ") + "\"meds\": ".length();
    int end = REQUEST.lastIndexOf(",", REQUEST.indexOf("\"conditions\""));
    return read(REQUEST.substring(0, start) + meds + REQUEST.substring(end));
  }

  private static List<String> orders(CdsHooksRequest request) {
    return request.record().medicationRequests().stream().map(MedicationRequest::id).toList();
  }

  @Test
  void eachKeyRecordsWhatItHeldInRequestOrder() {
    CdsHooksRequest request = read(REQUEST);

    assertThat(request.prefetch()).containsExactly(
        Map.entry("patient", PrefetchStatus.present()),
        Map.entry("meds", PrefetchStatus.present()),
        Map.entry("conditions", PrefetchStatus.empty()));
    assertThat(request.missing(List.of("patient", "meds", "conditions"))).isEmpty();
  }

  @Test
  void aSingleResourceIsPresentAndRead() {
    CdsHooksRequest request = withMeds(OLD_ORDER);

    assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.present());
    assertThat(orders(request)).containsExactlyInAnyOrder("draft-1", "old-1");
    assertThat(request.warnings()).isEmpty();
  }

  @Test
  void nullIsAnEmptyResultNotMissingData() {
    CdsHooksRequest request = withMeds("null");

    assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.empty());
    assertThat(request.prefetch().get("meds").complete()).isTrue();
    assertThat(request.missing(List.of("meds"))).isEmpty();
    assertThat(orders(request)).containsExactly("draft-1");
    assertThat(request.warnings()).isEmpty();
  }

  @Test
  void aDeclaredKeyTheRequestLacksIsAbsentAndMissing() {
    CdsHooksRequest request = read(REQUEST);

    assertThat(request.prefetch()).doesNotContainKey("allergies");
    assertThat(request.missing(List.of("allergies", "patient", "encounter")))
        .containsExactly(Map.entry("allergies", PrefetchStatus.absent()),
            Map.entry("encounter", PrefetchStatus.absent()));
    assertThatThrownBy(() -> request.missing(java.util.Arrays.asList("patient", null)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void anOperationOutcomeIsAFailureKeepingItsIssuesTextButNoPatientData() {
    CdsHooksRequest request = withMeds(OUTCOME);

    PrefetchStatus meds = request.prefetch().get("meds");
    assertThat(meds.kind()).isEqualTo(Kind.FAILED);
    assertThat(meds.detail()).isEqualTo("error timeout: The search took too long; "
        + "warning too-costly: Narrow the search");
    assertThat(meds.complete()).isFalse();
    assertThat(request.missing(List.of("patient", "meds"))).containsOnlyKeys("meds");
    assertThat(orders(request)).containsExactly("draft-1");
    assertThat(request.skipped()).doesNotContainKey("OperationOutcome");
    assertThat(request.warnings()).singleElement().satisfies(w -> {
      assertThat(w.type() + "/" + w.id()).isEqualTo("Patient/p1");
      assertThat(w.message()).contains("prefetch 'meds' failed", "an OperationOutcome")
          .doesNotContain("too long", "Jane", "1960");
    });
  }

  @Test
  void aBundleWithANextLinkIsIncompleteItsFirstPageReadWithAWarning() {
    CdsHooksRequest request = withMeds("""
        {"resourceType": "Bundle", "type": "searchset", "total": 40,
         "link": [{"relation": "self", "url": "MedicationRequest?patient=p1"},
                  {"relation": "next", "url": "MedicationRequest?patient=p1&page=2"}],
         "entry": [{"resource": %s}]}""".formatted(OLD_ORDER));

    PrefetchStatus meds = request.prefetch().get("meds");
    assertThat(meds.kind()).isEqualTo(Kind.INCOMPLETE);
    assertThat(meds.detail()).contains("next link", "1 entries").doesNotContain("p1", "page=2");
    assertThat(request.missing(List.of("meds"))).containsOnlyKeys("meds");
    assertThat(orders(request)).containsExactlyInAnyOrder("draft-1", "old-1");
    assertThat(request.warnings()).singleElement().satisfies(w -> assertThat(w.message())
        .contains("prefetch 'meds'", "next link", "first page").doesNotContain("page=2"));
  }

  @Test
  void aBundleWithOnlyASelfLinkIsPresent() {
    CdsHooksRequest request = withMeds("""
        {"resourceType": "Bundle", "type": "searchset", "total": 1,
         "link": [{"relation": "self", "url": "MedicationRequest?patient=p1"}],
         "entry": [{"resource": %s}]}""".formatted(OLD_ORDER));

    assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.present());
  }

  @Test
  void theWrappedFormOfCdsHooks10IsUnwrapped() {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "200 OK"}, "resource": %s}""".formatted(OLD_ORDER));

    assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.present());
    assertThat(orders(request)).containsExactlyInAnyOrder("draft-1", "old-1");
    assertThat(request.warnings()).isEmpty();
  }

  @Test
  void aWrappedBundleWithANextLinkIsIncomplete() {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "200"}, "resource": {"resourceType": "Bundle",
         "type": "searchset", "link": [{"relation": "next", "url": "x"}],
         "entry": [{"resource": %s}]}}""".formatted(OLD_ORDER));

    assertThat(request.prefetch().get("meds").kind()).isEqualTo(Kind.INCOMPLETE);
    assertThat(orders(request)).containsExactlyInAnyOrder("draft-1", "old-1");
  }

  @Test
  void aWrappedSuccessWithNoResourceIsEmpty() {
    assertThat(withMeds("{\"response\": {\"status\": \"200 OK\"}}").prefetch().get("meds"))
        .isEqualTo(PrefetchStatus.empty());
    assertThat(withMeds("{\"response\": {\"status\": \"200 OK\"}, \"resource\": null}")
        .prefetch().get("meds")).isEqualTo(PrefetchStatus.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"404 Not Found", "500", "301 Moved Permanently", "199"})
  void aWrappedStatusThatIsNot2xxIsAFailureAndItsResourceIsNotRead(String status) {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "%s"}, "resource": %s}""".formatted(status, OLD_ORDER));

    assertThat(request.prefetch().get("meds"))
        .isEqualTo(PrefetchStatus.failed("response.status '" + status + "'"));
    assertThat(orders(request)).containsExactly("draft-1");
    assertThat(request.warnings()).singleElement().satisfies(w -> assertThat(w.message())
        .contains("prefetch 'meds' failed", "response.status '" + status + "'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"200 OK", "201 Created", "204", "299"})
  void aWrapped2xxStatusIsASuccess(String status) {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "%s"}, "resource": %s}""".formatted(status, OLD_ORDER));

    assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.present());
  }

  @Test
  void aWrappedFailureWithAnOperationOutcomeKeepsBoth() {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "503 Service Unavailable"}, "resource": %s}"""
        .formatted(OUTCOME));

    assertThat(request.prefetch().get("meds").detail()).isEqualTo(
        "response.status '503 Service Unavailable'; error timeout: The search took too long; "
            + "warning too-costly: Narrow the search");
  }

  @Test
  void aWrappedSuccessHoldingAnOperationOutcomeIsAFailure() {
    CdsHooksRequest request = withMeds("""
        {"response": {"status": "200 OK"}, "resource": %s}""".formatted(OUTCOME));

    assertThat(request.prefetch().get("meds").kind()).isEqualTo(Kind.FAILED);
  }

  @Test
  void aWrappedValueThatIsNotAResultIsAnErrorAtItsPath() {
    assertThatThrownBy(() -> withMeds("{\"response\": {\"status\": \"OK\"}, \"resource\": null}"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.prefetch.meds.response.status");
          assertThat(e.getMessage()).contains("'OK'");
        });
    assertThatThrownBy(() -> withMeds("{\"response\": {\"status\": \"200 OK\"}, \"resource\": 7}"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.meds.resource"));
    assertThatThrownBy(() -> withMeds("{\"response\": \"200 OK\", \"resource\": null}"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.meds.response"));
    assertThatThrownBy(() -> withMeds("\"MedicationRequest/old-1\""))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.meds"));
    assertThatThrownBy(() -> withMeds("{\"id\": \"x\"}"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.meds.resourceType"));
  }

  @Test
  void aMalformedOperationOutcomeIsAnErrorAtItsPath() {
    assertThatThrownBy(() -> withMeds("""
        {"resourceType": "OperationOutcome", "issue": [{"severity": 3, "code": "x"}]}"""))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.prefetch.meds.issue[0].severity"));
  }

  @Test
  void anOperationOutcomeWithNoIssueTextIsStillAFailure() {
    assertThat(withMeds("{\"resourceType\": \"OperationOutcome\", \"issue\": "
        + "[{\"severity\": \"fatal\", \"code\": \"exception\"}]}").prefetch().get("meds"))
        .isEqualTo(PrefetchStatus.failed("fatal exception"));
    assertThat(withMeds("{\"resourceType\": \"OperationOutcome\"}").prefetch().get("meds"))
        .isEqualTo(PrefetchStatus.failed("an OperationOutcome with no issue"));
  }

  @Test
  void anIssuesTextIsCutAndItsControlCharactersShown() {
    String longText = "x".repeat(400);
    PrefetchStatus status = withMeds("{\"resourceType\": \"OperationOutcome\", \"issue\": "
        + "[{\"severity\": \"error\", \"code\": \"x\", \"diagnostics\": \"a\\u0007b "
        + longText + "\"}]}").prefetch().get("meds");
    assertThat(status.detail()).startsWith("error x: a\\u0007b xxx").endsWith("...")
        .hasSizeLessThan(330);
  }

  @Test
  void aResourceOfAnotherPatientIsLeftOutInEveryForm() {
    String foreign = OLD_ORDER.replace("Patient/p1", "http://ehr.example/fhir/Patient/p2");
    List<String> forms = List.of(foreign,
        "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [{\"resource\": "
            + foreign + "}]}",
        "{\"response\": {\"status\": \"200 OK\"}, \"resource\": " + foreign + "}");
    for (String form : forms) {
      CdsHooksRequest request = withMeds(form);
      assertThat(orders(request)).as(form).containsExactly("draft-1");
      assertThat(request.prefetch().get("meds")).isEqualTo(PrefetchStatus.present());
      assertThat(request.warnings()).as(form).singleElement().satisfies(w -> {
        assertThat(w.toString()).startsWith("MedicationRequest/old-1: prefetched under 'meds'");
        assertThat(w.message()).doesNotContain("p2", "197696");
      });
    }
  }

  @Test
  void anImmunizationOfAnotherPatientIsLeftOutByItsPatientField() {
    CdsHooksRequest request = withMeds("""
        {"resourceType": "Immunization", "id": "imm-1", "status": "completed",
         "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
         "patient": {"reference": "Patient/p2/_history/4"}, "occurrenceDateTime": "2022-10-01"}""");

    assertThat(request.record().immunizations()).isEmpty();
    assertThat(request.warnings()).extracting(DataWarning::id).containsExactly("imm-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://ehr.example/fhir/Patient/p1", "Patient/p1/_history/3",
      "http://ehr.example/fhir/Patient/p1/_history/3"})
  void aResourceOfThisPatientByAVersionedOrAbsoluteReferenceIsKept(String reference) {
    CdsHooksRequest request = withMeds(OLD_ORDER.replace("Patient/p1", reference));

    assertThat(orders(request)).containsExactlyInAnyOrder("draft-1", "old-1");
    assertThat(request.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Medication/m1", "Medication/m1/_history/2",
      "http://ehr.example/fhir/Medication/m1", "http://ehr.example/fhir/Medication/m1/_history/2"})
  void aMedicationReferenceResolvesToAMedicationPrefetchedWithItsOrder(String reference) {
    CdsHooksRequest request = withMeds("""
        {"resourceType": "Bundle", "type": "searchset", "entry": [
          {"search": {"mode": "match"}, "resource": {"resourceType": "MedicationRequest",
           "id": "old-1", "status": "active", "intent": "order",
           "medicationReference": {"reference": "%s"},
           "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-10-01"}},
          {"fullUrl": "http://ehr.example/fhir/Medication/m1", "search": {"mode": "include"},
           "resource": {"resourceType": "Medication", "id": "m1", "code": {"coding": [{"system":
             "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197696"}]}}}]}"""
        .formatted(reference));

    assertThat(request.warnings()).isEmpty();
    assertThat(request.record().medicationRequests())
        .filteredOn(m -> m.id().equals("old-1")).singleElement()
        .satisfies(m -> assertThat(m.medication().codings()).extracting(c -> c.code())
            .containsExactly("197696"));
  }

  @Test
  void aStatusOfAFailureOrAPartialResultSaysWhyAndNoOtherDoes() {
    assertThatThrownBy(() -> PrefetchStatus.failed(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FAILED");
    assertThatThrownBy(() -> new PrefetchStatus(Kind.PRESENT, "why"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'why'");
    assertThatThrownBy(() -> new PrefetchStatus(null, ""))
        .isInstanceOf(NullPointerException.class);
    assertThat(PrefetchStatus.absent().complete()).isFalse();
    assertThat(PrefetchStatus.incomplete("a page").complete()).isFalse();
  }

  @Test
  void aRequestRefusesAnAbsentStatusForAKeyItHolds() {
    CdsHooksRequest read = read(REQUEST);
    assertThatThrownBy(() -> new CdsHooksRequest(read.hook(), read.hookInstance(),
        read.context(), read.record(), read.skipped(), Map.of("meds", PrefetchStatus.absent())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'meds'");
    assertThat(new CdsHooksRequest(read.hook(), read.hookInstance(), read.context(),
        read.record(), read.skipped()).prefetch()).isEmpty();
  }

  // A real request of the CDC opioid reference (recommendation 7), rewritten to each form.

  private static final String REC_07 =
      "requests/OpioidCDSREC07/request-example-rec-07-seven-of-past-ten-days.json";

  private static ObjectNode rec07() throws IOException {
    Path file = Conformance.directory("opioid-cds").resolve(REC_07);
    return (ObjectNode) JSON.readTree(file.toFile());
  }

  private static CdsHooksRequest readJson(JsonNode request) {
    return read(request.toString());
  }

  /** The request with each prefetch value replaced by {@code form} of it. */
  private static ObjectNode rewritten(ObjectNode request, UnaryOperator<JsonNode> form) {
    ObjectNode copy = request.deepCopy();
    ObjectNode prefetch = (ObjectNode) copy.get("prefetch");
    List<String> keys = new ArrayList<>();
    prefetch.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      prefetch.set(key, form.apply(prefetch.get(key)));
    }
    return copy;
  }

  private static JsonNode searchset(JsonNode value) {
    ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle")
        .put("type", "searchset");
    ArrayNode entries = bundle.putArray("entry");
    if (!value.isNull()) {
      entries.addObject().put("fullUrl", "http://ehr.example/fhir/"
          + value.path("resourceType").asText() + "/" + value.path("id").asText())
          .set("resource", value);
    }
    bundle.put("total", entries.size());
    return bundle;
  }

  private static JsonNode wrapped(JsonNode value) {
    ObjectNode wrapped = JSON.createObjectNode();
    wrapped.putObject("response").put("status", "200 OK");
    wrapped.set("resource", value);
    return wrapped;
  }

  /** What the reader should record for each key of a request as the reference sent it. */
  private static Map<String, PrefetchStatus> statuses(JsonNode request) {
    Map<String, PrefetchStatus> statuses = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> items = request.get("prefetch").fields();
        items.hasNext(); ) {
      Map.Entry<String, JsonNode> item = items.next();
      statuses.put(item.getKey(), item.getValue().isNull()
          ? PrefetchStatus.empty() : PrefetchStatus.present());
    }
    return statuses;
  }

  @Test
  void aReferenceRequestReadsAlikeAsResourcesSearchsetsAndWrappedResults() throws IOException {
    ObjectNode original = rec07();
    CdsHooksRequest asSent = readJson(original);
    assertThat(asSent.prefetch()).hasSize(14)
        .containsExactlyEntriesOf(statuses(original));
    assertThat(asSent.prefetch().values()).filteredOn(PrefetchStatus::complete).hasSize(14);
    assertThat(asSent.missing(asSent.prefetch().keySet())).isEmpty();
    assertThat(asSent.record().medicationRequests()).hasSize(2);

    // Nulls stay null in the searchset form: CDS Hooks sends null, not an empty Bundle, but an
    // empty searchset means the same and is read as a present, empty result.
    ObjectNode inBundles = rewritten(original, v -> v.isNull() ? v : searchset(v));
    ObjectNode emptyBundles = rewritten(original, CdsHooksPrefetchTest::searchset);
    ObjectNode wrappedResults = rewritten(original, CdsHooksPrefetchTest::wrapped);
    for (ObjectNode form : List.of(inBundles, emptyBundles, wrappedResults)) {
      CdsHooksRequest request = readJson(form);
      assertThat(request.record()).as(form.get("prefetch").toString())
          .isEqualTo(asSent.record());
      assertThat(request.draftOrders()).isEqualTo(asSent.draftOrders());
    }
    assertThat(readJson(inBundles).prefetch()).isEqualTo(asSent.prefetch());
    assertThat(readJson(wrappedResults).prefetch()).isEqualTo(asSent.prefetch());
    assertThat(readJson(emptyBundles).prefetch().values()).containsOnly(PrefetchStatus.present());
  }

  @Test
  void aReferenceRequestWithEachFailureFormSaysSoForThatKeyOnly() throws IOException {
    ObjectNode original = rec07();
    CdsHooksRequest asSent = readJson(original);
    String orderOnRecord = original.get("prefetch").get("item1").path("id").asText();

    ObjectNode withOutcome = original.deepCopy();
    ((ObjectNode) withOutcome.get("prefetch")).set("item1", JSON.readTree(OUTCOME));
    ObjectNode with404 = original.deepCopy();
    ((ObjectNode) with404.get("prefetch")).set("item1", JSON.createObjectNode()
        .set("response", JSON.createObjectNode().put("status", "404 Not Found")));
    ObjectNode withoutKey = original.deepCopy();
    ((ObjectNode) withoutKey.get("prefetch")).remove("item1");
    ObjectNode withNextPage = original.deepCopy();
    ObjectNode page = (ObjectNode) searchset(original.get("prefetch").get("item1"));
    page.putArray("link").addObject().put("relation", "next").put("url", "page-2");
    ((ObjectNode) withNextPage.get("prefetch")).set("item1", page);

    List<String> declared = List.copyOf(asSent.prefetch().keySet());
    CdsHooksRequest failed = readJson(withOutcome);
    assertThat(failed.missing(declared)).containsOnlyKeys("item1");
    assertThat(failed.missing(declared).get("item1").kind()).isEqualTo(Kind.FAILED);
    assertThat(failed.record().medicationRequests()).extracting(MedicationRequest::id)
        .doesNotContain(orderOnRecord).hasSize(1);
    assertThat(readJson(with404).missing(declared)).containsExactly(
        Map.entry("item1", PrefetchStatus.failed("response.status '404 Not Found'")));
    assertThat(readJson(withoutKey).missing(declared))
        .containsExactly(Map.entry("item1", PrefetchStatus.absent()));
    assertThat(readJson(withoutKey).warnings()).isEqualTo(asSent.warnings());
    CdsHooksRequest partial = readJson(withNextPage);
    assertThat(partial.missing(declared).get("item1").kind()).isEqualTo(Kind.INCOMPLETE);
    assertThat(partial.missing(declared)).hasSize(1);
    assertThat(withoutWarnings(partial.record())).isEqualTo(withoutWarnings(asSent.record()));
  }

  private static PatientRecord withoutWarnings(PatientRecord record) {
    return new PatientRecord(record.patient(), record.conditions(), record.observations(),
        record.medicationRequests(), record.procedures(), record.immunizations(),
        record.encounters(), record.allergies(), record.serviceRequests(),
        record.deviceRequests(), record.carePlans(), record.medicationDispenses(),
        record.adverseEvents(), record.draftOrders(), List.of());
  }
}
