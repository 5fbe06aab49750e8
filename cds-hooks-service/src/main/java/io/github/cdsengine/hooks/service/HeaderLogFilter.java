package io.github.cdsengine.hooks.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the request headers, and with them the clients' bearer tokens, out of the log at every
 * level: Jetty's HTTP parser logs each header it parses, {@code Authorization} included, at
 * DEBUG. It denies that parser's events below INFO, whatever its logger's level, before they are
 * formatted. Logback only: the server installs it when Logback is the SLF4J backend.
 */
final class HeaderLogFilter extends TurboFilter {

  /** The logger of Jetty's HTTP/1 parser. */
  static final String PARSER = "org.eclipse.jetty.http.HttpParser";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    return PARSER.equals(logger.getName()) && level != null && !level.isGreaterOrEqual(Level.INFO)
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /** Adds the filter to Logback's context, unless it is there already. */
  static void install() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    synchronized (context) {
      if (context.getTurboFilterList().stream().noneMatch(HeaderLogFilter.class::isInstance)) {
        HeaderLogFilter filter = new HeaderLogFilter();
        filter.setName("cds-hooks-service: no request headers in the log");
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
      }
    }
  }
}
