package io.github.cdsengine.hooks.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.slf4j.LoggerFactory;

/**
 * Keeps the request headers, and with them the clients' bearer tokens, out of the log at every
 * level: Jetty's HTTP parser logs each header it parses, {@code Authorization} included, at
 * DEBUG. The parser's logger is held at INFO by a level of its own (so a more verbose level set on
 * {@code org.eclipse.jetty} or the root does not reach it), and any later change of that logger's
 * level below INFO, or a reset of the logging configuration, puts INFO back at once. A guard on the
 * level rather than a Logback turbo filter: a turbo filter is consulted by every {@code
 * isDebugEnabled}/{@code isTraceEnabled} call of every logger (the rule engine makes many per
 * evaluation), the level costs nothing per call. Logback only: the server installs it when Logback
 * is the SLF4J backend.
 *
 * <p>Jetty's parser reads its logger's level once, when its connection is made, and logs (or not)
 * for the life of that connection. So the server also checks the level before it makes each
 * connection ({@link #beforeParser()}): a change the listener did not see (a logging context
 * stopped and started again drops every listener, this one included) is undone before any
 * header of the new connection is parsed.
 */
final class HeaderLogFilter implements LoggerContextListener {

  /** The logger of Jetty's HTTP/1 parser. */
  static final String PARSER = "org.eclipse.jetty.http.HttpParser";

  private final LoggerContext context;

  private HeaderLogFilter(LoggerContext context) {
    this.context = context;
  }

  /** Holds the parser's logger at INFO or above, now and after every later change. */
  static void install() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    synchronized (context) {
      if (context.getCopyOfListenerList().stream().noneMatch(HeaderLogFilter.class::isInstance)) {
        context.addListener(new HeaderLogFilter(context));
      }
      clamp(context.getLogger(PARSER));
    }
  }

  /**
   * Called before each connection's parser is made: when the parser's logger would log DEBUG
   * (the guard was lost or bypassed), puts the guard back first. One level check per connection.
   */
  static void beforeParser() {
    if (LoggerFactory.getLogger(PARSER).isDebugEnabled()) {
      install();
    }
  }

  private static void clamp(Logger parser) {
    Level level = parser.getLevel();
    if (level == null || !level.isGreaterOrEqual(Level.INFO)) {
      parser.setLevel(Level.INFO);
    }
  }

  @Override
  public boolean isResetResistant() {
    return true;
  }

  @Override
  public void onStart(LoggerContext loggerContext) {
    clamp(context.getLogger(PARSER));
  }

  @Override
  public void onReset(LoggerContext loggerContext) {
    clamp(context.getLogger(PARSER));
  }

  @Override
  public void onStop(LoggerContext loggerContext) {
    // Nothing is logged once the context stops.
  }

  @Override
  public void onLevelChange(Logger logger, Level level) {
    if (PARSER.equals(logger.getName())) {
      clamp(logger);
    }
  }
}
