package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A leap second ({@code 23:59:60}, valid in FHIR's dateTime and instant) is read as the last
 * representable instant of second 59 of its minute.
 */
class FhirLeapSecondTest {

  private static Observation observed(String field, String time) {
    return read(bundle(PATIENT, FhirInputs.observation("o1", "2345-7",
        "\"" + field + "\": \"" + time + "\", \"valueQuantity\": {\"value\": 5, \"unit\": "
            + "\"mg/dL\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"mg/dL\"}")))
        .patients().get(0).observations().get(0);
  }

  @ParameterizedTest
  @CsvSource({
      "effectiveDateTime, 2016-12-31T23:59:60Z,          2016-12-31T23:59:59.999999999Z",
      "effectiveInstant,  2016-12-31T23:59:60Z,          2016-12-31T23:59:59.999999999Z",
      "effectiveDateTime, 2016-12-31T18:59:60-05:00,     2016-12-31T23:59:59.999999999Z",
      "effectiveInstant,  2016-12-31T18:59:60-05:00,     2016-12-31T23:59:59.999999999Z",
      "effectiveDateTime, 2017-01-01T05:29:60.25+05:30,  2016-12-31T23:59:59.999999999Z",
      "effectiveInstant,  2015-06-30T23:59:60.999Z,      2015-06-30T23:59:59.999999999Z",
  })
  void aLeapSecondIsTheLastInstantOfSecond59(String field, String written, String expected) {
    Observation observation = observed(field, written);
    Instant instant = observation.effective().start().instant();
    assertThat(instant).isEqualTo(Instant.parse(expected));
    assertThat(instant).isAfter(Instant.parse(expected.replace(".999999999", ".999999998")))
        .isBefore(Instant.parse(expected).plusNanos(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"effectiveDateTime", "effectiveInstant"})
  void aLeapSecondStaysOnItsCalendarDay(String field) {
    ClinicalTime time = observed(field, "2016-12-31T23:59:60Z").effective().start();
    assertThat(time.dateIn(ZoneOffset.UTC)).isEqualTo(LocalDate.of(2016, 12, 31));
  }

  @ParameterizedTest
  @ValueSource(strings = {"effectiveDateTime", "effectiveInstant"})
  void aLeapSecondWithoutAnOffsetIsRefusedAsAnyTimeWithoutOne(String field) {
    assertThatThrownBy(() -> observed(field, "2016-12-31T23:59:60"))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("." + field)
        .hasMessageContaining("'2016-12-31T23:59:60'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-12-31T23:59:61Z", "2016-12-31T23:60:00Z",
      "2016-12-31T24:00:00Z", "2016-12-32T23:59:60Z"})
  void otherOutOfRangeFieldsAreStillRefused(String written) {
    assertThatThrownBy(() -> observed("effectiveDateTime", written))
        .isInstanceOf(InvalidPatientDataException.class)
        .hasMessageContaining("'" + written + "'");
  }
}
