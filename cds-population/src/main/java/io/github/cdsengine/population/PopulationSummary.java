package io.github.cdsengine.population;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.rule.Population;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * How often each recommendation is shown over a population, overall, by age band, by sex and by
 * age band and sex, and the measures' population counts and performance rates, each rate with
 * its Wilson 95% interval ({@link Proportions#wilson}). Fed one {@link PatientRow} at a time;
 * summaries of parts of a population {@linkplain #add(PopulationSummary) add up} to the
 * summary of the whole, whatever the parts and their order, so a distributed run and a
 * single-machine run write the same figures. Not thread-safe.
 */
public final class PopulationSummary implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Counts for one recommendation. */
  private static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    String title;
    String severity;
    int shown;
    int withheld;
    /** Shown, by "band|sex". */
    final Map<String, Integer> shownByStratum = new TreeMap<>();
  }

  /** Counts for one measure group. */
  private static final class MeasureTally implements Serializable {
    private static final long serialVersionUID = 1L;
    MeasureDefinition.Improvement improvement;
    final Map<Population, Integer> counts = new EnumMap<>(Population.class);
    int careGaps;
  }

  /** Counts by recommendation id. */
  private final Map<String, Tally> recommendations = new TreeMap<>();
  /** Patients by "band|sex". */
  private final Map<String, Integer> patientsByStratum = new TreeMap<>();
  /** Measure groups by "measure#group" (group zero-padded to three digits). */
  private final Map<String, MeasureTally> measures = new TreeMap<>();
  /** Patients added. */
  private int patients;
  /** Patients whose result is incomplete. */
  private int incomplete;
  /** The latest date of any patient's facts (ISO), or null. */
  private String dataEnd;

  /** An empty summary. */
  public PopulationSummary() {
    // counts start at zero
  }

  /**
   * Adds one patient.
   *
   * @param row the patient's row
   * @return this
   */
  public PopulationSummary add(PatientRow row) {
    PatientRow.Tally tally = row.tally();
    String stratum = row.ageBand() + "|" + row.sex();
    patients++;
    patientsByStratum.merge(stratum, 1, Integer::sum);
    if (!tally.complete()) {
      incomplete++;
    }
    for (PatientRow.Shown shown : tally.shown()) {
      Tally t = recommendations.computeIfAbsent(shown.id(), id -> new Tally());
      t.title = shown.title();
      t.severity = shown.severity();
      t.shown++;
      t.shownByStratum.merge(stratum, 1, Integer::sum);
    }
    for (PatientRow.Shown withheld : tally.withheld()) {
      Tally t = recommendations.computeIfAbsent(withheld.id(), id -> new Tally());
      t.title = withheld.title();
      t.severity = withheld.severity();
      t.withheld++;
    }
    for (PatientRow.MeasureCount m : tally.measures()) {
      MeasureTally t = measures.computeIfAbsent(key(m.measure(), m.group()),
          k -> new MeasureTally());
      t.improvement = m.improvement();
      // A measure counted by episode (CMS22's encounters) adds the patient's episodes, as the
      // engine counts them; otherwise 1 per population.
      m.populations().forEach(p -> t.counts.merge(p, m.count(p), Integer::sum));
      if (m.careGap()) {
        t.careGaps++;
      }
    }
    dataEnd = later(dataEnd, tally.dataEnd());
    return this;
  }

  /**
   * Adds the counts of another summary, such as another task's.
   *
   * @param other the counts to add; unchanged
   * @return this
   */
  public PopulationSummary add(PopulationSummary other) {
    patients += other.patients;
    incomplete += other.incomplete;
    other.patientsByStratum.forEach((k, n) -> patientsByStratum.merge(k, n, Integer::sum));
    other.recommendations.forEach((id, theirs) -> {
      Tally ours = recommendations.computeIfAbsent(id, k -> new Tally());
      if (theirs.title != null) {
        ours.title = theirs.title;
        ours.severity = theirs.severity;
      }
      ours.shown += theirs.shown;
      ours.withheld += theirs.withheld;
      theirs.shownByStratum.forEach((k, n) -> ours.shownByStratum.merge(k, n, Integer::sum));
    });
    other.measures.forEach((key, theirs) -> {
      MeasureTally ours = measures.computeIfAbsent(key, k -> new MeasureTally());
      ours.improvement = theirs.improvement;
      theirs.counts.forEach((p, n) -> ours.counts.merge(p, n, Integer::sum));
      ours.careGaps += theirs.careGaps;
    });
    dataEnd = later(dataEnd, other.dataEnd);
    return this;
  }

  private static String later(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  private static String key(String measure, int group) {
    return measure + "#" + String.format(Locale.ROOT, "%03d", group);
  }

  /**
   * The number of patients added.
   *
   * @return the count
   */
  public int patients() {
    return patients;
  }

  /**
   * The latest date of any patient's clinical facts.
   *
   * @return the date (ISO), or null when no patient had a dated fact
   */
  public String dataEnd() {
    return dataEnd;
  }

  /**
   * One measure group's counts and rate.
   *
   * @param measure the measure's id
   * @param group the group, from 1
   * @param improvement whether a higher or a lower rate is better
   * @param counts patients (for a measure counted by episode, episodes) in each population
   * @param careGaps patients with a care gap
   */
  public record MeasureRate(String measure, int group, MeasureDefinition.Improvement improvement,
      Map<Population, Integer> counts, int careGaps) {

    /**
     * Copies the counts.
     *
     * @param measure the measure's id
     * @param group the group
     * @param improvement whether higher or lower is better
     * @param counts patients in each population
     * @param careGaps patients with a care gap
     */
    public MeasureRate {
      counts = Map.copyOf(counts);
    }

    /**
     * The patients (for a measure counted by episode, the episodes) in {@code population}.
     *
     * @param population the population
     * @return the count, 0 when none
     */
    public int count(Population population) {
      return counts.getOrDefault(population, 0);
    }

    /**
     * The eligible denominator: denominator − exclusions − exceptions.
     *
     * @return the count
     */
    public int eligible() {
      return count(Population.DENOMINATOR) - count(Population.DENOMINATOR_EXCLUSION)
          - count(Population.DENOMINATOR_EXCEPTION);
    }

    /**
     * numerator / eligible denominator, as the measures' specifications define the performance
     * rate of a proportion measure.
     *
     * @return the rate, or empty when no patient is eligible
     */
    public OptionalDouble performanceRate() {
      return eligible() <= 0 ? OptionalDouble.empty()
          : OptionalDouble.of((double) count(Population.NUMERATOR) / eligible());
    }

    /**
     * The performance rate's Wilson 95% interval.
     *
     * @return the interval, or null when no patient is eligible
     */
    public Proportions.Interval interval() {
      return eligible() <= 0 ? null
          : Proportions.wilson(Math.min(count(Population.NUMERATOR), eligible()), eligible());
    }
  }

  /**
   * The measure groups' counts, by measure id then group.
   *
   * @return one entry per measure group any patient had a result for
   */
  public List<MeasureRate> measureRates() {
    List<MeasureRate> rates = new ArrayList<>();
    measures.forEach((key, t) -> {
      int bar = key.lastIndexOf('#');
      rates.add(new MeasureRate(key.substring(0, bar),
          Integer.parseInt(key.substring(bar + 1)), t.improvement, t.counts, t.careGaps));
    });
    return rates;
  }

  /**
   * What the figures themselves warn of: data that end before the measurement period starts,
   * and measures whose initial population is 0 for everyone.
   *
   * @param periodStart the measurement period's first day (ISO), or null without one
   * @return the notes, in a fixed order; empty when there is nothing to say
   */
  public List<String> notes(String periodStart) {
    List<String> notes = new ArrayList<>();
    if (periodStart != null && patients > 0) {
      if (dataEnd == null) {
        notes.add("no patient has a dated clinical fact: measure populations that need one "
            + "are empty");
      } else if (dataEnd.compareTo(periodStart) < 0) {
        notes.add("the data end on " + dataEnd + ", before the measurement period starts ("
            + periodStart + "): populations that need data in the period are empty");
      }
    }
    List<MeasureRate> rates = measureRates();
    if (!rates.isEmpty() && rates.stream()
        .allMatch(r -> r.count(Population.INITIAL_POPULATION) == 0)) {
      notes.add("every measure's initial population is 0: check the measurement period, the "
          + "value sets and the patients' ages");
    }
    return notes;
  }

  /** The recommendation ids, most often shown first, then by id. */
  private List<String> ranked() {
    List<String> ids = new ArrayList<>(recommendations.keySet());
    ids.sort(Comparator.comparing((String id) -> -recommendations.get(id).shown)
        .thenComparing(id -> id));
    return ids;
  }

  private int patientsIn(String band, String sex) {
    int n = 0;
    for (Map.Entry<String, Integer> e : patientsByStratum.entrySet()) {
      String[] parts = e.getKey().split("\\|", 2);
      if ((band == null || parts[0].equals(band)) && (sex == null || parts[1].equals(sex))) {
        n += e.getValue();
      }
    }
    return n;
  }

  private static int shownIn(Tally t, String band, String sex) {
    int n = 0;
    for (Map.Entry<String, Integer> e : t.shownByStratum.entrySet()) {
      String[] parts = e.getKey().split("\\|", 2);
      if ((band == null || parts[0].equals(band)) && (sex == null || parts[1].equals(sex))) {
        n += e.getValue();
      }
    }
    return n;
  }

  /**
   * The summary as JSON: the run's settings in {@code run} first, then counts and rates, the
   * intervals and the notes.
   *
   * @param run the run's settings and input accounting, written as given
   * @param inputErrors the number of inputs that could not be read
   * @return the JSON, indented, with a final line break
   */
  public String toJson(Map<String, Object> run, int inputErrors) {
    ObjectNode root = JSON.createObjectNode();
    run.forEach(root::putPOJO);
    root.put("patients", patients);
    root.put("incomplete", incomplete);
    root.put("inputErrors", inputErrors);
    root.put("dataEnd", dataEnd);
    Object period = run.get("measurementPeriod");
    String periodStart = period == null ? null : period.toString().split("/")[0];
    root.putPOJO("notes", notes(periodStart));
    root.putPOJO("ageBands", PatientRow.AGE_BANDS);
    Map<String, Integer> byBand = new LinkedHashMap<>();
    PatientRow.AGE_BANDS.forEach(b -> byBand.put(b, patientsIn(b, null)));
    Map<String, Integer> bySex = new LinkedHashMap<>();
    PatientRow.SEXES.forEach(s -> bySex.put(s, patientsIn(null, s)));
    root.putPOJO("patientsByAgeBand", byBand);
    root.putPOJO("patientsBySex", bySex);
    root.putPOJO("patientsByAgeBandAndSex", grid(null));
    ArrayNode list = root.putArray("recommendations");
    for (String id : ranked()) {
      Tally t = recommendations.get(id);
      ObjectNode node = list.addObject();
      node.put("id", id);
      node.put("title", t.title);
      node.put("severity", t.severity);
      node.put("shown", t.shown);
      node.put("withheld", t.withheld);
      node.put("shownRate", rate(t.shown, patients));
      putInterval(node, "shownRateCi95", t.shown, patients);
      Map<String, Integer> shownByBand = new LinkedHashMap<>();
      PatientRow.AGE_BANDS.forEach(b -> shownByBand.put(b, shownIn(t, b, null)));
      Map<String, Integer> shownBySex = new LinkedHashMap<>();
      PatientRow.SEXES.forEach(s -> shownBySex.put(s, shownIn(t, null, s)));
      node.putPOJO("shownByAgeBand", shownByBand);
      node.putPOJO("shownBySex", shownBySex);
      node.putPOJO("shownByAgeBandAndSex", grid(t));
    }
    ArrayNode measureList = root.putArray("measures");
    for (MeasureRate rate : measureRates()) {
      ObjectNode node = measureList.addObject();
      node.put("measure", rate.measure());
      node.put("group", rate.group());
      node.put("improvement", rate.improvement().name().toLowerCase(Locale.ROOT));
      for (Population p : Population.values()) {
        node.put(camel(p.code()), rate.count(p));
      }
      node.put("careGaps", rate.careGaps());
      node.put("eligible", rate.eligible());
      if (rate.performanceRate().isPresent()) {
        node.put("performanceRate", round(rate.performanceRate().getAsDouble()));
      } else {
        node.putNull("performanceRate");
      }
      Proportions.Interval ci = rate.interval();
      if (ci == null) {
        node.putNull("performanceRateCi95");
      } else {
        ObjectNode interval = node.putObject("performanceRateCi95");
        interval.put("lower", round(ci.lower()));
        interval.put("upper", round(ci.upper()));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Patients (t null) or times t was shown, by age band then sex, every cell present. */
  private Map<String, Map<String, Integer>> grid(Tally t) {
    Map<String, Map<String, Integer>> grid = new LinkedHashMap<>();
    for (String band : PatientRow.AGE_BANDS) {
      Map<String, Integer> row = new LinkedHashMap<>();
      for (String sex : PatientRow.SEXES) {
        row.put(sex, t == null ? patientsIn(band, sex) : shownIn(t, band, sex));
      }
      grid.put(band, row);
    }
    return grid;
  }

  private static void putInterval(ObjectNode node, String field, int count, int total) {
    if (total == 0) {
      node.putNull(field);
      return;
    }
    Proportions.Interval ci = Proportions.wilson(count, total);
    ObjectNode interval = node.putObject(field);
    interval.put("lower", round(ci.lower()));
    interval.put("upper", round(ci.upper()));
  }

  /**
   * The firing counts as CSV: overall, then each age band and sex, for each recommendation.
   *
   * @return the CSV with its header
   */
  public String toCsv() {
    StringBuilder csv = new StringBuilder("recommendation,title,group,value,patients,shown,"
        + "shown_rate\n");
    for (String id : ranked()) {
      Tally t = recommendations.get(id);
      csvRow(csv, id, t.title, new String[] {"all", "all"}, patients, t.shown);
      for (String band : PatientRow.AGE_BANDS) {
        csvRow(csv, id, t.title, new String[] {"age_band", band}, patientsIn(band, null),
            shownIn(t, band, null));
      }
      for (String sex : PatientRow.SEXES) {
        csvRow(csv, id, t.title, new String[] {"sex", sex}, patientsIn(null, sex),
            shownIn(t, null, sex));
      }
    }
    return csv.toString();
  }

  /**
   * Each recommendation's rate by age band and sex, with its Wilson 95% interval: a row per
   * recommendation, band and sex with at least one patient.
   *
   * @return the CSV with its header
   */
  public String ratesByAgeBandAndSexCsv() {
    StringBuilder csv = new StringBuilder("recommendation,title,age_band,sex,patients,shown,"
        + "shown_rate,ci95_lower,ci95_upper\n");
    for (String id : ranked()) {
      Tally t = recommendations.get(id);
      for (String band : PatientRow.AGE_BANDS) {
        for (String sex : PatientRow.SEXES) {
          int n = patientsIn(band, sex);
          if (n == 0) {
            continue;
          }
          int shown = shownIn(t, band, sex);
          Proportions.Interval ci = Proportions.wilson(shown, n);
          csv.append(Csv.row(id, t.title, band, sex, n, shown, rate(shown, n),
              round(ci.lower()), round(ci.upper())));
        }
      }
    }
    return csv.toString();
  }

  /**
   * The measures' counts, eligible denominators, performance rates and their Wilson 95%
   * intervals as CSV, or null when no measure ran.
   *
   * @return the CSV with its header, or null
   */
  public String measuresCsv() {
    List<MeasureRate> rates = measureRates();
    if (rates.isEmpty()) {
      return null;
    }
    StringBuilder csv = new StringBuilder("measure,group,improvement");
    for (Population p : Population.values()) {
      csv.append(',').append(p.code().replace('-', '_'));
    }
    csv.append(",care_gaps,performance_rate,eligible,ci95_lower,ci95_upper\n");
    for (MeasureRate rate : rates) {
      List<Object> cells = new ArrayList<>(Arrays.asList(rate.measure(), rate.group(),
          rate.improvement().name().toLowerCase(Locale.ROOT)));
      for (Population p : Population.values()) {
        cells.add(rate.count(p));
      }
      cells.add(rate.careGaps());
      cells.add(rate.performanceRate().isPresent()
          ? round(rate.performanceRate().getAsDouble()) : null);
      cells.add(rate.eligible());
      Proportions.Interval ci = rate.interval();
      cells.add(ci == null ? null : round(ci.lower()));
      cells.add(ci == null ? null : round(ci.upper()));
      csv.append(Csv.row(cells.toArray()));
    }
    return csv.toString();
  }

  /**
   * A FHIR R4 Bundle (type collection) of one summary MeasureReport per measure: its groups'
   * population counts and measure scores, for the measurement period.
   *
   * @param definitions the measures loaded, for their canonical URLs; a measure not among them
   *     is named by its id
   * @param period the measurement period as {@code start/end} (ISO dates)
   * @param date when the figures apply: the evaluation instant (ISO), never the clock
   * @return the Bundle's JSON, indented, with a final line break
   */
  public String measureReports(List<MeasureDefinition> definitions, String period, String date) {
    Objects.requireNonNull(period, "period");
    Map<String, MeasureDefinition> byId = new TreeMap<>();
    definitions.forEach(d -> byId.put(d.id(), d));
    Map<String, List<MeasureRate>> byMeasure = new TreeMap<>();
    measureRates().forEach(r -> byMeasure.computeIfAbsent(r.measure(), k -> new ArrayList<>())
        .add(r));
    String[] startEnd = period.split("/", 2);
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("resourceType", "Bundle");
    bundle.put("type", "collection");
    ArrayNode entries = bundle.putArray("entry");
    byMeasure.forEach((measure, groups) -> {
      ObjectNode report = entries.addObject().putObject("resource");
      report.put("resourceType", "MeasureReport");
      report.put("id", measure.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
          + "-summary");
      report.put("status", "complete");
      report.put("type", "summary");
      MeasureDefinition definition = byId.get(measure);
      report.put("measure", definition == null || definition.url() == null ? measure
          : definition.url());
      report.put("date", date);
      ObjectNode p = report.putObject("period");
      p.put("start", startEnd[0]);
      p.put("end", startEnd.length > 1 ? startEnd[1] : startEnd[0]);
      report.putObject("improvementNotation").putArray("coding").addObject()
          .put("system", "http://terminology.hl7.org/CodeSystem/measure-improvement-notation")
          .put("code", groups.get(0).improvement().name().toLowerCase(Locale.ROOT));
      ArrayNode groupList = report.putArray("group");
      for (MeasureRate rate : groups) {
        ObjectNode group = groupList.addObject();
        group.put("id", "group-" + rate.group());
        ArrayNode populations = group.putArray("population");
        for (Population population : Population.values()) {
          ObjectNode entry = populations.addObject();
          entry.putObject("code").putArray("coding").addObject()
              .put("system", "http://terminology.hl7.org/CodeSystem/measure-population")
              .put("code", population.code());
          entry.put("count", rate.count(population));
        }
        if (rate.performanceRate().isPresent()) {
          group.putObject("measureScore").put("value",
              round(rate.performanceRate().getAsDouble()));
        }
      }
    });
    try {
      return JSON.writeValueAsString(bundle) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void csvRow(StringBuilder csv, String id, String title, String[] stratum,
      int n, int shown) {
    csv.append(Csv.row(id, title, stratum[0], stratum[1], n, shown,
        n == 0 ? null : rate(shown, n)));
  }

  private static double rate(int count, int of) {
    return of == 0 ? 0 : round((double) count / of);
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  private static String camel(String code) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : code.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
