package io.github.cdsengine.core.model;


/**
 * A span of clinical time; a single point is a period whose start and end are the same.
 *
 * @param start when it began, or {@code null} when only its end was recorded
 * @param end when it ended, or {@code null} while it is still going on
 */
public record Period(ClinicalTime start, ClinicalTime end) {

  /**
   * Checks that at least one end is known.
   *
   * @param start when it began, or {@code null} when only its end was recorded
   * @param end when it ended, or {@code null} while it is still going on
   * @throws NullPointerException if both start and end are null
   */
  public Period {
    if (start == null && end == null) {
      throw new NullPointerException("a period needs a start, an end, or both");
    }
  }

  /**
   * A period that is a single point in time.
   *
   * @param time the point in time, which becomes both start and end; never null
   * @return the period
   */
  public static Period at(ClinicalTime time) {
    return new Period(time, time);
  }

  /**
   * A single point in time parsed as by {@link ClinicalTime#parse(String)}.
   *
   * @param time a FHIR {@code date}, {@code dateTime} or {@code instant}; never null
   * @return the period whose start and end are that time
   */
  public static Period at(String time) {
    return at(ClinicalTime.parse(time));
  }

  /**
   * The latest known time in this period: its end, or its start while it is ongoing.
   *
   * @return the end, or the start when the end is {@code null}; never null
   */
  public ClinicalTime latest() {
    return end != null ? end : start;
  }

  /**
   * The earliest known time in this period: its start, or its end when no start was recorded.
   *
   * @return the start, or the end when the start is {@code null}; never null
   */
  public ClinicalTime earliest() {
    return start != null ? start : end;
  }

  /**
   * Whether this period's {@linkplain #latest() latest known time} is after {@code other}'s, in
   * the order of {@link ClinicalTime#compareTo}: for picking the last of several records, such as
   * a measure's "last housing status".
   *
   * @param other the period to compare with, or {@code null}
   * @return true when this period's latest time orders after {@code other}'s; false when {@code
   *     other} is null or they tie
   */
  public boolean endsAfter(Period other) {
    return other != null && latest().compareTo(other.latest()) > 0;
  }
}
