package io.github.cdsengine.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The override report as one self-contained HTML page: its charts are SVG drawn here, in the
 * page, so it runs no script at all, and its Content-Security-Policy allows nothing but its own
 * style sheet (by hash): no script, no image, font or connection, inline or remote. Every text
 * read from the store is escaped.
 */
final class OverrideReportPage {

  private static final String STYLE = """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
             max-width: 1100px; padding: 0 1em; color: #1d2433; }
      h1 { font-size: 1.6em; margin-bottom: .2em; }
      h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d5d9e0; }
      .meta { color: #555f70; }
      table { border-collapse: collapse; margin: .8em 0; width: 100%; }
      th, td { border-bottom: 1px solid #e3e6eb; padding: .3em .5em; text-align: left;
               vertical-align: top; }
      th { background: #f3f5f8; font-weight: 600; }
      td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
      tr.flagged td { background: #fdecea; }
      figure { margin: 1em 0; border: 1px solid #e3e6eb; border-radius: 6px; padding: .6em; }
      figcaption { font-weight: 600; margin-bottom: .4em; }
      svg text { font: 11px system-ui, sans-serif; fill: #1d2433; }
      .empty { color: #555f70; font-style: italic; }
      """;
  private static final String[] LINE_COLOURS = {"#b3261e", "#1f5fae", "#8a5a00", "#2e7d32",
      "#6a3d9a", "#00838f", "#ad1457", "#37474f"};
  private static final String ACCEPTED = "#2e7d32";
  private static final String OVERRIDDEN = "#b3261e";
  private static final String NO_RESPONSE = "#b0b7c3";

  private OverrideReportPage() {}

  /** The Content-Security-Policy of the page: its own style sheet and nothing else. */
  static String contentSecurityPolicy() {
    return "default-src 'none'; style-src '" + styleHash() + "'; img-src 'none'; "
        + "script-src 'none'; base-uri 'none'; form-action 'none'";
  }

  private static String styleHash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(STYLE.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The page of {@code report}. */
  static String render(OverrideReport report) {
    OverrideReport.Settings settings = report.settings();
    List<OverrideReport.Row> rows = report.rows();
    List<OverrideReport.Row> flagged = report.flagged();
    StringBuilder html = new StringBuilder(32_768);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(contentSecurityPolicy()).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>CDS override report</title>\n<style>").append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>CDS override report</h1>\n");
    int shown = rows.stream().mapToInt(OverrideReport.Row::shown).sum();
    int overridden = rows.stream().mapToInt(OverrideReport.Row::overridden).sum();
    int accepted = rows.stream().mapToInt(OverrideReport.Row::accepted).sum();
    html.append("<p class=\"meta\">Cards shown from ").append(esc(settings.from().toString()))
        .append(" to before ").append(esc(settings.to().toString())).append(" (UTC), read from ")
        .append(esc(settings.store())).append(": ").append(shown).append(" shown, ")
        .append(accepted).append(" accepted, ").append(overridden).append(" overridden, ")
        .append(shown - accepted - overridden).append(" without a response. The override rate "
            + "is overridden of shown, with its 95% Wilson score interval; a recommendation is "
            + "flagged for review when shown at least ").append(settings.minShown())
        .append(" times with an override rate above ").append(percent(settings.threshold()))
        .append(". This page is self-contained: it runs no script and loads nothing.</p>\n");

    html.append("<h2>Flagged for review</h2>\n");
    if (flagged.isEmpty()) {
      html.append("<p class=\"empty\" id=\"flagged-none\">No recommendation is above the "
          + "threshold with enough showings.</p>\n");
    } else {
      html.append("<table id=\"flagged\"><thead><tr><th>rule set</th><th>recommendation</th>"
          + "<th class=\"n\">shown</th><th class=\"n\">overridden</th><th class=\"n\">override "
          + "rate (95% CI)</th><th>top override reasons</th></tr></thead><tbody>\n");
      for (OverrideReport.Row row : flagged) {
        html.append("<tr><td>").append(esc(row.key().ruleSet())).append("</td><td>")
            .append(esc(row.key().recommendationId())).append("</td><td class=\"n\">")
            .append(row.shown()).append("</td><td class=\"n\">").append(row.overridden())
            .append("</td><td class=\"n\">").append(rateWithInterval(row)).append("</td><td>")
            .append(reasons(row)).append("</td></tr>\n");
      }
      html.append("</tbody></table>\n");
    }

    html.append("<h2>Override rate per recommendation</h2>\n");
    html.append(forest(rows, settings.threshold()));
    html.append("<h2>Showings and outcomes per ISO week</h2>\n");
    html.append(weeklyBars(report.totalsPerWeek()));
    html.append("<h2>Override rate per week</h2>\n");
    html.append(trend(report, flagged.isEmpty() ? topByRate(rows) : flagged));

    html.append("<h2>All recommendations</h2>\n<table id=\"recommendations\"><thead><tr>"
        + "<th>rule set</th><th>recommendation</th><th class=\"n\">shown</th>"
        + "<th class=\"n\">accepted</th><th class=\"n\">overridden</th>"
        + "<th class=\"n\">no response</th><th class=\"n\">override rate (95% CI)</th>"
        + "<th>top override reasons</th><th class=\"n\">feedback without a recorded "
        + "showing</th></tr></thead><tbody>\n");
    for (OverrideReport.Row row : rows) {
      html.append(row.flagged() ? "<tr class=\"flagged\">" : "<tr>").append("<td>")
          .append(esc(row.key().ruleSet())).append("</td><td>")
          .append(esc(row.key().recommendationId())).append("</td><td class=\"n\">")
          .append(row.shown()).append("</td><td class=\"n\">").append(row.accepted())
          .append("</td><td class=\"n\">").append(row.overridden()).append("</td><td class=\"n\">")
          .append(row.noResponse()).append("</td><td class=\"n\">").append(rateWithInterval(row))
          .append("</td><td>").append(reasons(row)).append("</td><td class=\"n\">")
          .append(row.feedbackWithoutShowing()).append("</td></tr>\n");
    }
    html.append("</tbody></table>\n</body>\n</html>\n");
    return html.toString();
  }

  /** Without flagged rows, the trend shows the five highest override rates. */
  private static List<OverrideReport.Row> topByRate(List<OverrideReport.Row> rows) {
    return rows.stream().filter(r -> r.overrideRate() != null)
        .sorted((a, b) -> Double.compare(b.overrideRate(), a.overrideRate())).limit(5).toList();
  }

  /** One row per recommendation: the rate as a dot, its interval as a line, the threshold. */
  private static String forest(List<OverrideReport.Row> rows, double threshold) {
    List<OverrideReport.Row> rated = rows.stream().filter(r -> r.overrideRate() != null)
        .toList();
    if (rated.isEmpty()) {
      return "<p class=\"empty\">No card was shown in the period.</p>\n";
    }
    int label = 420;
    int plot = 560;
    int rowHeight = 22;
    int top = 24;
    int height = top + rated.size() * rowHeight + 10;
    StringBuilder svg = new StringBuilder();
    svg.append("<figure id=\"override-rates\"><figcaption>Override rate (overridden of shown) "
        + "with its 95% Wilson interval; dashed: the review threshold</figcaption>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(label + plot + 20).append("\" height=\"").append(height)
        .append("\" aria-label=\"Override rate per recommendation\">\n");
    for (int tick = 0; tick <= 100; tick += 20) {
      double x = label + plot * tick / 100.0;
      svg.append(line(x, top - 6, x, height - 8, "#e3e6eb", false))
          .append(text(x, top - 10, tick + "%", "middle"));
    }
    double tx = label + plot * threshold;
    svg.append(line(tx, top - 6, tx, height - 8, "#8a1c1c", true));
    int i = 0;
    for (OverrideReport.Row row : rated) {
      double y = top + i * rowHeight + rowHeight / 2.0;
      String colour = row.flagged() ? OVERRIDDEN : "#1f5fae";
      svg.append(text(label - 8, y + 4, row.key().recommendationId() + " (n=" + row.shown()
          + ")", "end"))
          .append(line(label + plot * row.interval().lower(), y,
              label + plot * row.interval().upper(), y, colour, false))
          .append("<circle cx=\"").append(num(label + plot * row.overrideRate()))
          .append("\" cy=\"").append(num(y)).append("\" r=\"4\" fill=\"").append(colour)
          .append("\"><title>").append(esc(row.key().ruleSet() + " "
              + row.key().recommendationId() + ": " + rateWithIntervalText(row)))
          .append("</title></circle>\n");
      i++;
    }
    return svg.append("</svg></figure>\n").toString();
  }

  /** Stacked bars per week: accepted, overridden, no response. */
  private static String weeklyBars(List<OverrideReport.Week> weeks) {
    int max = weeks.stream().mapToInt(OverrideReport.Week::shown).max().orElse(0);
    if (max == 0) {
      return "<p class=\"empty\">No card was shown in the period.</p>\n";
    }
    int left = 60;
    int plotHeight = 220;
    int top = 10;
    int bar = Math.max(8, Math.min(48, 900 / weeks.size() - 6));
    int width = left + weeks.size() * (bar + 6) + 20;
    StringBuilder svg = new StringBuilder();
    svg.append("<figure id=\"weekly-outcomes\"><figcaption>Cards shown per ISO week: accepted "
        + "(green), overridden (red), no response (grey)</figcaption>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(width).append("\" height=\"").append(top + plotHeight + 60)
        .append("\" aria-label=\"Outcomes per week\">\n");
    for (int k = 0; k <= 4; k++) {
      double y = top + plotHeight - plotHeight * k / 4.0;
      svg.append(line(left - 4, y, width - 10, y, "#e3e6eb", false))
          .append(text(left - 8, y + 4, String.valueOf(Math.round(max * k / 4.0)), "end"));
    }
    int i = 0;
    for (OverrideReport.Week w : weeks) {
      double x = left + i * (bar + 6) + 3;
      double base = top + plotHeight;
      int noResponse = w.shown() - w.accepted() - w.overridden();
      int[] parts = {w.accepted(), w.overridden(), noResponse};
      String[] colours = {ACCEPTED, OVERRIDDEN, NO_RESPONSE};
      String[] names = {"accepted", "overridden", "no response"};
      for (int p = 0; p < 3; p++) {
        double h = (double) plotHeight * parts[p] / max;
        base -= h;
        svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(base))
            .append("\" width=\"").append(bar).append("\" height=\"").append(num(h))
            .append("\" fill=\"").append(colours[p]).append("\"><title>")
            .append(esc(w.week() + ": " + parts[p] + " " + names[p] + " of " + w.shown()))
            .append("</title></rect>\n");
      }
      svg.append("<text x=\"").append(num(x + bar / 2.0)).append("\" y=\"")
          .append(top + plotHeight + 14).append("\" text-anchor=\"end\" transform=\"rotate(-45 ")
          .append(num(x + bar / 2.0)).append(' ').append(top + plotHeight + 14).append(")\">")
          .append(esc(w.week())).append("</text>\n");
      i++;
    }
    return svg.append("</svg></figure>\n").toString();
  }

  /** A line per recommendation: its override rate week by week (a gap where none was shown). */
  private static String trend(OverrideReport report, List<OverrideReport.Row> rows) {
    List<String> weeks = report.periodWeeks();
    if (rows.isEmpty()) {
      return "<p class=\"empty\">No card was shown in the period.</p>\n";
    }
    int left = 50;
    int plotWidth = 760;
    int plotHeight = 220;
    int top = 10;
    double step = weeks.size() == 1 ? 0 : (double) plotWidth / (weeks.size() - 1);
    StringBuilder svg = new StringBuilder();
    svg.append("<figure id=\"weekly-trend\"><figcaption>Override rate per ISO week of the ")
        .append(rows.stream().anyMatch(OverrideReport.Row::flagged) ? "flagged recommendations"
            : "recommendations with the highest override rates")
        .append("</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(left + plotWidth + 300).append("\" height=\"").append(top + plotHeight + 60)
        .append("\" aria-label=\"Override rate per week\">\n");
    for (int k = 0; k <= 4; k++) {
      double y = top + plotHeight - plotHeight * k / 4.0;
      svg.append(line(left - 4, y, left + plotWidth, y, "#e3e6eb", false))
          .append(text(left - 8, y + 4, (25 * k) + "%", "end"));
    }
    for (int i = 0; i < weeks.size(); i++) {
      if (weeks.size() <= 16 || i % ((weeks.size() + 15) / 16) == 0) {
        svg.append(text(left + i * step, top + plotHeight + 16, weeks.get(i), "middle"));
      }
    }
    int r = 0;
    for (OverrideReport.Row row : rows) {
      String colour = LINE_COLOURS[r % LINE_COLOURS.length];
      List<String> segment = new ArrayList<>();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < row.weeks().size(); i++) {
        OverrideReport.Week w = row.weeks().get(i);
        if (w.overrideRate() == null) {
          svg.append(polyline(segment, colour));
          segment.clear();
          continue;
        }
        double x = left + i * step;
        double y = top + plotHeight - plotHeight * w.overrideRate();
        segment.add(num(x) + "," + num(y));
        dots.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
            .append("\" r=\"2.5\" fill=\"").append(colour).append("\"><title>")
            .append(esc(row.key().recommendationId() + " " + w.week() + ": " + w.overridden()
                + " of " + w.shown() + " overridden (" + percent(w.overrideRate()) + ")"))
            .append("</title></circle>\n");
      }
      svg.append(polyline(segment, colour)).append(dots);
      double ly = top + 10 + r * 18;
      svg.append(line(left + plotWidth + 16, ly, left + plotWidth + 36, ly, colour, false))
          .append(text(left + plotWidth + 42, ly + 4, row.key().recommendationId(), "start"));
      r++;
    }
    return svg.append("</svg></figure>\n").toString();
  }

  private static String polyline(List<String> points, String colour) {
    if (points.size() < 2) {
      return "";
    }
    return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\""
        + String.join(" ", points) + "\"/>\n";
  }

  private static String line(double x1, double y1, double x2, double y2, String colour,
      boolean dashed) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\""
        + num(y2) + "\" stroke=\"" + colour + "\" stroke-width=\"" + (dashed ? "1.5" : "2")
        + "\"" + (dashed ? " stroke-dasharray=\"5 4\"" : "") + "/>\n";
  }

  private static String text(double x, double y, String text, String anchor) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">"
        + esc(text) + "</text>\n";
  }

  private static String reasons(OverrideReport.Row row) {
    List<String> parts = new ArrayList<>();
    for (OverrideReport.ReasonCount reason : row.topReasons()) {
      parts.add(esc(reason.code()) + " " + reason.count());
    }
    if (row.overriddenWithoutReason() > 0) {
      parts.add("(no reason) " + row.overriddenWithoutReason());
    }
    return String.join("; ", parts);
  }

  private static String rateWithInterval(OverrideReport.Row row) {
    return esc(rateWithIntervalText(row));
  }

  private static String rateWithIntervalText(OverrideReport.Row row) {
    if (row.overrideRate() == null) {
      return "no showing";
    }
    return percent(row.overrideRate()) + " (" + percent(row.interval().lower()) + " to "
        + percent(row.interval().upper()) + ")";
  }

  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * rate);
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Text for HTML content or a quoted attribute. */
  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
