package io.github.cdsengine.cli;

import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.FeedbackStoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds feedback}: the override report over a feedback store, and a generator of demo
 * feedback streams to try it on.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = "Override analytics over the feedback store the CDS Hooks service keeps.",
    subcommands = {FeedbackCommand.Report.class, FeedbackCommand.Generate.class})
final class FeedbackCommand implements Runnable {

  /** The files {@code report} writes in its output directory. */
  static final List<String> REPORT_FILES = List.of("recommendations.csv", "weekly.csv",
      "report.json", "report.html");

  @Spec
  private CommandSpec spec;

  /** With no subcommand, says which exist. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: report or generate");
  }

  /**
   * An instant, or a date: its start in UTC, or with {@code endOfDay} the start of the next day.
   *
   * @throws UsageException quoting the text
   */
  static Instant instant(String option, String text, boolean endOfDay) {
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(option + ": '" + text + "' is not a date (2026-03-01) or an "
          + "instant with its offset (2026-03-01T08:00:00Z)");
    }
  }

  /** A store's location without its password, for messages and outputs. */
  static String redacted(String store) {
    return store.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** The store, or a usage error saying what the database answered. */
  static FeedbackStore open(String store, boolean mustExist) {
    if (store.isBlank()) {
      throw new UsageException("--store: give a file or a JDBC URL");
    }
    boolean jdbc = store.regionMatches(true, 0, "jdbc:", 0, 5);
    if (mustExist && !jdbc) {
      Path file = Path.of(store.endsWith(".mv.db") ? store : store + ".mv.db");
      if (!Files.isRegularFile(file)) {
        throw new UsageException("--store: no feedback store at " + Paths.display(file)
            + " (an embedded store is the file the service was given, with H2's .mv.db)");
      }
    }
    try {
      return FeedbackStore.open(store);
    } catch (FeedbackStoreException e) {
      throw new UsageException("--store: " + e.getMessage());
    }
  }

  /** {@code cds feedback report}. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      versionProvider = CdsCli.Version.class,
      description = {"Per rule set and recommendation over a period: cards shown, accepted, "
          + "overridden, the override rate with its 95% Wilson interval, the top override "
          + "reasons, the counts per ISO week, and the recommendations flagged for review. "
          + "Writes DIR/recommendations.csv, DIR/weekly.csv, DIR/report.json and "
          + "DIR/report.html (self-contained, no script)."})
  static final class Report implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", paramLabel = "FILE|JDBC-URL", required = true,
        description = "The feedback store: the service's embedded file (./cds-feedback) or a "
            + "JDBC URL (jdbc:postgresql://host/db?user=u&password=p).")
    private String store;

    @Option(names = "--from", paramLabel = "WHEN", required = true,
        description = "First day (UTC) or instant of the period, included.")
    private String from;

    @Option(names = "--to", paramLabel = "WHEN", required = true,
        description = "Last day (UTC) of the period, included; or an instant, left out.")
    private String to;

    @Option(names = "--threshold", paramLabel = "RATE", defaultValue = "0.8",
        description = "Flag a recommendation whose override rate is above RATE, from 0 to 1 "
            + "(default: ${DEFAULT-VALUE}).")
    private double threshold;

    @Option(names = "--min-shown", paramLabel = "N", defaultValue = "30",
        description = "...and which was shown at least N times (default: ${DEFAULT-VALUE}).")
    private int minShown;

    @Option(names = "--top-reasons", paramLabel = "N", defaultValue = "5",
        description = "Override reasons listed per recommendation (default: ${DEFAULT-VALUE}).")
    private int topReasons;

    @Option(names = "--out", paramLabel = "DIR", required = true,
        description = "Directory to write the report files to; created if absent.")
    private Path out;

    @Override
    public Integer call() throws IOException {
      Instant start = instant("--from", from, false);
      Instant end = instant("--to", to, true);
      if (!end.isAfter(start)) {
        throw new UsageException("--to must come after --from: " + from + " to " + to);
      }
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new UsageException("--threshold is a rate from 0 to 1, such as 0.8: "
            + threshold);
      }
      if (minShown < 0 || topReasons < 0) {
        throw new UsageException("--min-shown and --top-reasons must be 0 or more: "
            + minShown + ", " + topReasons);
      }
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new UsageException("--out: not a directory: " + Paths.display(out));
      }
      OverrideReport report = new OverrideReport(new OverrideReport.Settings(start, end,
          threshold, minShown, topReasons, redacted(store)));
      try (FeedbackStore feedback = open(store, true)) {
        feedback.showings(start, end, report::add);
        for (FeedbackEvent event : feedback.feedbackWithoutShowing(start, end)) {
          report.addWithoutShowing(event);
        }
      } catch (FeedbackStoreException e) {
        throw new UsageException("--store: " + e.getMessage());
      }
      Files.createDirectories(out);
      write("recommendations.csv", report.recommendationsCsv());
      write("weekly.csv", report.weeklyCsv());
      write("report.json", report.json());
      write("report.html", OverrideReportPage.render(report));
      summary(report, spec.commandLine().getOut());
      return 0;
    }

    private void write(String name, String text) throws IOException {
      Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
    }

    private void summary(OverrideReport report, PrintWriter terminal) {
      List<OverrideReport.Row> rows = report.rows();
      int shown = rows.stream().mapToInt(OverrideReport.Row::shown).sum();
      int overridden = rows.stream().mapToInt(OverrideReport.Row::overridden).sum();
      terminal.println("Feedback from " + report.settings().from() + " to before "
          + report.settings().to() + ": " + rows.size() + " recommendations, " + shown
          + " cards shown, " + overridden + " overridden");
      List<OverrideReport.Row> flagged = report.flagged();
      terminal.println(flagged.size() + " flagged for review (override rate above "
          + OverrideReportPage.percent(threshold) + ", shown at least " + minShown
          + " times)" + (flagged.isEmpty() ? "" : ":"));
      for (OverrideReport.Row row : flagged) {
        terminal.println(String.format(Locale.ROOT, "  %s %s: %d of %d overridden, %s (95%% CI "
            + "%s to %s)", row.key().ruleSet(), row.key().recommendationId(), row.overridden(),
            row.shown(), OverrideReportPage.percent(row.overrideRate()),
            OverrideReportPage.percent(row.interval().lower()),
            OverrideReportPage.percent(row.interval().upper())));
      }
      terminal.println("Wrote " + String.join(", ", REPORT_FILES) + " in " + Paths.display(out));
    }
  }

  /** {@code cds feedback generate}. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      versionProvider = CdsCli.Version.class,
      description = {"Fill a feedback store with a made-up, realistic stream for demos: cards "
          + "shown on weekdays in clinic hours and clinicians' responses, a few "
          + "recommendations overridden most of the time. The same seed, count and start make "
          + "the same stream; stored again, nothing is added."})
  static final class Generate implements Callable<Integer> {

    /** Rows written in one transaction. */
    static final int CHUNK = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", paramLabel = "FILE|JDBC-URL", required = true,
        description = "The feedback store to fill, created when missing.")
    private String store;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "The seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--events", paramLabel = "N", required = true,
        description = "How many cards are shown; about nine in ten get a response.")
    private int events;

    @Option(names = "--start", paramLabel = "WHEN", required = true,
        description = "When the stream begins: a date (midnight UTC) or an instant.")
    private String start;

    @Option(names = "--weeks", paramLabel = "N", defaultValue = "12",
        description = "How many weeks the stream spans (default: ${DEFAULT-VALUE}).")
    private int weeks;

    @Override
    public Integer call() {
      if (events < 0 || events > 50_000_000) {
        throw new UsageException("--events must be from 0 to 50,000,000: " + events);
      }
      if (weeks < 1 || weeks > 520) {
        throw new UsageException("--weeks must be from 1 to 520: " + weeks);
      }
      Instant begin = instant("--start", start, false);
      FeedbackStream.Stream stream = FeedbackStream.generate(seed, events, begin, weeks);
      int shownNow = 0;
      int feedbackNow = 0;
      try (FeedbackStore feedback = open(store, false)) {
        for (int i = 0; i < stream.shown().size(); i += CHUNK) {
          shownNow += feedback.recordShown(stream.shown().subList(i,
              Math.min(i + CHUNK, stream.shown().size())));
        }
        for (int i = 0; i < stream.feedback().size(); i += CHUNK) {
          feedbackNow += feedback.appendAll(stream.feedback().subList(i,
              Math.min(i + CHUNK, stream.feedback().size())));
        }
      } catch (FeedbackStoreException e) {
        throw new UsageException("--store: " + e.getMessage());
      }
      PrintWriter terminal = spec.commandLine().getOut();
      terminal.println("Generated (seed " + seed + ") " + events + " cards shown from " + begin
          + " over " + weeks + " weeks: " + stream.shown().size() + " recorded as shown ("
          + stream.lostShowings() + " left unrecorded, as lost), " + stream.feedback().size()
          + " feedback events");
      terminal.println("Stored now in " + redacted(store) + ": " + shownNow + " shown cards, "
          + feedbackNow + " feedback events (the rest were there already)");
      return 0;
    }
  }
}
