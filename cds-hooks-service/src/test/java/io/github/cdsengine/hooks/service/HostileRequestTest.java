package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests shaped by an attacker, sent as raw bytes: whatever they hold, the server answers
 * with a client error, keeps its own state bounded and does not call its own failure a client's.
 */
class HostileRequestTest {

  static final String CALL = "/cds-services/" + ServiceCatalog.LOOSE_RULES_SERVICE;
  static final ObjectMapper JSON = new ObjectMapper();
  static CdsHooksServer server;

  @BeforeAll
  static void start() throws InterruptedException {
    server = ServerConnectionTest.empty().limits(new CdsHooksServer.Limits(100_000, 4,
        Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .catalog(() -> ServiceCatalog.build(List.of(), p -> null,
            ServerConnectionTest.looseRules(), ServiceMain::cards))
        .build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofMinutes(1))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Sends {@code request} as it is and reads the whole answer (the server closes after it). */
  static String raw(String request) throws IOException {
    return raw(request, false);
  }

  /**
   * Sends {@code request} as it is, then, when {@code hangUp}, closes the sending side (as a
   * client that drops a request half-way), and reads the whole answer.
   */
  static String raw(String request, boolean hangUp) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (hangUp) {
        socket.shutdownOutput();
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(answer);
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A POST of {@code body} as JSON to {@code path}, answered and closed. */
  static String post(String path, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return raw("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n"
        + new String(bytes, StandardCharsets.ISO_8859_1));
  }

  /** The JSON body of an answer. */
  static JsonNode body(String answer) throws IOException {
    return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }

  static Set<String> tagValues(String meter, String tag) {
    return server.registry().find(meter).timers().stream()
        .map(timer -> timer.getId().getTag(tag)).collect(Collectors.toSet());
  }

  @Test
  void methodsTheClientInventsDoNotEachMakeANewMetric() throws Exception {
    // Any token is a method to Jetty, and Javalin routes it (to a 404): each distinct one
    // must not become a new time series, or a client fills the heap and /metrics.
    long others = othersCounted();
    for (int i = 0; i < 30; i++) {
      String method = "X" + (char) ('A' + i % 26) + (char) ('A' + i / 26);
      assertThat(raw(method + " /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 4");
    }
    assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    assertThat(tagValues("cds.http.requests", "method")).contains("GET")
        .isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", "OTHER");
    assertThat(othersCounted()).isEqualTo(others + 30);
  }

  static long othersCounted() {
    return server.registry().find("cds.http.requests").tag("method", "OTHER").timers().stream()
        .mapToLong(Timer::count).sum();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "null", "1", "\"patient-view\"", "true"})
  void aRequestThatIsNotAJsonObjectIs400WithoutTheServersInnards(String body) throws Exception {
    String answer = post(CALL, body);
    assertThat(answer).startsWith("HTTP/1.1 400");
    JsonNode problem = body(answer);
    assertThat(problem.path("path").asText()).isEqualTo("$");
    assertThat(problem.path("error").asText()).startsWith("expected a JSON object")
        .doesNotContain("Exception", "io.github");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e2147483648", "1e-2147483649", "0.0e-99999999999"})
  void aNumberNoDecimalHoldsIs400WithoutTheServersInnards(String number) throws Exception {
    String answer = post(CALL, "{\"hook\": \"patient-view\", \"hookInstance\": \"h1\", "
        + "\"context\": {\"patientId\": \"p1\", \"userId\": \"Practitioner/1\"}, "
        + "\"extension\": {\"n\": " + number + "}}");
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(body(answer).path("error").asText()).startsWith("not usable JSON")
        .doesNotContain("Exception", "java.lang");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 500\r\n\r\n{\"hook\": ",
      "Transfer-Encoding: chunked\r\n\r\n9\r\n{\"hook\": \r\n"})
  void aBodyCutShortByTheClientIsTheClientsErrorNotTheServers(String rest) throws Exception {
    // Jetty 12 reports it as an HttpEofException, which Javalin's check for a client's abort
    // (the exact class EofException) misses: it reached the catch-all 500 and an ERROR log.
    for (String path : List.of(CALL, CALL + "/feedback")) {
      String answer = raw("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\n" + rest, true);
      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    assertThat(tagValues("cds.http.requests", "status")).doesNotContain("500");
  }

  @Test
  void aBodyDeclaredLargerThanTwoGibibytesIsRefusedAtOnce() throws Exception {
    // The servlet's int content length is -1 past Integer.MAX_VALUE, which read as "not
    // declared": the server waited for a body it would refuse anyway, until the idle timeout.
    String answer = raw("POST " + CALL + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: 3000000000\r\n\r\n{}");
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(body(answer).path("error").asText()).contains("3000000000 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // A second document after the first: read by one parser, ignored by another.
      "{\"feedback\": [ENTRY]} {\"feedback\": []}",
      // One key twice: which outcome counts depends on the parser.
      "{\"feedback\": [{\"card\": \"c1\", \"outcome\": \"accepted\", "
          + "\"outcome\": \"overridden\", \"outcomeTimestamp\": \"2026-01-01T00:00:00Z\"}]}",
      "{\"feedback\": [ENTRY], \"feedback\": [ENTRY]}"})
  void feedbackThatParsersReadDifferentlyIsRefused(String body) throws Exception {
    String entry = "{\"card\": \"c1\", \"outcome\": \"overridden\", "
        + "\"outcomeTimestamp\": \"2026-01-01T00:00:00Z\"}";
    String answer = post(CALL + "/feedback", body.replace("ENTRY", entry));
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(body(answer).path("path").asText()).isEqualTo("$");
  }
}
