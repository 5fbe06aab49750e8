package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import io.github.cdsengine.core.rule.Population;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DrillDownTest {

  private static PatientRow row(String id, String band, boolean shown,
      List<Population> populations, boolean careGap) {
    List<PatientRow.Shown> recommendations = shown
        ? List.of(new PatientRow.Shown("screen", "Screening due", "info")) : List.of();
    return new PatientRow(id, "src " + id, band, "female", "{}", new PatientRow.Tally(true,
        recommendations, List.of(), List.of(new PatientRow.MeasureCount("CMS130", 1,
            Improvement.INCREASE, populations, careGap)), null, 0));
  }

  private static final List<Population> NUMERATOR = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR, Population.NUMERATOR);
  private static final List<Population> EXCLUDED = List.of(Population.INITIAL_POPULATION,
      Population.DENOMINATOR, Population.DENOMINATOR_EXCLUSION);

  @Test
  void listsThePatientsBehindEachFigureWithTheirCounts() {
    DrillDown drill = new DrillDown(10);
    drill.add(row("a", "45-64", true, NUMERATOR, false));
    drill.add(row("b", "65-74", true, EXCLUDED, false));
    drill.add(row("c", "45-64", false, List.of(Population.INITIAL_POPULATION,
        Population.DENOMINATOR), true));
    assertThat(drill.patients("recommendation/screen/shown")).containsOnly("a", "b");
    assertThat(drill.patients("recommendation/screen/shown/age/45-64")).containsOnly("a");
    assertThat(drill.patients("recommendation/screen/shown/sex/female")).containsOnly("a",
        "b");
    assertThat(drill.patients("measure/CMS130/1/denominator")).containsOnly("a", "b", "c");
    assertThat(drill.patients("measure/CMS130/1/eligible")).containsOnly("a", "c");
    assertThat(drill.patients("measure/CMS130/1/numerator")).containsOnly("a");
    assertThat(drill.patients("measure/CMS130/1/denominator-exclusion")).containsOnly("b");
    assertThat(drill.patients("measure/CMS130/1/care-gap")).containsExactly("c");
    assertThat(drill.count("measure/CMS130/1/initial-population")).isEqualTo(3);
    assertThat(drill.count("recommendation/screen/withheld")).isZero();
  }

  @Test
  void keepsTheSmallestIdsUpToTheLimitWhateverTheOrderAndGrouping() throws Exception {
    List<PatientRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(row(String.format("p%03d", i), "18-44", i % 3 == 0, NUMERATOR, false));
    }
    DrillDown inOrder = new DrillDown(7);
    rows.forEach(inOrder::add);
    Collections.shuffle(rows, new Random(3));
    DrillDown left = new DrillDown(7);
    DrillDown right = new DrillDown(7);
    for (int i = 0; i < rows.size(); i++) {
      (i % 2 == 0 ? left : right).add(rows.get(i));
    }
    DrillDown merged = right.add(left);
    assertThat(merged.toJson()).isEqualTo(inOrder.toJson());
    assertThat(merged.count("recommendation/screen/shown")).isEqualTo(167);
    assertThat(merged.patients("recommendation/screen/shown")).containsOnly("p000", "p003",
        "p006", "p009", "p012", "p015", "p018");
    JsonNode json = new ObjectMapper().readTree(merged.toJson());
    assertThat(json.path("limit").asInt()).isEqualTo(7);
    assertThat(json.at("/figures/measure~1CMS130~11~1numerator/count").asInt()).isEqualTo(500);
    assertThat(json.at("/figures/measure~1CMS130~11~1numerator/patients/6").asText())
        .isEqualTo("p006");
    // Ids only: where a patient was read ("src p006") stays in the per-patient results.
    assertThat(merged.toJson()).doesNotContain("src ");
  }

  @Test
  void aLimitOfZeroCountsAndListsNobody() {
    DrillDown drill = new DrillDown(0).add(row("a", "18-44", true, NUMERATOR, false));
    assertThat(drill.count("recommendation/screen/shown")).isEqualTo(1);
    assertThat(drill.patients("recommendation/screen/shown")).isEmpty();
  }

  @Test
  void takesLimitsUpToTheBoundAndRefusesOneMore() {
    DrillDown drill = new DrillDown(DrillDown.MAX_LIMIT);
    for (int i = 0; i < DrillDown.MAX_LIMIT + 5; i++) {
      drill.add(row(String.format("p%05d", i), "18-44", true, NUMERATOR, false));
    }
    assertThat(drill.count("recommendation/screen/shown")).isEqualTo(DrillDown.MAX_LIMIT + 5);
    assertThat(drill.patients("recommendation/screen/shown")).hasSize(DrillDown.MAX_LIMIT)
        .startsWith("p00000").endsWith(String.format("p%05d", DrillDown.MAX_LIMIT - 1));
    assertThatThrownBy(() -> new DrillDown(DrillDown.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be from 0 to 1000: 1001");
  }

  @Test
  void refusesANegativeLimitAndMergingDifferentLimits() {
    assertThatThrownBy(() -> new DrillDown(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new DrillDown(1).add(new DrillDown(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 and 2");
  }

  /**
   * A patient of a measure counted by encounter with one excluded encounter and one in the
   * numerator has an eligible encounter: it is listed behind the eligible figure as behind the
   * numerator (it was left out, so the numerator listed a patient the eligible list did not).
   */
  @Test
  void aPatientWithAnEligibleEncounterIsBehindTheEligibleFigure() {
    PatientRow.MeasureCount cms22 = new PatientRow.MeasureCount("CMS22", 1,
        Improvement.INCREASE, List.of(Population.INITIAL_POPULATION, Population.DENOMINATOR,
            Population.DENOMINATOR_EXCLUSION, Population.NUMERATOR), false,
        java.util.Map.of(Population.INITIAL_POPULATION, 2, Population.DENOMINATOR, 2,
            Population.DENOMINATOR_EXCLUSION, 1, Population.NUMERATOR, 1));
    PatientRow.MeasureCount allExcluded = new PatientRow.MeasureCount("CMS22", 1,
        Improvement.INCREASE, List.of(Population.INITIAL_POPULATION, Population.DENOMINATOR,
            Population.DENOMINATOR_EXCLUSION), false,
        java.util.Map.of(Population.INITIAL_POPULATION, 2, Population.DENOMINATOR, 2,
            Population.DENOMINATOR_EXCLUSION, 2));
    DrillDown drill = new DrillDown(10);
    drill.add(new PatientRow("a", "src a", "45-64", "male", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(cms22), null, 0)));
    drill.add(new PatientRow("b", "src b", "45-64", "male", "{}", new PatientRow.Tally(true,
        List.of(), List.of(), List.of(allExcluded), null, 0)));
    assertThat(drill.patients("measure/CMS22/1/numerator")).containsOnly("a");
    assertThat(drill.patients("measure/CMS22/1/eligible")).containsOnly("a");
    assertThat(drill.count("measure/CMS22/1/eligible")).isEqualTo(1);
    assertThat(drill.patients("measure/CMS22/1/denominator-exclusion"))
        .containsOnly("a", "b");
  }

  /**
   * One id read twice (two inputs holding the same patient): the figure counts both reads and
   * lists the id once, whatever the order of adding or merging.
   */
  @Test
  void anIdReadTwiceIsCountedTwiceAndListedOnceWhateverTheOrder() {
    PatientRow first = new PatientRow("a", "b.ndjson:1", "18-44", "female", "{}",
        new PatientRow.Tally(true, List.of(new PatientRow.Shown("screen", "Screening due",
            "info")), List.of(), List.of(), null, 0));
    PatientRow second = new PatientRow("a", "a.ndjson:7", "18-44", "female", "{}",
        first.tally());
    DrillDown oneWay = new DrillDown(5).add(first).add(second);
    DrillDown otherWay = new DrillDown(5).add(second).add(first);
    DrillDown merged = new DrillDown(5).add(second).add(new DrillDown(5).add(first));
    assertThat(oneWay.count("recommendation/screen/shown")).isEqualTo(2);
    assertThat(oneWay.patients("recommendation/screen/shown")).containsExactly("a");
    assertThat(otherWay.toJson()).isEqualTo(oneWay.toJson());
    assertThat(merged.toJson()).isEqualTo(oneWay.toJson());
  }
}
