package io.github.cdsengine.core.engine;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.drl.DrlScanner;

/** Which facts go into the session: only those some pattern could match. */
class FactAdmissionTest {

  private static final Code OXYCODONE = Code.of(RXNORM, "1049621");
  private static final ValueSet OPIOIDS = new ValueSet("test-opioids",
      "http://example.org/ValueSet/test-opioids", "1", "Opioids (test)", Set.of(OXYCODONE));

  private static final ValueSet OFFICE = new ValueSet("office", "http://x/office", "1", "Office",
      Set.of(Code.of(SNOMED_CT, "1")));
  private static final ValueSet PHONE = new ValueSet("phone", "http://x/phone", "1", "Phone",
      Set.of(Code.of(SNOMED_CT, "2")));
  private static final ValueSets VALUE_SETS = ValueSets.of(List.of(OFFICE, PHONE));

  private static FactAdmission admission(String when) {
    return FactAdmission.of(List.of(DrlScanner.scan("r.drl",
        "rule \"R\"\nwhen\n" + when + "\nthen\nend\n")), VALUE_SETS);
  }

  private static Encounter encounter(String code) {
    return new Encounter("e", EncounterStatus.FINISHED, null,
        CodeableConcept.of(Code.of(SNOMED_CT, code)), Period.at("2025-01-01"), null);
  }

  @Test
  void aUnionOfValueSetTestsAdmitsFactsInAnyOfThem() {
    FactAdmission admission = admission("  Encounter(type != null,"
        + " valueSets.includes(\"office\", type) || valueSets.includes(\"phone\", type))");

    assertThat(admission.admits(encounter("1"))).isTrue();
    assertThat(admission.admits(encounter("2"))).isTrue();
    assertThat(admission.admits(encounter("3"))).isFalse();
    assertThat(admission.admitsType(Immunization.class)).isFalse();
  }

  @Test
  void aValueSetOfIcd10CmFamiliesAdmitsEveryCodeUnderThem() {
    ValueSet colitis = new ValueSet("uc", "http://x/uc", "1", "UC", Set.of(),
        Set.of(Code.of(ICD_10_CM, "K51")));
    FactAdmission admission = FactAdmission.of(List.of(DrlScanner.scan("r.drl",
        "rule \"R\"\nwhen\n  Encounter(valueSets.includes(\"uc\", type))\nthen\nend\n")),
        ValueSets.of(List.of(colitis)));

    assertThat(admission.admits(new Encounter("e", EncounterStatus.FINISHED, null,
        CodeableConcept.of(Code.of(ICD_10_CM, "K51.011")), Period.at("2025-01-01"), null)))
        .isTrue();
    assertThat(admission.admits(new Encounter("e", EncounterStatus.FINISHED, null,
        CodeableConcept.of(Code.of(ICD_10_CM, "K52.9")), Period.at("2025-01-01"), null))).isFalse();
  }

  @Test
  void anOperandWithoutAValueSetTestAdmitsEveryFactOfTheType() {
    FactAdmission admission = admission(
        "  Encounter(valueSets.includes(\"office\", type) || status == EncounterStatus.PLANNED)");

    assertThat(admission.admits(encounter("3"))).isTrue();
  }

  @Test
  void everyPatternOfATypeCountsTowardTheFilter() {
    FactAdmission admission = admission("  Encounter(valueSets.includes(\"office\", type))\n"
        + "  not Encounter(valueSets.includes(\"phone\", type))");

    assertThat(admission.admits(encounter("2"))).isTrue();
    assertThat(admission.admits(encounter("3"))).isFalse();
  }

  @Test
  void engineFactsGoInOnlyWhenSomePatternNamesTheirType() {
    FactAdmission admission = admission("  $now : Now()\n"
        + "  exists io.github.cdsengine.core.rule.PatientAge(years >= 18)\n"
        + "  $ages : List() from collect(MeasurementPeriod() from periods)");

    assertThat(admission.admitsType(Now.class)).isTrue();
    assertThat(admission.admitsType(PatientAge.class)).isTrue();
    assertThat(admission.admitsType(MeasurementPeriod.class)).isFalse();
    assertThat(admission.admitsType(DraftOrder.class)).isFalse();
  }

  @Test
  void aPatternOnObjectAdmitsEveryEngineFact() {
    FactAdmission admission = admission("  Object()");

    assertThat(FactAdmission.ENGINE_FACTS).allMatch(admission::admitsType);
  }

  @Test
  void aDispenseOutsideEveryValueSetIsNotAdmitted() {
    FactAdmission admission = FactAdmission.of(List.of(DrlScanner.scan("r.drl",
        "rule \"R\"\nwhen\n  MedicationDispense(valueSets.includes(\"test-opioids\", "
            + "medication))\nthen\nend\n")),
        ValueSets.of(List.of(OPIOIDS)));

    assertThat(admission.admits(dispense("md1", MedicationDispenseStatus.COMPLETED, OXYCODONE,
        null))).isTrue();
    assertThat(admission.admits(dispense("md2", MedicationDispenseStatus.COMPLETED,
        Code.of(RXNORM, "860975"), null))).isFalse();
  }

  private static MedicationDispense dispense(String id, MedicationDispenseStatus status,
      Code medication, LocalDate handedOver) {
    return new MedicationDispense(id, status, CodeableConcept.of(medication),
        handedOver == null ? null : ClinicalTime.of(handedOver));
  }

}
