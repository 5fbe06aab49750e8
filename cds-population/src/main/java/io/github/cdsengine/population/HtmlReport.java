package io.github.cdsengine.population;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Self-contained HTML reports: the population report that {@code cds batch} and the Spark runner
 * both write as {@code report.html}, and any other report drawn from a template with its data
 * inlined (the rule-change report of {@code cds diff}). Each is one HTML file (inline CSS,
 * inline script drawing SVG charts, the data as inline JSON) that loads nothing from the
 * network. The population report's Content-Security-Policy allows only its own style and
 * scripts, by hash. The script shows its own errors on the page and marks the body {@code
 * data-rendered="ok"} when it has drawn.
 */
public final class HtmlReport {

  private static final String TEMPLATE = "report.html";
  private static final String DATA = "/*DATA*/";
  private static final String PATIENTS = "/*PATIENTS*/";
  private static final String POLICY = "<!--POLICY-->";
  /** A script the browser runs: one without attributes (the data blocks have a type). */
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private static final Pattern INLINE_STYLE =
      Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

  private HtmlReport() {}

  /**
   * The population report for {@code summaryJson}, the contents of summary.json, with the
   * patients behind each figure ({@link DrillDown#toJson()}).
   *
   * @param summaryJson the summary's JSON, as {@link PopulationSummary#toJson} writes it
   * @param drillDownJson the drill-down's JSON
   * @return the page
   */
  public static String population(String summaryJson, String drillDownJson) {
    String template;
    try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + TEMPLATE);
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String policy = "<meta http-equiv=\"Content-Security-Policy\" content=\""
        + contentSecurityPolicy(template) + "\">";
    return fill(template.replace(POLICY, policy),
        Map.of(DATA, summaryJson, PATIENTS, drillDownJson));
  }

  /**
   * The population report's Content-Security-Policy: its own style sheet and its own two
   * scripts, by hash (the data blocks are JSON, which a browser never runs), and nothing else:
   * no other script, style, image, connection or form.
   */
  static String contentSecurityPolicy(String template) {
    StringBuilder scripts = new StringBuilder();
    Matcher script = INLINE_SCRIPT.matcher(template);
    while (script.find()) {
      scripts.append(" '").append(sha256(script.group(1))).append('\'');
    }
    Matcher style = INLINE_STYLE.matcher(template);
    if (!style.find() || scripts.length() == 0) {
      throw new IllegalStateException("the report template has no inline style or script");
    }
    return "default-src 'none'; style-src '" + sha256(style.group(1)) + "'; script-src"
        + scripts + "; img-src 'none'; base-uri 'none'; form-action 'none'";
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * A report from {@code template}, an HTML page whose data's place is marked as in the
   * population report's template (the word DATA in a block comment), with {@code dataJson}
   * there, made safe inside a script element.
   *
   * @param template the page's HTML
   * @param dataJson the data
   * @return the page
   */
  public static String render(String template, String dataJson) {
    return fill(template, Map.of(DATA, dataJson));
  }

  /** The template with each token replaced by its JSON, in one pass: data is never re-read. */
  private static String fill(String template, Map<String, String> values) {
    StringBuilder page = new StringBuilder(template.length());
    int at = 0;
    while (true) {
      int next = -1;
      String token = null;
      for (String candidate : values.keySet()) {
        int found = template.indexOf(candidate, at);
        if (found >= 0 && (next < 0 || found < next)) {
          next = found;
          token = candidate;
        }
      }
      if (token == null) {
        return page.append(template, at, template.length()).toString();
      }
      page.append(template, at, next).append(inScript(values.get(token)));
      at = next + token.length();
    }
  }

  /**
   * JSON made safe inside a script element: nothing may close it or open a comment, so {@code <}
   * is escaped, and so are the separators JavaScript reads as line ends.
   */
  private static String inScript(String json) {
    return json.strip().replace("<", "\\u003c").replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }
}
