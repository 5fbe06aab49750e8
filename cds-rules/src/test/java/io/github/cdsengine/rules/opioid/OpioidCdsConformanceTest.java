package io.github.cdsengine.rules.opioid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
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
 * <p>A summary the reference gives longer than the 139 characters CDS Hooks allows is compared
 * as this library's cards carry it: cut at a word boundary by {@link CardMapper#summary}.
 *
 * <p>Cases where the pack deliberately departs from the reference are listed in {@link
 * #KNOWN_DEVIATIONS}, each with its reason and source, and compared as the entry says; an entry
 * whose case agrees with the reference in full fails the test, so the table cannot outlive the
 * deviation.
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

  record Row(String request, String hook, String service, int cards, String indicator,
      String summary) {}

  /**
   * A reference case the pack answers differently on purpose (issue 17, items 7 and 9 only).
   *
   * @param request the request's path in {@code expected.tsv}
   * @param item the issue's item that made the deviation: 7 (recommendation 10's non-synthetic
   *     opioid orders) or 9 (recommendation 5's wording at 90 MME/day or more)
   * @param cards the number of cards the pack gives: where it equals the reference's, the first
   *     card's indicator must agree and its summary must differ from the reference's; where it
   *     differs, the count is the deviation
   * @param reason why the pack departs from the reference
   * @param source the published source for the pack's answer
   */
  record KnownDeviation(String request, int item, int cards, String reason, String source) {}

  /** The reference cases whose expectation the pack deliberately does not follow. */
  static final List<KnownDeviation> KNOWN_DEVIATIONS = List.of(
      new KnownDeviation(
          "requests/OpioidCDSREC05/request-example-rec-05-mme-greater-than-fifty.json", 9, 1,
          "At 90 MME/day or more the reference's card reads 'High risk for opioid overdose - "
              + "taper now' (detail 'Taper to less than 50'), wording that invites abrupt dose "
              + "cuts; the pack's card, same severity and indicator, asks to reassess, weigh "
              + "benefits and harms and avoid abrupt tapering",
          "CDC, 'CDC Advises Against Misapplication of the Guideline for Prescribing Opioids "
              + "for Chronic Pain', statement of 24 April 2019; CDC Clinical Practice Guideline "
              + "for Prescribing Opioids for Pain, United States, 2022 (MMWR Recomm Rep "
              + "2022;71(No. RR-3)), recommendation 5"));

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
    Map<String, KnownDeviation> deviations = new TreeMap<>();
    KNOWN_DEVIATIONS.forEach(d -> deviations.put(d.request(), d));
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
      EvaluationResult result = engine.evaluate(request.record(), CLOCK);
      CdsHooksResponse response = mapper.response(request, result, service);
      List<String> problems = new ArrayList<>();
      if (!result.failures().isEmpty()) {
        problems.add("rules failed: " + result.failures());
      }
      List<Card> cards = response.cards();
      KnownDeviation deviation = deviations.remove(row.request());
      if (deviation != null) {
        problems.addAll(deviationProblems(deviation, row, cards));
      } else if (cards.size() != row.cards()) {
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
    report.append("Known deviations (compared as their entry says):\n");
    KNOWN_DEVIATIONS.forEach(d -> report.append("  item ").append(d.item()).append(": ")
        .append(d.request()).append("\n"));
    System.out.println(report);
    assertThat(deviations.keySet()).as("known deviations whose request expected.tsv does not list")
        .isEmpty();
    assertThat(cases).as("requests in expected.tsv").isGreaterThan(0);
    assertThat(mismatches).as("requests whose cards disagree").isEmpty();
  }

  /**
   * What is wrong with a known deviation's cards: a count or indicator other than the entry
   * says, or a case that agrees with the reference in full (the entry is then stale).
   */
  static List<String> deviationProblems(KnownDeviation deviation, Row row,
      List<Card> cards) {
    List<String> problems = new ArrayList<>();
    if (deviation.item() != 7 && deviation.item() != 9) {
      problems.add("known deviation from item " + deviation.item()
          + ": only items 7 and 9 may deviate");
    }
    if (deviation.reason().isBlank() || deviation.source().isBlank()) {
      problems.add("known deviation without a reason and a source");
    }
    if (cards.size() != deviation.cards()) {
      problems.add(cards.size() + " cards, expected " + deviation.cards()
          + " (known deviation)");
    } else if (cards.size() == row.cards()) {
      if (cards.isEmpty()) {
        problems.add("agrees with the reference (no cards): remove the known deviation");
      } else {
        Card first = cards.get(0);
        if (!row.indicator().isEmpty() && !first.indicator().equals(row.indicator())) {
          problems.add("indicator " + first.indicator() + ", expected " + row.indicator());
        }
        if (first.summary().equals(CardMapper.summary(row.summary()))) {
          problems.add("summary agrees with the reference's: remove the known deviation");
        }
      }
    }
    return problems;
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

  @Test
  void aKnownDeviationMustDeviateAndComeFromItemSevenOrNine() {
    Row reference = new Row("requests/R/request.json", "order-sign", "s", 1, "warning",
        "Reference summary");
    KnownDeviation wording = new KnownDeviation(reference.request(), 9, 1, "reason", "source");
    // The pack's card says something else, same count and indicator: the deviation holds.
    assertThat(deviationProblems(wording, reference, List.of(card("Pack summary", "warning"))))
        .isEmpty();
    // The case agrees in full: the entry is stale.
    assertThat(deviationProblems(wording, reference,
        List.of(card("Reference summary", "warning"))))
        .singleElement().asString().contains("remove the known deviation");
    // Count and indicator still count.
    assertThat(deviationProblems(wording, reference, List.of())).isNotEmpty();
    assertThat(deviationProblems(wording, reference, List.of(card("Pack summary", "info"))))
        .isNotEmpty();
    // A deviation in card count (item 7's kind) is compared on the count the entry gives.
    KnownDeviation count = new KnownDeviation(reference.request(), 7, 0, "reason", "source");
    assertThat(deviationProblems(count, reference, List.of())).isEmpty();
    assertThat(deviationProblems(count, reference, List.of(card("Pack summary", "warning"))))
        .isNotEmpty();
    // Only items 7 and 9 may deviate, and each entry needs its reason and source.
    assertThat(deviationProblems(new KnownDeviation(reference.request(), 4, 1, "r", "s"),
        reference, List.of(card("Pack summary", "warning")))).isNotEmpty();
    assertThat(deviationProblems(new KnownDeviation(reference.request(), 9, 1, "r", " "),
        reference, List.of(card("Pack summary", "warning")))).isNotEmpty();
  }

  private static Card card(String summary, String indicator) {
    return new Card(null, summary, null, indicator,
        new io.github.cdsengine.core.hooks.Source("CDC", "https://www.cdc.gov"), List.of(), null,
        List.of(), List.of());
  }
}
