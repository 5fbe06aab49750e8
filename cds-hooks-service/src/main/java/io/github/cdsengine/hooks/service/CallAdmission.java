package io.github.cdsengine.hooks.service;

import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The door of the service calls ({@code POST /cds-services/...}): at most so many are handled at
 * once; the next ones wait in a bounded queue, without holding a thread, for at most a set time;
 * a call that finds the queue full, or waits its time out, is answered 503 with {@code
 * Retry-After: 1} and a JSON error at once. So under more load than the machine can evaluate,
 * every request gets an answer (its cards, or a quick 503 the client can retry), the calls the
 * service does answer keep a bounded latency, and memory stays bounded, instead of requests
 * queueing in the server without end until clients time out.
 *
 * <p>Jetty's {@link QoSHandler} does the admission. A call it refuses is marked with {@link
 * #BUSY} and handed on to the routes without a place: the route answers it 503 before any other
 * work, so the refusal has what every other answer has (its CORS headers, its access-log line
 * with the route and service, its request metric).
 */
final class CallAdmission extends QoSHandler {

  /** The request attribute that marks a call refused at the door. */
  static final String BUSY = CallAdmission.class.getName() + ".busy";

  /**
   * An admission for service calls.
   *
   * @param maxCalls calls handled at once
   * @param queue how many calls may wait beyond them, and for how long
   */
  CallAdmission(int maxCalls, CdsHooksServer.CallQueue queue) {
    setMaxRequestCount(maxCalls);
    setMaxSuspendedRequestCount(queue.maxCalls());
    setMaxSuspend(queue.maxWait());
    setRejectStatusCode(503);
    includeMethod("POST");
    includePath("/cds-services/*");
  }

  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    busy(request, response, callback);
  }

  @Override
  protected void failSuspended(Request request, Response response, Callback callback, int status,
      Throwable failure) {
    if (failure instanceof TimeoutException) {
      busy(request, response, callback);
    } else {
      // A call that was let in after waiting and then failed (or was not handled): its own
      // error, not a "busy" it never was.
      super.failSuspended(request, response, callback, status, failure);
    }
  }

  private void busy(Request request, Response response, Callback callback) {
    request.setAttribute(BUSY, Boolean.TRUE);
    try {
      if (!nextHandler(request, response, callback)) {
        Response.writeError(request, response, callback, 503);
      }
    } catch (Exception e) {
      Response.writeError(request, response, callback, 503, null, e);
    }
  }
}
