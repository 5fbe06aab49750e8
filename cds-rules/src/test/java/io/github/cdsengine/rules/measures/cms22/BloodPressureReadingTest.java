package io.github.cdsengine.rules.measures.cms22;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How CMS22 reads a blood pressure reading's values and classes it, CQL's nulls included. */
class BloodPressureReadingTest {

  static final Code PANEL = Code.of("http://loinc.org", "85354-9");
  static final Code OTHER_SYSTOLIC = Code.of("http://snomed.info/sct", "271649006");

  static ObservationComponent part(String loinc, String value, String unit) {
    return new ObservationComponent(CodeableConcept.of(Code.of("http://loinc.org", loinc)),
        value == null ? null : Quantity.of(value, unit), null);
  }

  static Observation reading(ObservationComponent... parts) {
    return Observation.builder("bp", ObservationStatus.FINAL, CodeableConcept.of(PANEL))
        .effective(Period.at("2025-01-01T08:05:00Z")).components(List.of(parts)).build();
  }

  static Observation reading(String systolic, String diastolic) {
    List<ObservationComponent> parts = new ArrayList<>();
    if (systolic != null) {
      parts.add(part("8480-6", systolic, "mm[Hg]"));
    }
    if (diastolic != null) {
      parts.add(part("8462-4", diastolic, "mm[Hg]"));
    }
    return reading(parts.toArray(ObservationComponent[]::new));
  }

  @ParameterizedTest(name = "{0}/{1}: normal {2}, elevated {3}, hypertensive {4}, stage 1 {5}, stage 2 {6}")
  @CsvSource(nullValues = "none", value = {
      "119, 79, true, false, false, false, false",
      "120, 79, false, true, false, false, false",
      "129, 79, false, true, false, false, false",
      "129.5, 79, false, false, false, false, false",
      "130, 79, false, false, true, true, false",
      "139, 89, false, false, true, true, false",
      "140, 70, false, false, true, false, true",
      "120, 90, false, false, true, false, true",
      // An unknown diastolic: hypertensive and stage 2 need both values above 0, and stage 1's
      // "not (>= 140 or >= 90)" stays unknown.
      "135, none, false, false, false, false, false",
      "160, none, false, false, false, false, false",
      // Stage 1 has no "above 0" test in the CQL: a systolic of 0 with a diastolic of 85 is in it.
      "0, 85, false, false, false, true, false"})
  void readingsAreClassedAsTheCqlClassesThem(String systolic, String diastolic, boolean normal,
      boolean elevated, boolean hypertensive, boolean stage1, boolean stage2) {
    Observation reading = reading(systolic, diastolic);
    assertThat(BloodPressureReading.normal(reading)).isEqualTo(normal);
    assertThat(BloodPressureReading.elevated(reading)).isEqualTo(elevated);
    assertThat(BloodPressureReading.hypertensive(reading)).isEqualTo(hypertensive);
    assertThat(BloodPressureReading.stage1(reading)).isEqualTo(stage1);
    assertThat(BloodPressureReading.stage2(reading)).isEqualTo(stage2);
  }

  @Test
  void aComponentCountsByItsFirstCodingOnly() {
    ObservationComponent secondCoding = new ObservationComponent(new CodeableConcept(
        List.of(OTHER_SYSTOLIC, Code.of("http://loinc.org", "8480-6")), null),
        Quantity.of("110", "mm[Hg]"), null);
    Observation reading = reading(secondCoding, part("8462-4", "70", "mm[Hg]"));

    assertThat(BloodPressureReading.systolic(reading)).isNull();
    assertThat(BloodPressureReading.normal(reading)).isFalse();
  }

  @Test
  void twoSystolicComponentsGiveNoSystolic() {
    Observation reading = reading(part("8480-6", "110", "mm[Hg]"),
        part("8480-6", "112", "mm[Hg]"), part("8462-4", "70", "mm[Hg]"));
    assertThat(BloodPressureReading.systolic(reading)).isNull();
  }

  @Test
  void valuesConvertToMillimetresOfMercury() {
    Observation reading = reading(part("8480-6", "16", "kPa"), part("8462-4", "70", "mm[Hg]"));
    assertThat(BloodPressureReading.systolic(reading)).isBetween(new BigDecimal("119.9"),
        new BigDecimal("120.1"));
    Observation unknownUnit = reading(part("8480-6", "110", "mg"), part("8462-4", "70", "mm[Hg]"));
    assertThat(BloodPressureReading.systolic(unknownUnit)).isNull();
  }

  @Test
  void aYearUpToAStartIsACalendarYear() {
    Period year = BloodPressureReading.yearUpTo(ClinicalTime.parse("2025-03-01T08:00:00Z"),
        ZoneOffset.UTC);
    assertThat(year.start().instant()).isEqualTo(
        ClinicalTime.parse("2024-03-01T08:00:00Z").instant());
    assertThat(year.end()).isEqualTo(ClinicalTime.parse("2025-03-01T08:00:00Z"));
    assertThat(BloodPressureReading.yearUpTo(null, ZoneOffset.UTC)).isNull();
  }

  @Test
  void aReadingWithoutAStartSortsFirst() {
    Observation timed = reading("110", "70");
    Observation untimed = Observation.builder("x", ObservationStatus.FINAL,
        CodeableConcept.of(PANEL)).build();
    assertThat(BloodPressureReading.startsAfter(timed, untimed)).isTrue();
    assertThat(BloodPressureReading.startsAfter(untimed, timed)).isFalse();
  }
}
