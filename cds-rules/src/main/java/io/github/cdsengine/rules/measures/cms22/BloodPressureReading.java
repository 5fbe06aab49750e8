package io.github.cdsengine.rules.measures.cms22;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.units.UnitConverter;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/**
 * The classes of blood pressure reading CMS22 tells apart, exactly as its CQL reads a reading of
 * the FHIR bp profile (PCSBPScreeningFollowUpFHIR 0.2.000,
 * https://github.com/cqframework/ecqm-content-qicore-2024, input/cql/
 * PCSBPScreeningFollowUpFHIR.cql): {@code SystolicBP} and {@code DiastolicBP} are the component
 * whose first coding is LOINC 8480-6 or 8462-4 (one such component, or none is read), its value
 * a quantity compared in {@code mm[Hg]} through UCUM. A value that is missing, not a quantity or
 * in a unit that does not convert is unknown, and a comparison with it is unknown, as CQL's null:
 * a class holds only when its whole criterion is certainly true.
 */
public final class BloodPressureReading {

  /** The LOINC code system. */
  static final String LOINC = "http://loinc.org";
  /** LOINC "Systolic blood pressure". */
  static final String SYSTOLIC = "8480-6";
  /** LOINC "Diastolic blood pressure". */
  static final String DIASTOLIC = "8462-4";
  private static final String MM_HG = "mm[Hg]";
  private static final UnitConverter UCUM = UnitConverter.ucum();

  private BloodPressureReading() {}

  /**
   * "Encounter with Normal Blood Pressure Reading": systolic in [1, 120) and diastolic in [1, 80).
   *
   * @param reading a blood pressure reading, or {@code null}
   * @return true when both values are known and in range
   */
  public static boolean normal(Observation reading) {
    BigDecimal s = systolic(reading);
    BigDecimal d = diastolic(reading);
    return isTrue(and(in(s, 1, 120, false), in(d, 1, 80, false)));
  }

  /**
   * "Encounter with Elevated Blood Pressure Reading SBP 120 to 129 AND DBP less than 80":
   * systolic in [120, 129] and diastolic in [1, 80).
   *
   * @param reading a blood pressure reading, or {@code null}
   * @return true when both values are known and in range
   */
  public static boolean elevated(Observation reading) {
    return isTrue(and(in(systolic(reading), 120, 129, true), in(diastolic(reading), 1, 80, false)));
  }

  /**
   * A hypertensive reading ("First Hypertensive Reading", "Hypertensive Reading Within Year
   * Prior"): both values above 0, and systolic at least 130 or diastolic at least 80.
   *
   * @param reading a blood pressure reading, or {@code null}
   * @return true when that certainly holds
   */
  public static boolean hypertensive(Observation reading) {
    BigDecimal s = systolic(reading);
    BigDecimal d = diastolic(reading);
    return isTrue(and(and(above(s, 0), above(d, 0)), or(atLeast(s, 130), atLeast(d, 80))));
  }

  /**
   * The reading of "Second Hypertensive Reading SBP Greater than or Equal to 140 OR DBP Greater
   * than or Equal to 90": both values above 0, and systolic at least 140 or diastolic at least
   * 90.
   *
   * @param reading a blood pressure reading, or {@code null}
   * @return true when that certainly holds
   */
  public static boolean stage2(Observation reading) {
    BigDecimal s = systolic(reading);
    BigDecimal d = diastolic(reading);
    return isTrue(and(and(above(s, 0), above(d, 0)), or(atLeast(s, 140), atLeast(d, 90))));
  }

  /**
   * The reading of "Second Hypertensive Reading SBP 130 to 139 OR DBP 80 to 89": systolic in
   * [130, 139] or diastolic in [80, 89], and not (systolic at least 140 or diastolic at least
   * 90). An unknown value leaves the second part unknown, so such a reading is never in this
   * class.
   *
   * @param reading a blood pressure reading, or {@code null}
   * @return true when that certainly holds
   */
  public static boolean stage1(Observation reading) {
    BigDecimal s = systolic(reading);
    BigDecimal d = diastolic(reading);
    Boolean inRange = or(in(s, 130, 139, true), in(d, 80, 89, true));
    Boolean stage2 = or(atLeast(s, 140), atLeast(d, 90));
    return isTrue(and(inRange, stage2 == null ? null : !stage2));
  }

  /**
   * Whether {@code reading} starts after {@code other}, as CQL's "sort by start of
   * effective.toInterval()" orders them for {@code Last}: a reading with no start first.
   *
   * @param reading a reading, never null
   * @param other another reading, never null
   * @return true when {@code reading} sorts after {@code other}
   */
  public static boolean startsAfter(Observation reading, Observation other) {
    ClinicalTime a = start(reading);
    ClinicalTime b = start(other);
    if (a == null) {
      return false;
    }
    return b == null || a.compareTo(b) > 0;
  }

  /**
   * The span "1 year or less before or on start of" {@code start}: from the same time a calendar
   * year earlier, in {@code zone}, to {@code start}, both included.
   *
   * @param start the start of an encounter, or {@code null}
   * @param zone the zone a calendar year is counted in
   * @return the span, or {@code null} when {@code start} is {@code null}
   */
  public static Period yearUpTo(ClinicalTime start, ZoneId zone) {
    if (start == null) {
      return null;
    }
    ClinicalTime from = start.instant() != null
        ? ClinicalTime.of(start.instant().atZone(zone).minusYears(1).toOffsetDateTime())
        : start.date() != null ? ClinicalTime.of(start.date().minusYears(1)) : null;
    return from == null ? null : new Period(from, start);
  }

  /**
   * The end of a reading's effective time ("effective.toInterval() ends"), or {@code null} when
   * it has none.
   *
   * @param reading a reading, or {@code null}
   * @return the end of its effective period
   */
  public static ClinicalTime end(Observation reading) {
    return reading == null || reading.effective() == null ? null : reading.effective().end();
  }

  static BigDecimal systolic(Observation reading) {
    return part(reading, SYSTOLIC);
  }

  static BigDecimal diastolic(Observation reading) {
    return part(reading, DIASTOLIC);
  }

  private static ClinicalTime start(Observation reading) {
    return reading.effective() == null ? null : reading.effective().start();
  }

  /** The value in mm[Hg] of the one component whose first coding is LOINC {@code code}. */
  private static BigDecimal part(Observation reading, String code) {
    if (reading == null) {
      return null;
    }
    List<ObservationComponent> parts = reading.components().stream()
        .filter(c -> firstIs(c, code)).toList();
    if (parts.size() != 1 || parts.get(0).valueQuantity() == null) {
      return null;
    }
    return UCUM.convert(parts.get(0).valueQuantity(), MM_HG).orElse(null);
  }

  private static boolean firstIs(ObservationComponent component, String code) {
    List<Code> codings = component.code().codings();
    return !codings.isEmpty() && LOINC.equals(codings.get(0).system())
        && code.equals(codings.get(0).code());
  }

  private static Boolean in(BigDecimal value, int low, int high, boolean highClosed) {
    if (value == null) {
      return null;
    }
    int toHigh = value.compareTo(BigDecimal.valueOf(high));
    return value.compareTo(BigDecimal.valueOf(low)) >= 0 && (highClosed ? toHigh <= 0 : toHigh < 0);
  }

  private static Boolean above(BigDecimal value, int threshold) {
    return value == null ? null : value.compareTo(BigDecimal.valueOf(threshold)) > 0;
  }

  private static Boolean atLeast(BigDecimal value, int threshold) {
    return value == null ? null : value.compareTo(BigDecimal.valueOf(threshold)) >= 0;
  }

  /** CQL's three-valued and. */
  private static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  /** CQL's three-valued or. */
  private static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }

  private static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }
}
