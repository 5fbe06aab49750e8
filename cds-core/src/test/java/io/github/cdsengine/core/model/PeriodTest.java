package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class PeriodTest {

  @Test
  void latestIsTheEndWhenThereIsOne() {
    Period stay = new Period(ClinicalTime.parse("2024-03-01"), ClinicalTime.parse("2024-03-05"));

    assertThat(stay.latest()).isEqualTo(ClinicalTime.parse("2024-03-05"));
  }

  @Test
  void latestIsTheStartWhileOngoing() {
    Period ongoing = new Period(ClinicalTime.parse("2024-03-01"), null);

    assertThat(ongoing.latest()).isEqualTo(ClinicalTime.parse("2024-03-01"));
  }

  @Test
  void atIsASinglePoint() {
    Period point = Period.at("2024-03-01T10:00:00Z");

    assertThat(point.start()).isEqualTo(ClinicalTime.parse("2024-03-01T10:00:00Z"));
    assertThat(point.end()).isEqualTo(point.start());
  }

  @Test
  void aStartOrAnEndIsRequired() {
    assertThatNullPointerException()
        .isThrownBy(() -> new Period(null, null))
        .withMessage("a period needs a start, an end, or both");
    Period endOnly = new Period(null, ClinicalTime.parse("2024-03-05"));
    org.assertj.core.api.Assertions.assertThat(endOnly.earliest()).isEqualTo(endOnly.end());
  }
}
