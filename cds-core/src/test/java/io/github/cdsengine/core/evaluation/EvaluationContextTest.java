package io.github.cdsengine.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluationContextTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void onIsTheStartOfTheDayInTheZone() {
    EvaluationContext context = EvaluationContext.on(LocalDate.of(2025, 1, 1), NEW_YORK);

    assertThat(context.instant()).isEqualTo(Instant.parse("2025-01-01T05:00:00Z"));
    assertThat(context.zone()).isEqualTo(NEW_YORK);
    assertThat(context.date()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(context.measurementPeriod()).isNull();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
      "2025-01-01, UTC",
      "2025-01-01, Pacific/Kiritimati",
      "2025-01-01, Pacific/Pago_Pago",
      "2024-02-29, Europe/Berlin",
      // Midnight did not exist that day: clocks jumped from 00:00 to 01:00.
      "2018-11-04, America/Sao_Paulo",
  })
  void onKeepsTheDateInAnyZone(String date, String zone) {
    EvaluationContext context = EvaluationContext.on(LocalDate.parse(date), ZoneId.of(zone));

    assertThat(context.date()).isEqualTo(LocalDate.parse(date));
  }

  @ParameterizedTest(name = "{0} in {1} is {2}")
  @CsvSource({
      "2025-01-01T03:00:00Z, America/New_York, 2024-12-31",
      "2025-01-01T03:00:00Z, UTC,              2025-01-01",
      "2024-12-31T20:00:00Z, Asia/Tokyo,       2025-01-01",
  })
  void dateIsTheInstantsDayInTheZone(String instant, String zone, String date) {
    EvaluationContext context = EvaluationContext.at(Instant.parse(instant), ZoneId.of(zone));

    assertThat(context.date()).isEqualTo(LocalDate.parse(date));
  }

  @Test
  void atAZonedDateTimeTakesItsInstantAndZone() {
    ZonedDateTime clinic = ZonedDateTime.of(2024, 12, 31, 22, 0, 0, 0, NEW_YORK);

    EvaluationContext context = EvaluationContext.at(clinic);

    assertThat(context.instant()).isEqualTo(Instant.parse("2025-01-01T03:00:00Z"));
    assertThat(context.zone()).isEqualTo(NEW_YORK);
    assertThat(context.date()).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(context.measurementPeriod()).isNull();
  }

  @Test
  void withMeasurementPeriodKeepsInstantAndZone() {
    EvaluationContext context = EvaluationContext.at(Instant.parse("2025-02-01T12:00:00Z"),
        ZoneOffset.UTC);

    EvaluationContext measured =
        context.withMeasurementPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

    assertThat(measured.instant()).isEqualTo(context.instant());
    assertThat(measured.zone()).isEqualTo(context.zone());
    assertThat(measured.measurementPeriod()).isEqualTo(
        new MeasurementPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31))
            .inZone(ZoneOffset.UTC));
    assertThat(context.measurementPeriod()).as("the original is unchanged").isNull();
  }

  @Test
  void withMeasurementPeriodRejectsStartAfterEnd() {
    EvaluationContext context = EvaluationContext.on(LocalDate.of(2025, 2, 1), ZoneOffset.UTC);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> context.withMeasurementPeriod(LocalDate.of(2024, 12, 31),
            LocalDate.of(2024, 1, 1)))
        .withMessageContaining("2024-12-31")
        .withMessageContaining("2024-01-01");
  }

  @Test
  void instantAndZoneAreRequired() {
    assertThatNullPointerException()
        .isThrownBy(() -> EvaluationContext.at(null, ZoneOffset.UTC))
        .withMessage("instant");
    assertThatNullPointerException()
        .isThrownBy(() -> EvaluationContext.at(Instant.EPOCH, null))
        .withMessage("zone");
  }
}
