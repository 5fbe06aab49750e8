package io.github.cdsengine.core.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.VerificationStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeriodRelationsTest {

  static final MeasurementPeriod MP =
      new MeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), ZoneOffset.UTC);
  static final CodeableConcept CODE = CodeableConcept.of(Code.of("http://snomed.info/sct", "1"));
  /** An encounter from 10:00 to 10:30 on 14 April 2025. */
  static final Period VISIT = period("2025-04-14T10:00:00Z", "2025-04-14T10:30:00Z");

  static Period period(String start, String end) {
    return new Period(start == null ? null : ClinicalTime.parse(start),
        end == null ? null : ClinicalTime.parse(end));
  }

  static Condition condition(ConditionClinicalStatus status, String onset, String abatement,
      String recorded) {
    return Condition.builder("c1", CODE).clinicalStatus(status)
        .verificationStatus(VerificationStatus.CONFIRMED)
        .onset(onset == null ? null : ClinicalTime.parse(onset))
        .abatement(abatement == null ? null : ClinicalTime.parse(abatement))
        .recorded(recorded == null ? null : ClinicalTime.parse(recorded)).build();
  }

  static Condition active(String onset, String abatement) {
    return condition(ConditionClinicalStatus.ACTIVE, onset, abatement, null);
  }

  static Observation reading(String start, String end) {
    return Observation.builder("o" + start, ObservationStatus.FINAL, CODE)
        .effective(period(start, end)).build();
  }

  static MedicationRequest order(Period... bounds) {
    List<Dosage> dosage = Arrays.stream(bounds).map(b -> new Dosage(null, 1, null, null,
        List.of(), b, null, null, null)).toList();
    return MedicationRequest.builder("m1", RequestStatus.ACTIVE, RequestIntent.ORDER, CODE)
        .dosage(dosage).build();
  }

  @ParameterizedTest(name = "onset {0}, abatement {1}: {2}")
  @CsvSource({
      "2025-04-14T10:30:00Z, , true",       // onset at the visit's end: overlaps (closed ends)
      "2025-04-14T10:30:01Z, , false",      // a second after it
      "2025-04-14, , false",                // a day against the visit's end instant: uncertain
      ", , true",                           // no onset: prevalent from the earliest time
      "2025-01-01, 2025-04-14T09:59:59Z, false",
      "2025-01-01, 2025-04-14T10:00:00Z, true"})
  void prevalenceOverlapsComparesFullTimes(String onset, String abatement, boolean expected) {
    assertThat(PeriodRelations.prevalenceOverlaps(MP, active(onset, abatement), VISIT))
        .isEqualTo(expected);
  }

  @Test
  void aNonActiveConditionNeedsAnAbatementToOverlap() {
    Condition resolved = condition(ConditionClinicalStatus.RESOLVED, "2025-01-01", null, null);
    assertThat(PeriodRelations.prevalenceOverlaps(MP, resolved, VISIT)).isFalse();
    assertThat(PeriodRelations.prevalenceOverlapsDays(MP, resolved, VISIT)).isFalse();
    assertThat(PeriodRelations.prevalenceOverlaps(MP,
        condition(ConditionClinicalStatus.RESOLVED, "2025-01-01", "2025-05-01", null), VISIT))
        .isTrue();
  }

  @ParameterizedTest(name = "onset {0}, abatement {1}: {2}")
  @CsvSource({
      "2025-04-14T23:00:00Z, , true",       // same day, later hour: the days overlap, runs on
      "2025-04-15, , false",                // starts the day after
      "2025-01-01, 2025-04-14T23:00:00Z, false", // ends on the visit's day: not after it
      "2025-01-01, 2025-04-15, true",
      ", , true"})
  void overlapsAfterDayOfNeedsALaterLastDay(String onset, String abatement, boolean expected) {
    assertThat(PeriodRelations.prevalenceOverlapsAfterDays(MP, active(onset, abatement), VISIT))
        .isEqualTo(expected);
  }

  @Test
  void nothingOverlapsAfterAPeriodThatRunsOn() {
    Period ongoing = period("2025-04-14T10:00:00Z", null);
    assertThat(PeriodRelations.prevalenceOverlapsAfterDays(MP, active("2025-01-01", null),
        ongoing)).isFalse();
  }

  @Test
  void startsBeforeEndIsStrictOnFullTimes() {
    assertThat(PeriodRelations.startsBeforeEnd(MP, ClinicalTime.parse("2025-04-14T10:29:59Z"),
        VISIT)).isTrue();
    assertThat(PeriodRelations.startsBeforeEnd(MP, ClinicalTime.parse("2025-04-14T10:30:00Z"),
        VISIT)).isFalse();
    assertThat(PeriodRelations.startsBeforeEnd(MP, ClinicalTime.parse("2025-04-14"), VISIT))
        .isFalse();
    assertThat(PeriodRelations.startsBeforeEnd(MP, ClinicalTime.parse("2025-04-13"), VISIT))
        .isTrue();
    assertThat(PeriodRelations.startsBeforeEnd(MP, null, VISIT)).isFalse();
    assertThat(PeriodRelations.startsBeforeEnd(MP, ClinicalTime.parse("2030-01-01"),
        period("2025-04-14T10:00:00Z", null))).isTrue();
  }

  @Test
  void diagnosisIsTheRecordedDateOrElseThePrevalenceStart() {
    assertThat(PeriodRelations.diagnosedBeforeEnd(MP,
        condition(ConditionClinicalStatus.ACTIVE, "2025-06-01", null, "2025-04-01"), VISIT))
        .isTrue();
    assertThat(PeriodRelations.diagnosedBeforeEnd(MP,
        condition(ConditionClinicalStatus.ACTIVE, "2025-01-01", null, "2025-06-01"), VISIT))
        .isFalse();
    assertThat(PeriodRelations.diagnosedBeforeEnd(MP, active("2025-06-01", null), VISIT))
        .isFalse();
    assertThat(PeriodRelations.diagnosedBeforeEnd(MP, active(null, null), VISIT)).isTrue();
  }

  @ParameterizedTest(name = "onset {0}: {1}")
  @CsvSource({
      "2024-07-14T10:00:00Z, true",         // exactly nine months before the start
      "2024-07-14T09:59:59Z, false",
      "2025-04-14T10:00:00Z, true",         // at the start
      "2025-04-14T10:00:01Z, false",
      "2024-12-01, true",
      "2025-04-14, false"})                 // a day against the start instant: uncertain
  void prevalenceStartsNineMonthsOrLessBeforeTheStart(String onset, boolean expected) {
    Condition pregnancy = active(onset, null);
    assertThat(PeriodRelations.prevalenceStartsMonthsBeforeStart(MP, pregnancy, VISIT, 9))
        .isEqualTo(expected);
  }

  @Test
  void aConditionNeitherActiveNorAbatedHasNoPrevalenceToStart() {
    Condition noStatus = condition(null, "2025-01-01", null, null);
    Condition resolved = condition(ConditionClinicalStatus.RESOLVED, "2025-01-01", "2025-01-20",
        null);

    assertThat(PeriodRelations.prevalenceStartsMonthsBeforeStart(MP, noStatus, VISIT, 9))
        .isFalse();
    assertThat(PeriodRelations.prevalenceStartsBeforeEnd(MP, noStatus, VISIT)).isFalse();
    assertThat(PeriodRelations.diagnosedBeforeEnd(MP, noStatus, VISIT)).isFalse();
    assertThat(PeriodRelations.prevalenceStartsMonthsBeforeStart(MP, resolved, VISIT, 9))
        .isTrue();
    assertThat(PeriodRelations.prevalenceStartsBeforeEnd(MP, resolved, VISIT)).isTrue();
  }

  @Test
  void monthsBeforeStartNeedAnOnsetAndANonNegativeWindow() {
    assertThat(PeriodRelations.prevalenceStartsMonthsBeforeStart(MP, active(null, null), VISIT,
        9)).isFalse();
    assertThatIllegalArgumentException().isThrownBy(() ->
        PeriodRelations.prevalenceStartsMonthsBeforeStart(MP, active(null, null), VISIT, -1));
  }

  @ParameterizedTest(name = "onset {0}, last occurrence {1}: {2}")
  @CsvSource({
      ", , true",                           // from the earliest time, on and on
      "2025-04-14T22:00:00Z, , true",       // the visit's day, later hour
      "2025-04-15, , false",                // starts after the visit's day
      "2025-01-01, 2025-04-14T23:00:00Z, false", // last reaction on the visit's day
      "2025-01-01, 2025-04-15, true",
      "2025-01-01, 2025-03-01, false"})
  void allergyFromOnsetToLastOccurrenceOverlapsAfterTheVisitsDay(String onset, String last,
      boolean expected) {
    AllergyIntolerance allergy = new AllergyIntolerance("a1", AllergyClinicalStatus.ACTIVE,
        VerificationStatus.CONFIRMED, CODE, null,
        onset == null ? null : ClinicalTime.parse(onset),
        last == null ? null : ClinicalTime.parse(last));
    assertThat(PeriodRelations.allergyOverlapsAfterDays(MP, allergy, VISIT)).isEqualTo(expected);
  }

  @Test
  void firstDosingPeriodIsTheEarliestAfterCollapsing() {
    // One bounds period running on from before the visit: overlaps after it.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-02-27", null)), VISIT)).isTrue();
    // Ends on the visit's day: overlaps, but not after.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-02-27", "2025-04-14T12:00:00Z")), VISIT)).isFalse();
    // The earliest period ends before the visit; a later one covering it is not the first.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-06-01", "2025-12-31"), period("2025-01-01", "2025-03-01")), VISIT))
        .isFalse();
    // Two periods touching by a day collapse into one that runs past the visit.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-15", "2025-05-01"), period("2025-01-01", "2025-04-14")), VISIT))
        .isTrue();
    // No bounds start, no bounds: nothing to test.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period(null, "2025-12-31")), VISIT)).isFalse();
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP, order(), VISIT)).isFalse();
  }

  @Test
  void readingsDuringAVisitAndBeforeOneAnother() {
    Observation atStart = reading("2025-04-14T10:00:00Z", "2025-04-14T10:00:00Z");
    Observation later = reading("2025-04-14T10:05:00Z", "2025-04-14T10:05:00Z");
    Observation afterEnd = reading("2025-04-14T10:30:01Z", "2025-04-14T10:30:01Z");
    Observation dayOnly = reading("2025-04-14", "2025-04-14");

    assertThat(PeriodRelations.effectiveDuring(MP, atStart, VISIT)).isTrue();
    assertThat(PeriodRelations.effectiveDuring(MP, afterEnd, VISIT)).isFalse();
    assertThat(PeriodRelations.effectiveDuring(MP, dayOnly, VISIT)).isFalse();
    assertThat(PeriodRelations.effectiveBefore(MP, atStart, later)).isTrue();
    assertThat(PeriodRelations.effectiveBefore(MP, later, atStart)).isFalse();
    assertThat(PeriodRelations.effectiveBefore(MP, atStart, atStart)).isFalse();
    assertThat(PeriodRelations.effectiveStartsAfter(MP, later, atStart)).isTrue();
    assertThat(PeriodRelations.effectiveStartsAfter(MP, atStart, atStart)).isFalse();
  }

  /**
   * CQL (1.5, Comparison Operators): seconds and milliseconds are one precision compared as a
   * decimal, so a time written to the second equals the same time written to the millisecond
   * (14:40:00 = 14:40:00.000), and one millisecond apart is certainly earlier or later; a coarser
   * precision (a day against an instant on that day) stays uncertain. FHIR's dateTime has no
   * minute precision: a time of day without seconds is refused.
   */
  @Test
  void secondsAndMillisecondsCompareAsOneDecimalPrecision() {
    Period visit = period("2025-02-27T14:40:00.000+00:00", "2025-02-27T14:55:00.000+00:00");
    Observation onTheSecond = reading("2025-02-27T14:40:00+00:00", "2025-02-27T14:40:00+00:00");
    Observation aMilliBefore =
        reading("2025-02-27T14:39:59.999+00:00", "2025-02-27T14:39:59.999+00:00");
    Observation aMilliAfter =
        reading("2025-02-27T14:40:00.001+00:00", "2025-02-27T14:40:00.001+00:00");
    Observation atEndOnTheSecond =
        reading("2025-02-27T14:55:00+00:00", "2025-02-27T14:55:00+00:00");
    Observation aMilliPastEnd =
        reading("2025-02-27T14:55:00.001+00:00", "2025-02-27T14:55:00.001+00:00");
    Observation dayOnly = reading("2025-02-27", "2025-02-27");

    assertThat(MP.compare(ClinicalTime.parse("2025-02-27T14:40:00Z"),
        ClinicalTime.parse("2025-02-27T14:40:00.000Z"))).isZero();
    assertThat(MP.compare(ClinicalTime.parse("2025-02-27T14:40:00Z"),
        ClinicalTime.parse("2025-02-27T14:40:00.001Z"))).isEqualTo(-1);
    assertThat(MP.compare(ClinicalTime.parse("2025-02-27"),
        ClinicalTime.parse("2025-02-27T14:40:00.000Z"))).isNull();

    assertThat(PeriodRelations.effectiveDuring(MP, onTheSecond, visit)).isTrue();
    assertThat(PeriodRelations.effectiveDuring(MP, atEndOnTheSecond, visit)).isTrue();
    assertThat(PeriodRelations.effectiveDuring(MP, aMilliBefore, visit)).isFalse();
    assertThat(PeriodRelations.effectiveDuring(MP, aMilliAfter, visit)).isTrue();
    assertThat(PeriodRelations.effectiveDuring(MP, aMilliPastEnd, visit)).isFalse();
    assertThat(PeriodRelations.effectiveDuring(MP, dayOnly, visit)).isFalse();
    assertThat(PeriodRelations.effectiveBefore(MP, onTheSecond, aMilliAfter)).isTrue();
    assertThat(PeriodRelations.effectiveBefore(MP, aMilliBefore, onTheSecond)).isTrue();
    assertThat(PeriodRelations.effectiveStartsAfter(MP, aMilliAfter, onTheSecond)).isTrue();
    assertThat(PeriodRelations.effectiveStartsAfter(MP, onTheSecond,
        reading("2025-02-27T14:40:00.000+00:00", "2025-02-27T14:40:00.000+00:00"))).isFalse();
    assertThatExceptionOfType(DateTimeParseException.class)
        .isThrownBy(() -> ClinicalTime.parse("2025-02-27T14:40+00:00"))
        .withMessageContaining("hh:mm:ss");
  }

  /**
   * CQL's collapse merges intervals that overlap or meet at their points' precision: bounds
   * periods written to the instant merge only when the next starts by a millisecond after the
   * last ends, not whenever they touch the same or the next day.
   */
  @Test
  void dosingPeriodsWithTimesCollapseOnlyWhenTheyOverlapOrMeet() {
    // A day and two hours apart: two periods; the first ends on the visit's day.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-01T08:00:00Z", "2025-04-14T07:00:00Z"),
            period("2025-04-15T09:00:00Z", "2025-05-01T08:00:00Z")), VISIT)).isFalse();
    // Two milliseconds apart: still two.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-01T08:00:00Z", "2025-04-14T07:00:00.000Z"),
            period("2025-04-14T07:00:00.002Z", "2025-05-01T08:00:00Z")), VISIT)).isFalse();
    // Meeting at the next millisecond, or overlapping, whatever the order listed: one period.
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-01T08:00:00Z", "2025-04-14T07:00:00.000Z"),
            period("2025-04-14T07:00:00.001Z", "2025-05-01T08:00:00Z")), VISIT)).isTrue();
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-14T06:00:00Z", "2025-05-01T08:00:00Z"),
            period("2025-04-01T08:00:00Z", "2025-04-14T07:00:00Z")), VISIT)).isTrue();
    // Bounds written as days still merge on the next day (a day's successor is the next day).
    assertThat(PeriodRelations.firstDosingOverlapsAfterDays(MP,
        order(period("2025-04-01", "2025-04-14"), period("2025-04-15", "2025-05-01")), VISIT))
        .isTrue();
  }
}
