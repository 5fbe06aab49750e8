package io.github.cdsengine.population;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.rule.Population;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The patients behind each figure of a population report: for every recommendation, those shown
 * it (overall, by age band and by sex) and those it was withheld from; for every measure group,
 * those in each population, those eligible (in the denominator, neither excluded nor excepted;
 * for a measure counted by episode, with such an episode) and those with a care gap. A figure
 * counts patients; a measure counted by episode (CMS22's encounters) is summed in episodes by
 * the summary, so its figures there can be larger than the patients behind them. A figure
 * keeps its count and the patients with the smallest ids, at most {@code limit} of them, so
 * that a report of a million patients stays small and every runner, whatever order it adds
 * patients in, lists the same ones; the complete lists are the per-patient results. Only ids
 * are kept: where a patient was read (an input's name may be its patient's, as Synthea names
 * its records) is in the per-patient results, not in a report.
 *
 * <p>Figures are named {@code recommendation/ID/shown}, {@code .../shown/age/BAND}, {@code
 * .../shown/sex/SEX}, {@code recommendation/ID/withheld}, {@code measure/ID/GROUP/POPULATION}
 * (the FHIR population code), {@code measure/ID/GROUP/eligible} and {@code
 * measure/ID/GROUP/care-gap}. Mergeable ({@link #add(DrillDown)}); not thread-safe.
 *
 * @serial exclude
 */
public final class DrillDown implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The patients a figure lists by default. */
  public static final int DEFAULT_LIMIT = 100;

  /**
   * The most patients a figure may list. Every shipped pack over the CMS measure test decks
   * makes about 300 figures (each recommendation shown: overall, by five age bands and four
   * sexes; withheld; each measure group's populations, eligible and care gaps); at this bound
   * and about 40 bytes an id that is some 12 MB of ids in the page, still opened readily by a
   * browser. The complete lists are the per-patient results.
   */
  public static final int MAX_LIMIT = 1_000;

  /** The most patients a figure lists. */
  private final int limit;
  /** The figures by name. */
  private final TreeMap<String, Figure> figures = new TreeMap<>();

  /** One figure: how many patients, and the first of them by id. */
  private static final class Figure implements Serializable {
    private static final long serialVersionUID = 2L;
    private long count;
    private final TreeSet<String> patients = new TreeSet<>();

    void add(String id, int limit) {
      count++;
      keep(id, limit);
    }

    void keep(String id, int limit) {
      if (patients.size() < limit || limit > 0 && id.compareTo(patients.last()) < 0) {
        patients.add(id);
        if (patients.size() > limit) {
          patients.pollLast();
        }
      }
    }
  }

  /**
   * A drill-down listing at most {@code limit} patients per figure.
   *
   * @param limit the most patients a figure lists, 0 to {@link #MAX_LIMIT}
   * @throws IllegalArgumentException if {@code limit} is negative or above {@link #MAX_LIMIT}
   */
  public DrillDown(int limit) {
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 0 to " + MAX_LIMIT + ": " + limit);
    }
    this.limit = limit;
  }

  /**
   * Adds one patient to the figures it is behind.
   *
   * @param row the patient's row
   * @return this
   */
  public DrillDown add(PatientRow row) {
    String id = row.patientId();
    PatientRow.Tally tally = row.tally();
    for (PatientRow.Shown shown : tally.shown()) {
      String key = "recommendation/" + shown.id() + "/shown";
      figure(key).add(id, limit);
      figure(key + "/age/" + row.ageBand()).add(id, limit);
      figure(key + "/sex/" + row.sex()).add(id, limit);
    }
    for (PatientRow.Shown withheld : tally.withheld()) {
      figure("recommendation/" + withheld.id() + "/withheld").add(id, limit);
    }
    for (PatientRow.MeasureCount m : tally.measures()) {
      String key = "measure/" + m.measure() + "/" + m.group() + "/";
      for (Population p : m.populations()) {
        figure(key + p.code()).add(id, limit);
      }
      if (m.eligible()) {
        figure(key + "eligible").add(id, limit);
      }
      if (m.careGap()) {
        figure(key + "care-gap").add(id, limit);
      }
    }
    return this;
  }

  /**
   * Adds another drill-down's figures (made with the same limit) to this one.
   *
   * @param other the other drill-down
   * @return this
   * @throws IllegalArgumentException if the limits differ
   */
  public DrillDown add(DrillDown other) {
    if (other.limit != limit) {
      throw new IllegalArgumentException("drill-downs of different limits: " + limit + " and "
          + other.limit);
    }
    other.figures.forEach((key, figure) -> {
      Figure mine = figure(key);
      mine.count += figure.count;
      figure.patients.forEach(id -> mine.keep(id, limit));
    });
    return this;
  }

  private Figure figure(String key) {
    return figures.computeIfAbsent(key, k -> new Figure());
  }

  /**
   * How many patients are behind a figure.
   *
   * @param key the figure's name
   * @return the count, 0 for a figure no patient is behind
   */
  public long count(String key) {
    Figure figure = figures.get(key);
    return figure == null ? 0 : figure.count;
  }

  /**
   * The ids of the patients a figure lists.
   *
   * @param key the figure's name
   * @return the ids (at most the limit), smallest first
   */
  public SortedSet<String> patients(String key) {
    Figure figure = figures.get(key);
    return figure == null ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(figure.patients);
  }

  /**
   * The figures as JSON: {@code {"limit": N, "figures": {KEY: {"count": n, "patients":
   * [ID, ...]}}}}, keys sorted.
   *
   * @return the JSON text
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("limit", limit);
    ObjectNode all = root.putObject("figures");
    figures.forEach((key, figure) -> {
      ObjectNode node = all.putObject(key);
      node.put("count", figure.count);
      ArrayNode list = node.putArray("patients");
      figure.patients.forEach(list::add);
    });
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
