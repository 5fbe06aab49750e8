package io.github.cdsengine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureRates;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.rule.Population;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each recommendation is shown over a population, overall, by age band and by sex,
 * and the measures' population counts and rates. Fed one result at a time in input order, so
 * the same inputs give the same summary whatever the number of threads.
 */
final class PopulationSummary {

  /** The age bands, in completed years at the evaluation date, and "unknown". */
  static final List<String> AGE_BANDS = List.of("0-17", "18-44", "45-64", "65-74", "75+",
      "unknown");
  /** The sexes as FHIR administrative gender, and "unknown" when not recorded. */
  static final List<String> SEXES = List.of("female", "male", "other", "unknown");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Counts for one recommendation. */
  private static final class Tally {
    String title;
    String severity;
    int shown;
    int withheld;
    final Map<String, Integer> shownByBand = new LinkedHashMap<>();
    final Map<String, Integer> shownBySex = new LinkedHashMap<>();
  }

  private final Map<String, Tally> recommendations = new TreeMap<>();
  private final Map<String, Integer> patientsByBand = zeros(AGE_BANDS);
  private final Map<String, Integer> patientsBySex = zeros(SEXES);
  private final MeasureRates rates = new MeasureRates();
  private int patients;
  private int incomplete;

  /** The age band of {@code patient} on the evaluation date of {@code context}. */
  static String ageBand(Patient patient, EvaluationContext context) {
    LocalDate birth = patient.birthDate();
    LocalDate on = context.date();
    if (birth == null || birth.isAfter(on)) {
      return "unknown";
    }
    int years = Period.between(birth, on).getYears();
    if (years < 18) {
      return "0-17";
    }
    if (years < 45) {
      return "18-44";
    }
    if (years < 65) {
      return "45-64";
    }
    return years < 75 ? "65-74" : "75+";
  }

  /** The sex of {@code patient}: its administrative gender's code, or "unknown". */
  static String sex(Patient patient) {
    return patient.gender() == null ? "unknown" : patient.gender().code();
  }

  /** Adds one patient's result. */
  void add(EvaluationResult result, String band, String sex) {
    patients++;
    patientsByBand.merge(band, 1, Integer::sum);
    patientsBySex.merge(sex, 1, Integer::sum);
    if (!result.complete()) {
      incomplete++;
    }
    for (Recommendation r : result.recommendations()) {
      Tally tally = tally(r);
      tally.shown++;
      tally.shownByBand.merge(band, 1, Integer::sum);
      tally.shownBySex.merge(sex, 1, Integer::sum);
    }
    for (WithheldRecommendation w : result.withheld()) {
      tally(w.recommendation()).withheld++;
    }
    rates.add(result);
  }

  private Tally tally(Recommendation r) {
    Tally tally = recommendations.computeIfAbsent(r.id(), id -> {
      Tally t = new Tally();
      AGE_BANDS.forEach(b -> t.shownByBand.put(b, 0));
      SEXES.forEach(s -> t.shownBySex.put(s, 0));
      return t;
    });
    tally.title = r.title();
    tally.severity = r.severity().code();
    return tally;
  }

  int patients() {
    return patients;
  }

  MeasureRates rates() {
    return rates;
  }

  /** The recommendation ids, most often shown first, then by id. */
  private List<String> ranked() {
    List<String> ids = new ArrayList<>(recommendations.keySet());
    ids.sort(Comparator.comparing((String id) -> -recommendations.get(id).shown)
        .thenComparing(id -> id));
    return ids;
  }

  /** The summary as JSON: counts, rates and the run's settings in {@code run}. */
  String toJson(Map<String, Object> run, int inputErrors) {
    ObjectNode root = JSON.createObjectNode();
    run.forEach((key, value) -> root.putPOJO(key, value));
    root.put("patients", patients);
    root.put("incomplete", incomplete);
    root.put("inputErrors", inputErrors);
    root.putPOJO("ageBands", AGE_BANDS);
    root.putPOJO("patientsByAgeBand", patientsByBand);
    root.putPOJO("patientsBySex", patientsBySex);
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
      node.putPOJO("shownByAgeBand", t.shownByBand);
      node.putPOJO("shownBySex", t.shownBySex);
    }
    ArrayNode measures = root.putArray("measures");
    for (MeasureRates.Rate rate : rates.rates()) {
      ObjectNode node = measures.addObject();
      node.put("measure", rate.measure());
      node.put("group", rate.group());
      node.put("improvement", rate.improvement().name().toLowerCase(Locale.ROOT));
      for (Population p : Population.values()) {
        node.put(camel(p.code()), rate.count(p));
      }
      node.put("careGaps", rate.careGaps());
      if (rate.performanceRate().isPresent()) {
        node.put("performanceRate", round(rate.performanceRate().getAsDouble()));
      } else {
        node.putNull("performanceRate");
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The firing counts as CSV: overall, then each age band and sex, for each recommendation. */
  String toCsv() {
    StringBuilder csv = new StringBuilder("recommendation,title,group,value,patients,shown,"
        + "shown_rate\n");
    for (String id : ranked()) {
      Tally t = recommendations.get(id);
      csvRow(csv, id, t.title, new Stratum("all", "all"), patients, t.shown);
      for (String band : AGE_BANDS) {
        csvRow(csv, id, t.title, new Stratum("age_band", band), patientsByBand.get(band),
            t.shownByBand.get(band));
      }
      for (String sex : SEXES) {
        csvRow(csv, id, t.title, new Stratum("sex", sex), patientsBySex.get(sex),
            t.shownBySex.get(sex));
      }
    }
    return csv.toString();
  }

  /** The measures' counts and rates as CSV, or null when no measure ran. */
  String measuresCsv() {
    if (rates.rates().isEmpty()) {
      return null;
    }
    StringBuilder csv = new StringBuilder("measure,group,improvement");
    for (Population p : Population.values()) {
      csv.append(',').append(p.code().replace('-', '_'));
    }
    csv.append(",care_gaps,performance_rate\n");
    for (MeasureRates.Rate rate : rates.rates()) {
      List<Object> cells = new ArrayList<>(java.util.Arrays.asList(rate.measure(), rate.group(),
          rate.improvement().name().toLowerCase(Locale.ROOT)));
      for (Population p : Population.values()) {
        cells.add(rate.count(p));
      }
      cells.add(rate.careGaps());
      cells.add(rate.performanceRate().isPresent()
          ? round(rate.performanceRate().getAsDouble()) : null);
      csv.append(Csv.row(cells.toArray()));
    }
    return csv.toString();
  }

  /**
   * The part of the population a CSV row counts: its {@code group} column ({@code all}, {@code
   * age_band} or {@code sex}) and its {@code value} column, e.g. {@code age_band}, {@code 45-64}.
   */
  private record Stratum(String group, String value) {}

  private static void csvRow(StringBuilder csv, String id, String title, Stratum stratum,
      int patients, int shown) {
    csv.append(Csv.row(id, title, stratum.group(), stratum.value(), patients, shown,
        patients == 0 ? null : rate(shown, patients)));
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

  private static Map<String, Integer> zeros(List<String> keys) {
    Map<String, Integer> map = new LinkedHashMap<>();
    keys.forEach(k -> map.put(k, 0));
    return map;
  }
}
