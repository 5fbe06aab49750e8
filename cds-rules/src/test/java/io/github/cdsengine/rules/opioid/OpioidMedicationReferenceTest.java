package io.github.cdsengine.rules.opioid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.PrefetchStatus;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order that names its drug by {@code medicationReference} gets the same cards as one that
 * codes it ({@code medicationCodeableConcept}), when the Medication comes with the request: in a
 * prefetch search that includes it (as the pack's services' templates ask), or in the draft
 * orders Bundle. The request is the CDC opioid reference's recommendation 7 case "seven of the
 * past ten days" (one card), rewritten.
 */
class OpioidMedicationReferenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      "requests/OpioidCDSREC07/request-example-rec-07-seven-of-past-ten-days.json";
  private static final String INCLUDE = "_include=MedicationRequest:medication";

  private static RulePack pack;
  private static CdsEngine engine;
  private static Path folder;

  @BeforeAll
  static void build() {
    folder = Conformance.directory("opioid-cds");
    pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    engine = CdsEngine.builder().addRulePack(pack)
        .addValueSets(folder.resolve("vocabulary/valueset")).build();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static ServiceDefinition service(String id) {
    return pack.services().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  private static CdsHooksRequest read(JsonNode request) {
    return FhirReader.create().readCdsHooksRequest(new ByteArrayInputStream(
        request.toString().getBytes(StandardCharsets.UTF_8)), "rewritten request");
  }

  private static List<Card> cards(CdsHooksRequest request) {
    EvaluationResult result = engine.evaluate(request.record(), OpioidCdsConformanceTest.CLOCK);
    assertThat(result.failures()).isEmpty();
    return CardMapper.create().withSuggestions(new OpioidSuggestions())
        .response(request, result, service("opioidcds-07")).cards();
  }

  private static ObjectNode original() throws IOException {
    return (ObjectNode) JSON.readTree(folder.resolve(REQUEST).toFile());
  }

  private static ObjectNode draftOrder(ObjectNode request) {
    return (ObjectNode) request.get("context").get("draftOrders").get("entry").get(0)
        .get("resource");
  }

  /** A Medication coded as {@code order} codes its drug. */
  private static ObjectNode medication(String id, JsonNode order) {
    ObjectNode medication = JSON.createObjectNode().put("resourceType", "Medication")
        .put("id", id);
    medication.set("code", order.get("medicationCodeableConcept").deepCopy());
    return medication;
  }

  /** {@code order} naming its drug by {@code reference} instead of by code. */
  private static void byReference(ObjectNode order, String reference) {
    order.remove("medicationCodeableConcept");
    order.putObject("medicationReference").put("reference", reference);
  }

  /**
   * The request as a client satisfying the pack's {@code medicationRequests} template sends it:
   * a searchset of the orders on record with the Medications they name ({@code search.mode}
   * {@code include}). The draft order's Medication comes in the same search (the EHR holds the
   * order being signed as a draft).
   */
  private static ObjectNode withIncludedMedications() throws IOException {
    ObjectNode request = original();
    ObjectNode prefetch = (ObjectNode) request.get("prefetch");
    ObjectNode onRecord = (ObjectNode) prefetch.get("item1");
    ObjectNode draft = draftOrder(request);
    ObjectNode searchset = JSON.createObjectNode().put("resourceType", "Bundle")
        .put("type", "searchset");
    ArrayNode entries = searchset.putArray("entry");
    entries.addObject().set("resource", onRecord.deepCopy());
    entries.addObject().<ObjectNode>set("resource", medication("med-on-record", onRecord))
        .putObject("search").put("mode", "include");
    entries.addObject().<ObjectNode>set("resource", medication("med-draft", draft))
        .putObject("search").put("mode", "include");
    byReference((ObjectNode) entries.get(0).get("resource"), "Medication/med-on-record");
    byReference(draft, "Medication/med-draft");
    prefetch.remove("item1");
    prefetch.set("medicationRequests", searchset);
    return request;
  }

  @Test
  void everyOpioidServiceAsksForTheMedicationsItsOrdersAndDispensesName() {
    assertThat(pack.services()).hasSizeGreaterThan(10).allSatisfy(s -> {
      assertThat(s.prefetch().get("medicationRequests")).as(s.id())
          .isEqualTo("MedicationRequest?patient={{context.patientId}}&" + INCLUDE);
      assertThat(s.prefetch().get("medicationDispenses")).as(s.id())
          .isEqualTo("MedicationDispense?patient={{context.patientId}}"
              + "&_include=MedicationDispense:medication");
    });
  }

  @Test
  void anOrderByMedicationReferenceWithTheMedicationPrefetchedGetsTheSameCards()
      throws IOException {
    List<Card> coded = cards(read(original()));
    assertThat(coded).singleElement().satisfies(card -> assertThat(card.summary())
        .startsWith("Patients on opioid therapy should be evaluated for benefits and harms"));

    CdsHooksRequest referenced = read(withIncludedMedications());

    assertThat(referenced.prefetch().get("medicationRequests"))
        .isEqualTo(PrefetchStatus.present());
    // The reference request sends no dispenses key: a service would fetch them, or answer 412.
    assertThat(referenced.missing(service("opioidcds-07").prefetch().keySet()))
        .containsExactly(java.util.Map.entry("medicationDispenses", PrefetchStatus.absent()));
    assertThat(referenced.warnings()).isEqualTo(read(original()).warnings());
    assertThat(referenced.record().medicationRequests()).hasSize(2);
    assertThat(cards(referenced)).isEqualTo(coded);
  }

  @Test
  void aDraftOrderByMedicationReferenceToAMedicationInTheDraftOrdersBundleGetsTheSameCards()
      throws IOException {
    List<Card> coded = cards(read(original()));
    ObjectNode request = original();
    ObjectNode draft = draftOrder(request);
    ArrayNode entries = (ArrayNode) request.get("context").get("draftOrders").get("entry");
    entries.addObject().put("fullUrl", "urn:uuid:5c2d3d0e-6c1c-4b8e-9a51-0f6c1f3a7e21")
        .set("resource", medication("med-draft", draft));
    byReference(draft, "urn:uuid:5c2d3d0e-6c1c-4b8e-9a51-0f6c1f3a7e21");

    CdsHooksRequest referenced = read(request);

    assertThat(referenced.draftOrders()).isEqualTo(read(original()).draftOrders());
    assertThat(cards(referenced)).isEqualTo(coded);
  }

  @Test
  void withoutTheMedicationTheDraftOrderIsLeftOutSayingSoAndTheCardIsLost() throws IOException {
    ObjectNode request = original();
    byReference(draftOrder(request), "Medication/not-sent");

    CdsHooksRequest referenced = read(request);

    assertThat(referenced.warnings()).anySatisfy(w -> assertThat(w.message())
        .contains("medicationReference 'Medication/not-sent' is not among the request's"));
    assertThat(cards(referenced)).isEmpty();
  }
}
