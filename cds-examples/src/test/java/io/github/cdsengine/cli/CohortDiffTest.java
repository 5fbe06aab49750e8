package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes other than recommendations: measure populations and rules that fail. */
class CohortDiffTest {

  private static final Subject PATIENT = new Subject("cohort.ndjson #1",
      PatientRecord.builder(new Patient("p-1", LocalDate.of(1970, 1, 1), null)).build(), null,
      null);

  private static EvaluationResult result(List<MeasureResult> measures,
      List<RuleFailure> failures) {
    return new EvaluationResult("p-1", Instant.parse("2025-06-15T00:00:00Z"), List.of(),
        List.of(), measures, List.of(), failures, Duration.ZERO, "rules");
  }

  private static MeasureResult cms130(Population... in) {
    return new MeasureResult("CMS130", 1, MeasureDefinition.Improvement.INCREASE, List.of(in));
  }

  @Test
  void aPatientWhoLeavesTheNumeratorIsChangedAndCounted() {
    CohortDiff diff = new CohortDiff();
    diff.add(PATIENT, result(List.of(cms130(Population.INITIAL_POPULATION,
        Population.DENOMINATOR, Population.NUMERATOR)), List.of()),
        result(List.of(cms130(Population.INITIAL_POPULATION, Population.DENOMINATOR)),
            List.of()));
    assertThat(diff.changed()).singleElement().satisfies(p -> {
      assertThat(p.patient()).isEqualTo("p-1");
      assertThat(p.source()).isEqualTo("cohort.ndjson #1");
      assertThat(p.changes()).containsExactly(new CohortDiff.Change(
          new CohortDiff.Item(CohortDiff.Kind.MEASURE, "CMS130 group 1"),
          "initial-population + denominator + numerator", "initial-population + denominator"));
    });
    assertThat(diff.measureRows()).contains(
        new CohortDiff.MeasureRow("CMS130", 1, "numerator", 1, 0),
        new CohortDiff.MeasureRow("CMS130", 1, "denominator", 1, 1));
    assertThat(diff.changesCsv()).endsWith("p-1,cohort.ndjson #1,measure,CMS130 group 1,"
        + "initial-population + denominator + numerator,initial-population + denominator\n");
  }

  @Test
  void aRuleThatFailsOnlyAfterTheChangeIsAChange() {
    CohortDiff diff = new CohortDiff();
    diff.add(PATIENT, result(List.of(), List.of()),
        result(List.of(), List.of(new RuleFailure("Screening due", "NullPointerException"))));
    assertThat(diff.changed()).singleElement().satisfies(p -> assertThat(p.changes())
        .containsExactly(new CohortDiff.Change(new CohortDiff.Item(
            CohortDiff.Kind.RULE_FAILURE, "Screening due"), "ran", "failed")));
    assertThat(diff.incompleteBefore()).isZero();
    assertThat(diff.incompleteAfter()).isOne();
  }

  @Test
  void theSameResultIsNoChange() {
    CohortDiff diff = new CohortDiff();
    EvaluationResult same = result(List.of(cms130(Population.INITIAL_POPULATION)), List.of());
    diff.add(PATIENT, same, same);
    assertThat(diff.changed()).isEmpty();
    assertThat(diff.patients()).isOne();
    assertThat(diff.exceeded(new CohortDiff.Thresholds(0, 0.0))).isEmpty();
  }
}
