package io.github.cdsengine.core.model;

import java.util.Objects;

/**
 * A span of clinical time; a single point is a period whose start and end are the same.
 *
 * @param start when it began
 * @param end when it ended, or {@code null} while it is still going on
 */
public record Period(ClinicalTime start, ClinicalTime end) {

  /**
   * Checks that the start is present.
   *
   * @throws NullPointerException if start is null
   */
  public Period {
    Objects.requireNonNull(start, "start");
  }

  /** A period that is a single point in time. */
  public static Period at(ClinicalTime time) {
    return new Period(time, time);
  }

  /** A single point in time parsed as by {@link ClinicalTime#parse(String)}. */
  public static Period at(String time) {
    return at(ClinicalTime.parse(time));
  }

  /** The latest known time in this period: its end, or its start while it is ongoing. */
  public ClinicalTime latest() {
    return end != null ? end : start;
  }
}
