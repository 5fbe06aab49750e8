package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every CDC opioid CDS Hooks reference request goes in, is evaluated by a small test rule set,
 * and comes out as a response that parses back as CDS Hooks JSON.
 */
class CdsHooksRoundTripTest {

  static final String CITATION = """
          @publisher("Test Publisher")
          @guideline("Test Guideline")
          @version("2024")
          @url("https://example.org/guideline")
      """;

  /** A card for any medication order; a card for the age, withheld when there is a condition. */
  static final RuleFile RULES = new RuleFile("hooks-round-trip.drl", """
      package test.hooks;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;

      rule "Medication order on record"
          @recommendation("test-medication-review")
          @title("Review the medication orders on record")
          @evidence("CDC:A/4") @category("medication-safety") @severity("warning")
      """ + CITATION + """
      when
          $order : MedicationRequest()
      then
          insert(new Proposal("A medication order is on record."));
      end

      rule "Age known"
          @recommendation("test-age")
          @title("Age is known")
          @evidence("CDC:B/4") @category("screening") @severity("info")
      """ + CITATION + """
      when
          $age : PatientAge()
      then
          insert(new Proposal("Age " + $age.years() + "."));
      end

      rule "Age card withheld with a condition on record"
      """ + CITATION + """
      when
          exists Condition()
      then
          insert(new Suppression("test-age", "A condition is on record."));
      end
      """);

  /** The reference requests' clinical dates are relative to this day. */
  static final EvaluationContext AT = EvaluationContext.at(
      ZonedDateTime.of(2022, 12, 13, 12, 0, 0, 0, ZoneOffset.UTC));

  static CdsEngine engine;

  @BeforeAll
  static void build() {
    engine = CdsEngine.builder().addRules(RULES).build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @TestFactory
  Stream<DynamicTest> everyOpioidReferenceRequestRoundTrips() throws IOException {
    if (Conformance.find("opioid-cds/requests").isEmpty()) {
      return Conformance.skipped("opioid-cds/requests");
    }
    Path requests = Conformance.directory("opioid-cds/requests");
    List<Path> files = Conformance.jsonFiles(requests);
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    return files.stream().map(file -> DynamicTest.dynamicTest(
        requests.relativize(file).toString(), () -> roundTrip(file)));
  }

  static void roundTrip(Path file) throws IOException {
    CdsHooksRequest request;
    try (InputStream in = Files.newInputStream(file)) {
      request = FhirReader.create().readCdsHooksRequest(in, file.toString());
    }
    EvaluationResult result = engine.evaluate(request.record(), AT);
    assertThat(result.complete()).isTrue();
    String json = CardMapper.create().response(request, result).toJson();

    JsonNode response = new ObjectMapper().readTree(json);
    assertThat(response.fieldNames()).toIterable().containsExactly("cards");
    JsonNode cards = response.path("cards");
    assertThat(cards.isArray()).isTrue();
    assertThat(cards.size()).isEqualTo(result.recommendations().size());
    Set<String> uuids = new HashSet<>();
    for (int i = 0; i < cards.size(); i++) {
      JsonNode card = cards.get(i);
      Recommendation recommendation = result.recommendations().get(i);
      assertThat(card.fieldNames()).toIterable().containsExactly("uuid", "summary", "detail",
          "indicator", "source", "overrideReasons", "links");
      assertThat(card.path("uuid").asText()).isEqualTo(
          CardMapper.cardUuid(request.hookInstance(), recommendation.id()));
      assertThat(uuids.add(card.path("uuid").asText())).isTrue();
      assertThat(card.path("summary").asText()).isEqualTo(recommendation.title())
          .hasSizeLessThanOrEqualTo(Card.MAX_SUMMARY);
      assertThat(card.path("indicator").asText()).isEqualTo(recommendation.severity().code());
      assertThat(card.path("source").path("label").asText()).isEqualTo("Test Publisher");
      assertThat(card.path("source").path("url").asText())
          .isEqualTo("https://example.org/guideline");
      assertThat(card.path("links").path(0).path("type").asText()).isEqualTo("absolute");
      assertThat(card.path("overrideReasons").size())
          .isEqualTo(CardMapper.DEFAULT_OVERRIDE_REASONS.size());
    }

    boolean hasOrders = !request.record().medicationRequests().isEmpty();
    assertThat(result.recommendation("test-medication-review").isPresent()).isEqualTo(hasOrders);
    boolean hasCondition = !request.record().conditions().isEmpty();
    if (request.record().patient().birthDate() != null) {
      assertThat(result.recommendation("test-age").isPresent()).isEqualTo(!hasCondition);
      assertThat(result.withheld("test-age").isPresent()).isEqualTo(hasCondition);
    }
    String ageUuid = CardMapper.cardUuid(request.hookInstance(), "test-age");
    assertThat(uuids.contains(ageUuid)).isEqualTo(result.recommendation("test-age").isPresent());

    assertThat(CardMapper.create().response(request, engine.evaluate(request.record(), AT))
        .toJson()).as("the same request gives the same response").isEqualTo(json);
  }
}
