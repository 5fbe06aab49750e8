package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.Patient;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatientAgeTest {

  private static PatientAge ageOn(String birthDate, String date) {
    Patient patient = new Patient("p1", LocalDate.parse(birthDate), AdministrativeGender.FEMALE);
    return PatientAge.of(patient, LocalDate.parse(date));
  }

  @ParameterizedTest(name = "born {0}, on {1}: {2} years")
  @CsvSource({
      "1980-06-15, 2025-06-14, 44",
      "1980-06-15, 2025-06-15, 45",
      "1980-06-15, 2025-06-16, 45",
      "1949-06-15, 2025-06-14, 75",
      "1949-06-15, 2025-06-15, 76",
      "1949-06-15, 2025-06-16, 76",
      "2007-01-01, 2024-12-31, 17",
      "2007-01-01, 2025-01-01, 18",
  })
  void yearsAreCompletedOnTheBirthday(String birthDate, String date, int years) {
    assertThat(ageOn(birthDate, date).years()).isEqualTo(years);
  }

  @ParameterizedTest(name = "born 29 February 2000, on {0}: {1} years")
  @CsvSource({
      "2024-02-28, 23",
      "2024-02-29, 24",
      "2025-02-28, 24",
      "2025-03-01, 25",
      "2028-02-28, 27",
      "2028-02-29, 28",
  })
  void bornOnALeapDayTurnsOlderOnFirstMarchInOtherYears(String date, int years) {
    assertThat(ageOn("2000-02-29", date).years()).isEqualTo(years);
  }

  @ParameterizedTest(name = "born {0}, on {1}: {2} months")
  @CsvSource({
      "2024-11-15, 2024-11-15, 0",
      "2024-11-15, 2024-12-14, 0",
      "2024-11-15, 2024-12-15, 1",
      "2024-11-15, 2025-01-14, 1",
      "2024-11-15, 2025-01-15, 2",
      "2024-11-15, 2025-11-14, 11",
      "2024-11-15, 2025-11-15, 12",
      "2024-11-15, 2026-05-15, 18",
      "1980-06-15, 2025-06-14, 539",
  })
  void monthsAreCompletedMonthsInAll(String birthDate, String date, int months) {
    assertThat(ageOn(birthDate, date).months()).isEqualTo(months);
  }

  @Test
  void ageOnTheDayOfBirthIsZero() {
    PatientAge newborn = ageOn("2025-03-10", "2025-03-10");

    assertThat(newborn.years()).isZero();
    assertThat(newborn.months()).isZero();
  }

  @Test
  void carriesThePatientId() {
    Patient patient = new Patient("patient-42", LocalDate.of(1980, 6, 15), null);

    assertThat(PatientAge.of(patient, LocalDate.of(2025, 6, 15)))
        .isEqualTo(new PatientAge("patient-42", 45, 540));
  }

  @Test
  void birthDateAfterTheDateIsRejectedQuotingBoth() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ageOn("2025-03-11", "2025-03-10"))
        .withMessageContaining("2025-03-11")
        .withMessageContaining("2025-03-10");
  }

  @Test
  void missingBirthDateIsRejected() {
    Patient unknownBirth = new Patient("p1", null, AdministrativeGender.UNKNOWN);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> PatientAge.of(unknownBirth, LocalDate.of(2025, 3, 10)))
        .withMessageContaining("birth date null is missing");
  }
}
