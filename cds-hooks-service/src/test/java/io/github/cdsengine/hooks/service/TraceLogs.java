package io.github.cdsengine.hooks.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every logger at TRACE with every event captured, the console appenders off, until closed; then
 * the levels and appenders are put back. For the tests that look for tokens and patient data in
 * everything the service, Javalin, Jetty and the engine log.
 */
final class TraceLogs implements AutoCloseable {

  private final Logger root;
  private final Map<Logger, Level> levels = new HashMap<>();
  private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
  /** Each event keeps its thread's name as it is logged (logback reads it lazily otherwise). */
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };

  private TraceLogs() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logging.getLoggerList().forEach(l -> levels.put(l, l.getLevel()));
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    captured.setContext(logging);
    captured.start();
    root.addAppender(captured);
    logging.getLoggerList().forEach(l -> l.setLevel(Level.TRACE));
  }

  /** Starts capturing. */
  static TraceLogs start() {
    return new TraceLogs();
  }

  /** What was captured so far; the appender appends under its own lock. */
  List<ILoggingEvent> events() {
    synchronized (captured) {
      return List.copyOf(captured.list);
    }
  }

  /** Stops capturing (threads may still be logging) and puts levels and appenders back. */
  @Override
  public void close() {
    captured.stop();
    root.detachAppender(captured);
    console.forEach(root::addAppender);
    levels.forEach(Logger::setLevel);
  }
}
