package io.github.cdsengine.rules.cdc.opioids2016;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.model.CodeSystems.V3_OBSERVATION_INTERPRETATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Positive and negative urine drug screens: the reference's text reading (OpioidCDSREC10Common
 * {@code StartsWith(Lower(value as FHIR.string), 'pos')}, and 'neg') and the coded results a
 * laboratory may send instead (SNOMED CT, HL7 v3 ObservationInterpretation).
 */
class UrineDrugScreensTest {

  private static final CodeableConcept OPIATES =
      CodeableConcept.of(Code.of(LOINC, "19295-5"));

  static Observation text(String value, String date) {
    return Observation.builder("uds-" + date, ObservationStatus.FINAL, OPIATES)
        .effective(Period.at(ClinicalTime.parse(date))).valueString(value).build();
  }

  static Observation coded(String system, String code, String date) {
    return Observation.builder("uds-" + date, ObservationStatus.FINAL, OPIATES)
        .effective(Period.at(ClinicalTime.parse(date)))
        .valueConcept(CodeableConcept.of(Code.of(system, code))).build();
  }

  static Observation interpreted(String system, String code, String date) {
    return Observation.builder("uds-" + date, ObservationStatus.FINAL, OPIATES)
        .effective(Period.at(ClinicalTime.parse(date)))
        .interpretation(CodeableConcept.of(Code.of(system, code))).build();
  }

  @ParameterizedTest
  @CsvSource({"POS, true", "Positive, true", "  pos., true", "positive (confirmed), true",
      "NEG, false", "Negative, false", "detected, false", "'', false"})
  void aTextResultIsPositiveWhenItStartsWithPosInAnyCase(String value, boolean positive) {
    assertThat(UrineDrugScreens.positive(text(value, "2022-05-09"))).isEqualTo(positive);
  }

  @ParameterizedTest
  @CsvSource({
      "http://snomed.info/sct, 10828004, true",
      "http://snomed.info/sct, 260373001, true",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, POS, true",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, DET, true",
      "urn:oid:2.16.840.1.113883.5.83, POS, true",
      "http://loinc.org, LA6576-8, true",
      "http://loinc.org, LA11882-0, true",
      "http://loinc.org, LA6577-6, false",
      "http://loinc.org, LA11883-8, false",
      "http://snomed.info/sct, 260385009, false",
      "http://snomed.info/sct, 260415000, false",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, NEG, false",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, ND, false",
      "http://example.org/local, POS, false"})
  void aCodedValueOrInterpretationIsPositiveByItsCode(String system, String code,
      boolean positive) {
    assertThat(UrineDrugScreens.positive(coded(system, code, "2022-05-09")))
        .as("value %s|%s", system, code).isEqualTo(positive);
    assertThat(UrineDrugScreens.positive(interpreted(system, code, "2022-05-09")))
        .as("interpretation %s|%s", system, code).isEqualTo(positive);
  }

  @ParameterizedTest
  @CsvSource({
      "http://snomed.info/sct, 260385009", "http://snomed.info/sct, 260415000",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, NEG",
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, ND",
      "http://loinc.org, LA6577-6", "http://loinc.org, LA11883-8"})
  void negativeCodesAreNegative(String system, String code) {
    assertThat(UrineDrugScreens.negative(coded(system, code, "2022-05-09"))).isTrue();
    assertThat(UrineDrugScreens.negative(interpreted(system, code, "2022-05-09"))).isTrue();
    assertThat(UrineDrugScreens.negative(text("neg", "2022-05-09"))).isTrue();
  }

  @Test
  void aResultBothNegativeAndPositiveCountsAsPositive() {
    Observation conflicting = Observation.builder("uds", ObservationStatus.FINAL, OPIATES)
        .effective(Period.at(ClinicalTime.parse("2022-05-09"))).valueString("NEG")
        .interpretation(CodeableConcept.of(Code.of(V3_OBSERVATION_INTERPRETATION, "POS")))
        .build();
    assertThat(UrineDrugScreens.positive(conflicting)).isTrue();
    assertThat(UrineDrugScreens.negative(conflicting)).isFalse();
  }

  @Test
  void theCardListsPositiveDatesAndCountsNegativesAfterTheLatestPositive() {
    // OpioidCDSREC10Common "Negative ... Screenings Count Since Last Positive Screening".
    List<Observation> screens = List.of(text("NEG", "2022-01-10"), text("POS", "2022-05-09"),
        coded(SNOMED_CT, "10828004", "2022-02-01"), text("NEG", "2022-06-18"),
        interpreted(V3_OBSERVATION_INTERPRETATION, "ND", "2022-07-01"));
    assertThat(UrineDrugScreens.positiveDates(screens, ZoneOffset.UTC))
        .isEqualTo("2022-02-01, 2022-05-09 (2 negative since)");
    assertThat(UrineDrugScreens.positiveDates(List.of(text("NEG", "2022-01-10")),
        ZoneOffset.UTC)).isEmpty();
    assertThat(UrineDrugScreens.anyPositive(screens)).isTrue();
    assertThat(UrineDrugScreens.anyPositive(List.of(text("NEG", "2022-01-10")))).isFalse();
  }
}
