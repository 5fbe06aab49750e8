package io.github.cdsengine.cli;

import io.github.cdsengine.population.Csv;
import io.github.cdsengine.population.Proportions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureRates;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.rule.Population;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How two rule sets' results differ over one cohort: per recommendation, the patients who see it
 * before and after and the change of that share with its 95% interval ({@link Proportions}); per
 * measure group, the population counts before and after; and every patient whose shown or
 * withheld recommendations, their severities, measure populations or failed rules changed. Fed
 * one patient at a time, in input order, so the list keeps the inputs' order.
 */
final class CohortDiff {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** What a change is about, in the order a patient's changes are listed. */
  enum Kind {
    /** A recommendation: shown, suppressed or contraindicated, and its severity. */
    RECOMMENDATION("recommendation"),
    /** A measure group: the populations the patient is in. */
    MEASURE("measure"),
    /** A rule that failed. */
    RULE_FAILURE("rule failure");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The kind as the outputs write it. */
    String label() {
      return label;
    }
  }

  /**
   * One thing a patient's result says, under one rule set.
   *
   * @param kind what it is about
   * @param name the recommendation's id, the measure and group, or the rule's name
   */
  record Item(Kind kind, String name) implements Comparable<Item> {

    private static final Comparator<Item> ORDER = Comparator.comparing(Item::kind)
        .thenComparing(Item::name);

    Item {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(Item other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * One item whose state differs between the rule sets.
   *
   * @param item what changed
   * @param before its state under the rule set before, e.g. {@code shown (warning)}
   * @param after its state under the rule set after, e.g. {@code not proposed}
   */
  record Change(Item item, String before, String after) {}

  /**
   * A patient whose outcome changed.
   *
   * @param patient the patient's id, as given in the input
   * @param source the file (and NDJSON line) the patient was read from
   * @param changes what changed, recommendations first
   */
  record ChangedPatient(String patient, String source, List<Change> changes) {

    ChangedPatient {
      changes = List.copyOf(changes);
    }
  }

  /**
   * Limits past which a change fails the release gate; {@code null} for no limit.
   *
   * @param maxChangedPatients the most patients that may change
   * @param maxRateChange the most, in percentage points, that any recommendation's share of
   *     patients shown it may move, up or down
   */
  record Thresholds(Integer maxChangedPatients, Double maxRateChange) {

    /** Whether any limit is set. */
    boolean any() {
      return maxChangedPatients != null || maxRateChange != null;
    }
  }

  /**
   * One recommendation's counts.
   *
   * @param id the recommendation's id
   * @param title its title (the one after the change when it has one)
   * @param before its counts under the rule set before
   * @param after its counts under the rule set after
   * @param changedPatients the patients whose state for it changed
   */
  record RecommendationCounts(String id, String title, Counts before, Counts after,
      int changedPatients) {}

  /**
   * How many patients were shown a recommendation and how many had it withheld.
   *
   * @param shown patients shown it
   * @param withheld patients for whom it was suppressed or contraindicated
   */
  record Counts(int shown, int withheld) {}

  /**
   * One side of the comparison.
   *
   * @param from where its rules came from: {@code shipped}, or the paths given
   * @param ruleSet the engine's rule-set identity ({@code pack@version, ...})
   * @param packs the engine's packs, {@code id@version}
   */
  record RuleSet(String from, String ruleSet, List<String> packs) {

    RuleSet {
      packs = List.copyOf(packs);
    }
  }

  /**
   * What was compared, and when.
   *
   * @param at the evaluation instant, with a note when scenario files kept their own
   * @param zone the time zone's id
   * @param measurementPeriod the measurement period as {@code START/END}, or {@code null}
   * @param before the rule set before the change
   * @param after the rule set after the change
   */
  record Comparison(String at, String zone, String measurementPeriod, RuleSet before,
      RuleSet after) {}

  private static final class Tally {
    String title;
    int shownBefore;
    int shownAfter;
    int withheldBefore;
    int withheldAfter;
    int changed;
  }

  private final Map<String, Tally> recommendations = new TreeMap<>();
  private final MeasureRates measuresBefore = new MeasureRates();
  private final MeasureRates measuresAfter = new MeasureRates();
  private final List<ChangedPatient> changed = new ArrayList<>();
  private int patients;
  private int incompleteBefore;
  private int incompleteAfter;

  /**
   * Adds one patient's results under both rule sets.
   *
   * @param subject the patient, with where it was read from
   * @param before the result under the rule set before
   * @param after the result under the rule set after
   */
  void add(Subject subject, EvaluationResult before, EvaluationResult after) {
    patients++;
    incompleteBefore += before.complete() ? 0 : 1;
    incompleteAfter += after.complete() ? 0 : 1;
    count(before, true);
    count(after, false);
    measuresBefore.add(before);
    measuresAfter.add(after);
    Map<Item, String> was = outcome(before);
    Map<Item, String> is = outcome(after);
    TreeSet<Item> items = new TreeSet<>(was.keySet());
    items.addAll(is.keySet());
    List<Change> changes = new ArrayList<>();
    for (Item item : items) {
      String from = was.getOrDefault(item, absent(item.kind()));
      String to = is.getOrDefault(item, absent(item.kind()));
      if (!from.equals(to)) {
        changes.add(new Change(item, from, to));
        if (item.kind() == Kind.RECOMMENDATION) {
          recommendations.get(item.name()).changed++;
        }
      }
    }
    if (!changes.isEmpty()) {
      changed.add(new ChangedPatient(subject.patientId(), subject.source(), changes));
    }
  }

  private void count(EvaluationResult result, boolean before) {
    for (Recommendation r : result.recommendations()) {
      Tally tally = tally(r, before);
      if (before) {
        tally.shownBefore++;
      } else {
        tally.shownAfter++;
      }
    }
    for (WithheldRecommendation w : result.withheld()) {
      Tally tally = tally(w.recommendation(), before);
      if (before) {
        tally.withheldBefore++;
      } else {
        tally.withheldAfter++;
      }
    }
  }

  private Tally tally(Recommendation r, boolean before) {
    Tally tally = recommendations.computeIfAbsent(r.id(), id -> new Tally());
    if (tally.title == null || !before) {
      tally.title = r.title();
    }
    return tally;
  }

  /** What {@code result} says about each item; an item it does not mention is absent. */
  static Map<Item, String> outcome(EvaluationResult result) {
    Map<Item, String> outcome = new TreeMap<>();
    for (Recommendation r : result.recommendations()) {
      outcome.merge(new Item(Kind.RECOMMENDATION, r.id()),
          "shown (" + r.severity().code() + ")", CohortDiff::both);
    }
    for (WithheldRecommendation w : result.withheld()) {
      outcome.merge(new Item(Kind.RECOMMENDATION, w.recommendation().id()),
          w.disposition().name().toLowerCase(Locale.ROOT) + " ("
              + w.recommendation().severity().code() + ")", CohortDiff::both);
    }
    for (MeasureResult m : result.measures()) {
      List<String> in = m.populations().stream().map(Population::code).toList();
      outcome.put(new Item(Kind.MEASURE, m.measure() + " group " + m.group()),
          in.isEmpty() ? "in no population" : String.join(" + ", in));
    }
    for (RuleFailure failure : result.failures()) {
      outcome.put(new Item(Kind.RULE_FAILURE, failure.rule()), "failed");
    }
    return outcome;
  }

  private static String both(String first, String second) {
    return first.equals(second) ? first : first + "; " + second;
  }

  /** The state of an item a result does not mention. */
  static String absent(Kind kind) {
    return switch (kind) {
      case RECOMMENDATION -> "not proposed";
      case MEASURE -> "not computed";
      case RULE_FAILURE -> "ran";
    };
  }

  /** The patients compared. */
  int patients() {
    return patients;
  }

  /** The patients whose outcome changed, in input order. */
  List<ChangedPatient> changed() {
    return List.copyOf(changed);
  }

  /** Each recommendation's counts, by id. */
  List<RecommendationCounts> recommendations() {
    List<RecommendationCounts> list = new ArrayList<>();
    recommendations.forEach((id, t) -> list.add(new RecommendationCounts(id, t.title,
        new Counts(t.shownBefore, t.withheldBefore), new Counts(t.shownAfter, t.withheldAfter),
        t.changed)));
    return list;
  }

  /**
   * The change of a recommendation's share of patients shown it, after minus before, in
   * percentage points.
   */
  double rateChange(RecommendationCounts counts) {
    return patients == 0 ? 0
        : 100.0 * (counts.after().shown() - counts.before().shown()) / patients;
  }

  /**
   * The 95% interval of {@link #rateChange}, in percentage points (Newcombe's, {@link
   * Proportions#difference}).
   *
   * @throws IllegalStateException when no patient was compared
   */
  Proportions.Interval rateChangeInterval(RecommendationCounts counts) {
    if (patients == 0) {
      throw new IllegalStateException("no patients compared");
    }
    Proportions.Interval d = Proportions.difference(counts.after().shown(), patients,
        counts.before().shown(), patients);
    return new Proportions.Interval(100 * d.lower(), 100 * d.upper());
  }

  /**
   * Why the change fails the gate: one line per limit exceeded; empty when it passes.
   *
   * @param limits the limits given
   * @return the limits exceeded, each with the figure that exceeds it
   */
  List<String> exceeded(Thresholds limits) {
    List<String> findings = new ArrayList<>();
    if (limits.maxChangedPatients() != null && changed.size() > limits.maxChangedPatients()) {
      findings.add(changed.size() + " patients changed, more than --max-changed-patients "
          + limits.maxChangedPatients());
    }
    if (limits.maxRateChange() != null) {
      for (RecommendationCounts counts : recommendations()) {
        double change = rateChange(counts);
        if (Math.abs(change) > limits.maxRateChange()) {
          findings.add(counts.id() + " moved " + points(change) + " percentage points, more "
              + "than --max-rate-change " + plain(limits.maxRateChange()));
        }
      }
    }
    return findings;
  }

  /** The patient-level list as CSV: a row per change. */
  String changesCsv() {
    StringBuilder csv = new StringBuilder(Csv.row("patient", "source", "kind", "item", "before",
        "after"));
    for (ChangedPatient p : changed) {
      for (Change c : p.changes()) {
        csv.append(Csv.row(p.patient(), p.source(), c.item().kind().label(), c.item().name(),
            c.before(), c.after()));
      }
    }
    return csv.toString();
  }

  /** The per-recommendation counts, rates and rate changes as CSV. */
  String summaryCsv() {
    StringBuilder csv = new StringBuilder(Csv.row("recommendation", "title", "patients",
        "shown_before", "shown_after", "withheld_before", "withheld_after", "rate_before",
        "rate_after", "rate_change_points", "ci95_lower_points", "ci95_upper_points",
        "changed_patients"));
    for (RecommendationCounts c : recommendations()) {
      Proportions.Interval ci = patients == 0 ? null : rateChangeInterval(c);
      csv.append(Csv.row(c.id(), c.title(), patients, c.before().shown(), c.after().shown(),
          c.before().withheld(), c.after().withheld(), share(c.before().shown()),
          share(c.after().shown()), round(rateChange(c)), ci == null ? null : round(ci.lower()),
          ci == null ? null : round(ci.upper()), c.changedPatients()));
    }
    return csv.toString();
  }

  /**
   * Everything as JSON, for the HTML report: what was compared, the counts, the measures, the
   * changed patients and the gate's findings.
   *
   * @param comparison what was compared and when, written first
   * @param limits the gate's limits
   */
  String toJson(Comparison comparison, Thresholds limits) {
    ObjectNode root = JSON.createObjectNode();
    root.put("at", comparison.at());
    root.put("zone", comparison.zone());
    root.put("measurementPeriod", comparison.measurementPeriod());
    root.set("before", JSON.valueToTree(comparison.before()));
    root.set("after", JSON.valueToTree(comparison.after()));
    root.put("patients", patients);
    root.put("changedPatients", changed.size());
    root.put("incompleteBefore", incompleteBefore);
    root.put("incompleteAfter", incompleteAfter);
    ArrayNode list = root.putArray("recommendations");
    for (RecommendationCounts c : recommendations()) {
      ObjectNode node = list.addObject();
      node.put("id", c.id());
      node.put("title", c.title());
      node.put("shownBefore", c.before().shown());
      node.put("shownAfter", c.after().shown());
      node.put("withheldBefore", c.before().withheld());
      node.put("withheldAfter", c.after().withheld());
      node.put("rateBefore", share(c.before().shown()));
      node.put("rateAfter", share(c.after().shown()));
      node.put("rateChangePoints", round(rateChange(c)));
      if (patients > 0) {
        Proportions.Interval ci = rateChangeInterval(c);
        node.put("ci95LowerPoints", round(ci.lower()));
        node.put("ci95UpperPoints", round(ci.upper()));
      }
      node.put("changedPatients", c.changedPatients());
    }
    ArrayNode measures = root.putArray("measures");
    for (MeasureRow row : measureRows()) {
      ObjectNode node = measures.addObject();
      node.put("measure", row.measure());
      node.put("group", row.group());
      node.put("population", row.population());
      node.put("before", row.before());
      node.put("after", row.after());
    }
    ArrayNode patientsNode = root.putArray("changes");
    for (ChangedPatient p : changed) {
      ObjectNode node = patientsNode.addObject();
      node.put("patient", p.patient());
      node.put("source", p.source());
      ArrayNode changes = node.putArray("changes");
      for (Change c : p.changes()) {
        ObjectNode change = changes.addObject();
        change.put("kind", c.item().kind().label());
        change.put("item", c.item().name());
        change.put("before", c.before());
        change.put("after", c.after());
      }
    }
    ObjectNode gate = root.putObject("gate");
    gate.putPOJO("maxChangedPatients", limits.maxChangedPatients());
    gate.putPOJO("maxRateChangePoints", limits.maxRateChange());
    List<String> exceeded = exceeded(limits);
    gate.put("passed", exceeded.isEmpty());
    gate.putPOJO("exceeded", exceeded);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A measure group's count of one population before and after.
   *
   * @param measure the measure's id
   * @param group the group
   * @param population the population's code
   * @param before patients in it under the rule set before
   * @param after patients in it under the rule set after
   */
  record MeasureRow(String measure, int group, String population, int before, int after) {}

  /** Every measure group's population counts, before and after, by measure then group. */
  List<MeasureRow> measureRows() {
    Map<String, MeasureRates.Rate> was = byGroup(measuresBefore);
    Map<String, MeasureRates.Rate> is = byGroup(measuresAfter);
    TreeSet<String> keys = new TreeSet<>(was.keySet());
    keys.addAll(is.keySet());
    List<MeasureRow> rows = new ArrayList<>();
    for (String key : keys) {
      MeasureRates.Rate from = was.get(key);
      MeasureRates.Rate to = is.get(key);
      MeasureRates.Rate any = from != null ? from : to;
      for (Population p : Population.values()) {
        rows.add(new MeasureRow(any.measure(), any.group(), p.code(),
            from == null ? 0 : from.count(p), to == null ? 0 : to.count(p)));
      }
    }
    return rows;
  }

  private static Map<String, MeasureRates.Rate> byGroup(MeasureRates rates) {
    Map<String, MeasureRates.Rate> map = new LinkedHashMap<>();
    for (MeasureRates.Rate rate : rates.rates()) {
      map.put(rate.measure() + "\u0000" + String.format(Locale.ROOT, "%09d", rate.group()),
          rate);
    }
    return map;
  }

  /** The results with a failed rule under the rule set before. */
  int incompleteBefore() {
    return incompleteBefore;
  }

  /** The results with a failed rule under the rule set after. */
  int incompleteAfter() {
    return incompleteAfter;
  }

  private double share(int count) {
    return patients == 0 ? 0 : Math.round(10_000.0 * count / patients) / 10_000.0;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** A signed figure in percentage points, two decimals. */
  static String points(double value) {
    return String.format(Locale.ROOT, "%+.2f", value);
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
