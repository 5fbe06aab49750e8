package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.core.testing.TestRules;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The card viewer at {@code GET /}: its files over HTTP with a strict Content-Security-Policy,
 * the bundled examples against the CDC opioid pack, and the page itself driven in headless
 * Chromium: an example sent, its card shown as an EHR shows it, override and accept feedback
 * reaching the server's sink, and card text carrying script and {@code javascript:} links
 * rendered inert.
 *
 * <p>The browser tests need Debian's {@code chromium} and {@code chromium-driver}. They are
 * skipped, saying why, when either is missing, unless {@code -Dcds.requireChromium=true} or the
 * environment variable {@code CDS_REQUIRE_CHROMIUM=1} (CI sets it) asks for them to fail.
 */
class CardViewerTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Instant CLOCK = Instant.parse("2025-03-14T15:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Card text an attacker would write: script, an event handler, a javascript: link. */
  static final String UNSAFE_DETAIL = "Review now: **bold** and *emphasis*. "
      + "<script>window.__pwned=1</script> <img src=x onerror=window.__pwned=3> "
      + "[x](javascript:window.__pwned=2) and [the guideline](https://example.org/guideline).";
  static final String UNSAFE_SERVICE = "viewer-test";
  static final String UNSAFE_REQUEST = """
      {"hookInstance": "2d4f7c1e-9b1a-4c33-8f5e-6a0b1c2d3e4f", "hook": "patient-view",
       "context": {"userId": "Practitioner/viewer-test", "patientId": "viewer-test-patient"},
       "prefetch": {"patient": {"resourceType": "Patient", "id": "viewer-test-patient",
         "gender": "female", "birthDate": "1970-01-01"},
         "conditions": null, "medicationRequests": null, "observations": null,
         "procedures": null, "immunizations": null, "encounters": null,
         "allergyIntolerances": null, "serviceRequests": null, "deviceRequests": null,
         "carePlans": null, "medicationDispenses": null}}""";

  static Optional<Path> opioidCds;
  static CdsHooksServer server;
  static final List<Feedback> RECEIVED = new CopyOnWriteArrayList<>();
  /** The Authorization header of every /cds-services request, in order; empty when absent. */
  static final List<Optional<String>> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
  static WebDriver browser;

  /** A pack of one rule whose card carries {@link #UNSAFE_DETAIL} and an unsafe title. */
  static RulePack unsafePack() {
    String rule = TestRules.recommending("Unsafe card text", "viewer-unsafe", "USPSTF:A",
        "screening", "critical", "    PatientAge(years >= 18)", UNSAFE_DETAIL)
        .replace("@title(\"Title of viewer-unsafe\")",
            "@title(\"Unsafe <img src=x onerror=window.__pwned=4> title\")");
    return RulePack.builder(UNSAFE_SERVICE, "1", "Viewer test")
        .rules(List.of(TestRules.file("viewer-test.drl", rule))).build();
  }

  @BeforeAll
  static void start() throws InterruptedException {
    opioidCds = Conformance.find("opioid-cds");
    List<RulePack> packs = new ArrayList<>();
    opioidCds.ifPresent(dir -> packs.add(ShippedRulePacks.byId(
        ShippedRulePacks.CDC_OPIOIDS_2016)));
    packs.add(unsafePack());
    server = CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(packs, pack -> {
          CdsEngine.Builder engine = CdsEngine.builder().addRulePack(pack);
          if (pack.id().equals(ShippedRulePacks.CDC_OPIOIDS_2016)) {
            engine.addValueSets(opioidCds.get().resolve("vocabulary/valueset"));
          }
          return engine.build();
        }, null, ServiceMain::cards))
        .authenticator(new ClientAuthenticator() {
          @Override
          public Client authenticate(String authorization, String audience) {
            AUTHORIZATIONS.add(Optional.ofNullable(authorization));
            return new Client("viewer-test", "viewer-test");
          }

          @Override
          public boolean allowsUnauthenticated() {
            return true;
          }
        })
        .feedback((service, entry) -> RECEIVED.add(entry))
        .clock(Clock.fixed(CLOCK, ZoneOffset.UTC), ZoneId.of("UTC"))
        // The fixed clock stands still while the browser sends the real time (as with --at).
        .feedbackClockSkew(null)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(2))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- Over HTTP.

  @Test
  void thePageIsServedWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("default-src 'none'", "script-src 'self'",
        "require-trusted-types-for 'script'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-", "*", "http:", "https:", "data:");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    // Every script is a file of this server; no inline script, handler or outside address.
    String html = page.body();
    Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertThat(scripts.group(1)).contains("src=\"viewer/");
      assertThat(scripts.group(2)).isBlank();
    }
    assertThat(count).isEqualTo(1);
    assertThat(html).doesNotContainPattern("(?i)\\son[a-z]+\\s*=")
        .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
  }

  @Test
  void theScriptNeverWritesHtml() throws Exception {
    HttpResponse<String> script = get("/viewer/viewer.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/javascript"));
    String code = script.body().replaceAll("(?m)^\\s*//.*$", "");
    assertThat(code).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
        "document.write", "eval(", "new Function", "setTimeout('", "setTimeout(\"",
        "javascript:");
    assertThat(get("/viewer/viewer.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
  }

  @Test
  void onlyTheViewersOwnFilesAreServed() throws Exception {
    for (String path : List.of("/viewer/", "/viewer/nothing.js", "/viewer/../pom.xml",
        "/viewer/%2e%2e/CdsHooksServer.class", "/viewer/examples/",
        "/viewer/io/github/cdsengine/hooks/service/viewer/viewer.js", "/index.html")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isIn(400, 404);
      assertThat(response.body()).as(path).doesNotContain("function", "<html");
    }
  }

  @Test
  void everyBundledExampleGetsTheCardsItsIndexNames() throws Exception {
    Conformance.directory("opioid-cds");
    HttpResponse<String> index = get("/viewer/examples/index.json");
    assertThat(index.statusCode()).isEqualTo(200);
    JsonNode examples = JSON.readTree(index.body()).path("examples");
    assertThat(examples.size()).isBetween(2, 4);
    for (JsonNode example : examples) {
      String file = example.path("file").asText();
      HttpResponse<String> request = get("/viewer/examples/" + file);
      assertThat(request.statusCode()).as(file).isEqualTo(200);
      HttpResponse<String> response = post("/cds-services/" + example.path("service").asText(),
          request.body());
      assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("cards").size()).as(file)
          .isEqualTo(example.path("expectedCards").asInt());
    }
  }

  // ---- In headless Chromium.

  static boolean chromiumRequired() {
    return Boolean.getBoolean("cds.requireChromium")
        || "1".equals(System.getenv("CDS_REQUIRE_CHROMIUM"));
  }

  /** The browser on the viewer's page, fresh; skips or fails the test without Chromium. */
  static WebDriver page() {
    for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(program)) {
        String why = program + " is not installed (apt-get install -y chromium "
            + "chromium-driver)";
        if (chromiumRequired()) {
          fail("Chromium is required (cds.requireChromium or CDS_REQUIRE_CHROMIUM) but " + why);
        }
        assumeTrue(false, why + "; the viewer is not checked in a browser");
      }
    }
    if (browser == null) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--window-size=1280,1100");
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      browser = new ChromeDriver(service, options);
    }
    browser.get(uri("/").toString());
    await("the services are listed", () -> browser.findElement(By.id("service")).isEnabled());
    return browser;
  }

  static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Boolean.TRUE.equals(condition.get())) {
      if (System.nanoTime() > deadline) {
        fail("waited " + WAIT.toSeconds() + " s for " + what + "; the page says: "
            + browser.findElement(By.id("status")).getText());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  /** Picks a bundled example and sends it to the service the example names. */
  static List<WebElement> sendExample(String file, String service) {
    By option = By.cssSelector("#example option[value='" + file + "']");
    await("the examples to be listed", () -> !browser.findElements(option).isEmpty());
    browser.findElement(option).click();
    await("the example to load", () -> !browser.findElement(By.id("request"))
        .getDomProperty("value").isBlank()
        && service.equals(browser.findElement(By.id("service")).getDomProperty("value")));
    return send();
  }

  /** Pastes a request, picks a service and sends it. */
  static List<WebElement> sendPasted(String service, String json) {
    browser.findElement(By.cssSelector("#service option[value='" + service + "']")).click();
    WebElement request = browser.findElement(By.id("request"));
    request.clear();
    request.sendKeys(json);
    return send();
  }

  static List<WebElement> send() {
    browser.findElement(By.id("send")).click();
    await("the cards", () -> !"sending".equals(
        browser.findElement(By.id("cards")).getDomAttribute("data-state")));
    assertThat(browser.findElement(By.id("cards")).getDomAttribute("data-state"))
        .as(browser.findElement(By.id("status")).getText()).isEqualTo("shown");
    return browser.findElements(By.cssSelector("#cards .card"));
  }

  static String hookInstance() throws Exception {
    return JSON.readTree(browser.findElement(By.id("request")).getDomProperty("value"))
        .path("hookInstance").asText();
  }

  static void assertNoPageProblems() {
    WebElement problems = browser.findElement(By.id("problems"));
    assertThat(problems.isDisplayed()).as(problems.getText()).isFalse();
  }

  static void screenshot(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "viewer-screenshots"));
    Files.write(dir.resolve(name + ".png"),
        ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void inChromiumTheNaloxoneCardShowsAndAnOverrideReachesTheSink() throws Exception {
    page();
    Conformance.directory("opioid-cds");
    List<WebElement> cards = sendExample("rec08-oxycodone-90-mme.json",
        "opioidcds-08-order-sign");
    assertThat(cards).hasSize(1);
    WebElement card = cards.get(0);
    assertThat(card.findElement(By.className("summary")).getText())
        .startsWith("Incorporate into the management plan strategies to mitigate risk");
    assertThat(card.getDomAttribute("data-indicator")).isEqualTo("warning");
    WebElement indicator = card.findElement(By.className("indicator"));
    assertThat(indicator.getText()).isEqualTo("WARNING");
    assertThat(indicator.getCssValue("background-color")).isEqualTo("rgba(194, 106, 0, 1)");
    assertThat(card.findElement(By.className("detail")).getText())
        .contains("Consider offering naloxone given these risk factors for opioid overdose: "
            + "total MME 90");
    assertThat(card.findElements(By.cssSelector(".detail strong"))).isNotEmpty();
    assertThat(card.findElements(By.cssSelector(".detail ul li"))).isNotEmpty();
    assertThat(card.findElement(By.className("source")).getText()).startsWith("Source: ");
    String uuid = card.getDomAttribute("data-uuid");
    assertThat(uuid).isEqualTo(CardMapper.cardUuid("opioidcds-08-order-sign", hookInstance(),
        "cdc-opioids-2016-rec-08"));
    screenshot("rec08-card");

    int before = RECEIVED.size();
    card.findElement(By.xpath(".//select[@class='override-reason']/option[.='Patient declined']"))
        .click();
    card.findElement(By.className("override-comment")).sendKeys("Declined today");
    card.findElement(By.className("override-button")).click();
    WebElement result = card.findElement(By.className("feedback-result"));
    await("the feedback's answer", () -> result.getDomAttribute("data-outcome") != null
        || result.getDomAttribute("class").contains("error"));
    assertThat(result.getText()).startsWith("Feedback recorded: overridden (Patient declined)");
    assertThat(RECEIVED.subList(before, RECEIVED.size())).singleElement().satisfies(entry -> {
      assertThat(entry.card()).isEqualTo(uuid);
      assertThat(entry.outcome()).isEqualTo(Feedback.Outcome.OVERRIDDEN);
      assertThat(entry.overrideReason()).isEqualTo(new Feedback.OverrideReason(
          CardMapper.OVERRIDE_REASON_SYSTEM, "patient-declined", "Patient declined"));
      assertThat(entry.userComment()).isEqualTo("Declined today");
      assertThat(entry.acceptedSuggestions()).isEmpty();
      assertThat(entry.outcomeTimestamp()).isBetween(Instant.now().minusSeconds(300),
          Instant.now().plusSeconds(5));
    });
    assertThat(card.findElement(By.className("override-button")).isEnabled()).isFalse();
    assertNoPageProblems();
  }

  @Test
  void inChromiumAcceptingASuggestionReachesTheSink() throws Exception {
    page();
    Conformance.directory("opioid-cds");
    List<WebElement> cards = sendExample("rec10-hydrocodone-no-urine-screen.json",
        "opioidcds-10-order-sign");
    assertThat(cards).hasSize(1);
    WebElement accept = cards.get(0).findElement(By.cssSelector(".suggestions button.accept"));
    assertThat(accept.getText()).isEqualTo("Accept: Order a urine drug screen");
    String uuid = cards.get(0).getDomAttribute("data-uuid");
    String suggestion = CardMapper.cardUuid(hookInstance(),
        "cdc-opioids-2016-rec-10/310627008");
    int before = RECEIVED.size();
    accept.click();
    WebElement result = cards.get(0).findElement(By.className("feedback-result"));
    await("the feedback's answer", () -> result.getDomAttribute("data-outcome") != null
        || result.getDomAttribute("class").contains("error"));
    assertThat(result.getText()).startsWith("Feedback recorded: accepted");
    screenshot("rec10-accepted");
    assertThat(RECEIVED.subList(before, RECEIVED.size())).singleElement().satisfies(entry -> {
      assertThat(entry.card()).isEqualTo(uuid);
      assertThat(entry.outcome()).isEqualTo(Feedback.Outcome.ACCEPTED);
      assertThat(entry.acceptedSuggestions()).containsExactly(suggestion);
      assertThat(entry.overrideReason()).isNull();
    });
    assertNoPageProblems();
  }

  @Test
  void inChromiumARequestWithoutCardsSaysSo() {
    page();
    Conformance.directory("opioid-cds");
    assertThat(sendExample("rec08-morphine-30-mme.json", "opioidcds-08-order-sign")).isEmpty();
    assertThat(browser.findElement(By.id("cards")).getText()).startsWith("No cards");
    assertNoPageProblems();
  }

  @Test
  void inChromiumCardTextWithScriptAndJavascriptLinksRendersInert() throws Exception {
    page();
    List<WebElement> cards = sendPasted(UNSAFE_SERVICE, UNSAFE_REQUEST);
    assertThat(cards).hasSize(1);
    WebElement card = cards.get(0);
    assertThat(card.getDomAttribute("data-indicator")).isEqualTo("critical");
    assertThat(card.findElement(By.className("indicator")).getCssValue("background-color"))
        .isEqualTo("rgba(179, 38, 30, 1)");
    WebElement detail = card.findElement(By.className("detail"));
    // The markup is shown as the text it is, not run and not dropped.
    assertThat(card.findElement(By.className("summary")).getText())
        .isEqualTo("Unsafe <img src=x onerror=window.__pwned=4> title");
    assertThat(detail.getText()).contains("<script>window.__pwned=1</script>",
        "<img src=x onerror=window.__pwned=3>");
    assertThat(detail.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
    assertThat(detail.findElement(By.tagName("em")).getText()).isEqualTo("emphasis");
    assertThat(card.findElements(By.cssSelector("script, img, iframe, object, embed")))
        .isEmpty();
    WebElement removed = detail.findElement(By.className("link-removed"));
    assertThat(removed.getText()).isEqualTo("x");
    removed.click();
    assertThat(detail.findElement(By.linkText("the guideline")).getDomAttribute("href"))
        .isEqualTo("https://example.org/guideline");
    @SuppressWarnings("unchecked")
    List<String> hrefs = (List<String>) script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'));");
    assertThat(hrefs).isNotEmpty().allSatisfy(href -> assertThat(href).matches("https?://.*"));
    assertThat(script("return typeof window.__pwned;")).isEqualTo("undefined");
    screenshot("unsafe-card");
    assertNoPageProblems();

    // Trusted Types are enforced: writing HTML from a string throws, and the page says so.
    assertThat(script("try { document.createElement('div').innerHTML = '<b>x</b>'; "
        + "return 'allowed'; } catch (e) { return e.name; }")).isEqualTo("TypeError");
    await("the page to report the violation",
        () -> browser.findElement(By.id("problems")).isDisplayed());
    assertThat(browser.findElement(By.id("problems")).getText())
        .contains("Content-Security-Policy", "require-trusted-types-for");
  }

  @Test
  void inChromiumATokenIsSentOnlyWhenPasted() {
    page();
    assertThat(sendPasted(UNSAFE_SERVICE, UNSAFE_REQUEST)).hasSize(1);
    assertThat(AUTHORIZATIONS.get(AUTHORIZATIONS.size() - 1)).isEmpty();
    browser.findElement(By.id("token")).sendKeys("test-token");
    assertThat(send()).hasSize(1);
    assertThat(AUTHORIZATIONS.get(AUTHORIZATIONS.size() - 1)).hasValue("Bearer test-token");
    assertNoPageProblems();
  }
}
