package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** {@link ClinicalTime#dateOf} agrees with {@link LocalDate#ofInstant} everywhere. */
class ClinicalTimeDatePropertyTest {

  /** Seconds from 1000-01-01 to 3000-01-01, so that dates before 1970 are covered. */
  private static final long FROM = LocalDate.of(1000, 1, 1).toEpochDay() * 86_400L;
  private static final long TO = LocalDate.of(3000, 1, 1).toEpochDay() * 86_400L;

  @Property(tries = 2000)
  void fixedOffsetsAgreeWithTheJdk(@ForAll("instants") Instant instant,
      @ForAll @IntRange(min = -18 * 3600, max = 18 * 3600) int offsetSeconds) {
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetSeconds);
    assertThat(ClinicalTime.dateOf(instant, offset)).isEqualTo(LocalDate.ofInstant(instant, offset));
  }

  @Property(tries = 500)
  void regionZonesAgreeWithTheJdk(@ForAll("instants") Instant instant,
      @ForAll("zones") ZoneId zone) {
    assertThat(ClinicalTime.dateOf(instant, zone)).isEqualTo(LocalDate.ofInstant(instant, zone));
  }

  @Property(tries = 200)
  void theLastSecondOfADayAndTheFirstOfTheNext(
      @ForAll @LongRange(min = -300_000, max = 300_000) long epochDay) {
    Instant midnight = Instant.ofEpochSecond(epochDay * 86_400L);
    assertThat(ClinicalTime.dateOf(midnight, ZoneOffset.UTC)).isEqualTo(LocalDate.ofEpochDay(epochDay));
    assertThat(ClinicalTime.dateOf(midnight.minusNanos(1), ZoneOffset.UTC))
        .isEqualTo(LocalDate.ofEpochDay(epochDay - 1));
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(FROM, TO)
        .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
            .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of("America/New_York", "Europe/London", "Asia/Kolkata",
        "Pacific/Chatham", "America/St_Johns", "Australia/Lord_Howe", "UTC").map(ZoneId::of);
  }
}
