package io.github.cdsengine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML reports: the population report of {@code cds batch} and the rule-change report of
 * {@code cds diff}, each one self-contained HTML file (inline CSS, inline script drawing SVG
 * charts, the data as inline JSON), which loads nothing from the network. The script shows its
 * own errors on the page and marks the body {@code data-rendered="ok"} when it has drawn.
 */
final class HtmlReport {

  private static final String TEMPLATE = "report.html";
  /** The template of {@code cds diff}'s report. */
  static final String DIFF_TEMPLATE = "diff-report.html";
  private static final String DATA = "/*DATA*/";

  private HtmlReport() {}

  /** The report for {@code summaryJson}, the contents of summary.json. */
  static String render(String summaryJson) {
    return render(TEMPLATE, summaryJson);
  }

  /** The report of the template resource {@code name} for the JSON {@code dataJson}. */
  static String render(String name, String dataJson) {
    String template;
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Inside a script element nothing may close it or open a comment: escape < and the
    // separators JavaScript reads as line ends.
    String data = dataJson.strip().replace("<", "\\u003c").replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
    return template.replace(DATA, data);
  }
}
