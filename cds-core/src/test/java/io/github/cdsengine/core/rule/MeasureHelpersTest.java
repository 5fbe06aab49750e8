package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.testing.Facts;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The measure helpers: prevalence, age at the period's ends, status filters, last dates. */
class MeasureHelpersTest {

  private static final MeasurementPeriod MP = new MeasurementPeriod(LocalDate.of(2025, 1, 1),
      LocalDate.of(2025, 12, 31), ZoneOffset.UTC);
  private static final CodeableConcept CODE =
      CodeableConcept.of(Code.of(SNOMED_CT, "1"));

  private static Condition condition(ConditionClinicalStatus status, String onset,
      String abatement) {
    return Condition.builder("c", CODE).clinicalStatus(status)
        .onset(onset == null ? null : ClinicalTime.parse(onset))
        .abatement(abatement == null ? null : ClinicalTime.parse(abatement)).build();
  }

  @ParameterizedTest(name = "{0} onset {1} abatement {2}: overlaps {3}")
  @CsvSource(nullValues = "-", value = {
      "ACTIVE,   2010-01-01, -,          true",   // ongoing
      "ACTIVE,   -,          -,          true",   // prevalent from ever
      "ACTIVE,   2026-01-01, -,          false",  // starts the day after
      "ACTIVE,   2025-12-31, -,          true",   // starts on the last day
      "ACTIVE,   2010-01-01, 2024-12-31, false",  // abated the day before
      "ACTIVE,   2010-01-01, 2025-01-01, true",   // abated on the first day
      "RELAPSE,  2010-01-01, -,          true",
      "RESOLVED, 2010-01-01, -,          false",  // end unknown
      "RESOLVED, 2010-01-01, 2025-06-01, true",
      "INACTIVE, 2010-01-01, 2024-06-01, false",
      "-,        2010-01-01, -,          false",  // no status: end unknown
      "-,        2010-01-01, 2025-03-01, true",
  })
  void prevalenceOverlapsAsQiCoreDefinesIt(ConditionClinicalStatus status, String onset,
      String abatement, boolean overlaps) {
    assertThat(MP.prevalenceOverlaps(condition(status, onset, abatement))).isEqualTo(overlaps);
  }

  @Test
  void prevalenceStartsByTheEndWhenTheOnsetIsUnknownOrOnTheLastDay() {
    assertThat(MP.prevalenceStartsByEnd(condition(null, null, null))).isTrue();
    assertThat(MP.prevalenceStartsByEnd(condition(null, "2025-12-31", null))).isTrue();
    assertThat(MP.prevalenceStartsByEnd(condition(null, "2026-01-01", null))).isFalse();
    assertThat(MP.prevalenceStartsByEnd(condition(null, "2025", null))).isTrue();
  }

  @Test
  void prevalenceStartsWithinNeedsARecordedOnsetInsideThePeriod() {
    MeasurementPeriod twoYears = MP.extendedBack(1);
    assertThat(twoYears.prevalenceStartsWithin(condition(null, null, null))).isFalse();
    assertThat(twoYears.prevalenceStartsWithin(condition(null, "2024-01-01", null))).isTrue();
    assertThat(twoYears.prevalenceStartsWithin(condition(null, "2023-12-31", null))).isFalse();
  }

  @ParameterizedTest(name = "born {0}: 46 to 75 at the end {1}, at the start {2}")
  @CsvSource({
      "1979-12-31, true,  false",  // 46 on the last day; 45 on the first
      "1980-01-01, false, false",  // 45 on the last day
      "1950-01-01, true,  true",   // 75 on the last day
      "1949-12-31, false, true",   // 76 on the last day; 75 on the first
      "1979-01-01, true,  true",   // 46 on the first day
  })
  void agesAtTheEndsOfThePeriod(LocalDate birth, boolean atEnd, boolean atStart) {
    Patient patient = new Patient("p", birth, null);
    assertThat(MP.ageAtEndBetween(patient, 46, 75)).isEqualTo(atEnd);
    assertThat(MP.ageAtStartBetween(patient, 46, 75)).isEqualTo(atStart);
  }

  @Test
  void noBirthDateIsNoAge() {
    assertThat(MP.ageAtEndBetween(new Patient("p", null, null), 0, 200)).isFalse();
    assertThat(MP.ageAtEndBetween(new Patient("p", LocalDate.of(2026, 1, 1), null), 0, 200))
        .isFalse();
  }


  @Test
  void statusFiltersFollowTheQiCoreStatusLibrary() {
    assertThat(QiCoreStatus.encounterPerformed(encounter(EncounterStatus.IN_PROGRESS))).isTrue();
    assertThat(QiCoreStatus.encounterPerformed(encounter(EncounterStatus.PLANNED))).isFalse();
    assertThat(QiCoreStatus.encounterPerformed(encounter(EncounterStatus.CANCELLED))).isFalse();
    assertThat(QiCoreStatus.procedurePerformed(
        new Procedure("p", EventStatus.NOT_DONE, CODE, null))).isFalse();

    Observation lab = observation(ObservationStatus.FINAL, "laboratory");
    Observation survey = observation(ObservationStatus.AMENDED, "survey");
    Observation preliminary = observation(ObservationStatus.PRELIMINARY, "laboratory");
    assertThat(QiCoreStatus.laboratoryTestPerformed(lab)).isTrue();
    assertThat(QiCoreStatus.laboratoryTestPerformed(survey)).isFalse();
    assertThat(QiCoreStatus.assessmentPerformed(survey)).isTrue();
    assertThat(QiCoreStatus.laboratoryTestPerformed(preliminary)).isFalse();
    assertThat(QiCoreStatus.symptom(preliminary)).isTrue();
    assertThat(QiCoreStatus.diagnosticStudyPerformed(observation(ObservationStatus.FINAL, null)))
        .isTrue();
  }

  @Test
  void lastDateNamesTheLatestDayOrSaysNoneOnRecord() {
    Procedure early = new Procedure("a", EventStatus.COMPLETED, CODE,
        Period.at("2019-03-04"));
    Procedure late = new Procedure("b", EventStatus.COMPLETED, CODE,
        Period.at("2024-12-31T23:30:00-05:00"));
    Procedure year = new Procedure("c", EventStatus.COMPLETED, CODE,
        Period.at(ClinicalTime.of(Year.of(2020))));

    assertThat(Recorded.lastDate(List.of(early, late, year), ZoneOffset.UTC))
        .isEqualTo("2025-01-01");
    assertThat(Recorded.lastDate(List.of(early, year), ZoneOffset.UTC)).isEqualTo("2020");
    assertThat(Recorded.lastDate(List.of(), ZoneOffset.UTC)).isEqualTo("none on record");
  }

  @Test
  void endsAfterComparesTheLatestKnownTimes() {
    Period june = Period.at("2025-06-01");
    Period july = new Period(ClinicalTime.parse("2025-05-01"), ClinicalTime.parse("2025-07-01"));
    assertThat(july.endsAfter(june)).isTrue();
    assertThat(june.endsAfter(july)).isFalse();
    assertThat(june.endsAfter(june)).isFalse();
    assertThat(june.endsAfter(null)).isFalse();
  }

  private static Encounter encounter(EncounterStatus status) {
    return new Encounter("e", status, null, CODE, Period.at("2025-02-01"), null);
  }

  private static Observation observation(ObservationStatus status, String category) {
    return Facts.observation("o", CODE).status(status).on("2025-02-01").category(category)
        .build();
  }
}
