package io.github.cdsengine.rules.opioid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.EvaluationContext;
import io.github.cdsengine.core.EvaluationResult;
import io.github.cdsengine.core.RulePack;
import io.github.cdsengine.core.ServiceDefinition;
import io.github.cdsengine.core.fhir.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs every CDS Hooks request that {@code opioid-cds/expected.tsv} lists through the CDC 2016
 * opioid pack's service for it, with the clock at 2022-12-13 (UTC), and compares the number of
 * cards and the first card's indicator (where the file gives one) and summary. Prints an
 * agreement table per recommendation. The folder is {@code -Dcds.conformance=DIR}
 * ({@code ../shared/conformance} by default); the test is skipped, saying so, when it is absent.
 *
 * <p>Cards carry the pack's suggestions ({@link OpioidSuggestions}); as the reference's test
 * suite does, recommendation 7's card must suggest a ServiceRequest.
 *
 * <p>A summary the reference gives longer than the 140 characters CDS Hooks allows is compared
 * as this library's cards carry it: cut at a word boundary by {@link CardMapper#summary}.
 */
class OpioidCdsConformanceTest {

  /** The clock of the reference test data. */
  static final EvaluationContext CLOCK = EvaluationContext.on(LocalDate.of(2022, 12, 13),
      ZoneOffset.UTC);

  /**
   * Services for rows that do not name one: the reference's service for that folder and hook
   * (its PlanDefinitions opioidcds-08-order-sign and opioidcds-10 for order-select).
   */
  private static final Map<String, String> SERVICE_OF_FOLDER = Map.of(
      "OpioidCDSREC08 order-sign", "opioidcds-08-order-sign",
      "OpioidCDSREC08 order-select", "opioidcds-08",
      "OpioidCDSREC10 order-sign", "opioidcds-10-order-sign",
      "OpioidCDSREC10 order-select", "opioidcds-10");

  private record Row(String request, String hook, String service, int cards, String indicator,
      String summary) {}

  @Test
  void everyRequestGetsTheExpectedCards() throws IOException {
    Path folder = Conformance.directory("opioid-cds");
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016);
    CdsEngine engine = CdsEngine.builder().addRulePack(pack)
        .addValueSets(folder.resolve("vocabulary/valueset")).build();
    CardMapper mapper = CardMapper.create().withSuggestions(new OpioidSuggestions());
    FhirReader reader = FhirReader.create();
    Map<String, int[]> table = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();
    for (Row row : rows(folder.resolve("expected.tsv"))) {
      String recommendation = row.request().split("/")[1];
      String serviceId = row.service().isEmpty()
          ? SERVICE_OF_FOLDER.get(recommendation + " " + row.hook()) : row.service();
      ServiceDefinition service = pack.services().stream()
          .filter(s -> s.id().equals(serviceId)).findFirst()
          .orElseThrow(() -> new AssertionError("no service " + serviceId + " for "
              + row.request()));
      CdsHooksRequest request;
      try (InputStream in = Files.newInputStream(folder.resolve(row.request()))) {
        request = reader.readCdsHooksRequest(in, row.request());
      }
      assertThat(service.hook()).as("hook of %s for %s", serviceId, row.request())
          .isEqualTo(request.hook()).isEqualTo(row.hook());
      EvaluationResult result = engine.evaluate(request, CLOCK);
      CdsHooksResponse response = mapper.response(request, result, service);
      List<String> problems = new ArrayList<>();
      if (!result.failures().isEmpty()) {
        problems.add("rules failed: " + result.failures());
      }
      List<Card> cards = response.cards();
      if (cards.size() != row.cards()) {
        problems.add(cards.size() + " cards, expected " + row.cards() + ": "
            + cards.stream().map(Card::summary).toList());
      } else if (!cards.isEmpty()) {
        Card first = cards.get(0);
        if (!row.indicator().isEmpty() && !first.indicator().equals(row.indicator())) {
          problems.add("indicator " + first.indicator() + ", expected " + row.indicator());
        }
        if (!first.summary().equals(CardMapper.summary(row.summary()))) {
          problems.add("summary '" + first.summary() + "', expected '" + row.summary() + "'");
        }
        // The reference's test suite also checks that recommendation 7's card suggests a
        // ServiceRequest (its ActivityDefinition opioidcds-risk-assessment-request).
        if (recommendation.equals("OpioidCDSREC07") && (first.suggestions().isEmpty()
            || !first.suggestions().get(0).actions().get(0).resource().path("resourceType")
                .asText().equals("ServiceRequest"))) {
          problems.add("no ServiceRequest suggested");
        }
      }
      int[] counts = table.computeIfAbsent(recommendation, r -> new int[2]);
      counts[0]++;
      if (problems.isEmpty()) {
        counts[1]++;
      } else {
        mismatches.add(row.request() + " (" + serviceId + "): " + String.join("; ", problems));
      }
    }
    StringBuilder report = new StringBuilder("\nCDC opioid CDS Hooks conformance (clock 2022-12-13)\n");
    report.append(String.format("%-28s %6s %6s%n", "recommendation", "cases", "agree"));
    int cases = 0;
    int agree = 0;
    for (Map.Entry<String, int[]> entry : table.entrySet()) {
      report.append(String.format("%-28s %6d %6d%n", entry.getKey(), entry.getValue()[0],
          entry.getValue()[1]));
      cases += entry.getValue()[0];
      agree += entry.getValue()[1];
    }
    report.append(String.format("%-28s %6d %6d%n", "all", cases, agree));
    System.out.println(report);
    assertThat(cases).as("requests in expected.tsv").isGreaterThan(0);
    assertThat(mismatches).as("requests whose cards disagree").isEmpty();
  }

  private static List<Row> rows(Path tsv) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      rows.add(new Row(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4], f[5]));
    }
    return rows;
  }
}
