package io.github.cdsengine.rules.measures.cms117;

import static io.github.cdsengine.core.model.CodeSystems.CVX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaccineDosesTest {

  private static final CodeableConcept VACCINE =
      CodeableConcept.of(Code.of(CVX, "20"));
  private static final ChildhoodWindows CHILD =
      new ChildhoodWindows(LocalDate.of(2023, 1, 1), ZoneOffset.UTC);

  private static int counter;

  private static Immunization shot(String time) {
    return new Immunization("i" + counter++, EventStatus.COMPLETED, VACCINE,
        time == null ? null : ClinicalTime.parse(time));
  }

  private static Procedure given(Period performed) {
    return new Procedure("p" + counter++, EventStatus.COMPLETED, VACCINE, performed);
  }

  @Test
  void dosesOnTheSameDayCountOnce() {
    List<Immunization> shots = List.of(shot("2024-01-02"), shot("2024-01-02T10:00:00Z"),
        shot("2024-01-07"), shot("2024-01-10"));

    assertThat(VaccineDoses.count(CHILD.fromDaysOld(42), shots, List.of())).isEqualTo(3);
  }

  @Test
  void anImmunizationAndAProcedureOnTheSameDayCountOnce() {
    List<Immunization> shots = List.of(shot("2024-01-02"));
    List<Procedure> procedures = List.of(given(Period.at("2024-01-02")),
        given(Period.at("2024-01-03")));

    assertThat(VaccineDoses.count(CHILD.fromDaysOld(42), shots, procedures)).isEqualTo(2);
  }

  @Test
  void theWindowIncludesBothEnds() {
    List<Immunization> shots = List.of(shot("2023-02-11"), shot("2023-02-12"),
        shot("2025-01-01"), shot("2025-01-02"));

    assertThat(VaccineDoses.days(shots, CHILD.fromDaysOld(42)))
        .containsExactly(LocalDate.of(2023, 2, 12), LocalDate.of(2025, 1, 1));
  }

  @Test
  void anInstantFallsOnItsDayInTheWindowsZone() {
    List<Immunization> shots = List.of(shot("2025-01-02T03:00:00Z"));
    ChildhoodWindows newYork = new ChildhoodWindows(LocalDate.of(2023, 1, 1),
        ZoneId.of("America/New_York"));

    assertThat(VaccineDoses.count(CHILD.fromDaysOld(42), shots, List.of())).isZero();
    assertThat(VaccineDoses.count(newYork.fromDaysOld(42), shots, List.of())).isEqualTo(1);
  }

  @Test
  void aProcedureCountsOnItsStartOrOnlyItsEnd() {
    List<Procedure> procedures = List.of(
        given(new Period(ClinicalTime.parse("2025-01-01"), ClinicalTime.parse("2025-01-03"))),
        given(new Period(null, ClinicalTime.parse("2024-06-01"))),
        given(new Period(ClinicalTime.parse("2023-02-11"), ClinicalTime.parse("2023-02-12"))));

    assertThat(VaccineDoses.days(procedures, CHILD.fromDaysOld(42)))
        .containsExactly(LocalDate.of(2024, 6, 1), LocalDate.of(2025, 1, 1));
  }

  @Test
  void aDoseWithNoDayIsNotCounted() {
    List<Immunization> shots = List.of(shot("2024-03"), shot("2024"), shot(null));
    List<Procedure> procedures = List.of(given(null));

    assertThat(VaccineDoses.count(CHILD.fromDaysOld(42), shots, procedures)).isZero();
  }

  @Test
  void immunizationsAndProceduresInTheirOwnWindows() {
    List<Immunization> shots = List.of(shot("2023-03-01"));
    List<Procedure> procedures = List.of(given(Period.at("2023-03-02")),
        given(Period.at("2023-06-30")), given(Period.at("2023-06-29")));

    assertThat(VaccineDoses.count(shots, CHILD.fromDaysOld(42), procedures,
        CHILD.fromDaysOld(180))).isEqualTo(2);
  }

  @Test
  void dosesAfterTheFirstNewbornDose() {
    List<Procedure> newborn = List.of(given(Period.at("2023-01-05")),
        given(Period.at("2023-01-09")));
    List<Immunization> hepB = List.of(shot("2023-01-05"), shot("2023-01-06"));
    List<Procedure> hepBGiven = List.of(given(Period.at("2023-01-06")),
        given(Period.at("2023-03-01")));

    assertThat(VaccineDoses.countAfterFirst(CHILD.firstTwoYears(), hepB, hepBGiven, newborn,
        CHILD.firstDays(7))).isEqualTo(2);
    assertThat(VaccineDoses.countAfterFirst(CHILD.firstTwoYears(), hepB, List.of(), newborn,
        CHILD.firstDays(7))).isEqualTo(1);
    assertThat(VaccineDoses.countAfterFirst(CHILD.firstTwoYears(), hepB, hepBGiven,
        List.of(given(Period.at("2023-01-09"))), CHILD.firstDays(7))).isZero();
  }

  @Test
  void onlyImmunizationsAndProceduresAreDoses() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> VaccineDoses.days(List.of("2024-01-01"), CHILD.firstTwoYears()))
        .withMessageContaining("String");
  }
}
