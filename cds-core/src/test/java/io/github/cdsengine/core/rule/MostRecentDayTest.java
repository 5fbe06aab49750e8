package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.testing.Facts.BLOOD_PRESSURE_PANEL;
import static io.github.cdsengine.core.testing.Facts.DIASTOLIC;
import static io.github.cdsengine.core.testing.Facts.HBA1C;
import static io.github.cdsengine.core.testing.Facts.SYSTOLIC;
import static io.github.cdsengine.core.testing.Facts.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MostRecentDayTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ValueSets VALUE_SETS = ValueSets.of(List.of(
      new ValueSet("systolic", "https://example.org/ValueSet/systolic", null, "Systolic",
          Set.of(SYSTOLIC))));

  private static int nextId;

  private static Observation a1c(String effective, String value, String unit) {
    return observation("o" + ++nextId, HBA1C).on(effective).value(value, unit).build();
  }

  private static Observation bloodPressure(String effective, ObservationComponent... parts) {
    return observation("bp" + ++nextId, BLOOD_PRESSURE_PANEL).on(effective).components(parts)
        .encounter("e1").build();
  }

  private static ObservationComponent part(Code code, String value) {
    return new ObservationComponent(CodeableConcept.of(code),
        value == null ? null : Quantity.of(value, "mm[Hg]"), null);
  }

  @Test
  void theDayIsThatOfTheLatestEffectiveTimeInTheZone() {
    Observation late = a1c("2025-03-01T23:30:00Z", "7", "%");
    assertThat(MostRecentDay.dayOf(late, UTC)).isEqualTo(LocalDate.of(2025, 3, 1));
    assertThat(MostRecentDay.dayOf(late, ZoneId.of("Europe/Paris")))
        .isEqualTo(LocalDate.of(2025, 3, 2));
    Observation period = observation("p", HBA1C)
        .effective(new Period(ClinicalTime.parse("2025-01-02"), ClinicalTime.parse("2025-01-03")))
        .build();
    assertThat(MostRecentDay.dayOf(period, UTC)).isEqualTo(LocalDate.of(2025, 1, 3));
  }

  @Test
  void aReadingDatedOnlyToAMonthHasNoDay() {
    assertThat(MostRecentDay.dayOf(a1c("2025-03", "7", "%"), UTC)).isNull();
    assertThat(MostRecentDay.lowest(List.of(a1c("2025-03", "7", "%")), "%", UTC)).isNull();
  }

  @Test
  void onlyTheReadingsOfTheLatestDayCount() {
    Observation dayBefore = a1c("2025-05-31", "6", "%");
    Observation morning = a1c("2025-06-01T08:00:00Z", "10", "%");
    Observation evening = a1c("2025-06-01T20:00:00Z", "9.5", "%");
    assertThat(MostRecentDay.readings(List.of(dayBefore, morning, evening), UTC))
        .containsExactlyInAnyOrder(morning, evening);
    assertThat(MostRecentDay.lowest(List.of(evening, dayBefore, morning), "%", UTC))
        .isSameAs(evening);
  }

  @Test
  void aReadingWithoutAQuantityIsTheLowestAsCqlSortsNullsFirst() {
    Observation high = a1c("2025-06-01", "10", "%");
    Observation noResult = a1c("2025-06-01", null, null);
    assertThat(MostRecentDay.lowest(List.of(high, noResult), "%", UTC)).isSameAs(noResult);
  }

  @Test
  void valuesAreComparedInTheGivenUnitAndOnesThatDoNotConvertComeLast() {
    Observation fraction = a1c("2025-06-01", "0.08", "1");
    Observation percent = a1c("2025-06-01", "9", "%");
    Observation ifcc = a1c("2025-06-01", "20", "mmol/mol");
    assertThat(MostRecentDay.lowest(List.of(percent, fraction, ifcc), "%", UTC))
        .isSameAs(fraction);
    assertThat(MostRecentDay.lowest(List.of(ifcc), "%", UTC)).isSameAs(ifcc);
  }

  @Test
  void noReadingsSelectNothing() {
    assertThat(MostRecentDay.lowest(List.of(), "%", UTC)).isNull();
    assertThat(MostRecentDay.readings(List.of(), UTC)).isEmpty();
    assertThat(MostRecentDay.latestDay(List.of("not an observation"), UTC)).isNull();
  }

  @Test
  void theLowestComponentIsItsReadingWithTheComponentsCodeAndValue() {
    Observation earlier = bloodPressure("2025-06-01", part(SYSTOLIC, "120"), part(DIASTOLIC, "70"));
    Observation first = bloodPressure("2025-06-02T09:00:00Z", part(SYSTOLIC, "150"),
        part(DIASTOLIC, "85"));
    Observation second = bloodPressure("2025-06-02T10:00:00Z", part(SYSTOLIC, "138"),
        part(DIASTOLIC, "95"));
    Observation lowest = MostRecentDay.lowestComponent(List.of(earlier, first, second),
        VALUE_SETS, "systolic", "mm[Hg]", UTC);
    assertThat(lowest.id()).isEqualTo(second.id());
    assertThat(lowest.code().hasCoding(SYSTOLIC)).isTrue();
    assertThat(lowest.valueQuantity()).isEqualTo(Quantity.of("138", "mm[Hg]"));
    assertThat(lowest.effective()).isEqualTo(second.effective());
    assertThat(lowest.encounter()).isEqualTo("e1");
  }

  @Test
  void aReadingMissingTheComponentOrItsValueMakesTheLowestUnknown() {
    Observation good = bloodPressure("2025-06-02", part(SYSTOLIC, "120"), part(DIASTOLIC, "70"));
    Observation noSystolic = bloodPressure("2025-06-02", part(DIASTOLIC, "70"));
    Observation noValue = bloodPressure("2025-06-02", part(SYSTOLIC, null));
    Observation twoSystolic = bloodPressure("2025-06-02", part(SYSTOLIC, "120"),
        part(SYSTOLIC, "125"));
    for (Observation bad : List.of(noSystolic, noValue, twoSystolic)) {
      List<Observation> readings = new ArrayList<>(List.of(good, bad));
      Observation lowest = MostRecentDay.lowestComponent(readings, VALUE_SETS, "systolic",
          "mm[Hg]", UTC);
      assertThat(lowest.id()).isEqualTo(bad.id());
      assertThat(lowest.hasValue()).isFalse();
    }
  }

  @Test
  void anUnknownValueSetIsRefused() {
    Observation reading = bloodPressure("2025-06-02", part(SYSTOLIC, "120"));
    assertThatIllegalArgumentException().isThrownBy(() -> MostRecentDay.lowestComponent(
        List.of(reading), VALUE_SETS, "no-such-set", "mm[Hg]", UTC));
  }
}
