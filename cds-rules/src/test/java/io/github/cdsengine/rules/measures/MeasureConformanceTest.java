package io.github.cdsengine.rules.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluates every case of the CMS measure test decks in the conformance folder ({@code
 * ecqm/tests/<measure>/<case>/}, expectations in {@code ecqm/expected.tsv}) with the shipped
 * measure packs, compares every population count, and prints a per-measure agreement table.
 *
 * <p>A deck folder is matched to a pack's measure by the last segment of the measure's URL
 * ({@code https://madie.cms.gov/Measure/ColonCancerScreeningFHIR}), so the test runs unchanged on
 * any folder laid out the same way. {@code -Dcds.measures=CMS125,CMS130} limits it to some
 * measures. Value sets come from the folder's {@code ecqm/vocabulary/valueset}.
 *
 * <p>The target is full agreement. A disagreement that the measure's own specification explains
 * is listed in {@link #KNOWN} with the reason; any other fails the test.
 */
class MeasureConformanceTest {

  /** Case id to the reason its expectation disagrees with the measure specification. */
  static final Map<String, String> KNOWN = Map.of(
      "6630d394-c81d-42f5-a218-40b73a2a4949", "CMS122 NUMPass GMIGreaterThan9: the only reading "
          + "is valued with the concept Yes; FHIRHelpers.ToValue gives a Concept, neither null "
          + "(\"Has Most Recent Glycemic Status Assessment Without Result\") nor a Quantity above "
          + "9 % (\"Has Most Recent Elevated Glycemic Status Assessment\"), so the CQL does not "
          + "put the case in the numerator; the reference Java CQL engine (clinical-reasoning "
          + "3.26, CQL engine 3.29) gives numerator 0 too",
      "8956ebb5-d3c0-4112-a34a-200961713efd", "CMS122 NUMPass HbA1cGreaterThan9: as "
          + "GMIGreaterThan9, an HbA1c valued only with the concept Yes (the case's description "
          + "says 9.1 %): not in the numerator by the CQL, nor by the reference Java CQL "
          + "engine",
      "d528720a-944c-4f78-9b3f-390c55b1232b", "CMS144 \"Patient without beta blocker active "
          + "medication d/t order cancellation\": two heart rates of 45 /min during the home "
          + "visit of 14:40:00.000 to 14:55:00.000, one at 14:40:00 (no fraction), one at "
          + "14:45:00.000, so \"Has Consecutive Heart Rates Less than 50\" holds and the case is a "
          + "denominator exception. CQL compares seconds and milliseconds as one decimal field "
          + "(Author's Guide, Date, DateTime and Time: with milliseconds unspecified the "
          + "comparison is made as though they were 0), as the engine's ClinicalTime does; "
          + "fqm-execution 1.8.6 (cql-execution 3.3.2), which gives the expectation, holds 14:40:00 "
          + "during the visit as uncertain: with the first reading at 14:40:00.000 it too gives "
          + "the exception");

  private static final List<Population> COLUMNS = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR, Population.DENOMINATOR_EXCLUSION, Population.DENOMINATOR_EXCEPTION,
      Population.NUMERATOR);

  record Expected(String deck, String caseId, int group, LocalDate start, LocalDate end,
      Map<Population, Integer> counts, String name) {}

  record Outcome(Expected expected, MeasureResult actual, boolean gapShown, String problem) {}

  private static CdsEngine engine;
  private static Map<String, MeasureDefinition> measuresByDeck;

  @BeforeAll
  static void buildEngine() {
    Optional<Path> ecqm = Conformance.find("ecqm");
    if (ecqm.isEmpty()) {
      return;
    }
    List<RulePack> packs = selectedPacks();
    measuresByDeck = new TreeMap<>();
    packs.forEach(pack -> pack.measures().forEach(m -> measuresByDeck.put(deckName(m), m)));
    engine = CdsEngine.builder().addRulePacks(packs)
        .addValueSets(ecqm.get().resolve("vocabulary/valueset")).build();
  }

  @AfterAll
  static void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  static List<RulePack> selectedPacks() {
    String setting = System.getProperty("cds.measures", "").strip();
    List<RulePack> packs = ShippedRulePacks.measures();
    if (setting.isEmpty()) {
      return packs;
    }
    Set<String> wanted = Arrays.stream(setting.split(",")).map(String::strip)
        .collect(Collectors.toSet());
    return packs.stream()
        .filter(p -> p.measures().stream().anyMatch(m -> wanted.contains(m.id()))).toList();
  }

  static String deckName(MeasureDefinition measure) {
    return measure.url().substring(measure.url().lastIndexOf('/') + 1);
  }

  @Test
  void everyDeckCaseGetsItsExpectedPopulations() throws IOException {
    Path ecqm = Conformance.directory("ecqm");
    assumeTrue(!measuresByDeck.isEmpty(), "no measure pack selected");
    List<Expected> expectations = readExpected(ecqm.resolve("expected.tsv")).stream()
        .filter(e -> measuresByDeck.containsKey(e.deck())).toList();
    assertThat(expectations).as("expected.tsv rows for the selected measures").isNotEmpty();

    List<Outcome> outcomes = new ArrayList<>();
    Map<String, EvaluationResult> resultsByCase = new LinkedHashMap<>();
    for (Expected expected : expectations) {
      EvaluationResult result = resultsByCase.computeIfAbsent(expected.deck() + "/"
          + expected.caseId(), key -> evaluate(ecqm.resolve("tests").resolve(key),
              expected));
      MeasureDefinition measure = measuresByDeck.get(expected.deck());
      MeasureResult actual = result.measure(measure.id(), expected.group()).orElseThrow();
      boolean gapShown = result.recommendations().stream()
          .anyMatch(r -> citesMeasure(r, measure));
      outcomes.add(new Outcome(expected, actual, gapShown, disagreement(expected, actual)));
      assertThat(result.failures()).as("rule failures for %s", expected.name()).isEmpty();
      // A recommendation cites the measure, not a group: with several groups (CMS156's three
      // numerators), a gap is shown exactly when some group has one, and always when this one
      // does. With one group this is the group's own care gap.
      boolean anyGroupGap = IntStream.rangeClosed(1, measure.groups())
          .anyMatch(group -> result.measure(measure.id(), group).orElseThrow().careGap());
      assertThat(gapShown).as("care gap shown for %s %s group %d (%s)", expected.deck(),
          expected.name(), expected.group(), actual.populations())
          .isEqualTo(anyGroupGap);
      if (actual.careGap()) {
        assertThat(gapShown).as("care gap of group %d shown for %s %s", expected.group(),
            expected.deck(), expected.name()).isTrue();
      }
    }
    System.out.println(table(outcomes));

    List<String> unexplained = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      boolean known = KNOWN.containsKey(outcome.expected().caseId());
      if (outcome.problem() != null && !known) {
        unexplained.add(outcome.expected().deck() + " " + outcome.expected().caseId() + " group "
            + outcome.expected().group() + " \"" + outcome.expected().name() + "\": "
            + outcome.problem());
      } else if (outcome.problem() == null && known) {
        unexplained.add(outcome.expected().caseId() + " is listed as a known disagreement "
            + "but now agrees; remove it from KNOWN");
      }
    }
    assertThat(unexplained).as("cases that disagree with expected.tsv").isEmpty();
  }

  private static EvaluationResult evaluate(Path folder, Expected expected) {
    PatientRecord record = MeasureDecks.read(folder);
    EvaluationContext context = EvaluationContext
        .at(expected.end().atTime(23, 59, 59).atZone(ZoneOffset.UTC))
        .withMeasurementPeriod(expected.start(), expected.end());
    return engine.evaluate(record, context);
  }

  private static boolean citesMeasure(Recommendation recommendation, MeasureDefinition measure) {
    return recommendation.guideline().url().equals(measure.url());
  }

  private static String disagreement(Expected expected, MeasureResult actual) {
    List<String> wrong = new ArrayList<>();
    expected.counts().forEach((population, count) -> {
      if (actual.count(population) != count) {
        wrong.add(population.code() + " expected " + count + " got " + actual.count(population));
      }
    });
    return wrong.isEmpty() ? null : String.join(", ", wrong);
  }

  static List<Expected> readExpected(Path tsv) throws IOException {
    List<Expected> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Map<Population, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i < COLUMNS.size(); i++) {
        if (!f[5 + i].isBlank()) {
          counts.put(COLUMNS.get(i), Integer.parseInt(f[5 + i].strip()));
        }
      }
      rows.add(new Expected(f[0], f[1], Integer.parseInt(f[2]), LocalDate.parse(f[3]),
          LocalDate.parse(f[4]), counts, f.length > 10 ? f[10] : ""));
    }
    return rows;
  }

  private static String table(List<Outcome> outcomes) {
    Map<String, List<Outcome>> byMeasure = new TreeMap<>();
    for (Outcome outcome : outcomes) {
      MeasureDefinition measure = measuresByDeck.get(outcome.expected().deck());
      byMeasure.computeIfAbsent(measure.id() + " group " + outcome.expected().group(),
          k -> new ArrayList<>()).add(outcome);
    }
    StringBuilder out = new StringBuilder("\nMeasure test-deck agreement (population counts)\n");
    out.append(String.format("%-16s %6s %6s %6s %6s %6s %6s %7s %8s%n", "measure", "cases",
        "ip", "denom", "denex", "denexc", "numer", "agree", "gaps"));
    int total = 0;
    int agreeing = 0;
    for (Map.Entry<String, List<Outcome>> entry : byMeasure.entrySet()) {
      List<Outcome> list = entry.getValue();
      out.append(String.format("%-16s %6d", entry.getKey(), list.size()));
      for (Population population : COLUMNS) {
        long agree = list.stream().filter(o -> !o.expected().counts().containsKey(population)
            || o.expected().counts().get(population) == o.actual().count(population)).count();
        out.append(String.format(" %6s", agree == list.size() ? "100%"
            : String.format("%d/%d", agree, list.size())));
      }
      long cases = list.stream().filter(o -> o.problem() == null).count();
      long gaps = list.stream().filter(Outcome::gapShown).count();
      out.append(String.format(" %7s %8d%n", String.format("%.0f%%", 100.0 * cases / list.size()),
          gaps));
      total += list.size();
      agreeing += (int) cases;
    }
    out.append(String.format("all: %d of %d case-groups agree (%.1f%%); known disagreements: %d%n",
        agreeing, total, 100.0 * agreeing / Math.max(total, 1), KNOWN.size()));
    return out.toString();
  }
}
