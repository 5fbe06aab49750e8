package io.github.cdsengine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grouping's partitions: about 64 MB of JSON each, a multiple of the cores, at least them. */
class PartitionsTest {

  private static final long MB = 1L << 20;

  @ParameterizedTest
  @CsvSource({
      "0, 2, 2",
      "1, 2, 2",
      "128, 2, 2",
      "129, 2, 4",
      "400, 2, 8",
      "4000, 2, 64",
      "4000, 1, 63",
      "64, 8, 8",
      "65, 0, 2"})
  void partitionsFollowTheJsonSize(long megabytes, int parallelism, int expected) {
    long json = megabytes == 1 ? 1 : megabytes * MB;
    assertThat(PopulationJob.partitions(json, parallelism)).isEqualTo(expected);
  }
}
