package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.population.HtmlReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch report and the diff report render in a real browser: headless Chromium loads each
 * from disk, runs its script and dumps the DOM, which must carry the rendered marker and no
 * script error. The override report, which runs no script, loads under its own
 * Content-Security-Policy with its figures and not one console message.
 *
 * <p>Skipped, saying why, when Chromium is not installed, unless {@code -Dcds.requireChromium=true}
 * or the environment variable {@code CDS_REQUIRE_CHROMIUM=1} (CI sets it) asks for it to fail.
 */
class ReportInChromiumTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  static boolean required() {
    return Boolean.getBoolean("cds.requireChromium")
        || "1".equals(System.getenv("CDS_REQUIRE_CHROMIUM"));
  }

  @Test
  void theReportRendersWithoutScriptErrors(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      if (required()) {
        fail("Chromium is required (cds.requireChromium or CDS_REQUIRE_CHROMIUM) but "
            + CHROMIUM + " is not installed: apt-get install -y chromium");
      }
      assumeTrue(false, "Chromium not installed at " + CHROMIUM + " (apt-get install -y "
          + "chromium); the report's rendering is not checked");
    }
    Path out = dir.resolve("out");
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, BatchCommandTest.NDJSON);
    Cli.Result batch = Cli.run("batch", "--at", "2025-06-15", "--out", out.toString(),
        Cli.USPSTF_SCENARIOS.toString(), Cli.PATIENTS.toString(), ndjson.toString());
    assertThat(batch.exitCode()).as(batch.err()).isZero();
    Path report = out.resolve("report.html");

    Path profile = Files.createDirectories(dir.resolve("profile"));
    Path dom = dir.resolve("dom.html");
    Path log = dir.resolve("chromium.log");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString()))
        .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      fail("Chromium did not finish in 120 s");
    }
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(chromium.exitValue()).as(stderr).isZero();
    assertThat(html).as("the dumped DOM").contains("data-rendered=\"ok\"")
        .doesNotContain("id=\"script-error\"")
        .contains("<svg").contains("uspstf-crc-screening");
    assertThat(stderr).as("Chromium's console").doesNotContain("Uncaught");
  }

  @Test
  void theReportShowsIntervalsAndEligibleDenominatorsAndThePatientsBehindEachFigure(
      @TempDir Path dir) throws Exception {
    Optional<Path> ecqm = Conformance.find("ecqm");
    Conformance.assumePresent(ecqm.isPresent(), "no eCQM conformance material");
    Path out = dir.resolve("out");
    // The CMS130 deck: every case a patient; 5 patients listed per figure, so some lists are cut.
    Cli.Result batch = Cli.run("batch", "--at", "2025-12-31T23:59:59Z", "--period",
        "2025-01-01/2025-12-31", "--pack", "cms130-colorectal-cancer-screening",
        "--value-sets", ecqm.get().resolve("vocabulary/valueset").toString(),
        "--report-patients", "5", "--out", out.toString(),
        ecqm.get().resolve("tests/ColonCancerScreeningFHIR").toString());
    assertThat(batch.exitCode()).as(batch.err()).isZero();
    String[] page = dumpDom(dir, out.resolve("report.html"));
    String html = page[0];
    assertThat(html).as("the dumped DOM").contains("data-rendered=\"ok\"")
        .doesNotContain("id=\"script-error\"").contains("95% CI").contains("Eligible");
    assertThat(page[1]).as("Chromium's console").doesNotContain("Uncaught")
        .doesNotContain("Content Security Policy");
    assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\""
        + "default-src 'none'; style-src 'sha256-");

    // Each population's patients from results.ndjson: the list under each figure must be the
    // smallest five ids of them, and the figure their count.
    ObjectMapper json = new ObjectMapper();
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("results.ndjson"))) {
      JsonNode result = json.readTree(line).path("result");
      for (JsonNode m : result.path("measures")) {
        Set<String> in = new TreeSet<>();
        m.path("populations").forEach(p -> in.add(p.asText()));
        for (String population : in) {
          expected.computeIfAbsent(population.toLowerCase(Locale.ROOT).replace('_', '-'),
              k -> new TreeSet<>()).add(result.path("patientId").asText());
        }
        if (in.contains("DENOMINATOR") && !in.contains("DENOMINATOR_EXCLUSION")
            && !in.contains("DENOMINATOR_EXCEPTION")) {
          expected.computeIfAbsent("eligible", k -> new TreeSet<>())
              .add(result.path("patientId").asText());
        }
      }
    }
    assertThat(expected).containsKeys("initial-population", "denominator", "numerator",
        "eligible", "denominator-exclusion");
    JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
    JsonNode cms130 = summary.path("measures").get(0);
    assertThat(cms130.path("eligible").asInt()).isEqualTo(expected.get("eligible").size());
    for (Map.Entry<String, TreeSet<String>> population : expected.entrySet()) {
      Matcher figure = Pattern.compile("<details class=\"drill\" data-figure=\"measure/CMS130/1/"
          + population.getKey() + "\"><summary>(\\d+)</summary><ol>(.*?)</ol>").matcher(html);
      assertThat(figure.find()).as(population.getKey()).isTrue();
      assertThat(Integer.parseInt(figure.group(1))).isEqualTo(population.getValue().size());
      List<String> listed = new ArrayList<>();
      Matcher id = Pattern.compile("<li><code>([^<]*)</code>").matcher(figure.group(2));
      while (id.find()) {
        listed.add(id.group(1));
      }
      assertThat(listed).as(population.getKey())
          .containsExactlyElementsOf(population.getValue().stream().limit(5).toList());
    }
    assertThat(html).contains("The first 5 of " + expected.get("denominator").size()
        + " patients by id");
  }

  @Test
  void theDiffReportRendersWithoutScriptErrors(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      if (required()) {
        fail("Chromium is required (cds.requireChromium or CDS_REQUIRE_CHROMIUM) but "
            + CHROMIUM + " is not installed: apt-get install -y chromium");
      }
      assumeTrue(false, "Chromium not installed at " + CHROMIUM + " (apt-get install -y "
          + "chromium); the diff report's rendering is not checked");
    }
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, BatchCommandTest.NDJSON);
    Path report = dir.resolve("diff.html");
    Cli.Result diff = Cli.run("diff", "--before-shipped", "--after-rules",
        DiffCommandTest.startAgeFifty(dir).toString(), "--at", "2025-06-15", "--html",
        report.toString(), ndjson.toString(), Cli.USPSTF_SCENARIOS.toString());
    assertThat(diff.exitCode()).as(diff.err()).isZero();

    Path profile = Files.createDirectories(dir.resolve("profile"));
    Path dom = dir.resolve("dom.html");
    Path log = dir.resolve("chromium.log");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString()))
        .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      fail("Chromium did not finish in 120 s");
    }
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(chromium.exitValue()).as(stderr).isZero();
    assertThat(html).as("the dumped DOM").contains("data-rendered=\"ok\"")
        .doesNotContain("id=\"script-error\"")
        .contains("<svg").contains("<circle").contains("nd-47")
        .contains("Release gate: no limits given");
    assertThat(stderr).as("Chromium's console").doesNotContain("Uncaught");
  }

  @Test
  void aScriptErrorShowsOnThePageInsteadOfTheMarker(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) || !required(), "checked by the test above");
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM);
    // The same template with data the script cannot read: the error must be visible, proving
    // that the first test's absence of an error element means something.
    Path report = dir.resolve("report.html");
    Files.writeString(report, HtmlReport.population("{\"patients\": 1}", "{}"));
    Path dom = dir.resolve("dom.html");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
        "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString()))
        .redirectOutput(dom.toFile()).redirectError(dir.resolve("log").toFile()).start();
    assertThat(chromium.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    assertThat(html).contains("id=\"script-error\"").contains("could not draw its charts")
        .doesNotContain("data-rendered=\"ok\"");
  }

  /**
   * Where a patient was read comes from the input (its path) and must not reach the page: with
   * markup, U+2028 and a comment opener in it, the page is drawn, and the path is nowhere in it.
   */
  @Test
  void anInputPathWithMarkupStaysOutOfTheDrawnReport(@TempDir Path dir) throws Exception {
    // A folder "a<" holding "script><img ...>": the path reads "a</script><img ...>".
    Path input = Files.createDirectories(dir.resolve("a<"))
        .resolve("script><img src=x onerror=alert(1)>\u2028<!--.ndjson");
    Files.writeString(input, BatchCommandTest.NDJSON);
    Path out = dir.resolve("out");
    Cli.Result batch = Cli.run("batch", "--at", "2025-06-15", "--out", out.toString(),
        input.toString());
    assertThat(batch.exitCode()).as(batch.err()).isZero();
    String raw = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertThat(raw).as("the page as written").doesNotContain("<img")
        .doesNotContain("onerror=alert")
        .doesNotContain("\u2028").contains("\"nd-47\"");
    String[] page = dumpDom(dir, out.resolve("report.html"));
    assertThat(page[0]).contains("data-rendered=\"ok\"").doesNotContain("id=\"script-error\"")
        .doesNotContain("<img").doesNotContain("onerror=alert").contains("<code>nd-47</code>");
    assertThat(page[1]).as("Chromium's console").doesNotContain("Uncaught")
        .doesNotContain("Content Security Policy");
  }

  /** Chromium's DOM dump of {@code page} and its log (console messages included). */
  private static String[] dumpDom(Path dir, Path page) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      if (required()) {
        fail("Chromium is required (cds.requireChromium or CDS_REQUIRE_CHROMIUM) but "
            + CHROMIUM + " is not installed: apt-get install -y chromium");
      }
      assumeTrue(false, "Chromium not installed at " + CHROMIUM + " (apt-get install -y "
          + "chromium); the override report's rendering is not checked");
    }
    Path profile = Files.createDirectories(dir.resolve("profile-" + page.getFileName()));
    Path dom = dir.resolve("dom-" + page.getFileName());
    Path log = dir.resolve("chromium-" + page.getFileName() + ".log");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString()))
        .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      fail("Chromium did not finish in 120 s");
    }
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(chromium.exitValue()).as(stderr).isZero();
    return new String[] {Files.readString(dom, StandardCharsets.UTF_8), stderr};
  }

  @Test
  void theOverrideReportLoadsUnderItsPolicyWithItsFiguresAndNoConsoleMessage(@TempDir Path dir)
      throws Exception {
    String store = dir.resolve("feedback").toString();
    assertThat(Cli.run("feedback", "generate", "--store", store, "--seed", "3", "--events",
        "3000", "--start", "2026-01-05").exitCode()).isZero();
    Path out = dir.resolve("out");
    Cli.Result report = Cli.run("feedback", "report", "--store", store, "--from", "2026-01-05",
        "--to", "2026-03-29", "--out", out.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    String[] page = dumpDom(dir, out.resolve("report.html"));
    String html = page[0];
    assertThat(html).as("the dumped DOM").contains("<figure id=\"override-rates\">",
        "<figure id=\"weekly-outcomes\">", "<figure id=\"weekly-trend\">",
        "<table id=\"flagged\">", "<table id=\"recommendations\">", "cdc-opioids-2016-rec-10")
        .doesNotContain("<script");
    // The figures are drawn: a dot per recommendation, three bars a week, the trend lines.
    assertThat(html.split("<circle", -1).length - 1).isGreaterThanOrEqualTo(12);
    assertThat(html.split("<rect", -1).length - 1).isEqualTo(3 * 12);
    assertThat(html).contains("<polyline");
    assertThat(page[1]).as("Chromium's console").doesNotContain(":CONSOLE")
        .doesNotContain("Uncaught");
  }

  @Test
  void aPolicyViolationInTheOverrideReportShowsOnTheConsole(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) || !required(), "checked by the test above");
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM);
    // The same page with an inline style its policy forbids: the console must say so, proving
    // that the test above's silent console means the page keeps to its policy.
    String store = dir.resolve("feedback").toString();
    assertThat(Cli.run("feedback", "generate", "--store", store, "--events", "200", "--start",
        "2026-01-05", "--weeks", "1").exitCode()).isZero();
    Path out = dir.resolve("out");
    assertThat(Cli.run("feedback", "report", "--store", store, "--from", "2026-01-05", "--to",
        "2026-01-11", "--out", out.toString()).exitCode()).isZero();
    Path page = dir.resolve("violating.html");
    Files.writeString(page, Files.readString(out.resolve("report.html"))
        .replace("<h1>", "<h1 style=\"color: red\">"));
    String[] dumped = dumpDom(dir, page);
    assertThat(dumped[1]).contains(":CONSOLE").contains("Content Security Policy");
  }
}
