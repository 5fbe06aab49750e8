package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snooze override reasons: offered only when asked for, never on a critical card unless its pack
 * allows it, and read back as a number of days.
 */
class SnoozeReasonsTest {

  static Recommendation recommendation(Severity severity) {
    return CardMapperTest.recommendation("r", "Offer naloxone", severity, List.of(), null);
  }

  @ParameterizedTest
  @EnumSource(Severity.class)
  void byDefaultNoCardOffersASnooze(Severity severity) {
    assertThat(CardMapper.create().card("hook-1", recommendation(severity)).overrideReasons())
        .isEqualTo(CardMapper.DEFAULT_OVERRIDE_REASONS);
  }

  @ParameterizedTest
  @CsvSource({"INFO, false, true", "WARNING, false, true", "CRITICAL, false, false",
      "INFO, true, true", "WARNING, true, true", "CRITICAL, true, true"})
  void snoozeReasonsFollowTheOthersWhereTheCardMayBeSnoozed(Severity severity,
      boolean critical, boolean offered) {
    List<Coding> expected = new ArrayList<>(CardMapper.DEFAULT_OVERRIDE_REASONS);
    if (offered) {
      expected.addAll(CardMapper.SNOOZE_OVERRIDE_REASONS);
    }
    assertThat(CardMapper.create().withSnoozeReasons(critical)
        .card("hook-1", recommendation(severity)).overrideReasons()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"snooze-7d, 7", "snooze-30d, 30", "snooze-90d, 90", "snooze-1d, 1",
      "snooze-365d, 365"})
  void aSnoozeCodeIsItsNumberOfDays(String code, int days) {
    assertThat(CardMapper.snoozePeriod(CardMapper.OVERRIDE_REASON_SYSTEM, code))
        .contains(Duration.ofDays(days));
  }

  @ParameterizedTest
  @ValueSource(strings = {"snooze-0d", "snooze-366d", "snooze-07d", "snooze-30", "snooze-30h",
      "snooze--1d", "SNOOZE-30D", "not-applicable", " snooze-30d", "snooze-1000d"})
  void anythingElseIsNoSnooze(String code) {
    assertThat(CardMapper.snoozePeriod(CardMapper.OVERRIDE_REASON_SYSTEM, code)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.org/override", "urn:io.github.cdsengine:other"})
  void aSnoozeCodeOfAnotherSystemIsNoSnooze(String system) {
    assertThat(CardMapper.snoozePeriod(system, "snooze-30d")).isEmpty();
    assertThat(CardMapper.snoozePeriod(null, "snooze-30d")).isEqualTo(Optional.empty());
    assertThat(CardMapper.snoozePeriod(CardMapper.OVERRIDE_REASON_SYSTEM, null)).isEmpty();
  }
}
