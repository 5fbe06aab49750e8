package io.github.cdsengine.hooks.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the service calls ({@code POST /cds-services/...}): at most so many are handled at
 * once; the next ones wait in a bounded queue, without holding a thread, for at most a set time;
 * a call that finds the queue full, or waits its time out, is answered 503 with {@code
 * Retry-After: 1} and a JSON error at once. So under more load than the machine can evaluate,
 * every request gets an answer (its cards, or a quick 503 the client can retry), the calls the
 * service does answer keep a bounded latency, and memory stays bounded, instead of requests
 * queueing in the server without end until clients time out.
 *
 * <p>Jetty's {@link QoSHandler} does the admission; this class answers its refusals in the
 * service's JSON, counts them in {@code cds.calls.busy}, and writes their access-log line (they
 * never reach the routes that write the others).
 */
final class CallAdmission extends QoSHandler {

  private static final Logger ACCESS =
      LoggerFactory.getLogger("io.github.cdsengine.hooks.service.access");
  private static final byte[] BUSY = "{\"error\":\"busy: too many calls waiting; retry\"}"
      .getBytes(StandardCharsets.UTF_8);

  private final Counter shed;

  /**
   * An admission for service calls.
   *
   * @param maxCalls calls handled at once
   * @param queue how many calls may wait beyond them, and for how long
   * @param registry where refusals are counted
   */
  CallAdmission(int maxCalls, CdsHooksServer.CallQueue queue, MeterRegistry registry) {
    setMaxRequestCount(maxCalls);
    setMaxSuspendedRequestCount(queue.maxCalls());
    setMaxSuspend(queue.maxWait());
    setRejectStatusCode(503);
    includeMethod("POST");
    includePath("/cds-services/*");
    this.shed = registry.counter("cds.calls.busy");
  }

  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    busy(request, response, callback);
  }

  @Override
  protected void failSuspended(Request request, Response response, Callback callback, int status,
      Throwable failure) {
    busy(request, response, callback);
  }

  private void busy(Request request, Response response, Callback callback) {
    shed.increment();
    long nanos = System.nanoTime() - request.getBeginNanoTime();
    ACCESS.info("{} call service=- status=503 latency_ms={} patient=-", request.getMethod(),
        String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6));
    response.setStatus(503);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(BUSY), callback);
  }
}
