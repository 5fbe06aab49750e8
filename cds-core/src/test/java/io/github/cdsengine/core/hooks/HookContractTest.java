package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.testing.Conformance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service answers only requests of its hook that carry what the hook's definition requires
 * (CDS Hooks hook catalogue: patient-view, order-select and order-sign 1.0).
 */
class HookContractTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SOURCE = "POST /cds-services/test";

  static final String ORDER = """
      {"resourceType": "MedicationRequest", "id": "%s", "status": "draft", "intent": "order",
       "medicationCodeableConcept": {"coding": [{"system":
         "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]},
       "subject": {"reference": "Patient/p1"}, "authoredOn": "2022-12-13"}""";

  static CdsService service(String hook) {
    return new CdsService(hook, "Test", "A test service", "test", Map.of(), null);
  }

  /**
   * A complete request of {@code hook}, changed by {@code change}: userId and patientId, and for
   * the order hooks two draft orders, {@code MedicationRequest/m1} and {@code m2}, with {@code
   * m2} selected for order-select.
   */
  static CdsHooksRequest request(String hook, Consumer<ObjectNode> change) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("hook", hook).put("hookInstance", "h-1");
    ObjectNode context = root.putObject("context").put("userId", "Practitioner/u1")
        .put("patientId", "p1");
    if (!hook.equals("patient-view")) {
      ObjectNode bundle = context.putObject("draftOrders").put("resourceType", "Bundle")
          .put("type", "collection");
      ArrayNode entries = bundle.putArray("entry");
      entries.addObject().set("resource", JSON.readTree(ORDER.formatted("m1")));
      entries.addObject().set("resource", JSON.readTree(ORDER.formatted("m2")));
    }
    if (hook.equals("order-select")) {
      context.putArray("selections").add("MedicationRequest/m2");
    }
    root.putObject("prefetch").putObject("patient").put("resourceType", "Patient")
        .put("id", "p1").put("birthDate", "1960-04-01");
    change.accept(root);
    return FhirReader.create().readCdsHooksRequest(new ByteArrayInputStream(
        JSON.writeValueAsBytes(root)), "request.json");
  }

  static ObjectNode context(ObjectNode root) {
    return (ObjectNode) root.get("context");
  }

  static InvalidDataException refusal(String hook, Consumer<ObjectNode> change)
      throws IOException {
    CdsHooksRequest request = request(hook, change);
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> service(hook).check(request, SOURCE));
    assertThat(thrown).isInstanceOf(InvalidDataException.class);
    InvalidDataException e = (InvalidDataException) thrown;
    assertThat(e.source()).isEqualTo(SOURCE);
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {"patient-view", "order-select", "order-sign"})
  void aCompleteRequestOfTheServicesHookIsAnswered(String hook) throws IOException {
    CdsHooksRequest request = request(hook, root -> { });
    assertThatCode(() -> service(hook).check(request, SOURCE)).doesNotThrowAnyException();
  }

  @Test
  void aRequestOfAnotherHookIsRefused() throws IOException {
    CdsHooksRequest request = request("order-sign", root -> { });
    assertThatThrownBy(() -> service("order-select").check(request, SOURCE))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.hook");
          assertThat(e.getMessage()).contains("'order-select'", "'order-sign'", "'test'");
        });
    assertThatThrownBy(() -> service("patient-view").check(request, SOURCE))
        .isInstanceOfSatisfying(InvalidDataException.class,
            e -> assertThat(e.path()).isEqualTo("$.hook"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"patient-view", "order-select", "order-sign"})
  void everyShippedHookRequiresTheUser(String hook) throws IOException {
    InvalidDataException e = refusal(hook, root -> context(root).remove("userId"));
    assertThat(e.path()).isEqualTo("$.context.userId");
    assertThat(e.getMessage()).contains(hook, "userId");
    assertThat(refusal(hook, root -> context(root).put("userId", "")).path())
        .isEqualTo("$.context.userId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-select", "order-sign"})
  void theOrderHooksRequireDraftOrders(String hook) throws IOException {
    InvalidDataException missing = refusal(hook, root -> context(root).remove("draftOrders"));
    assertThat(missing.path()).isEqualTo("$.context.draftOrders");
    assertThat(missing.getMessage()).contains(hook, "draftOrders");
    // A Bundle with no order in it holds nothing to act on.
    InvalidDataException empty = refusal(hook, root -> ((ObjectNode) context(root)
        .get("draftOrders")).remove("entry"));
    assertThat(empty.path()).isEqualTo("$.context.draftOrders");
  }

  @Test
  void orderSelectRequiresSelectionsThatNameDraftOrders() throws IOException {
    assertThat(refusal("order-select", root -> context(root).remove("selections")).path())
        .isEqualTo("$.context.selections");
    assertThat(refusal("order-select", root -> context(root).putArray("selections")).path())
        .isEqualTo("$.context.selections");
    InvalidDataException unknown = refusal("order-select", root -> context(root)
        .putArray("selections").add("MedicationRequest/m2").add("MedicationRequest/m9"));
    assertThat(unknown.path()).isEqualTo("$.context.selections[1]");
    assertThat(unknown.getMessage()).contains("'MedicationRequest/m9'",
        "MedicationRequest/m1, MedicationRequest/m2");
    // order-sign has no selections to check.
    CdsHooksRequest signing = request("order-sign", root -> { });
    assertThatCode(() -> service("order-sign").check(signing, SOURCE))
        .doesNotThrowAnyException();
  }

  @Test
  void patientViewNeedsNoDraftOrdersAndOtherHooksOnlyThePatient() throws IOException {
    CdsHooksRequest viewing = request("patient-view", root -> { });
    assertThat(viewing.context().draftOrders()).isEmpty();
    assertThatCode(() -> service("patient-view").check(viewing, SOURCE))
        .doesNotThrowAnyException();
    CdsHooksRequest starting = request("encounter-start", root -> context(root).remove("userId"));
    assertThatCode(() -> service("encounter-start").check(starting, SOURCE))
        .doesNotThrowAnyException();
  }

  /** The CDC opioid reference requests hold what their hooks require. */
  @TestFactory
  Stream<DynamicTest> everyOpioidReferenceRequestMeetsItsHooksContract() throws IOException {
    if (Conformance.find("opioid-cds/requests").isEmpty()) {
      return Conformance.skipped("opioid-cds/requests");
    }
    Path requests = Conformance.directory("opioid-cds/requests");
    List<Path> files = Conformance.jsonFiles(requests);
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    return files.stream().map(file -> DynamicTest.dynamicTest(
        requests.relativize(file).toString(), () -> {
          CdsHooksRequest request;
          try (InputStream in = Files.newInputStream(file)) {
            request = FhirReader.create().readCdsHooksRequest(in, file.toString());
          }
          service(request.hook()).check(request, file.toString());
          if (request.hook().equals("order-select")) {
            assertThat(request.draftOrders()).containsExactlyElementsOf(
                request.context().selections());
          } else {
            assertThat(request.draftOrders()).isEqualTo(request.context().draftOrders());
          }
        }));
  }

  @Test
  void theCheckNamesItsArguments() throws IOException {
    CdsHooksRequest request = request("patient-view", root -> { });
    assertThatThrownBy(() -> service("patient-view").check(null, SOURCE))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("request");
    assertThatThrownBy(() -> service("patient-view").check(request, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
  }
}
