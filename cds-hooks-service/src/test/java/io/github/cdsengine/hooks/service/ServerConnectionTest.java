package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the server does with connections: a client that stops sending is cut off after the idle
 * timeout, CORS answers only the configured origins, and stopping the server lets a call in
 * flight finish. Served by a server with no rule packs: these are the HTTP layer's behaviours.
 */
class ServerConnectionTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Feedback on card {@code c} of the loose rules' service. */
  static final String FEEDBACK = "{\"feedback\":[{\"card\":\"c\",\"outcome\":\"overridden\","
      + "\"outcomeTimestamp\":\"2026-01-01T00:00:00Z\"}]}";

  static CdsHooksServer.Builder empty() {
    return CdsHooksServer.builder()
        .catalog(() -> ServiceCatalog.build(List.of(), p -> null, null, ServiceMain::cards))
        .authenticator(ClientAuthenticator.development());
  }

  @Test
  void aClientThatStopsSendingIsCutOffAfterTheIdleTimeout() throws Exception {
    try (CdsHooksServer server = empty().limits(new CdsHooksServer.Limits(1_000_000, 4,
        Duration.ofSeconds(1), Duration.ofSeconds(1))).build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        // Headers promising a body that never comes.
        out.write(("POST /cds-services/x/feedback HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"feed")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        byte[] answer = in.readAllBytes(); // returns when the server closes the connection
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(seconds).as("closed after the 1 s idle timeout, not the 20 s read timeout")
            .isLessThan(15);
        String text = new String(answer, StandardCharsets.US_ASCII);
        assertThat(text).doesNotContain("200 OK");
      }
    }
  }

  @Test
  void anIdleTimeoutThatIsNotPositiveIsRefusedNotTakenAsNone() {
    // Jetty reads an idle timeout of zero or less as "never": a slow client's cut-off gone.
    for (Duration idle : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> new CdsHooksServer.Limits(1_000, 4, idle, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(idle.toString());
    }
    assertThatThrownBy(() -> new CdsHooksServer.Limits(1_000, 4, Duration.ofSeconds(1),
        Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void corsAnswersTheConfiguredOriginOnly() throws Exception {
    try (CdsHooksServer server = empty().corsOrigin("https://ehr.example.org").build()
        .start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      URI discovery = URI.create("http://127.0.0.1:" + server.port() + "/cds-services");
      HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(discovery)
          .header("Origin", "https://ehr.example.org").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://ehr.example.org");
      HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(discovery)
          .header("Origin", "https://evil.example.com").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void aRequestFromAnotherOriginIsAnsweredAsOneWithoutAnOrigin() throws Exception {
    // CORS is the browser's check: the server leaves out the allow header. Javalin's plugin
    // also sets 400 for such an origin and lets the request go on, so a handler that did not
    // set its own status answered a full, evaluated response as a 400.
    try (CdsHooksServer server = empty().corsOrigin("https://ehr.example.org")
        .catalog(ServerConnectionTest::looseCatalog).build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
      String base = "http://127.0.0.1:" + server.port() + "/cds-services";
      HttpResponse<String> discovery = HTTP.send(HttpRequest.newBuilder(URI.create(base))
          .header("Origin", "https://elsewhere.example.com").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(discovery.statusCode()).as(discovery.body()).isEqualTo(200);
      HttpResponse<String> call = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"
          + ServiceCatalog.LOOSE_RULES_SERVICE)).header("Origin", "https://elsewhere.example.com")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"hook\": \"patient-view\", "
              + "\"hookInstance\": \"h1\", \"context\": {\"patientId\": \"p1\", "
              + "\"userId\": \"Practitioner/1\"}, \"prefetch\": {"
              // Every template "no data": the call is answered, not 412.
              + io.github.cdsengine.core.hooks.CdsServices.PREFETCH.keySet().stream()
                  .map(key -> "\"" + key + "\": null")
                  .collect(java.util.stream.Collectors.joining(", ")) + "}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
      assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void aPreflightIsCountedWithTheStatusItWasAnswered() throws Exception {
    try (CdsHooksServer server = empty().corsOrigin("https://ehr.example.org").build()
        .start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/cds-services/some-service"))
          .header("Origin", "https://ehr.example.org")
          .header("Access-Control-Request-Method", "POST")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(preflight.statusCode()).isEqualTo(200);
      // The access log and the metric say what the client got, not a status changed later.
      eventually(() -> assertThat(server.registry().find("cds.http.requests")
          .tag("method", "OPTIONS").timers()).extracting(timer -> timer.getId().getTag("status"))
          .containsExactly("200"));
    }
  }

  @Test
  void aRefusalCarriesTheCorsHeadersSoABrowserClientCanReadWhy() throws Exception {
    // Without them the browser hides the 401 from the calling page: an expired or mistimed
    // token looks like a network failure.
    String issuer = "https://ehr.example.org";
    try (CdsHooksServer server = empty().corsOrigin("https://ehr.example.org")
        .authenticator(JwtClientAuthenticator.builder().trustIssuerKeys(issuer,
            ClientTokens.jwks(ClientTokens.ec("ec-1"))).build())
        .build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/cds-services"))
          .header("Origin", "https://ehr.example.org").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://ehr.example.org");
    }
  }

  @Test
  void stoppingWaitsForACallInFlightLongerThanASecond() throws Exception {
    // The grace is 10 s: a call that needs 3 s more when the server is told to stop finishes.
    CountDownLatch entered = new CountDownLatch(1);
    CdsHooksServer server = empty().feedback((service, feedback) -> {
      entered.countDown();
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).limits(new CdsHooksServer.Limits(1_000_000, 4, Duration.ofSeconds(30),
        Duration.ofSeconds(10))).catalog(ServerConnectionTest::looseCatalog)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
    CompletableFuture<HttpResponse<String>> call = sendHeld(feedbackRequest(server), entered);
    server.close();
    assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void stoppingAnswersTheCallWaitingAtTheDoorToo() throws Exception {
    // One call at a time; the next waits (up to 5 s) when the server is told to stop. The
    // held call finishes; the waiting one is answered (its turn, or a 503), never cut off.
    CountDownLatch entered = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    CdsHooksServer server = empty().feedback((service, feedback) -> {
      if (calls.incrementAndGet() == 1) {
        entered.countDown();
        try {
          Thread.sleep(1_500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }).limits(new CdsHooksServer.Limits(1_000_000, 1, Duration.ofSeconds(30),
        Duration.ofSeconds(10), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(5))))
        .catalog(ServerConnectionTest::looseCatalog)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
    HttpRequest feedback = feedbackRequest(server);
    CompletableFuture<HttpResponse<String>> held = sendHeld(feedback, entered);
    CompletableFuture<HttpResponse<String>> waiting =
        HTTP.sendAsync(feedback, HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    server.close();
    assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    HttpResponse<String> answer = waiting.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body() + " sink calls " + calls.get()).isIn(200, 503);
  }

  @Test
  void stoppingLetsACallInFlightFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CdsHooksServer server = empty().feedback(holding(entered, release))
        .limits(new CdsHooksServer.Limits(1_000_000, 4, Duration.ofSeconds(30),
        Duration.ofSeconds(10))).catalog(ServerConnectionTest::looseCatalog)
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
    CompletableFuture<HttpResponse<String>> call = sendHeld(feedbackRequest(server), entered);
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    Thread.sleep(300);
    release.countDown();
    HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    stopping.get(30, TimeUnit.SECONDS);
  }

  @Test
  void callsBeyondTheBoundAndItsQueueAreAnswered503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // One call at a time, one waiting for at most 300 ms. Stopping a server whose client still
    // holds idle connections takes about a second: a grace of one second made closing it racy.
    try (CdsHooksServer server = empty().feedback(holding(entered, release))
        .limits(new CdsHooksServer.Limits(1_000_000, 1, Duration.ofSeconds(30),
        Duration.ofSeconds(5), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(1, Duration.ofMillis(300))))
        .catalog(ServerConnectionTest::looseCatalog).build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
      HttpRequest feedback = feedbackRequest(server);
      CompletableFuture<HttpResponse<String>> held = sendHeld(feedback, entered);
      // The next two: one waits its 300 ms out, the other finds the queue full; both are
      // answered while the first call still holds the only place.
      CompletableFuture<HttpResponse<String>> second =
          HTTP.sendAsync(feedback, HttpResponse.BodyHandlers.ofString());
      CompletableFuture<HttpResponse<String>> third =
          HTTP.sendAsync(feedback, HttpResponse.BodyHandlers.ofString());
      for (HttpResponse<String> busy : List.of(second.get(30, TimeUnit.SECONDS),
          third.get(30, TimeUnit.SECONDS))) {
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/json"));
        assertThat(busy.body()).contains("\"error\":\"busy");
      }
      assertThat(held).isNotDone();
      release.countDown();
      assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // The place is free again.
      assertThat(HTTP.send(feedback, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(server.registry().get("cds.calls.busy").counter().count()).isEqualTo(2.0);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aCallRefusedAtTheDoorIsAnsweredLikeAnyRefusalWithItsCorsHeadersRouteAndService()
      throws Exception {
    // A browser client (the card viewer on another origin) must be able to read the 503 and
    // its Retry-After: without the allow header the browser reports a network failure. The
    // access log and the request metric name the route and the service, as for a 401.
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("io.github.cdsengine.hooks.service.access");
    ch.qos.logback.classic.Level level = access.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    access.addAppender(lines);
    access.setLevel(ch.qos.logback.classic.Level.INFO);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // One call at a time and none waiting: the second is refused at once.
    try (CdsHooksServer server = empty().corsOrigin("https://ehr.example.org")
        .feedback(holding(entered, release)).limits(new CdsHooksServer.Limits(1_000_000, 1, Duration.ofSeconds(30),
            Duration.ofSeconds(5), FetchLimits.DEFAULT,
            new CdsHooksServer.CallQueue(0, Duration.ofSeconds(1))))
        .catalog(ServerConnectionTest::looseCatalog).build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
      HttpRequest feedback = HttpRequest.newBuilder(feedbackUrl(server))
          .header("Origin", "https://ehr.example.org").POST(HttpRequest.BodyPublishers
          .ofString(FEEDBACK)).build();
      CompletableFuture<HttpResponse<String>> held = sendHeld(feedback, entered);
      HttpResponse<String> busy = HTTP.send(feedback, HttpResponse.BodyHandlers.ofString());
      assertThat(busy.statusCode()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).contains("1");
      assertThat(busy.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://ehr.example.org");
      assertThat(busy.body()).startsWith("{\"error\":\"busy");
      release.countDown();
      assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      eventually(() -> assertThat(ClientAuthenticationTest.logged(lines).stream()
          .map(e -> e.getFormattedMessage()).toList()).anySatisfy(line -> assertThat(line).startsWith("POST feedback service="
              + ServiceCatalog.LOOSE_RULES_SERVICE + " status=503")));
      eventually(() -> assertThat(server.registry().find("cds.http.requests")
          .tag("route", "feedback").tag("status", "503").timer()).isNotNull());
      assertThat(server.registry().get("cds.calls.busy").counter().count()).isEqualTo(1.0);
    } finally {
      release.countDown();
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }

  @Test
  void aCallsLatencyIncludesItsWaitAtTheDoor() throws Exception {
    // What the client waited, queue included: under overload the access log and the request
    // metric must show the wait, not only the time after the door.
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("io.github.cdsengine.hooks.service.access");
    ch.qos.logback.classic.Level level = access.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    access.addAppender(lines);
    access.setLevel(ch.qos.logback.classic.Level.INFO);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (CdsHooksServer server = empty().feedback(holding(entered, release))
        .limits(new CdsHooksServer.Limits(1_000_000, 1, Duration.ofSeconds(30),
        Duration.ofSeconds(5), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(10))))
        .catalog(ServerConnectionTest::looseCatalog).build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
      HttpRequest feedback = feedbackRequest(server);
      CompletableFuture<HttpResponse<String>> held = sendHeld(feedback, entered);
      CompletableFuture<HttpResponse<String>> waiting =
          HTTP.sendAsync(feedback, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(800);
      release.countDown();
      assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(waiting.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // Both waited at least the 800 ms: the first in the sink, the second at the door.
      eventually(() -> assertThat(ClientAuthenticationTest.logged(lines).stream()
          .map(e -> e.getFormattedMessage()).filter(l -> l.startsWith("POST feedback "))
          .map(l -> Double.parseDouble(l.replaceAll(".* latency_ms=([0-9.]+) .*", "$1")))
          .toList()).hasSize(2).allSatisfy(ms -> assertThat(ms).isGreaterThan(600.0)));
    } finally {
      release.countDown();
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }

  @Test
  void connectionsIdleAtStopAreKeptForTheQueuesWaitButLessThanTheGrace() {
    assertThat(CdsHooksServer.shutdownIdleTimeout(new CdsHooksServer.Limits(1_000, 1,
        Duration.ofSeconds(30), Duration.ofSeconds(10), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(1))))).isEqualTo(2_000);
    // A wait as long as the grace: the stop would time out waiting for idle connections.
    assertThat(CdsHooksServer.shutdownIdleTimeout(new CdsHooksServer.Limits(1_000, 1,
        Duration.ofSeconds(30), Duration.ofSeconds(5), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(10))))).isEqualTo(4_500);
    assertThat(CdsHooksServer.shutdownIdleTimeout(new CdsHooksServer.Limits(1_000, 1,
        Duration.ofSeconds(30), Duration.ofMillis(600), FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(10))))).isEqualTo(300);
    assertThat(CdsHooksServer.shutdownIdleTimeout(new CdsHooksServer.Limits(1_000, 1,
        Duration.ofSeconds(30), Duration.ZERO, FetchLimits.DEFAULT,
        new CdsHooksServer.CallQueue(4, Duration.ofSeconds(2))))).isEqualTo(3_000);
  }

  @Test
  void aCallQueueOutOfRangeIsRefused() {
    assertThatThrownBy(() -> new CdsHooksServer.CallQueue(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 calls");
    assertThatThrownBy(() -> new CdsHooksServer.CallQueue(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThat(new CdsHooksServer.CallQueue(0, Duration.ofMillis(1)).maxCalls()).isZero();
  }

  /**
   * Runs {@code assertion} until it holds, for 10 s at most: a request is access-logged and
   * counted once its answer is written, so maybe just after the client has read it.
   */
  static void eventually(Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  /** The feedback URL of the loose rules' service on {@code server}. */
  static URI feedbackUrl(CdsHooksServer server) {
    return URI.create("http://127.0.0.1:" + server.port() + "/cds-services/"
        + ServiceCatalog.LOOSE_RULES_SERVICE + "/feedback");
  }

  /** The feedback call {@link #FEEDBACK} to the loose rules' service of {@code server}. */
  static HttpRequest feedbackRequest(CdsHooksServer server) {
    return HttpRequest.newBuilder(feedbackUrl(server))
        .POST(HttpRequest.BodyPublishers.ofString(FEEDBACK)).build();
  }

  /**
   * Sends {@code feedback} and returns once the holding sink has it ({@code entered}): the call
   * then holds its place at the door until the sink is released.
   */
  static CompletableFuture<HttpResponse<String>> sendHeld(HttpRequest feedback,
      CountDownLatch entered) throws InterruptedException {
    CompletableFuture<HttpResponse<String>> held =
        HTTP.sendAsync(feedback, HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    return held;
  }

  /** A catalog with the loose rules' service only. */
  static ServiceCatalog looseCatalog() {
    return ServiceCatalog.build(List.of(), p -> null, looseRules(), ServiceMain::cards);
  }

  /** A sink that holds each call: counts {@code entered} down, then waits for {@code release}. */
  static FeedbackSink holding(CountDownLatch entered, CountDownLatch release) {
    return (service, feedback) -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** An engine with one recommending rule, so the catalog has a service to send feedback to. */
  static io.github.cdsengine.core.CdsEngine looseRules() {
    return io.github.cdsengine.core.CdsEngine.builder().addRules(
        io.github.cdsengine.core.testing.TestRules.file("adult.drl",
            io.github.cdsengine.core.testing.TestRules.recommending("Adult", "adult-check",
                "USPSTF:A", "screening", "info", "    PatientAge(years >= 18)", "adult")))
        .build();
  }
}
