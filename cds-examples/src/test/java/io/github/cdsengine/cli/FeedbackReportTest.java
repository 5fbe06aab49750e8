package io.github.cdsengine.cli;

import io.github.cdsengine.population.Csv;
import io.github.cdsengine.population.Proportions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.governance.CardIdentity;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.PostgresServer;
import io.github.cdsengine.governance.ShownCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.IsoFields;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cds feedback generate} and {@code cds feedback report} on real stores: 100,000 generated
 * showings on the embedded store, every figure of the report checked against counts made here,
 * straight from the generated stream; the same report on PostgreSQL; the flagging boundaries;
 * and bad input.
 */
class FeedbackReportTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  static final byte[] KEY = Arrays.copyOf(new byte[] {9, 9}, AuditRecord.MIN_KEY_BYTES);

  /** One recommendation's figures, counted here from the stream. */
  static final class Expected {
    int shown;
    int accepted;
    int overridden;
    int withoutReason;
    int withoutShowing;
    final Map<String, Integer> reasons = new HashMap<>();
    final Map<String, int[]> weeks = new HashMap<>();
  }

  static String isoWeek(Instant at) {
    var day = at.atOffset(ZoneOffset.UTC).toLocalDate();
    return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
        day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** The figures per "ruleSet recommendation", counted straight from the stream. */
  static Map<String, Expected> count(FeedbackStream.Stream stream, Instant from, Instant to) {
    // Each card's feedback before the end, in stream order (by outcome time, stable).
    Map<String, List<FeedbackEvent>> byCard = new HashMap<>();
    for (FeedbackEvent e : stream.feedback()) {
      if (e.outcomeTime().isBefore(to)) {
        byCard.computeIfAbsent(e.cardUuid(), c -> new ArrayList<>()).add(e);
      }
    }
    Map<String, Expected> expected = new TreeMap<>();
    Set<String> everShown = new HashSet<>();
    for (ShownCard card : stream.shown()) {
      everShown.add(card.cardUuid());
      if (card.shownTime().isBefore(from) || !card.shownTime().isBefore(to)) {
        continue;
      }
      Expected x = expected.computeIfAbsent(card.ruleSet() + " " + card.recommendationId(),
          k -> new Expected());
      int[] week = x.weeks.computeIfAbsent(isoWeek(card.shownTime()), w -> new int[3]);
      x.shown++;
      week[0]++;
      List<FeedbackEvent> feedback = byCard.getOrDefault(card.cardUuid(), List.of());
      if (feedback.isEmpty()) {
        continue;
      }
      FeedbackEvent last = feedback.get(feedback.size() - 1);
      if (last.outcome() == Outcome.ACCEPTED) {
        x.accepted++;
        week[1]++;
      } else {
        x.overridden++;
        week[2]++;
        if (last.overrideReason() == null) {
          x.withoutReason++;
        } else {
          x.reasons.merge(last.overrideReason().system() + "|" + last.overrideReason().code(),
              1, Integer::sum);
        }
      }
    }
    for (FeedbackEvent e : stream.feedback()) {
      if (!e.outcomeTime().isBefore(from) && e.outcomeTime().isBefore(to)
          && !everShown.contains(e.cardUuid())) {
        expected.computeIfAbsent(e.ruleSet() + " " + e.recommendationId(),
            k -> new Expected()).withoutShowing++;
      }
    }
    return expected;
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void everyFigureOfAHundredThousandShowingsIsExact(@TempDir Path dir) throws Exception {
    String store = dir.resolve("cds-feedback").toString();
    Cli.Result generated = Cli.run("feedback", "generate", "--store", store, "--seed", "19",
        "--events", "100000", "--start", START.toString());
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    FeedbackStream.Stream stream = FeedbackStream.generate(19, 100_000, START,
        FeedbackStream.DEFAULT_WEEKS);
    assertThat(generated.out()).contains(stream.shown().size() + " recorded as shown",
        stream.feedback().size() + " feedback events");

    // Weeks 2 to 10 of the 12: the period cuts the stream at both ends.
    Path out = dir.resolve("report");
    Cli.Result report = Cli.run("feedback", "report", "--store", store, "--from", "2026-01-12",
        "--to", "2026-03-15", "--out", out.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    Instant from = Instant.parse("2026-01-12T00:00:00Z");
    Instant to = Instant.parse("2026-03-16T00:00:00Z");
    Map<String, Expected> expected = count(stream, from, to);

    JsonNode json = JSON.readTree(out.resolve("report.json").toFile());
    List<String> weeks = new ArrayList<>();
    for (int w = 3; w <= 11; w++) {
      weeks.add(String.format(Locale.ROOT, "2026-W%02d", w));
    }
    assertThat(json.path("period").path("weeks").asText()).isEqualTo(String.join(",", weeks));
    JsonNode rows = json.path("recommendations");
    assertThat(rows.size()).isEqualTo(expected.size()).isEqualTo(12);
    StringBuilder csv = new StringBuilder(Csv.row("rule_set", "recommendation_id", "shown",
        "accepted", "overridden", "no_response", "override_rate", "ci95_lower", "ci95_upper",
        "flagged_for_review", "overridden_without_reason", "feedback_without_showing",
        "top_override_reasons"));
    StringBuilder weekly = new StringBuilder(Csv.row("rule_set", "recommendation_id", "week",
        "shown", "accepted", "overridden", "override_rate"));
    List<String> flagged = new ArrayList<>();
    int i = 0;
    int totalShown = 0;
    int totalWithoutShowing = 0;
    for (Map.Entry<String, Expected> entry : expected.entrySet()) {
      Expected x = entry.getValue();
      JsonNode row = rows.get(i++);
      String[] key = entry.getKey().split(" ");
      assertThat(row.path("ruleSet").asText() + " " + row.path("recommendationId").asText())
          .isEqualTo(entry.getKey());
      double rate = (double) x.overridden / x.shown;
      Proportions.Interval ci = Proportions.wilson(x.overridden, x.shown);
      boolean isFlagged = x.shown >= 30 && rate > 0.8;
      assertThat(row.path("shown").asInt()).isEqualTo(x.shown);
      assertThat(row.path("accepted").asInt()).isEqualTo(x.accepted);
      assertThat(row.path("overridden").asInt()).isEqualTo(x.overridden);
      assertThat(row.path("noResponse").asInt()).isEqualTo(x.shown - x.accepted - x.overridden);
      assertThat(row.path("overrideRate").asDouble()).isEqualTo(rate);
      assertThat(row.path("ci95").path("lower").asDouble()).isEqualTo(ci.lower());
      assertThat(row.path("ci95").path("upper").asDouble()).isEqualTo(ci.upper());
      assertThat(row.path("flaggedForReview").asBoolean()).isEqualTo(isFlagged);
      assertThat(row.path("overriddenWithoutReason").asInt()).isEqualTo(x.withoutReason);
      assertThat(row.path("feedbackWithoutShowing").asInt()).isEqualTo(x.withoutShowing);
      List<Map.Entry<String, Integer>> top = x.reasons.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
              .thenComparing(Map.Entry.comparingByKey()))
          .limit(5).toList();
      List<String> topText = new ArrayList<>();
      for (int r = 0; r < top.size(); r++) {
        JsonNode reason = row.path("topOverrideReasons").get(r);
        assertThat(reason.path("system").asText() + "|" + reason.path("code").asText())
            .isEqualTo(top.get(r).getKey());
        assertThat(reason.path("count").asInt()).isEqualTo(top.get(r).getValue());
        topText.add(top.get(r).getKey() + " " + top.get(r).getValue());
      }
      assertThat(row.path("topOverrideReasons").size()).isEqualTo(top.size());
      for (int w = 0; w < weeks.size(); w++) {
        int[] counts = x.weeks.getOrDefault(weeks.get(w), new int[3]);
        JsonNode week = row.path("weeks").get(w);
        assertThat(week.path("week").asText()).isEqualTo(weeks.get(w));
        assertThat(week.path("shown").asInt()).as(weeks.get(w)).isEqualTo(counts[0]);
        assertThat(week.path("accepted").asInt()).isEqualTo(counts[1]);
        assertThat(week.path("overridden").asInt()).isEqualTo(counts[2]);
        weekly.append(Csv.row(key[0], key[1], weeks.get(w), counts[0], counts[1], counts[2],
            counts[0] == 0 ? null : (double) counts[2] / counts[0]));
      }
      csv.append(Csv.row(key[0], key[1], x.shown, x.accepted, x.overridden,
          x.shown - x.accepted - x.overridden, rate, ci.lower(), ci.upper(), isFlagged,
          x.withoutReason, x.withoutShowing, String.join("; ", topText)));
      if (isFlagged) {
        flagged.add(entry.getKey());
      }
      totalShown += x.shown;
      totalWithoutShowing += x.withoutShowing;
    }
    assertThat(Files.readString(out.resolve("recommendations.csv"))).isEqualTo(csv.toString());
    assertThat(Files.readString(out.resolve("weekly.csv"))).isEqualTo(weekly.toString());
    assertThat(json.path("totals").path("shown").asInt()).isEqualTo(totalShown);
    assertThat(json.path("totals").path("feedbackWithoutShowing").asInt())
        .isEqualTo(totalWithoutShowing).isPositive();

    // The flagged list: highest override rate first; the stream's three high-override
    // recommendations and the one that drifts up are among them, the rest not.
    flagged.sort(Comparator.comparing((String k) -> {
      Expected x = expected.get(k);
      return -(double) x.overridden / x.shown;
    }));
    List<String> listed = new ArrayList<>();
    json.path("flaggedForReview").forEach(n -> listed.add(n.path("ruleSet").asText() + " "
        + n.path("recommendationId").asText()));
    assertThat(listed).isEqualTo(flagged);
    assertThat(listed).contains("cdc-opioids-2016@1.0.0 cdc-opioids-2016-rec-10",
        "cdc-opioids-2016@1.0.0 cdc-opioids-2016-rec-04").hasSizeLessThan(6);
    assertThat(report.out()).contains(listed.size() + " flagged for review");
  }

  static ShownCard shown(String card, String recommendation, Instant at) {
    return new ShownCard(new CardIdentity(card, "service", recommendation, "pack@1.0.0"), at,
        AuditRecord.patientHash("p-" + card, KEY), AuditRecord.patientHash("u-" + card, KEY));
  }

  static FeedbackEvent feedback(String card, String recommendation, Outcome outcome,
      Instant at) {
    return new FeedbackEvent(card, "service", recommendation, "pack@1.0.0", outcome,
        outcome == Outcome.ACCEPTED ? null : new OverrideReason(null, "not-now"), at,
        AuditRecord.patientHash("p-" + card, KEY), AuditRecord.patientHash("u", KEY));
  }

  /**
   * A store where recommendation "ten" was shown 10 times, 8 overridden (80%), and "empty" was
   * shown once without a response.
   */
  static String eightOfTen(Path dir) {
    String store = dir.resolve("f").toString();
    try (FeedbackStore feedback = FeedbackStore.open(store)) {
      List<ShownCard> cards = new ArrayList<>();
      List<FeedbackEvent> events = new ArrayList<>();
      for (int n = 0; n < 10; n++) {
        Instant at = START.plusSeconds(3600L * n);
        cards.add(shown("c" + n, "ten", at));
        events.add(feedback("c" + n, "ten", n < 8 ? Outcome.OVERRIDDEN : Outcome.ACCEPTED,
            at.plusSeconds(60)));
      }
      cards.add(shown("e", "empty", START));
      feedback.recordShown(cards);
      feedback.appendAll(events);
    }
    return store;
  }

  @ParameterizedTest(name = "threshold {0}, min shown {1}: flagged {2}")
  @CsvSource({
      "0.8, 10, false",   // exactly at the threshold: not above it
      "0.79, 10, true",   // just below the rate
      "0.79, 11, false",  // one showing short
      "0.0, 0, true"})
  void flagsAboveTheThresholdWithEnoughShowings(double threshold, int minShown, boolean flagged,
      @TempDir Path dir) throws Exception {
    String store = eightOfTen(dir);
    Path out = dir.resolve("out");
    Cli.Result report = Cli.run("feedback", "report", "--store", store, "--from", "2026-01-05",
        "--to", "2026-01-05", "--threshold", String.valueOf(threshold), "--min-shown",
        String.valueOf(minShown), "--out", out.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    JsonNode json = JSON.readTree(out.resolve("report.json").toFile());
    JsonNode ten = json.path("recommendations").get(1);
    assertThat(ten.path("recommendationId").asText()).isEqualTo("ten");
    assertThat(ten.path("overrideRate").asDouble()).isEqualTo(0.8);
    assertThat(ten.path("flaggedForReview").asBoolean()).isEqualTo(flagged);
    assertThat(json.path("flaggedForReview").size()).isEqualTo(flagged ? 1 : 0);
    // Shown once, no response: a rate of 0, never above a threshold of 0.
    JsonNode empty = json.path("recommendations").get(0);
    assertThat(empty.path("shown").asInt()).isEqualTo(1);
    assertThat(empty.path("noResponse").asInt()).isEqualTo(1);
    assertThat(empty.path("overrideRate").asDouble()).isZero();
    assertThat(empty.path("flaggedForReview").asBoolean()).isFalse();
  }

  @Test
  void aPeriodEndingBeforeAShowingLeavesItOut(@TempDir Path dir) throws Exception {
    String store = eightOfTen(dir);
    Path out = dir.resolve("out");
    // Shown at START + n h; the period ends at START + 5 h: cards 0 to 4, and card 4's
    // feedback (at + 60 s) is after the end, so it has no response here.
    Cli.Result report = Cli.run("feedback", "report", "--store", store, "--from",
        START.toString(), "--to", START.plusSeconds(4 * 3600 + 30).toString(), "--out",
        out.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    JsonNode ten = JSON.readTree(out.resolve("report.json").toFile())
        .path("recommendations").get(1);
    assertThat(ten.path("shown").asInt()).isEqualTo(5);
    assertThat(ten.path("overridden").asInt()).isEqualTo(4);
    assertThat(ten.path("noResponse").asInt()).isEqualTo(1);
  }

  @Test
  void textFromTheStoreIsEscapedInThePage(@TempDir Path dir) throws Exception {
    String store = dir.resolve("f").toString();
    try (FeedbackStore feedback = FeedbackStore.open(store)) {
      feedback.recordShown(List.of(shown("x", "<script>alert(1)</script>", START)));
    }
    Path out = dir.resolve("out");
    assertThat(Cli.run("feedback", "report", "--store", store, "--from", "2026-01-01", "--to",
        "2026-01-31", "--out", out.toString()).exitCode()).isZero();
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("Content-Security-Policy").contains("script-src 'none'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "threshold above 1 | --threshold 1.5 | --threshold is a rate from 0 to 1",
      "negative min shown | --min-shown -1 | must be 0 or more",
      "period backwards | --from 2026-02-01 | --to must come after --from",
      "not a date | --from yesterday | --from: 'yesterday' is not a date"})
  void badInputIsAUsageError(String name, String option, String message, @TempDir Path dir) {
    String store = eightOfTen(dir);
    List<String> args = new ArrayList<>(List.of("feedback", "report", "--store", store,
        "--from", "2026-01-05", "--to", "2026-01-31", "--out", dir.resolve("out").toString()));
    String[] given = option.split(" ");
    int at = args.indexOf(given[0]);
    if (at >= 0) {
      args.set(at + 1, given[1]);
    } else {
      args.addAll(List.of(given));
    }
    Cli.Result result = Cli.run(args);
    assertThat(result.exitCode()).isEqualTo(CdsCli.USAGE);
    assertThat(result.err()).contains(message);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aStoreThatIsNotThereIsAUsageErrorAndIsNotCreated(@TempDir Path dir) {
    Cli.Result result = Cli.run("feedback", "report", "--store",
        dir.resolve("typo").toString(), "--from", "2026-01-05", "--to", "2026-01-31", "--out",
        dir.resolve("out").toString());
    assertThat(result.exitCode()).isEqualTo(CdsCli.USAGE);
    assertThat(result.err()).contains("no feedback store at");
    assertThat(dir.resolve("typo.mv.db")).doesNotExist();
  }

  @Test
  void theSameSeedMakesTheSameStreamAndStoringItAgainAddsNothing(@TempDir Path dir) {
    assertThat(FeedbackStream.generate(7, 2_000, START, 4))
        .isEqualTo(FeedbackStream.generate(7, 2_000, START, 4))
        .isNotEqualTo(FeedbackStream.generate(8, 2_000, START, 4));
    String store = dir.resolve("f").toString();
    String[] args = {"feedback", "generate", "--store", store, "--seed", "7", "--events",
        "2000", "--start", "2026-01-05", "--weeks", "4"};
    assertThat(Cli.run(args).exitCode()).isZero();
    Cli.Result again = Cli.run(args);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("Stored now in " + store + ": 0 shown cards, 0 feedback "
        + "events");
  }

  /**
   * The same report on a real PostgreSQL server (started from Debian's binaries, as the store's
   * own tests do) as on the embedded store: the same files, but for the store's name.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void theReportIsTheSameOnPostgresql(@TempDir Path dir) throws Exception {
    Optional<Path> bin = PostgresServer.binaries();
    if (bin.isEmpty()) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        fail("CI is set, so the PostgreSQL report test is required, but PostgreSQL is not "
            + "installed: apt-get install postgresql");
      }
      assumeTrue(false, "PostgreSQL is not installed: apt-get install postgresql");
    }
    try (PostgresServer server = PostgresServer.start(bin.get())) {
      String postgres = server.createDatabase();
      String h2 = dir.resolve("f").toString();
      for (String store : List.of(postgres, h2)) {
        Cli.Result generated = Cli.run("feedback", "generate", "--store", store, "--seed", "5",
            "--events", "20000", "--start", "2026-01-05", "--weeks", "6");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out()).doesNotContain("password=" + postgres.replaceAll(
            ".*password=", ""));
      }
      Path onPostgres = dir.resolve("postgres");
      Path onH2 = dir.resolve("h2");
      for (Object[] run : new Object[][] {{postgres, onPostgres}, {h2, onH2}}) {
        Cli.Result report = Cli.run("feedback", "report", "--store", (String) run[0],
            "--from", "2026-01-05", "--to", "2026-02-15", "--out", run[1].toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
      }
      for (String file : List.of("recommendations.csv", "weekly.csv")) {
        assertThat(Files.readString(onPostgres.resolve(file)))
            .isEqualTo(Files.readString(onH2.resolve(file)));
      }
      JsonNode pg = JSON.readTree(onPostgres.resolve("report.json").toFile());
      JsonNode embedded = JSON.readTree(onH2.resolve("report.json").toFile());
      assertThat(pg.path("store").asText()).startsWith("jdbc:postgresql:")
          .contains("password=***");
      ((com.fasterxml.jackson.databind.node.ObjectNode) pg).remove("store");
      ((com.fasterxml.jackson.databind.node.ObjectNode) embedded).remove("store");
      assertThat(pg).isEqualTo(embedded);
      assertThat(pg.path("totals").path("shown").asInt()).isGreaterThan(19_000);
    }
  }
}
