package io.github.cdsengine.rules.measures.cms117;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChildhoodWindowsTest {

  private static final ChildhoodWindows BORN_2023_01_01 =
      new ChildhoodWindows(LocalDate.of(2023, 1, 1), ZoneOffset.UTC);

  @Test
  void toStringNamesTheTypeOnly() {
    // Drools logs the facts a session holds through their toString() at TRACE.
    assertThat(new ChildhoodWindows(LocalDate.of(2023, 1, 17), ZoneOffset.UTC).toString())
        .isEqualTo("ChildhoodWindows[patient data not shown]")
        .doesNotContain("2023");
  }

  @Test
  void birthdays() {
    assertThat(BORN_2023_01_01.firstBirthday()).isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(BORN_2023_01_01.secondBirthday()).isEqualTo(LocalDate.of(2025, 1, 1));
  }

  @Test
  void fromFortyTwoDaysOldToTheSecondBirthday() {
    MeasurementPeriod window = BORN_2023_01_01.fromDaysOld(42);

    assertThat(window.includes(LocalDate.of(2023, 2, 11))).isFalse();
    assertThat(window.includes(LocalDate.of(2023, 2, 12))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 1))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 2))).isFalse();
    assertThat(window.zone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void firstTwoYearsStartsOnTheBirthDate() {
    MeasurementPeriod window = BORN_2023_01_01.firstTwoYears();

    assertThat(window.includes(LocalDate.of(2022, 12, 31))).isFalse();
    assertThat(window.includes(LocalDate.of(2023, 1, 1))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 1))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 2))).isFalse();
  }

  @Test
  void firstToSecondBirthday() {
    MeasurementPeriod window = BORN_2023_01_01.firstToSecondBirthday();

    assertThat(window.includes(LocalDate.of(2023, 12, 31))).isFalse();
    assertThat(window.includes(LocalDate.of(2024, 1, 1))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 1))).isTrue();
    assertThat(window.includes(LocalDate.of(2025, 1, 2))).isFalse();
  }

  @Test
  void newbornWeekAndSecondBirthdayAlone() {
    MeasurementPeriod week = BORN_2023_01_01.firstDays(7);
    MeasurementPeriod birthday = BORN_2023_01_01.onSecondBirthday();

    assertThat(week.includes(LocalDate.of(2023, 1, 1))).isTrue();
    assertThat(week.includes(LocalDate.of(2023, 1, 8))).isTrue();
    assertThat(week.includes(LocalDate.of(2023, 1, 9))).isFalse();
    assertThat(birthday.includes(LocalDate.of(2024, 12, 31))).isFalse();
    assertThat(birthday.includes(LocalDate.of(2025, 1, 1))).isTrue();
    assertThat(birthday.includes(LocalDate.of(2025, 1, 2))).isFalse();
  }

  @Test
  void aLeapDayBirthdayFallsOnTheTwentyEighthInACommonYear() {
    ChildhoodWindows leap = new ChildhoodWindows(LocalDate.of(2024, 2, 29), ZoneOffset.UTC);

    assertThat(leap.firstBirthday()).isEqualTo(LocalDate.of(2025, 2, 28));
    assertThat(leap.secondBirthday()).isEqualTo(LocalDate.of(2026, 2, 28));
  }

  @Test
  void noWindowsWithoutABirthDate() {
    assertThat(ChildhoodWindows.of(new Patient("p", null, null), ZoneOffset.UTC)).isNull();
    assertThat(ChildhoodWindows.of(new Patient("p", LocalDate.of(2023, 1, 1), null),
        ZoneOffset.UTC)).isEqualTo(BORN_2023_01_01);
  }

  @Test
  void negativeAgesAreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> BORN_2023_01_01.fromDaysOld(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> BORN_2023_01_01.firstDays(-1));
  }
}
