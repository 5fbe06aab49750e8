package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeasurementPeriodTest {

  private static final MeasurementPeriod YEAR_2024 =
      new MeasurementPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

  @ParameterizedTest(name = "{0} in 2024: {1}")
  @CsvSource({
      "2023-12-31, false",
      "2024-01-01, true",
      "2024-06-30, true",
      "2024-12-31, true",
      "2025-01-01, false",
  })
  void includesBothEnds(String date, boolean included) {
    assertThat(YEAR_2024.includes(LocalDate.parse(date))).isEqualTo(included);
  }

  @Test
  void doesNotIncludeNull() {
    assertThat(YEAR_2024.includes(null)).isFalse();
  }

  @Test
  void aSingleDayPeriodIncludesOnlyThatDay() {
    MeasurementPeriod day = new MeasurementPeriod(LocalDate.of(2024, 2, 29),
        LocalDate.of(2024, 2, 29));

    assertThat(day.includes(LocalDate.of(2024, 2, 29))).isTrue();
    assertThat(day.includes(LocalDate.of(2024, 2, 28))).isFalse();
    assertThat(day.includes(LocalDate.of(2024, 3, 1))).isFalse();
  }

  @Test
  void startAfterEndIsRejectedQuotingBoth() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new MeasurementPeriod(LocalDate.of(2025, 1, 1),
            LocalDate.of(2024, 12, 31)))
        .withMessageContaining("2025-01-01")
        .withMessageContaining("2024-12-31");
  }

  @Test
  void bothEndsAreRequired() {
    assertThatNullPointerException()
        .isThrownBy(() -> new MeasurementPeriod(null, LocalDate.of(2024, 12, 31)))
        .withMessage("start");
    assertThatNullPointerException()
        .isThrownBy(() -> new MeasurementPeriod(LocalDate.of(2024, 1, 1), null))
        .withMessage("end");
  }
}
