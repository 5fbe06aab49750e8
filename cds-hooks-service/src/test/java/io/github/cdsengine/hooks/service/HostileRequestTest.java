package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests shaped by an attacker, sent as raw bytes: whatever they hold, the server answers
 * with a client error, keeps its own state bounded and does not call its own failure a client's.
 */
class HostileRequestTest {

  static CdsHooksServer server;

  @BeforeAll
  static void start() throws InterruptedException {
    server = ServerConnectionTest.empty().limits(new CdsHooksServer.Limits(100_000, 4,
        Duration.ofSeconds(5), Duration.ofSeconds(1))).build().start("127.0.0.1", 0);
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Sends {@code request} as it is and reads the whole answer (the server closes after it). */
  static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(answer);
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  static Set<String> tagValues(String meter, String tag) {
    return server.registry().find(meter).timers().stream()
        .map(timer -> timer.getId().getTag(tag)).collect(Collectors.toSet());
  }

  @Test
  void methodsTheClientInventsDoNotEachMakeANewMetric() throws Exception {
    // Any token is a method to Jetty, and Javalin routes it (to a 404): each distinct one
    // must not become a new time series, or a client fills the heap and /metrics.
    for (int i = 0; i < 30; i++) {
      String method = "X" + (char) ('A' + i % 26) + (char) ('A' + i / 26);
      assertThat(raw(method + " /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 4");
    }
    assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    assertThat(tagValues("cds.http.requests", "method")).containsExactlyInAnyOrder("GET",
        "OTHER");
    assertThat(server.registry().find("cds.http.requests").tag("method", "OTHER").timers())
        .extracting(Timer::count).containsExactly(30L);
  }
}
