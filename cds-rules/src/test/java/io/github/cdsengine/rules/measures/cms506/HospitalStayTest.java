package io.github.cdsengine.rules.measures.cms506;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HospitalStayTest {

  static Encounter encounter(String id, String start, String end) {
    return new Encounter(id, EncounterStatus.FINISHED, null, null,
        new Period(ClinicalTime.parse(start), end == null ? null : ClinicalTime.parse(end)), null);
  }

  static final Encounter INPATIENT =
      encounter("in", "2026-12-28T08:00:00Z", "2026-12-31T10:00:00Z");

  @ParameterizedTest(name = "ED ending {0}: stay starts {1}")
  @CsvSource({
      "2026-12-28T06:59:59Z, 2026-12-28T08:00:00Z",
      "2026-12-28T07:00:00Z, 2026-12-28T04:00:00Z",
      "2026-12-28T08:00:00Z, 2026-12-28T04:00:00Z",
      "2026-12-28T08:00:01Z, 2026-12-28T08:00:00Z",
  })
  void anEmergencyVisitEndingAnHourOrLessBeforeExtendsTheStay(String edEnd, String start) {
    Period stay = HospitalStay.withObservation(INPATIENT, List.of(),
        List.of(encounter("ed", "2026-12-28T04:00:00Z", edEnd)));
    assertThat(stay.start()).isEqualTo(ClinicalTime.parse(start));
    assertThat(stay.end()).isEqualTo(INPATIENT.period().end());
  }

  @Test
  void theEmergencyVisitIsLookedForBeforeTheObservationStay() {
    Encounter observation = encounter("obs", "2026-12-27T20:00:00Z", "2026-12-28T07:30:00Z");
    Encounter ed = encounter("ed", "2026-12-27T15:00:00Z", "2026-12-27T19:30:00Z");
    Encounter tooEarlyEd = encounter("ed0", "2026-12-27T10:00:00Z", "2026-12-27T18:00:00Z");
    Period stay = HospitalStay.withObservation(INPATIENT, List.of(observation),
        List.of(tooEarlyEd, ed));
    assertThat(stay.start()).isEqualTo(ClinicalTime.parse("2026-12-27T15:00:00Z"));
  }

  @Test
  void theLastEndingCandidateIsTaken() {
    Encounter early = encounter("e1", "2026-12-28T01:00:00Z", "2026-12-28T07:10:00Z");
    Encounter late = encounter("e2", "2026-12-28T05:00:00Z", "2026-12-28T07:50:00Z");
    Period stay = HospitalStay.withObservation(INPATIENT, List.of(), List.of(early, late));
    assertThat(stay.start()).isEqualTo(ClinicalTime.parse("2026-12-28T05:00:00Z"));
  }

  @Test
  void withoutCandidatesOrTimesOfDayTheStayIsTheVisit() {
    assertThat(HospitalStay.withObservation(INPATIENT, List.of(), List.of()))
        .isEqualTo(INPATIENT.period());
    assertThat(HospitalStay.withObservation(INPATIENT, List.of(),
        List.of(encounter("ed", "2026-12-27", "2026-12-28")))).isEqualTo(INPATIENT.period());
    assertThat(HospitalStay.withObservation(
        new Encounter("x", EncounterStatus.FINISHED, null, null, null, null), List.of(),
        List.of())).isNull();
  }
}
