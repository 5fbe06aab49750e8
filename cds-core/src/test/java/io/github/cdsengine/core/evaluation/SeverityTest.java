package io.github.cdsengine.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeverityTest {

  @ParameterizedTest
  @CsvSource({"info, INFO", "warning, WARNING", "critical, CRITICAL"})
  void fromCodeReadsTheCdsHooksIndicator(String code, Severity severity) {
    assertThat(Severity.fromCode(code)).isEqualTo(severity);
    assertThat(severity.code()).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(Severity.class)
  void everySeverityRoundTrips(Severity severity) {
    assertThat(Severity.fromCode(severity.code())).isSameAs(severity);
  }

  @ParameterizedTest
  @ValueSource(strings = {"WARNING", "Warning", "warn", "high", "", " info"})
  void unknownCodeIsRejectedQuotingIt(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Severity.fromCode(code))
        .withMessage("unknown severity '" + code + "'; expected info, warning or critical");
  }
}
