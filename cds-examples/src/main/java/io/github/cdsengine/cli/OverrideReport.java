package io.github.cdsengine.cli;

import io.github.cdsengine.population.Csv;
import io.github.cdsengine.population.Proportions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import io.github.cdsengine.governance.Showing;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The override report of one period: per rule set and recommendation, the cards shown, how many
 * clinicians accepted, overrode or left without a response, the override rate (overridden of
 * shown) with its 95% Wilson interval ({@link Proportions}), the most frequent override reasons
 * and the same counts per ISO week; and the recommendations flagged for review.
 *
 * <p>Counting rules, in one place:
 * <ul>
 *   <li>A <b>showing</b> is a card recorded as shown in the period ({@code [from, to)}); it is
 *       counted once however often the service returned it (the card's uuid).
 *   <li>Its <b>outcome</b> is the last feedback on it before the period's end ({@link
 *       Showing#outcome()}): accepted, overridden, or none (no response).
 *   <li>The <b>override rate</b> is overridden / shown: a card nobody responded to counts as
 *       shown and not overridden.
 *   <li>An override's <b>reason</b> is the reason of that last feedback; overrides without one
 *       are counted apart.
 *   <li>A showing's <b>week</b> is the ISO 8601 week (Monday to Sunday, UTC) of its shown time.
 *   <li>A recommendation is <b>flagged for review</b> when it was shown at least {@code
 *       minShown} times and its override rate is above (strictly) {@code threshold}.
 *   <li>Feedback in the period on cards with no recorded showing has no denominator: it is
 *       counted per recommendation as {@code feedbackWithoutShowing} and in no rate.
 * </ul>
 */
final class OverrideReport {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the report covers and how it flags.
   *
   * @param from the first instant of the period
   * @param to the first instant after it
   * @param threshold the override rate above which a recommendation is flagged, 0 to 1
   * @param minShown the fewest showings for a recommendation to be flagged
   * @param topReasons how many override reasons to list per recommendation
   * @param store where the feedback was read, without a password
   */
  record Settings(Instant from, Instant to, double threshold, int minShown, int topReasons,
      String store) {

    Settings {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(store, "store");
      if (!to.isAfter(from)) {
        throw new IllegalArgumentException("the period must end after it begins: " + from
            + " to " + to);
      }
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("the threshold is a rate from 0 to 1: "
            + threshold);
      }
      if (minShown < 0 || topReasons < 0) {
        throw new IllegalArgumentException("minShown and topReasons must be 0 or more: "
            + minShown + ", " + topReasons);
      }
    }
  }

  /**
   * A recommendation of a rule set.
   *
   * @param ruleSet the rule set that showed it ({@code pack@version}, as the service recorded)
   * @param recommendationId the recommendation
   */
  record Key(String ruleSet, String recommendationId) implements Comparable<Key> {

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::ruleSet)
        .thenComparing(Key::recommendationId);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * One override reason and how many overrides gave it.
   *
   * @param system the code system, or {@code null}
   * @param code the code
   * @param count the overrides that gave it
   */
  record ReasonCount(String system, String code, int count) {}

  /**
   * Counts of one ISO week.
   *
   * @param week the week, e.g. {@code 2026-W09}
   * @param shown cards shown
   * @param accepted of them, accepted
   * @param overridden of them, overridden
   */
  record Week(String week, int shown, int accepted, int overridden) {

    /** Overridden of shown, or {@code null} when none was shown. */
    Double overrideRate() {
      return shown == 0 ? null : (double) overridden / shown;
    }
  }

  /**
   * The counts of one recommendation.
   *
   * @param shown cards shown
   * @param accepted of them, accepted (last outcome)
   * @param overridden of them, overridden (last outcome)
   * @param overriddenWithoutReason overrides that gave no reason
   * @param feedbackWithoutShowing feedback in the period on its cards with no recorded showing
   */
  record Counts(int shown, int accepted, int overridden, int overriddenWithoutReason,
      int feedbackWithoutShowing) {}

  /**
   * The figures of one recommendation.
   *
   * @param key the rule set and recommendation
   * @param counts its counts
   * @param interval the 95% Wilson interval of its override rate, or {@code null} when none was
   *     shown
   * @param flagged whether it is flagged for review
   * @param topReasons the most frequent override reasons, most frequent first
   * @param weeks its counts per week of the period, in order
   */
  record Row(Key key, Counts counts, Proportions.Interval interval, boolean flagged,
      List<ReasonCount> topReasons, List<Week> weeks) {

    int shown() {
      return counts.shown();
    }

    int accepted() {
      return counts.accepted();
    }

    int overridden() {
      return counts.overridden();
    }

    int overriddenWithoutReason() {
      return counts.overriddenWithoutReason();
    }

    int feedbackWithoutShowing() {
      return counts.feedbackWithoutShowing();
    }

    /** Overridden of shown, or {@code null} when none was shown. */
    Double overrideRate() {
      return counts.shown() == 0 ? null : (double) counts.overridden() / counts.shown();
    }

    /** Shown cards nobody responded to. */
    int noResponse() {
      return counts.shown() - counts.accepted() - counts.overridden();
    }
  }

  private static final class Tally {
    int shown;
    int accepted;
    int overridden;
    int withoutReason;
    int withoutShowing;
    final Map<OverrideReason, Integer> reasons = new HashMap<>();
    final Map<String, int[]> weeks = new HashMap<>();
  }

  private final Settings settings;
  private final List<String> periodWeeks;
  private final Map<Key, Tally> tallies = new TreeMap<>();

  OverrideReport(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.periodWeeks = weeks(settings.from(), settings.to());
  }

  Settings settings() {
    return settings;
  }

  /** The ISO weeks the period touches, in order. */
  List<String> periodWeeks() {
    return periodWeeks;
  }

  /** The ISO week of an instant, in UTC: {@code 2026-W09}. */
  static String week(Instant instant) {
    LocalDate day = instant.atOffset(ZoneOffset.UTC).toLocalDate();
    return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
        day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  private static List<String> weeks(Instant from, Instant to) {
    LocalDate monday = from.atOffset(ZoneOffset.UTC).toLocalDate()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate last = to.minus(1, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC).toLocalDate();
    List<String> weeks = new ArrayList<>();
    for (LocalDate day = monday; !day.isAfter(last); day = day.plusWeeks(1)) {
      weeks.add(week(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
    return weeks;
  }

  /** Counts one showing of the period. */
  void add(Showing showing) {
    Tally tally = tally(new Key(showing.card().ruleSet(), showing.card().recommendationId()));
    int[] week = tally.weeks.computeIfAbsent(week(showing.card().shownTime()), w -> new int[3]);
    tally.shown++;
    week[0]++;
    Optional<FeedbackEvent> outcome = showing.outcome();
    if (outcome.isEmpty()) {
      return;
    }
    if (outcome.get().outcome() == Outcome.ACCEPTED) {
      tally.accepted++;
      week[1]++;
    } else {
      tally.overridden++;
      week[2]++;
      OverrideReason reason = outcome.get().overrideReason();
      if (reason == null) {
        tally.withoutReason++;
      } else {
        tally.reasons.merge(reason, 1, Integer::sum);
      }
    }
  }

  /** Counts one feedback event of the period on a card with no recorded showing. */
  void addWithoutShowing(FeedbackEvent event) {
    tally(new Key(event.ruleSet(), event.recommendationId())).withoutShowing++;
  }

  private Tally tally(Key key) {
    return tallies.computeIfAbsent(key, k -> new Tally());
  }

  /** Every recommendation with a showing or feedback in the period, by rule set and id. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Key, Tally> entry : tallies.entrySet()) {
      Tally t = entry.getValue();
      Double rate = t.shown == 0 ? null : (double) t.overridden / t.shown;
      Proportions.Interval interval = t.shown == 0 ? null
          : Proportions.wilson(t.overridden, t.shown);
      boolean flagged = rate != null && t.shown >= settings.minShown()
          && rate > settings.threshold();
      List<ReasonCount> reasons = t.reasons.entrySet().stream()
          .map(e -> new ReasonCount(e.getKey().system(), e.getKey().code(), e.getValue()))
          .sorted(Comparator.comparingInt(ReasonCount::count).reversed()
              .thenComparing(r -> r.system() == null ? "" : r.system())
              .thenComparing(ReasonCount::code))
          .limit(settings.topReasons()).toList();
      List<Week> weeks = new ArrayList<>();
      for (String week : periodWeeks) {
        int[] counts = t.weeks.getOrDefault(week, new int[3]);
        weeks.add(new Week(week, counts[0], counts[1], counts[2]));
      }
      rows.add(new Row(entry.getKey(), new Counts(t.shown, t.accepted, t.overridden,
          t.withoutReason, t.withoutShowing), interval, flagged, reasons, weeks));
    }
    return rows;
  }

  /** The flagged recommendations, highest override rate first. */
  List<Row> flagged() {
    return rows().stream().filter(Row::flagged)
        .sorted(Comparator.comparing(Row::overrideRate).reversed().thenComparing(Row::key))
        .toList();
  }

  /** All recommendations' counts per week of the period. */
  List<Week> totalsPerWeek() {
    Map<String, int[]> sums = new LinkedHashMap<>();
    periodWeeks.forEach(w -> sums.put(w, new int[3]));
    for (Row row : rows()) {
      for (Week w : row.weeks()) {
        int[] sum = sums.get(w.week());
        sum[0] += w.shown();
        sum[1] += w.accepted();
        sum[2] += w.overridden();
      }
    }
    List<Week> weeks = new ArrayList<>();
    sums.forEach((w, s) -> weeks.add(new Week(w, s[0], s[1], s[2])));
    return weeks;
  }

  /** recommendations.csv: a row per rule set and recommendation. */
  String recommendationsCsv() {
    StringBuilder csv = new StringBuilder(Csv.row("rule_set", "recommendation_id", "shown",
        "accepted", "overridden", "no_response", "override_rate", "ci95_lower", "ci95_upper",
        "flagged_for_review", "overridden_without_reason", "feedback_without_showing",
        "top_override_reasons"));
    for (Row row : rows()) {
      csv.append(Csv.row(row.key().ruleSet(), row.key().recommendationId(), row.shown(),
          row.accepted(), row.overridden(), row.noResponse(), row.overrideRate(),
          row.interval() == null ? null : row.interval().lower(),
          row.interval() == null ? null : row.interval().upper(), row.flagged(),
          row.overriddenWithoutReason(), row.feedbackWithoutShowing(),
          String.join("; ", row.topReasons().stream()
              .map(r -> reasonLabel(r) + " " + r.count()).toList())));
    }
    return csv.toString();
  }

  /** weekly.csv: a row per recommendation and ISO week of the period. */
  String weeklyCsv() {
    StringBuilder csv = new StringBuilder(Csv.row("rule_set", "recommendation_id", "week",
        "shown", "accepted", "overridden", "override_rate"));
    for (Row row : rows()) {
      for (Week w : row.weeks()) {
        csv.append(Csv.row(row.key().ruleSet(), row.key().recommendationId(), w.week(),
            w.shown(), w.accepted(), w.overridden(), w.overrideRate()));
      }
    }
    return csv.toString();
  }

  /** A reason as the outputs write it: {@code system|code}, or the code alone. */
  static String reasonLabel(ReasonCount reason) {
    return reason.system() == null ? reason.code() : reason.system() + "|" + reason.code();
  }

  /** report.json: the settings, totals, every row with its weeks, and the flagged list. */
  String json() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode period = root.putObject("period");
    period.put("from", settings.from().toString());
    period.put("to", settings.to().toString());
    period.put("weeks", String.join(",", periodWeeks));
    root.put("store", settings.store());
    root.put("threshold", settings.threshold());
    root.put("minShown", settings.minShown());
    List<Row> rows = rows();
    ObjectNode totals = root.putObject("totals");
    totals.put("shown", rows.stream().mapToInt(Row::shown).sum());
    totals.put("accepted", rows.stream().mapToInt(Row::accepted).sum());
    totals.put("overridden", rows.stream().mapToInt(Row::overridden).sum());
    totals.put("noResponse", rows.stream().mapToInt(Row::noResponse).sum());
    totals.put("feedbackWithoutShowing", rows.stream()
        .mapToInt(Row::feedbackWithoutShowing).sum());
    ArrayNode perWeek = root.putArray("weeks");
    totalsPerWeek().forEach(w -> week(perWeek.addObject(), w));
    ArrayNode list = root.putArray("recommendations");
    for (Row row : rows) {
      ObjectNode node = list.addObject();
      node.put("ruleSet", row.key().ruleSet());
      node.put("recommendationId", row.key().recommendationId());
      node.put("shown", row.shown());
      node.put("accepted", row.accepted());
      node.put("overridden", row.overridden());
      node.put("noResponse", row.noResponse());
      if (row.overrideRate() == null) {
        node.putNull("overrideRate");
        node.putNull("ci95");
      } else {
        node.put("overrideRate", row.overrideRate());
        ObjectNode ci = node.putObject("ci95");
        ci.put("lower", row.interval().lower());
        ci.put("upper", row.interval().upper());
      }
      node.put("flaggedForReview", row.flagged());
      node.put("overriddenWithoutReason", row.overriddenWithoutReason());
      node.put("feedbackWithoutShowing", row.feedbackWithoutShowing());
      ArrayNode reasons = node.putArray("topOverrideReasons");
      for (ReasonCount r : row.topReasons()) {
        ObjectNode reason = reasons.addObject();
        if (r.system() == null) {
          reason.putNull("system");
        } else {
          reason.put("system", r.system());
        }
        reason.put("code", r.code());
        reason.put("count", r.count());
      }
      ArrayNode weeks = node.putArray("weeks");
      row.weeks().forEach(w -> week(weeks.addObject(), w));
    }
    ArrayNode flagged = root.putArray("flaggedForReview");
    for (Row row : flagged()) {
      ObjectNode node = flagged.addObject();
      node.put("ruleSet", row.key().ruleSet());
      node.put("recommendationId", row.key().recommendationId());
      node.put("shown", row.shown());
      node.put("overridden", row.overridden());
      node.put("overrideRate", row.overrideRate());
      node.put("ci95Lower", row.interval().lower());
      node.put("ci95Upper", row.interval().upper());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void week(ObjectNode node, Week w) {
    node.put("week", w.week());
    node.put("shown", w.shown());
    node.put("accepted", w.accepted());
    node.put("overridden", w.overridden());
    if (w.overrideRate() == null) {
      node.putNull("overrideRate");
    } else {
      node.put("overrideRate", w.overrideRate());
    }
  }
}
