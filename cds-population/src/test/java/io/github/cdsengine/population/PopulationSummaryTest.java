package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.rule.PopulationCriterion;
import io.github.cdsengine.core.rule.Population;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Summaries of parts add up to the summary of the whole, and say what their figures mean. */
class PopulationSummaryTest {

  private static final List<Population> IN_NUMERATOR = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR, Population.NUMERATOR);
  private static final List<Population> GAP = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR);
  private static final List<Population> EXCLUDED = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR, Population.DENOMINATOR_EXCLUSION);

  /** A patient row with random strata and results, as an evaluation could give. */
  private static PatientRow row(Random random, int i) {
    String band = PatientRow.AGE_BANDS.get(random.nextInt(PatientRow.AGE_BANDS.size()));
    String sex = PatientRow.SEXES.get(random.nextInt(PatientRow.SEXES.size()));
    List<PatientRow.Shown> shown = new ArrayList<>();
    if (random.nextBoolean()) {
      shown.add(new PatientRow.Shown("screen", "Screening due", "info"));
    }
    List<PatientRow.Shown> withheld = random.nextInt(4) == 0
        ? List.of(new PatientRow.Shown("alert", "An alert", "warning")) : List.of();
    List<Population> populations =
        List.<List<Population>>of(List.of(), IN_NUMERATOR, GAP, EXCLUDED).get(random.nextInt(4));
    List<PatientRow.MeasureCount> measures = List.of(new PatientRow.MeasureCount("CMS130", 1,
        Improvement.INCREASE, populations, populations.equals(GAP)));
    String dataEnd = "20" + (10 + random.nextInt(15)) + "-06-01";
    return new PatientRow("p" + i, "src " + i, band, sex, "{}", new PatientRow.Tally(
        random.nextInt(10) > 0, shown, withheld, measures, dataEnd, 0));
  }

  private static Map<String, Object> run() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("measurementPeriod", "2025-01-01/2025-12-31");
    return run;
  }

  @Test
  void partsAddUpToTheWholeInAnyGroupingAndAfterSerialization() throws Exception {
    Random random = new Random(20);
    List<PatientRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(row(random, i));
    }
    PopulationSummary whole = new PopulationSummary();
    rows.forEach(whole::add);
    PopulationSummary total = new PopulationSummary();
    int at = 0;
    while (at < rows.size()) {
      int size = 1 + random.nextInt(60);
      PopulationSummary part = new PopulationSummary();
      rows.subList(at, Math.min(rows.size(), at + size)).forEach(part::add);
      total.add(roundTrip(part));
      at += size;
    }
    assertThat(total.toJson(run(), 0)).isEqualTo(whole.toJson(run(), 0));
    assertThat(total.toCsv()).isEqualTo(whole.toCsv());
    assertThat(total.ratesByAgeBandAndSexCsv()).isEqualTo(whole.ratesByAgeBandAndSexCsv());
    assertThat(total.measuresCsv()).isEqualTo(whole.measuresCsv());
  }

  private static PopulationSummary roundTrip(PopulationSummary summary)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(summary);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (PopulationSummary) in.readObject();
    }
  }

  @Test
  void aMeasureRateHasItsEligibleDenominatorAndWilsonInterval() {
    Random random = new Random(1);
    PopulationSummary summary = new PopulationSummary();
    int numerator = 0;
    int eligible = 0;
    for (int i = 0; i < 200; i++) {
      PatientRow row = row(random, i);
      List<Population> populations = row.tally().measures().get(0).populations();
      if (populations.contains(Population.DENOMINATOR)
          && !populations.contains(Population.DENOMINATOR_EXCLUSION)) {
        eligible++;
        numerator += populations.contains(Population.NUMERATOR) ? 1 : 0;
      }
      summary.add(row);
    }
    PopulationSummary.MeasureRate rate = summary.measureRates().get(0);
    assertThat(rate.eligible()).isEqualTo(eligible);
    assertThat(rate.performanceRate().getAsDouble()).isEqualTo((double) numerator / eligible);
    assertThat(rate.interval()).isEqualTo(Proportions.wilson(numerator, eligible));
    assertThat(summary.measuresCsv().lines().skip(1).findFirst().orElseThrow())
        .startsWith("CMS130,1,increase,").contains("," + eligible + ",");
  }

  @Test
  void aMeasureCountedByEpisodeAddsEveryEpisodeAndCountsCareGapsByPatient() {
    // One patient with two visits: one excluded, one in the numerator. Counted by patient, the
    // patient would be once in the denominator, the exclusion and the numerator: an eligible
    // denominator of 0 under a numerator of 1.
    Map<Population, Integer> episodes = Map.of(Population.INITIAL_POPULATION, 2,
        Population.DENOMINATOR, 2, Population.DENOMINATOR_EXCLUSION, 1, Population.NUMERATOR, 1);
    List<Population> in = List.of(Population.INITIAL_POPULATION, Population.DENOMINATOR,
        Population.DENOMINATOR_EXCLUSION, Population.NUMERATOR);
    // A second patient with three visits in the denominator, one of them screened: a care gap.
    Map<Population, Integer> gap = Map.of(Population.INITIAL_POPULATION, 3,
        Population.DENOMINATOR, 3, Population.NUMERATOR, 1);
    List<Population> gapIn = List.of(Population.INITIAL_POPULATION, Population.DENOMINATOR,
        Population.NUMERATOR);
    PopulationSummary summary = new PopulationSummary();
    summary.add(new PatientRow("p1", "s", "45-64", "female", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(new PatientRow.MeasureCount("CMS22", 1,
            Improvement.INCREASE, in, false, episodes)), "2025-12-31", 0)));
    summary.add(new PatientRow("p2", "s", "45-64", "male", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(new PatientRow.MeasureCount("CMS22", 1,
            Improvement.INCREASE, gapIn, true, gap)), "2025-12-31", 0)));
    PopulationSummary.MeasureRate rate = summary.measureRates().get(0);
    assertThat(rate.count(Population.INITIAL_POPULATION)).isEqualTo(5);
    assertThat(rate.count(Population.DENOMINATOR)).isEqualTo(5);
    assertThat(rate.count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(1);
    assertThat(rate.count(Population.NUMERATOR)).isEqualTo(2);
    assertThat(rate.eligible()).isEqualTo(4);
    assertThat(rate.count(Population.NUMERATOR)).isLessThanOrEqualTo(rate.eligible());
    assertThat(rate.careGaps()).isEqualTo(1);
    assertThat(summary.measuresCsv()).contains("CMS22,1,increase,5,5,1,0,2,1,0.5,4,");
  }

  @Test
  void notesSayWhenTheDataEndBeforeThePeriodOrNoOneIsInAnInitialPopulation() {
    PopulationSummary summary = new PopulationSummary();
    summary.add(new PatientRow("p", "s", "18-44", "female", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(new PatientRow.MeasureCount("CMS125", 1,
            Improvement.INCREASE, List.of(), false)), "2019-12-31", 0)));
    assertThat(summary.notes("2020-01-01")).containsExactly(
        "the data end on 2019-12-31, before the measurement period starts (2020-01-01): "
            + "populations that need data in the period are empty",
        "every measure's initial population is 0: check the measurement period, the value "
            + "sets and the patients' ages");
    // The day the period starts is within the data.
    assertThat(summary.notes("2019-12-31")).hasSize(1);
  }

  @Test
  void measureReportsNameTheMeasureByItsCanonicalUrl() {
    PopulationSummary summary = new PopulationSummary();
    summary.add(row(new Random(3), 0));
    String reports = summary.measureReports(List.of(new MeasureDefinition("CMS130",
        "Colorectal", "1", "https://example.org/Measure/CMS130", 1, Improvement.INCREASE)),
        "2025-01-01/2025-12-31", "2025-12-31T23:59:59Z");
    assertThat(reports).contains("\"measure\" : \"https://example.org/Measure/CMS130\"")
        .contains("\"code\" : \"initial-population\"").contains("\"type\" : \"summary\"");
  }

  /**
   * One patient with two encounters of a measure counted by encounter: one excluded, one in the
   * numerator. The engine counts encounters (MeasureResult.count), so the summary must too: two
   * in the denominator, one excluded, one eligible, one in the numerator, rate 1. Counting the
   * patient once per population gave an eligible denominator of 0 with a numerator of 1.
   */
  @Test
  void aMeasureCountedByEncounterIsSummedInEncountersAsTheEngineCountsThem() {
    MeasureDefinition cms22 = new MeasureDefinition("CMS22", "Blood pressure", "1",
        "https://example.org/Measure/CMS22", 1, Improvement.INCREASE);
    MeasureResult result = MeasureResult.of(cms22, 1, List.of(
        new PopulationCriterion("CMS22", 1, Population.INITIAL_POPULATION, "e1"),
        new PopulationCriterion("CMS22", 1, Population.DENOMINATOR, "e1"),
        new PopulationCriterion("CMS22", 1, Population.DENOMINATOR_EXCLUSION, "e1"),
        new PopulationCriterion("CMS22", 1, Population.INITIAL_POPULATION, "e2"),
        new PopulationCriterion("CMS22", 1, Population.DENOMINATOR, "e2"),
        new PopulationCriterion("CMS22", 1, Population.NUMERATOR, "e2")));
    PatientRow.MeasureCount count = PatientRow.MeasureCount.of(result);
    for (Population p : Population.values()) {
      assertThat(count.count(p)).as(p.code()).isEqualTo(result.count(p));
    }
    PopulationSummary summary = new PopulationSummary();
    summary.add(new PatientRow("p", "s", "45-64", "male", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(count), null, 0)));
    PopulationSummary.MeasureRate rate = summary.measureRates().get(0);
    assertThat(rate.count(Population.INITIAL_POPULATION)).isEqualTo(2);
    assertThat(rate.count(Population.DENOMINATOR)).isEqualTo(2);
    assertThat(rate.count(Population.DENOMINATOR_EXCLUSION)).isEqualTo(1);
    assertThat(rate.count(Population.NUMERATOR)).isEqualTo(1);
    assertThat(rate.eligible()).isEqualTo(1);
    assertThat(rate.count(Population.NUMERATOR)).isLessThanOrEqualTo(rate.eligible());
    assertThat(rate.performanceRate().getAsDouble()).isEqualTo(1.0);
    assertThat(rate.interval()).isEqualTo(Proportions.wilson(1, 1));
    assertThat(summary.measureReports(List.of(cms22), "2025-01-01/2025-12-31",
        "2025-12-31T23:59:59Z")).contains("\"measureScore\"").contains("\"value\" : 1.0");
  }
}
