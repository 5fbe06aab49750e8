package io.github.cdsengine.rules.cdc.opioids2016;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.testing.Facts;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Supply days, acute and chronic pain, and days on opioids, as the reference logic counts. */
class OpioidOrdersTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final LocalDate TODAY = LocalDate.of(2022, 12, 13);

  static MedicationRequest order(String id, String authored, String supply, String unit) {
    return Facts.order(id, Code.of(RXNORM, "1049502")).authoredOn(authored)
        .dispense(supply == null ? null : Facts.supply(null, supply, unit, null)).build();
  }

  @ParameterizedTest
  @CsvSource({"30, d, 30", "4, wk, 28", "1, mo, 30", "1, a, 365", "48, h, 2"})
  void supplyDaysConvertUnitsOfTime(String value, String unit, String days) {
    assertThat(OpioidOrders.supplyDays(order("x", "2022-12-13", value, unit)))
        .isEqualByComparingTo(days);
  }

  @Test
  void aSupplyInAUnitThatIsNotTimeOrMissingIsUnknownNotZero() {
    assertThat(OpioidOrders.supplyDays(order("x", "2022-12-13", "30", "tablets"))).isNull();
    assertThat(OpioidOrders.supplyDays(order("x", "2022-12-13", null, null))).isNull();
    assertThat(OpioidOrders.chronicPain(order("x", "2022-12-13", null, null))).isFalse();
    assertThat(OpioidOrders.acutePain(order("x", "2022-12-13", null, null))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"27.9, false, true", "28, true, false", "27, false, true", "90, true, false"})
  void twentyEightDaysSupplyIsWhereChronicPainStarts(String days, boolean chronic,
      boolean acute) {
    MedicationRequest order = order("x", "2022-12-13", days, "d");
    assertThat(OpioidOrders.chronicPain(order)).isEqualTo(chronic);
    assertThat(OpioidOrders.acutePain(order)).isEqualTo(acute);
  }

  @ParameterizedTest
  @CsvSource({"7, false", "7.5, true", "8, true"})
  void moreThanSevenDays(String days, boolean more) {
    assertThat(OpioidOrders.suppliesMoreThan(order("x", "2022-12-13", days, "d"), 7))
        .isEqualTo(more);
  }

  @Test
  void daysOnOpioidsMergesTouchingSupplyAndCutsItToThePeriod() {
    // 5 to 12 December, then 13 December onwards: one span from the 5th, touching the 13th.
    List<MedicationRequest> orders = List.of(order("a", "2022-12-05", "7", "d"),
        order("b", "2022-12-13", "30", "d"));
    assertThat(OpioidOrders.daysOnOpioids(orders, UTC, TODAY.minusDays(10), TODAY))
        .isEqualTo(8);
    assertThat(OpioidOrders.daysOnOpioids(orders.subList(0, 1), UTC, TODAY.minusDays(10),
        TODAY)).isEqualTo(7);
    // A gap of one day keeps spans apart; each counts the days between its ends.
    List<MedicationRequest> apart = List.of(order("a", "2022-12-01", "3", "d"),
        order("b", "2022-12-06", "3", "d"));
    assertThat(OpioidOrders.daysOnOpioids(apart, UTC, TODAY.minusDays(30), TODAY))
        .isEqualTo(6);
  }

  @Test
  void longTermUseNeeds21DaysInEachOfThreeMonths() {
    // 62 days from 12 September reach 13 November: the last month has none.
    assertThat(OpioidOrders.longTermUse(List.of(order("a", "2022-09-12", "62", "d")), UTC,
        TODAY)).isFalse();
    // 92 days from 12 September cover all three months.
    assertThat(OpioidOrders.longTermUse(List.of(order("a", "2022-09-12", "92", "d")), UTC,
        TODAY)).isTrue();
  }

  @Test
  void draftOrdersAreRecognisedByTypeAndId() {
    MedicationRequest order = order("rx-1", "2022-12-13", "30", "d");
    assertThat(OpioidOrders.isDraft(order, List.of(DraftOrder.of("MedicationRequest/rx-1"))))
        .isTrue();
    assertThat(OpioidOrders.isDraft(order, List.of(DraftOrder.of("ServiceRequest/rx-1"))))
        .isFalse();
    assertThat(OpioidOrders.isDraft(order, List.of())).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"2021-12-12, true", "2021-12-11, false", "2022-12-12, true", "2022-12-13, false"})
  void aUrineScreenCountsFromAYearAndADayAgoToYesterday(String effective, boolean counts) {
    Observation screen = Observation.builder("s", ObservationStatus.FINAL,
            new CodeableConcept(List.of(Code.of(LOINC, "70146-6")), null))
        .effective(Period.at(effective)).valueString("POS").build();
    assertThat(OpioidOrders.urineScreenInPastYear(screen, UTC, TODAY)).isEqualTo(counts);
  }

  @ParameterizedTest
  @CsvSource({"POS, true", "positive, true", "' Pos ', true", "NEG, false", "'', false"})
  void aPositiveResultStartsWithPos(String value, boolean positive) {
    Observation screen = Observation.builder("s", ObservationStatus.FINAL,
            new CodeableConcept(List.of(Code.of(LOINC, "70146-6")), null))
        .effective(Period.at("2022-05-09")).valueString(value).build();
    assertThat(UrineDrugScreens.positive(screen)).isEqualTo(positive);
  }
}
