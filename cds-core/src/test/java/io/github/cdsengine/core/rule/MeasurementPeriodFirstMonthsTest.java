package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CMS165's "Interval[start of Measurement Period, start of Measurement Period + 6 months)". */
class MeasurementPeriodFirstMonthsTest {

  private static final MeasurementPeriod YEAR_2025 = new MeasurementPeriod(
      LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), ZoneOffset.UTC);

  @Test
  void theFirstSixMonthsEndTheDayBeforeTheSameDaySixMonthsLater() {
    MeasurementPeriod half = YEAR_2025.firstMonths(6);
    assertThat(half.start()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(half.end()).isEqualTo(LocalDate.of(2025, 6, 30));
    assertThat(half.zone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void theEndIsNotMovedPastThePeriodsOwnEnd() {
    MeasurementPeriod quarter = new MeasurementPeriod(LocalDate.of(2025, 1, 1),
        LocalDate.of(2025, 3, 31), ZoneOffset.UTC);
    assertThat(quarter.firstMonths(6).end()).isEqualTo(LocalDate.of(2025, 3, 31));
  }

  @Test
  void monthsMustBePositive() {
    assertThatIllegalArgumentException().isThrownBy(() -> YEAR_2025.firstMonths(0));
  }

  @ParameterizedTest(name = "hypertension from {0}: {1}")
  @CsvSource({
      "2025-06-29, true",
      "2025-06-30, true",
      "2025-07-01, false",
      "2025-06-30T23:59:59Z, true",
      "2025-07-01T00:00:00Z, false",
  })
  void aConditionFromTheLastDayOfTheFirstSixMonthsOverlapsThem(String onset, boolean overlaps) {
    Condition hypertension = Condition.builder("c1",
            CodeableConcept.of(Code.of(SNOMED_CT, "59621000")))
        .clinicalStatus(ConditionClinicalStatus.ACTIVE).onset(ClinicalTime.parse(onset)).build();
    assertThat(YEAR_2025.firstMonths(6).prevalenceOverlaps(hypertension)).isEqualTo(overlaps);
  }
}
