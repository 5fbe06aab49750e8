package io.github.cdsengine.spark;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What one population run evaluates: where the export is and where the outputs go (any file
 * system Spark reads: a local folder, {@code hdfs://}, an object store), and the clinical time.
 *
 * @param input the Bulk Data export folder
 * @param out the output folder; the files the run writes there are replaced
 * @param instant the evaluation instant, given (never the clock)
 * @param zone the time zone that fixes the calendar day
 * @param periodStart the measurement period's first day, or null for none
 * @param periodEnd the measurement period's last day, or null for none
 */
record JobSettings(String input, String out, Instant instant, ZoneId zone, LocalDate periodStart,
    LocalDate periodEnd) implements Serializable {

  private static final long serialVersionUID = 1L;

  JobSettings {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    if ((periodStart == null) != (periodEnd == null)) {
      throw new IllegalArgumentException("a measurement period needs both ends: " + periodStart
          + "/" + periodEnd);
    }
    if (periodStart != null && periodStart.isAfter(periodEnd)) {
      throw new IllegalArgumentException("the measurement period starts after it ends: "
          + periodStart + "/" + periodEnd);
    }
  }

  /** The evaluation context these settings describe. */
  io.github.cdsengine.core.evaluation.EvaluationContext context() {
    io.github.cdsengine.core.evaluation.EvaluationContext context =
        io.github.cdsengine.core.evaluation.EvaluationContext.at(instant, zone);
    return periodStart == null ? context : context.withMeasurementPeriod(periodStart, periodEnd);
  }

  /** The measurement period as {@code start/end}, or null. */
  String period() {
    return periodStart == null ? null : periodStart + "/" + periodEnd;
  }
}
