package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tests measures make against an encounter's own days and against timestamps (CMS506's
 * "during day of InpatientEncounter.period", CMS156's "overlaps Interval[start of Measurement
 * Period - 1 year, IPSD]"): the day before, the day of, the day after.
 */
class MeasurementPeriodEpisodeTest {

  static final MeasurementPeriod YEAR_2026 = new MeasurementPeriod(LocalDate.of(2026, 1, 1),
      LocalDate.of(2026, 12, 31), ZoneOffset.UTC);

  static ClinicalTime t(String text) {
    return ClinicalTime.parse(text);
  }

  static Condition condition(ConditionClinicalStatus status, String onset, String abatement) {
    return Condition.builder("c1", CodeableConcept.of(Code.of(SNOMED_CT, "1")))
        .clinicalStatus(status).onset(onset == null ? null : t(onset))
        .abatement(abatement == null ? null : t(abatement)).build();
  }

  @ParameterizedTest(name = "{0} during the days of a stay 2026-01-02T08:00Z..2026-01-03T00:00Z: {1}")
  @CsvSource({
      "2026-01-01T23:59:59Z, false",
      "2026-01-02T00:00:00Z, true",
      "2026-01-03T00:10:00Z, true",
      "2026-01-03T23:59:59Z, true",
      "2026-01-04T00:00:00Z, false",
      "2026-01-02, true",
      "2026-01, false",
  })
  void daysOfAStayIncludeItsWholeFirstAndLastDays(String time, boolean during) {
    MeasurementPeriod stay = YEAR_2026.daysOf(
        new Period(t("2026-01-02T08:00:00Z"), t("2026-01-03T00:00:00Z")));
    assertThat(stay.start()).isEqualTo(LocalDate.of(2026, 1, 2));
    assertThat(stay.end()).isEqualTo(LocalDate.of(2026, 1, 3));
    assertThat(stay.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(stay.includesTime(t(time))).isEqualTo(during);
  }

  @Test
  void daysOfAnOngoingPeriodRunOnAndAPeriodWithoutStartHasNone() {
    MeasurementPeriod ongoing = YEAR_2026.daysOf(new Period(t("2026-03-01"), null));
    assertThat(ongoing.includesTime(t("2099-01-01"))).isTrue();
    assertThat(ongoing.includesTime(t("2026-02-28"))).isFalse();
    assertThat(YEAR_2026.daysOf(new Period(null, t("2026-03-01")))).isNull();
    assertThat(YEAR_2026.daysOf(null)).isNull();
  }

  @Test
  void aDateTimeSpanOfOneDayIsThatDay() {
    MeasurementPeriod day = YEAR_2026.daysOf(Period.at(t("2026-05-05T10:00:00Z")));
    assertThat(day.start()).isEqualTo(LocalDate.of(2026, 5, 5));
    assertThat(day.end()).isEqualTo(LocalDate.of(2026, 5, 5));
  }

  @ParameterizedTest(name = "resolved 2026-03-10, on {0}: {1}")
  @CsvSource({
      "2026-02-28T12:00:00Z, false",
      "2026-03-01T00:00:00Z, true",
      "2026-03-10T23:00:00Z, true",
      "2026-03-11T00:00:00Z, false",
  })
  void prevalentOnTheDaysFromOnsetToAbatement(String time, boolean prevalent) {
    Condition resolved = condition(ConditionClinicalStatus.RESOLVED, "2026-03-01T10:00:00Z",
        "2026-03-10T01:00:00Z");
    assertThat(YEAR_2026.prevalentOn(resolved, t(time))).isEqualTo(prevalent);
  }

  @Test
  void anActiveConditionIsPrevalentOnAndAnInactiveOneWithoutAbatementIsUnknown() {
    assertThat(YEAR_2026.prevalentOn(
        condition(ConditionClinicalStatus.ACTIVE, "2020-01-01", null), t("2030-01-01"))).isTrue();
    assertThat(YEAR_2026.prevalentOn(
        condition(ConditionClinicalStatus.ACTIVE, null, null), t("1990-01-01"))).isTrue();
    assertThat(YEAR_2026.prevalentOn(
        condition(ConditionClinicalStatus.INACTIVE, "2020-01-01", null), t("2020-06-01")))
        .isFalse();
    assertThat(YEAR_2026.prevalentOn(null, t("2020-06-01"))).isFalse();
  }

  @ParameterizedTest(name = "abated {0}: overlaps [2024-01-01T00:00Z, 2025-03-01T10:00Z]: {1}")
  @CsvSource({
      "2023-12-31T23:59:59Z, false",
      "2024-01-01T00:00:00Z, true",
      "2024-01-01T00:00:01Z, true",
      "2023-12-31, false",
      "2024-01-01, true",
  })
  void prevalenceOverlapsTimesOnFullTimestamps(String abatement, boolean overlaps) {
    Condition condition = condition(ConditionClinicalStatus.RESOLVED, "2020-01-01", abatement);
    assertThat(YEAR_2026.prevalenceOverlapsTimes(condition, ClinicalTime.of(
        LocalDate.of(2024, 1, 1)), t("2025-03-01T10:00:00Z"))).isEqualTo(overlaps);
  }

  @ParameterizedTest(name = "onset {0}: overlaps [2024-01-01, 2025-03-01T10:00Z]: {1}")
  @CsvSource({
      "2025-03-01T09:59:59Z, true",
      "2025-03-01T10:00:00Z, true",
      "2025-03-01T10:00:01Z, false",
      "2025-03-01, false",
      "2025-02-28, true",
  })
  void anActiveConditionOverlapsFromItsOnset(String onset, boolean overlaps) {
    Condition condition = condition(ConditionClinicalStatus.ACTIVE, onset, null);
    assertThat(YEAR_2026.prevalenceOverlapsTimes(condition, ClinicalTime.of(
        LocalDate.of(2024, 1, 1)), t("2025-03-01T10:00:00Z"))).isEqualTo(overlaps);
  }

  @Test
  void anInactiveConditionWithoutAbatementNeverCertainlyOverlaps() {
    assertThat(YEAR_2026.prevalenceOverlapsTimes(
        condition(ConditionClinicalStatus.INACTIVE, "2024-06-01", null),
        ClinicalTime.of(LocalDate.of(2024, 1, 1)), t("2025-03-01T10:00:00Z"))).isFalse();
    assertThat(YEAR_2026.prevalenceOverlapsTimes(
        condition(ConditionClinicalStatus.ACTIVE, "2024-06-01", null), null, null)).isFalse();
  }

  @ParameterizedTest(name = "born {0}, stay starting 2026-03-10T22:00Z: 18 or older {1}")
  @CsvSource({
      "2008-03-11, false",
      "2008-03-10, true",
      "2008-03-09, true",
  })
  void ageOnTheDayOfATime(String birthDate, boolean adult) {
    Patient patient = new Patient("p1", LocalDate.parse(birthDate), AdministrativeGender.FEMALE);
    assertThat(YEAR_2026.ageOnBetween(patient, t("2026-03-10T22:00:00Z"), 18,
        Integer.MAX_VALUE)).isEqualTo(adult);
  }

  @Test
  void ageOnAnUnknownTimeIsNotInRange() {
    Patient patient = new Patient("p1", LocalDate.of(1950, 1, 1), AdministrativeGender.FEMALE);
    assertThat(YEAR_2026.ageOnBetween(patient, null, 18, Integer.MAX_VALUE)).isFalse();
    assertThat(YEAR_2026.ageOnBetween(
        new Patient("p1", LocalDate.of(2008, 3, 15), AdministrativeGender.FEMALE),
        t("2026-03"), 18, Integer.MAX_VALUE)).as("some day of March 2026 is before the birthday")
        .isFalse();
  }
}
