package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FhirCodeTest {

  /** Each code list's own factory, as hosts and the JSON reader call it. */
  private static final Map<Class<?>, Function<String, FhirCode>> FACTORIES = Map.of(
      AdministrativeGender.class, AdministrativeGender::fromCode,
      AllergyClinicalStatus.class, AllergyClinicalStatus::fromCode,
      ConditionClinicalStatus.class, ConditionClinicalStatus::fromCode,
      EncounterStatus.class, EncounterStatus::fromCode,
      EventStatus.class, EventStatus::fromCode,
      ObservationStatus.class, ObservationStatus::fromCode,
      RequestIntent.class, RequestIntent::fromCode,
      RequestStatus.class, RequestStatus::fromCode,
      VerificationStatus.class, VerificationStatus::fromCode);

  static Stream<Arguments> everyConstant() {
    return FACTORIES.keySet().stream()
        .flatMap(type -> Arrays.stream(type.getEnumConstants()))
        .map(constant -> arguments(constant));
  }

  @ParameterizedTest
  @MethodSource("everyConstant")
  void fromCodeFindsEveryConstantByItsCode(FhirCode constant) {
    Class<?> type = ((Enum<?>) constant).getDeclaringClass();

    assertThat(FACTORIES.get(type).apply(constant.code())).isSameAs(constant);
  }

  @ParameterizedTest
  @MethodSource("everyConstant")
  void codeIsTheFhirSpellingOfTheConstantName(FhirCode constant) {
    String name = ((Enum<?>) constant).name();

    assertThat(constant.code()).isEqualTo(name.toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  @ParameterizedTest
  @CsvSource({
      "entered-in-error, ENTERED_IN_ERROR",
      "final,            FINAL",
      "amended,          AMENDED",
      "cancelled,        CANCELLED",
  })
  void observationStatusFromCode(String code, ObservationStatus expected) {
    assertThat(ObservationStatus.fromCode(code)).isEqualTo(expected);
  }

  @Test
  void fromCodeOfEachListUsesItsOwnCodes() {
    assertThat(EventStatus.fromCode("not-done")).isEqualTo(EventStatus.NOT_DONE);
    assertThat(RequestStatus.fromCode("on-hold")).isEqualTo(RequestStatus.ON_HOLD);
    assertThat(RequestIntent.fromCode("original-order")).isEqualTo(RequestIntent.ORIGINAL_ORDER);
    assertThat(EncounterStatus.fromCode("in-progress")).isEqualTo(EncounterStatus.IN_PROGRESS);
    assertThat(ConditionClinicalStatus.fromCode("remission"))
        .isEqualTo(ConditionClinicalStatus.REMISSION);
    assertThat(VerificationStatus.fromCode("refuted")).isEqualTo(VerificationStatus.REFUTED);
    assertThat(AllergyClinicalStatus.fromCode("resolved")).isEqualTo(AllergyClinicalStatus.RESOLVED);
    assertThat(AdministrativeGender.fromCode("female")).isEqualTo(AdministrativeGender.FEMALE);
  }

  @Test
  void unknownCodeMessageNamesTypeValueAndEveryAllowedCode() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ObservationStatus.fromCode("done"))
        .withMessage("unknown ObservationStatus 'done'; expected one of: registered, preliminary,"
            + " final, amended, corrected, cancelled, entered-in-error, unknown");
  }

  @ParameterizedTest
  @CsvSource({
      "ENTERED_IN_ERROR",
      "Entered-In-Error",
      "entered_in_error",
      "' entered-in-error'",
      "''",
  })
  void codesMatchExactly(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EventStatus.fromCode(code))
        .withMessageStartingWith("unknown EventStatus '" + code + "'")
        .withMessageContaining("entered-in-error");
  }

  @Test
  void aCodeFromAnotherListIsRejected() {
    // "completed" is an EventStatus and a RequestStatus, not an ObservationStatus.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ObservationStatus.fromCode("completed"))
        .withMessageContaining("'completed'");
  }

  @Test
  void nullCodeIsRejectedAsUnknown() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdministrativeGender.fromCode(null))
        .withMessage("unknown AdministrativeGender 'null'; expected one of: male, female, other,"
            + " unknown");
  }
}
