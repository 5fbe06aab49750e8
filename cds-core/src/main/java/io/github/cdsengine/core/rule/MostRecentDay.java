package io.github.cdsengine.core.rule;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.terminology.ValueSets;
import io.github.cdsengine.core.units.UnitConverter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The "lowest reading on the most recent day" selections of the CMS measures, such as CMS122's
 * "Lowest Glycemic Status Assessment Reading on Most Recent Day" and CMS165's "Lowest Systolic
 * Reading on Most Recent Blood Pressure Day". A rule collects the readings that qualify, lets
 * this class pick the one reading, and tests it against the measure's threshold itself:
 *
 * <pre>{@code
 * $readings : List(size > 0) from collect(Observation(...qualifying...))
 * Observation(units.valueAbove(this, "9", "%")) from MostRecentDay.lowest($readings, "%", $mp.zone())
 * }</pre>
 *
 * <p>The most recent day is the latest calendar day, in the evaluation's zone, on which a
 * reading's latest effective time falls ("date from effective.latest()"); a reading dated only
 * to a year or a month has no day and is never selected. On that day, readings are ordered as
 * CQL's ascending sort orders their values: a reading with no quantity first (CQL sorts nulls
 * first), then by value converted to the given unit through UCUM; a value that cannot be
 * converted (a different dimension, not UCUM) comes after every value that can, so it is
 * selected only when nothing else is. Ties go to the smaller id, so the selection does not
 * depend on the order facts were collected in.
 */
public final class MostRecentDay {

  private MostRecentDay() {}

  /**
   * The calendar day in {@code zone} of the observation's latest effective time, or {@code
   * null} when it has none or it is recorded only as a year or a month.
   *
   * @param observation the observation, or {@code null}
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the day, or {@code null}
   */
  public static LocalDate dayOf(Observation observation, ZoneId zone) {
    if (observation == null || observation.effective() == null) {
      return null;
    }
    ClinicalTime latest = observation.effective().latest();
    return latest.isPartial() ? null : latest.dateIn(zone);
  }

  /**
   * The latest day any of the observations falls on ({@link #dayOf}), or {@code null} when none
   * has a day. Elements that are not observations are ignored.
   *
   * @param observations facts of any type, usually a rule's {@code collect}; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the latest day, or {@code null}
   */
  public static LocalDate latestDay(Collection<?> observations, ZoneId zone) {
    LocalDate latest = null;
    for (Observation observation : observations(observations)) {
      LocalDate day = dayOf(observation, zone);
      if (day != null && (latest == null || day.isAfter(latest))) {
        latest = day;
      }
    }
    return latest;
  }

  /**
   * The observations that fall on the latest day any of them falls on; empty when none has a
   * day.
   *
   * @param observations facts of any type, usually a rule's {@code collect}; never null
   * @param zone the clinic's time zone, which fixes the day of an instant
   * @return the observations of that day, in the collection's order
   */
  public static List<Observation> readings(Collection<?> observations, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    LocalDate day = latestDay(observations, zone);
    if (day == null) {
      return List.of();
    }
    return observations(observations).stream()
        .filter(o -> day.equals(dayOf(o, zone))).toList();
  }

  /**
   * The lowest of the observations on the most recent day by their quantity value (CMS122's
   * "sort by value as Quantity", then "First"): a reading without a quantity value, if there is
   * one on that day, otherwise the one with the smallest value in {@code unit}. {@code null}
   * when no observation has a day.
   *
   * @param observations facts of any type, usually a rule's {@code collect}; never null
   * @param unit the UCUM unit the values are compared in, e.g. {@code %}; never null
   * @param zone the clinic's time zone, which fixes the day of an instant; never null
   * @return the lowest reading of the most recent day, or {@code null}
   * @throws NullPointerException if unit or zone is null
   */
  public static Observation lowest(Collection<?> observations, String unit, ZoneId zone) {
    Objects.requireNonNull(unit, "unit");
    return readings(observations, zone).stream().min(order(unit)).orElse(null);
  }

  /**
   * The lowest value on the most recent day of the component whose code is in the value set
   * {@code valueSetId}, such as the systolic part of a blood pressure (CMS165's "singleton from
   * (component where code ~ Systolic) return value as Quantity", then "sort asc", "First"), as
   * an observation of its own: the reading's id, status, effective time, category and
   * encounter, with the component's code and value. A reading that has no such component, or
   * more than one (no single value), counts as a reading without a value, and so is the lowest,
   * as CQL sorts nulls first: the returned observation then has no value. {@code null} when no
   * observation has a day.
   *
   * @param observations facts of any type, usually a rule's {@code collect}; never null
   * @param valueSets the engine's value sets, which hold {@code valueSetId}; never null
   * @param valueSetId the id of the value set the component's code must be in, e.g. {@code
   *     measure-systolic-blood-pressure}
   * @param unit the UCUM unit the values are compared in, e.g. {@code mm[Hg]}; never null
   * @param zone the clinic's time zone, which fixes the day of an instant; never null
   * @return the lowest component value of the most recent day as an observation, or {@code null}
   * @throws NullPointerException if valueSets, valueSetId, unit or zone is null
   * @throws IllegalArgumentException if no value set has the id {@code valueSetId}
   */
  public static Observation lowestComponent(Collection<?> observations, ValueSets valueSets,
      String valueSetId, String unit, ZoneId zone) {
    Objects.requireNonNull(valueSets, "valueSets");
    Objects.requireNonNull(valueSetId, "valueSetId");
    Objects.requireNonNull(unit, "unit");
    List<Observation> parts = new ArrayList<>();
    for (Observation reading : readings(observations, zone)) {
      List<ObservationComponent> matching = reading.components().stream()
          .filter(c -> valueSets.includes(valueSetId, c.code())).toList();
      parts.add(matching.size() == 1 ? asObservation(reading, matching.get(0))
          : withoutValue(reading));
    }
    return parts.stream().min(order(unit)).orElse(null);
  }

  private static Observation asObservation(Observation reading, ObservationComponent part) {
    Quantity quantity = part.valueQuantity();
    return Observation.builder(reading.id(), reading.status(), part.code())
        .effective(reading.effective()).valueQuantity(quantity)
        .valueConcept(quantity == null ? part.valueConcept() : null)
        .category(reading.category()).encounter(reading.encounter()).build();
  }

  private static Observation withoutValue(Observation reading) {
    return Observation.builder(reading.id(), reading.status(), reading.code())
        .effective(reading.effective()).category(reading.category())
        .encounter(reading.encounter()).build();
  }

  /** Nulls first, then by value in {@code unit}, values that cannot be converted last; then id. */
  private static Comparator<Observation> order(String unit) {
    UnitConverter converter = UnitConverter.ucum();
    Comparator<Observation> byRank = Comparator.comparingInt(o -> rank(o, unit, converter));
    Comparator<Observation> byValue = (a, b) -> {
      Optional<BigDecimal> x = value(a, unit, converter);
      Optional<BigDecimal> y = value(b, unit, converter);
      return x.isPresent() && y.isPresent() ? x.get().compareTo(y.get()) : 0;
    };
    return byRank.thenComparing(byValue).thenComparing(Observation::id);
  }

  private static int rank(Observation observation, String unit, UnitConverter converter) {
    if (observation.quantity() == null) {
      return 0;
    }
    return value(observation, unit, converter).isPresent() ? 1 : 2;
  }

  private static Optional<BigDecimal> value(Observation observation, String unit,
      UnitConverter converter) {
    Quantity quantity = observation.quantity();
    return quantity == null ? Optional.empty() : converter.convert(quantity, unit);
  }

  private static List<Observation> observations(Collection<?> facts) {
    Objects.requireNonNull(facts, "observations");
    List<Observation> observations = new ArrayList<>();
    for (Object fact : facts) {
      if (fact instanceof Observation observation) {
        observations.add(observation);
      }
    }
    return observations;
  }
}
