package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The intervals against the worked examples of Newcombe (Statistics in Medicine 17:873-890,
 * 1998, Table II, method 10) and the Wilson limits they rest on.
 */
class ProportionsTest {

  @ParameterizedTest(name = "{0}/{1} - {2}/{3}: {4} to {5}")
  @CsvSource({
      "56, 70, 48, 80, 0.0524, 0.3339",
      "9, 10, 3, 10, 0.1705, 0.8090",
      "0, 10, 0, 10, -0.2775, 0.2775"})
  void newcombesMethod10MatchesHisPublishedExamples(int count1, int total1, int count2,
      int total2, double lower, double upper) {
    Proportions.Interval ci = Proportions.difference(count1, total1, count2, total2);
    assertThat(ci.lower()).isCloseTo(lower, within(0.00005));
    assertThat(ci.upper()).isCloseTo(upper, within(0.00005));
  }

  @ParameterizedTest(name = "{0}/{1}: {2} to {3}")
  @CsvSource({
      "0, 10, 0.0, 0.2775",
      "10, 10, 0.7225, 1.0",
      "1, 2, 0.0945, 0.9055"})
  void wilsonStaysInsideZeroToOne(int count, int total, double lower, double upper) {
    Proportions.Interval ci = Proportions.wilson(count, total);
    assertThat(ci.lower()).isCloseTo(lower, within(0.00005));
    assertThat(ci.upper()).isCloseTo(upper, within(0.00005));
  }

  @ParameterizedTest
  @CsvSource({"-1, 10", "11, 10", "0, 0"})
  void aCountOutsideItsTotalIsRefusedQuotingIt(int count, int total) {
    assertThatThrownBy(() -> Proportions.wilson(count, total))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(count + " of " + total);
  }
}
