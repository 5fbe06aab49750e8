package io.github.cdsengine.rules.cdc.opioids2016;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dispense window of the opioid-naive routine: OpioidCDSRoutines "Opioid Dispense with
 * Ambulatory Abuse Potential In Past 90 Days", {@code whenHandedOver during day of
 * "Prescription/Dispense Inclusion Period"}, that period being {@code Interval[Now() - 90 days,
 * Now() - 24 hours]}: from 90 days ago to yesterday, both included.
 */
class OpioidDispensesTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final LocalDate TODAY = LocalDate.of(2022, 12, 13);

  private static MedicationDispense handedOver(String when) {
    return new MedicationDispense("md", MedicationDispenseStatus.COMPLETED,
        CodeableConcept.of(Code.of(RXNORM, "1049621")),
        when == null ? null : ClinicalTime.parse(when));
  }

  private static boolean inWindow(MedicationDispense dispense, ZoneId zone) {
    return OpioidOrders.handedOverBetween(dispense, zone, TODAY.minusDays(90),
        TODAY.minusDays(1));
  }

  @ParameterizedTest
  @CsvSource({"0, false", "1, true", "45, true", "90, true", "91, false"})
  void fromNinetyDaysAgoToYesterday(int daysAgo, boolean counts) {
    assertThat(inWindow(handedOver(TODAY.minusDays(daysAgo).toString()), UTC))
        .as("%d days ago", daysAgo).isEqualTo(counts);
  }

  @Test
  void anInstantFallsOnTheDayOfTheEvaluationsTimeZone() {
    // 14 September 2022 (90 days ago) 03:00 UTC is still 13 September (91 days ago) in New
    // York.
    MedicationDispense dispense = handedOver("2022-09-14T03:00:00Z");
    assertThat(inWindow(dispense, UTC)).isTrue();
    assertThat(inWindow(dispense, ZoneId.of("America/New_York"))).isFalse();
  }

  @Test
  void noHandOverTimeNeverCounts() {
    assertThat(inWindow(handedOver(null), UTC)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"2022-10, true", "2022-09, false", "2022-12, false", "2022, false"})
  void aMonthOrYearCountsOnlyWhenAllOfItIsInTheWindow(String recorded, boolean counts) {
    // The window is 14 September to 12 December 2022: October lies within, September and
    // December straddle its ends, so CQL's comparison is uncertain and does not count.
    assertThat(inWindow(handedOver(recorded), UTC)).as(recorded).isEqualTo(counts);
  }
}
