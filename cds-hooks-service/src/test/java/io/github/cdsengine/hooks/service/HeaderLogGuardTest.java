package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The request headers (client tokens) stay out of the log when the logging configuration is
 * reloaded asking for the parser's DEBUG lines, and even when the logging context is stopped and
 * started again while the server runs (a host that re-initializes its logging does so), which
 * drops every listener of the logging context, the header guard's included.
 */
class HeaderLogGuardTest {

  private static final String TOKEN = "Bearer eyJhbGciOiJFUzM4NCJ9.c2VjcmV0LWNsYWltcw.sig-4f1c9e";

  @Test
  void noHeaderIsLoggedAfterAConfigurationReloadAsksForTheParsersDebugLines() throws Exception {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    try (CdsHooksServer server = ServerConnectionTest.empty().build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      // What a scan="true" reload or a host's reconfiguration does: reset, then configure.
      logging.reset();
      ch.qos.logback.classic.joran.JoranConfigurator configurator =
          new ch.qos.logback.classic.joran.JoranConfigurator();
      configurator.setContext(logging);
      configurator.doConfigure(new java.io.ByteArrayInputStream(("<configuration>"
          + "<logger name=\"org.eclipse.jetty\" level=\"TRACE\"/>"
          + "<logger name=\"" + HeaderLogFilter.PARSER + "\" level=\"TRACE\"/>"
          + "<root level=\"TRACE\"/></configuration>").getBytes(StandardCharsets.UTF_8)));
      captured.setContext(logging);
      captured.start();
      logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
      assertThat(logging.getLogger(HeaderLogFilter.PARSER).getEffectiveLevel())
          .isEqualTo(Level.INFO);
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/cds-services"))
          .header("Authorization", TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      List<String> lines;
      // Copied under the appender's lock, formatted outside it: formatting calls toString on
      // Jetty's objects, which takes their locks, and a Jetty thread holding one may be waiting
      // to append.
      lines = ClientAuthenticationTest.logged(captured).stream().map(e -> e.getLoggerName() + " "
          + e.getFormattedMessage()).toList();
      assertThat(lines).as("Jetty logs at TRACE for the test to mean anything")
          .anySatisfy(line -> assertThat(line).startsWith("org.eclipse.jetty"));
      assertThat(lines).noneSatisfy(line -> assertThat(line).contains("c2VjcmV0LWNsYWltcw"));
    } finally {
      captured.stop();
      logging.reset();
      new ContextInitializer(logging).autoConfig();
      HeaderLogFilter.install();
    }
  }

  @Test
  void noHeaderIsLoggedAfterTheLoggingContextIsStoppedAndStartedAgain() throws Exception {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger parser = logging.getLogger(HeaderLogFilter.PARSER);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    try (CdsHooksServer server = ServerConnectionTest.empty().build().start("127.0.0.1", 0)) {
      assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
      // A host re-initializes its logging: stop, start, then its configuration, which here
      // asks for the parser's DEBUG lines.
      logging.stop();
      logging.start();
      captured.setContext(logging);
      captured.start();
      logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
      parser.setLevel(Level.DEBUG);
      // A new client: a new connection, whose parser is made after the change.
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + server.port() + "/cds-services"))
          .header("Authorization", TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      List<String> lines;
      // Copied under the appender's lock, formatted outside it: formatting calls toString on
      // Jetty's objects, which takes their locks, and a Jetty thread holding one may be waiting
      // to append.
      lines = ClientAuthenticationTest.logged(captured).stream().map(e -> e.getLoggerName() + " "
          + e.getFormattedMessage()).toList();
      assertThat(lines).noneSatisfy(line -> assertThat(line).contains("c2VjcmV0LWNsYWltcw"));
    } finally {
      captured.stop();
      logging.reset();
      new ContextInitializer(logging).autoConfig();
      HeaderLogFilter.install();
    }
  }
}
