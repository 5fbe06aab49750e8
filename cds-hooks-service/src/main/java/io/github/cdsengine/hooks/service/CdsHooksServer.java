package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.problem.CdsException;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDS Hooks 2.0 service over HTTP: discovery ({@code GET /cds-services}), service calls
 * ({@code POST /cds-services/{id}}), feedback ({@code POST /cds-services/{id}/feedback}),
 * {@code GET /health}, {@code GET /metrics} (Prometheus text), and a card viewer at
 * {@code GET /}: a page that sends a bundled example or pasted request to a service and shows
 * the cards as an EHR would, with their feedback buttons (its files under {@code /viewer/}, with
 * a strict Content-Security-Policy).
 *
 * <p>The server listens at once and builds its rule engines in the background; until they are
 * built {@code /health} says it is not ready and service calls are answered 503. Every request
 * to discovery, a service or its feedback passes the {@link ClientAuthenticator} first: one it
 * refuses is answered 401 and never read further (and is access-logged and counted like any
 * other); a path under {@code /cds-services} that names none of them is 404. The evaluation instant of a call is read from the
 * server's clock when the call arrives.
 *
 * <p>Each call is evaluated with the patient's snoozes and acknowledgements as the {@link
 * FeedbackSink} keeps them, and with the {@linkplain Builder#interruptiveBudget interruptive-alert
 * budget} over the cards of the service called: by default {@link #DEFAULT_INTERRUPTIVE_BUDGET}.
 *
 * <p>The access log (logger {@code io.github.cdsengine.hooks.service.access}) carries the
 * service id, the status, the latency and the patient only as a keyed hash (with a key drawn
 * for this process): never a token, never patient data.
 */
public final class CdsHooksServer implements AutoCloseable {

  /**
   * The service's interruptive-alert budget unless another is set: at most {@value
   * #DEFAULT_MAX_INTERRUPTIVE_CARDS} {@code critical} or {@code warning} cards per call, and a
   * recommendation a clinician acknowledged for the patient not interruptive again for {@value
   * #DEFAULT_REPEAT_WINDOW_HOURS} hours. A site policy to review, not a clinical threshold.
   */
  public static final InterruptiveBudget DEFAULT_INTERRUPTIVE_BUDGET =
      InterruptiveBudget.of(CdsHooksServer.DEFAULT_MAX_INTERRUPTIVE_CARDS,
          Duration.ofHours(CdsHooksServer.DEFAULT_REPEAT_WINDOW_HOURS));
  /** The most interruptive cards per call by default. */
  public static final int DEFAULT_MAX_INTERRUPTIVE_CARDS = 2;
  /** The repeat window after an acknowledgement by default, in hours. */
  public static final int DEFAULT_REPEAT_WINDOW_HOURS = 24;

  /**
   * How far ahead of the server's clock a feedback entry's {@code outcomeTimestamp} may be
   * unless another allowance is set: 60 s, as for client tokens' times. Beyond it the entry is
   * answered 400 naming its path; an EHR clock that far ahead needs fixing, and a snooze taken
   * at its word would start later than the clinician acted.
   */
  public static final Duration DEFAULT_FEEDBACK_CLOCK_SKEW = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(CdsHooksServer.class);
  private static final Logger ACCESS =
      LoggerFactory.getLogger("io.github.cdsengine.hooks.service.access");
  /**
   * Reads feedback as strictly as the reader reads calls: a key given twice or content after
   * the document is malformed, not left to whichever reading a parser picks.
   */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final String AUDIT_PATIENT = "cds.audit.patient";
  private static final String START = "cds.start";
  private static final String ROUTE = "cds.route";
  /**
   * The request methods the request metric names; any other is counted as {@code OTHER}, since
   * a method is any token a client sends and each would otherwise make a new time series.
   */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
      "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private final Settings settings;
  private final AtomicReference<ServiceCatalog> catalog = new AtomicReference<>();
  private final AtomicReference<String> failedStart = new AtomicReference<>();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Each service's meters, registered at its first call and kept (no registry lookup per call). */
  private final java.util.concurrent.ConcurrentHashMap<String, ServiceMeters> serviceMeters =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The request timer per method, route and status, kept like the service meters. */
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> requestTimers =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Calls refused at the door: too many waiting, or waited too long. */
  private final io.micrometer.core.instrument.Counter busyCalls =
      registry.counter("cds.calls.busy");
  private final byte[] auditKey = new byte[AuditRecord.MIN_KEY_BYTES];
  private final FhirReader reader = FhirReader.create();
  private final CardViewer viewer = CardViewer.load();
  private final PrefetchCompletion prefetch;
  private Javalin app;
  private ServerConnector connector;
  private Thread builder;

  private CdsHooksServer(Settings settings) {
    this.settings = settings;
    new SecureRandom().nextBytes(auditKey);
    this.prefetch = new PrefetchCompletion(new FhirFetcher(settings.limits().fetch()), reader,
        registry, settings.web().fhirServers());
    // Heap, threads and CPU beside the calls' own figures: what a load test watches.
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
  }

  /**
   * A builder for a server.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts listening on {@code host}:{@code port} and builds the services in the background.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port the port; 0 for any free one (see {@link #port()})
   * @return this server
   */
  public CdsHooksServer start(String host, int port) {
    boolean logback = LoggerFactory.getILoggerFactory().getClass().getName()
        .equals("ch.qos.logback.classic.LoggerContext");
    if (logback) {
      // Before Jetty parses a request: its parser would log each header, tokens included.
      HeaderLogFilter.install();
    }
    if (settings.authenticator().allowsUnauthenticated()) {
      LOG.warn("DEVELOPMENT MODE: client authentication is OFF; any caller can evaluate. "
          + "Never expose this server to a network.");
    }
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = settings.maxRequestBytes();
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        // Javalin puts its handlers inside this one: service calls pass the admission first.
        server.setHandler(new CallAdmission(settings.maxConcurrentCalls(),
            settings.limits().queue()));
      });
      config.jetty.addConnector((server, http) -> {
        // Jetty caches each connection's header fields no longer than this: a client token
        // (over 600 characters, new at every call) is then never cached, where with Jetty's
        // default (1,024) each new token filled the cache and cleared it at every request.
        http.setHeaderCacheSize(512);
        ServerConnector connector = new ServerConnector(server, logback
            ? new HttpConnectionFactory(http) {
              @Override
              public org.eclipse.jetty.io.Connection newConnection(
                  org.eclipse.jetty.server.Connector on, org.eclipse.jetty.io.EndPoint endPoint) {
                // The parser made with the connection reads its logger's level once, for
                // the connection's life: the guard is checked before it is made.
                HeaderLogFilter.beforeParser();
                return super.newConnection(on, endPoint);
              }
            }
            : new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        // A client that stops sending (or reading) for this long is cut off.
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        // When the server stops, Jetty cuts every connection idle this long (1 s by default),
        // and a call waiting at the door is idle: it was cut with an empty 408 while the
        // grace still ran. It gets its turn, or the door's 503 when its wait is over, first.
        connector.setShutdownIdleTimeout(shutdownIdleTimeout(settings.limits()));
        this.connector = connector;
        return connector;
      });
      if (!settings.corsOrigins().isEmpty()) {
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
          settings.corsOrigins().forEach(rule::allowHost);
          rule.exposeHeader("Content-Type");
        }));
      }
      config.routes.before(ctx -> ctx.attribute(START, arrival(ctx)));
      // Authenticated in the handler, not in a before filter that would have to skip every
      // later handler to stop: a refusal is access-logged, counted and has its CORS headers.
      config.routes.get("/cds-services", routed("discovery", authenticated(this::discovery)));
      // Else Javalin answers HEAD from the GET route's existence, 200, without calling it.
      config.routes.head("/cds-services", routed("discovery", authenticated(this::discovery)));
      config.routes.post("/cds-services/{id}", routed("call", authenticated(this::call)));
      config.routes.post("/cds-services/{id}/feedback",
          routed("feedback", authenticated(this::feedback)));
      config.routes.get("/", routed("viewer", this::viewer));
      config.routes.get("/viewer/*", routed("viewer", this::viewer));
      config.routes.get("/health", routed("health", this::health));
      config.routes.get("/metrics", routed("metrics", ctx -> ctx.contentType(
          "text/plain; version=0.0.4; charset=utf-8").result(registry.scrape())));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("unexpected failure answering {} {} ({})", ctx.method(), route(ctx),
            e.getClass().getName());
        problem(ctx, 500, "internal error", null);
      });
      // Once the answer is final: after handlers may still change it (the CORS plugin's turns
      // a preflight's 404 into 200 after any of ours would run).
      config.requestLogger.http((ctx, millis) -> accessLog(ctx));
    });
    app.start();
    builder = new Thread(this::buildCatalog, "cds-hooks-service-build");
    builder.setDaemon(true);
    builder.start();
    return this;
  }

  /**
   * When the request reached the server ({@link System#nanoTime()}): before any wait at the
   * door, so that a call's latency is what its client waited.
   */
  private static long arrival(Context ctx) {
    org.eclipse.jetty.ee10.servlet.ServletContextRequest request =
        org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
    return request == null ? System.nanoTime() : request.getBeginNanoTime();
  }

  private Handler routed(String route, Handler handler) {
    return ctx -> {
      ctx.attribute(ROUTE, route);
      // The CORS plugin sets 400 for an origin it does not allow, yet lets the request go on:
      // the answer is the one every client gets (the browser withholds it, lacking the allow
      // header), not a full answer under a 400.
      ctx.status(200);
      if (ctx.attribute(CallAdmission.BUSY) != null) {
        busy(ctx);
        return;
      }
      handler.handle(ctx);
    };
  }

  /**
   * Answers a call the door refused ({@link CallAdmission}): 503 with {@code Retry-After}, before
   * anything else is done for it (not even authentication), counted in {@code cds.calls.busy}.
   */
  private void busy(Context ctx) {
    ServiceCatalog built = catalog.get();
    String id = ctx.pathParamMap().get("id");
    if (built != null && id != null && built.service(id).isPresent()) {
      ctx.attribute("cds.service", id);
    }
    busyCalls.increment();
    ctx.header("Retry-After", "1");
    problem(ctx, 503, "busy: too many calls waiting; retry", null);
  }

  private void buildCatalog() {
    long start = System.nanoTime();
    try {
      catalog.set(settings.catalog().get());
      LOG.info("ready: {} services in {} ms", catalog.get().services().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (RuntimeException e) {
      failedStart.set(e.getClass().getSimpleName() + ": " + e.getMessage());
      LOG.error("the services could not be built: {}", e.getMessage());
    }
  }

  /**
   * Waits until the services are built (or failed to build).
   *
   * @param timeout how long to wait at most
   * @return true when ready
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    builder.join(timeout.toMillis());
    return ready();
  }

  /**
   * Whether the services are built and calls are answered.
   *
   * @return true when ready
   */
  public boolean ready() {
    return catalog.get() != null;
  }

  /**
   * The port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * The registry behind {@code /metrics}.
   *
   * @return the registry
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops listening, lets calls in flight finish (up to the shutdown grace), closes engines. */
  @Override
  public void close() {
    try {
      if (app != null) {
        app.stop();
      }
    } catch (RuntimeException e) {
      if (!timedOut(e)) {
        throw e;
      }
      // Jetty has stopped all the same: what was still open at the end of the grace was cut.
      LOG.warn("calls or connections still open {} ms after the stop began were cut",
          settings.shutdownGrace().toMillis());
    } finally {
      ServiceCatalog built = catalog.getAndSet(null);
      if (built != null) {
        built.close();
      }
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** {@code handler}, run only for a request from a trusted client; others are answered 401. */
  private Handler authenticated(Handler handler) {
    return ctx -> {
      if (authenticate(ctx)) {
        handler.handle(ctx);
      }
    };
  }

  /** Whether the request is from a trusted client; when not, it is answered 401. */
  private boolean authenticate(Context ctx) {
    if (ctx.queryParamMap().keySet().stream().anyMatch(k -> k.equalsIgnoreCase("access_token")
        || k.equalsIgnoreCase("token") || k.equalsIgnoreCase("authorization"))) {
      refuse(ctx, "a token in the query string is refused: send it in the Authorization "
          + "header");
      return false;
    }
    try {
      ClientAuthenticator.Client client = settings.authenticator().authenticate(
          ctx.header("Authorization"), audience(ctx));
      ctx.attribute("cds.client", client.issuer());
      return true;
    } catch (ClientAuthenticator.Unauthenticated e) {
      refuse(ctx, e.getMessage());
      return false;
    }
  }

  /** Answers 401 with why. */
  private void refuse(Context ctx, String why) {
    registry.counter("cds.auth.refused").increment();
    ctx.header("WWW-Authenticate", "Bearer");
    problem(ctx, 401, "unauthenticated: " + why, null);
  }

  /** The URL the client addressed: the service's URL, the token's audience. */
  private String audience(Context ctx) {
    String base = settings.publicUrl();
    if (base == null) {
      base = ctx.scheme() + "://" + ctx.host();
    }
    return base.endsWith("/") ? base.substring(0, base.length() - 1) + ctx.path()
        : base + ctx.path();
  }

  private void discovery(Context ctx) {
    ServiceCatalog built = catalog.get();
    if (built == null) {
      notReady(ctx);
      return;
    }
    ctx.contentType("application/json").result(built.discovery().toJson());
  }

  private void call(Context ctx) throws IOException {
    long start = System.nanoTime();
    ServiceCatalog built = catalog.get();
    if (built == null) {
      notReady(ctx);
      return;
    }
    String id = ctx.pathParam("id");
    ServedService service = built.service(id).orElse(null);
    if (service == null) {
      problem(ctx, 404, "no service '" + id + "'", null);
      return;
    }
    ctx.attribute("cds.service", id);
    byte[] body = body(ctx);
    if (body == null) {
      return;
    }
    CdsHooksRequest request;
    try {
      request = reader.readCdsHooksRequest(new ByteArrayInputStream(body), "request");
    } catch (InvalidDataException e) {
      problem(ctx, 400, problemOf(e), e.path());
      return;
    } catch (CdsException e) {
      problem(ctx, 400, e.getMessage(), null);
      return;
    }
    ctx.attribute(AUDIT_PATIENT, AuditRecord.patientHash(request.patientId(), auditKey));
    try {
      // The hook is the service's and the hook's required context is there.
      service.discovery().check(request, "request");
    } catch (InvalidDataException e) {
      problem(ctx, 400, problemOf(e), e.path());
      return;
    }
    // Data the service's templates ask for and the request lacks: fetched, or answered 412.
    PrefetchCompletion.Completion completion = prefetch.complete(body, request, service);
    if (completion instanceof PrefetchCompletion.Unavailable unavailable) {
      ctx.status(412).contentType("application/json").result(unavailable.toJson());
      return;
    }
    PrefetchCompletion.Ready ready = (PrefetchCompletion.Ready) completion;
    request = ready.request();
    // The site's budget over this service's cards, and the patient's snoozes and
    // acknowledgements from the feedback kept.
    EvaluationContext context = settings.feedback().withClinicianResponses(request,
        EvaluationContext.at(settings.clock().instant(), settings.zone())
            .withInterruptiveBudget(settings.interruptiveBudget()
                .onlyFor(service.definition().recommendations())));
    EvaluationResult result = service.engine().evaluate(request.record(), context);
    CdsHooksResponse response = service.cards().response(request, result, service.definition())
        .withWarnings(result.warnings()).withWarnings(ready.notes());
    // What each card stood for, for the feedback on it; before the client can see the cards.
    settings.feedback().returned(id, request, result, response);
    if (!result.failures().isEmpty()) {
      meters(id).failures().increment(result.failures().size());
    }
    ServiceMeters meters = meters(id);
    meters.cards().increment(response.cards().size());
    ctx.contentType("application/json").result(response.toJson());
    meters.calls().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void feedback(Context ctx) throws IOException {
    ServiceCatalog built = catalog.get();
    if (built == null) {
      notReady(ctx);
      return;
    }
    String id = ctx.pathParam("id");
    if (built.service(id).isEmpty()) {
      problem(ctx, 404, "no service '" + id + "'", null);
      return;
    }
    ctx.attribute("cds.service", id);
    byte[] body = body(ctx);
    if (body == null) {
      return;
    }
    List<Feedback> entries;
    try {
      entries = Feedback.read(JSON.readTree(body));
    } catch (BadRequest e) {
      problem(ctx, 400, e.getMessage(), e.path());
      return;
    } catch (IOException e) {
      problem(ctx, 400, "malformed JSON", "$");
      return;
    }
    // The service's receipt time: a snooze starts no later than this (see StoredFeedback).
    Instant received = settings.clock().instant();
    Duration skew = settings.feedbackClockSkew();
    for (int i = 0; i < entries.size(); i++) {
      Instant outcome = entries.get(i).outcomeTimestamp();
      if (skew != null && outcome.isAfter(received.plus(skew))) {
        problem(ctx, 400, "the outcome time " + outcome + " is "
            + Duration.between(received, outcome).toMillis() + " ms ahead of the service's "
            + "clock (" + received + "); at most " + skew.toMillis() + " ms of clock skew is "
            + "allowed; no feedback of this request was kept",
            "$.feedback[" + i + "].outcomeTimestamp");
        return;
      }
      if (!settings.feedback().knows(id, entries.get(i).card())) {
        problem(ctx, 404, "service '" + id + "' returned no card '" + entries.get(i).card()
            + "' that it knows of (in memory or in the feedback store); no feedback of this "
            + "request was kept",
            "$.feedback[" + i + "].card");
        return;
      }
    }
    for (Feedback entry : entries) {
      settings.feedback().accept(id, entry, received);
      registry.counter("cds.feedback", "service", id, "outcome",
          entry.outcome().name().toLowerCase(java.util.Locale.ROOT)).increment();
    }
    ctx.status(200).contentType("application/json").result("{}");
  }

  /** The body, at most the limit; null (the answer sent) when it is larger. */
  private byte[] body(Context ctx) throws IOException {
    // The long form: the int one is -1, "not declared", past Integer.MAX_VALUE bytes.
    long declared = ctx.req().getContentLengthLong();
    long limit = settings.maxRequestBytes();
    if (declared > limit) {
      problem(ctx, 413, "the request body is " + declared + " bytes; the limit is " + limit,
          null);
      return null;
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > limit) {
        problem(ctx, 413, "the request body is over the limit of " + limit + " bytes", null);
        return null;
      }
      return bytes;
    } catch (EofException e) {
      // The client hung up half-way. Jetty 12 throws a subclass, which Javalin's own check
      // for a client's abort (this exact class) misses: it would be a 500 and an ERROR log.
      problem(ctx, 400, "the request body ended before it was complete", null);
      return null;
    }
  }

  /** A file of the card viewer; the page itself at {@code /}. */
  private void viewer(Context ctx) {
    CardViewer.Asset asset = viewer.at(ctx.path()).orElse(null);
    if (asset == null) {
      problem(ctx, 404, "the card viewer has no file '" + ctx.path() + "'", null);
      return;
    }
    ctx.header("Content-Security-Policy", CardViewer.CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(asset.contentType()).result(asset.content());
  }

  private void health(Context ctx) {
    ObjectNode health = JSON.createObjectNode();
    boolean ready = ready();
    health.put("status", ready ? "UP" : failedStart.get() != null ? "FAILED" : "STARTING");
    health.put("ready", ready);
    if (failedStart.get() != null) {
      health.put("problem", failedStart.get());
    }
    if (ready) {
      health.put("services", catalog.get().services().size());
    }
    health.put("authentication", settings.authenticator().allowsUnauthenticated()
        ? "OFF (development mode: any caller can evaluate)" : "required");
    ctx.status(ready ? 200 : 503).contentType("application/json").result(health.toString());
  }

  private void notReady(Context ctx) {
    ctx.header("Retry-After", "1");
    problem(ctx, 503, failedStart.get() != null ? "the services failed to build"
        : "starting: the rule engines are still being built", null);
  }

  private static void problem(Context ctx, int status, String message, String path) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", message);
    if (path != null) {
      body.put("path", path);
    }
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  private void accessLog(Context ctx) {
    Long start = ctx.attribute(START);
    long nanos = start == null ? 0 : System.nanoTime() - start;
    Object service = ctx.attribute("cds.service");
    Object patient = ctx.attribute(AUDIT_PATIENT);
    String method = METHODS.contains(ctx.method().name()) ? ctx.method().name() : "OTHER";
    String route = route(ctx);
    int status = ctx.statusCode();
    requestTimers.computeIfAbsent(method + ' ' + route + ' ' + status,
        key -> Timer.builder("cds.http.requests").tag("method", method).tag("route", route)
            .tag("status", Integer.toString(status)).publishPercentileHistogram()
            .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    ACCESS.info("{} {} service={} status={} latency_ms={} patient={}", ctx.method(),
        route(ctx), service == null ? "-" : service,
        ctx.statusCode(), String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6),
        patient == null ? "-" : patient);
  }

  /** What is wrong, without the source and path the exception's message begins with. */
  private static String problemOf(InvalidDataException e) {
    String prefix = e.source() + ": " + e.path() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /**
   * How long a connection may stay idle once the server stops: a call waiting at the door stays
   * until its wait is over (plus a second for its answer), within the shutdown grace; idle
   * connections of clients are closed after as long.
   */
  static long shutdownIdleTimeout(Limits limits) {
    long wait = limits.queue().maxWait().toMillis() + 1_000;
    long grace = limits.shutdownGrace().toMillis();
    // Below the grace: the graceful stop waits this long for idle client connections, and one
    // lasting the whole grace would end the stop in a timeout.
    return grace > 0 ? Math.min(wait, Math.max(grace - 500, grace / 2)) : wait;
  }

  /** A service's meters: calls timed, cards returned, evaluation failures. */
  private record ServiceMeters(Timer calls, io.micrometer.core.instrument.Counter cards,
      io.micrometer.core.instrument.Counter failures) {}

  private ServiceMeters meters(String id) {
    return serviceMeters.computeIfAbsent(id, service -> new ServiceMeters(
        Timer.builder("cds.calls").tag("service", service).publishPercentileHistogram()
            .register(registry),
        registry.counter("cds.cards", "service", service),
        registry.counter("cds.evaluation.failures", "service", service)));
  }

  /** The route a request took, without its parameters (never a patient's data). */
  private static String route(Context ctx) {
    String route = ctx.attribute(ROUTE);
    return route == null ? "unmatched" : route;
  }

  /** What a server is built from. */
  record Settings(Supplier<ServiceCatalog> catalog, ClientAuthenticator authenticator,
      FeedbackSink feedback, EvaluationClock time, Limits limits, Web web) {

    Clock clock() {
      return time.clock();
    }

    ZoneId zone() {
      return time.zone();
    }

    InterruptiveBudget interruptiveBudget() {
      return time.interruptiveBudget();
    }

    /** How far ahead of the clock an outcome time may be; {@code null}: not checked. */
    Duration feedbackClockSkew() {
      return time.feedbackClockSkew();
    }

    String publicUrl() {
      return web.publicUrl();
    }

    List<String> corsOrigins() {
      return web.corsOrigins();
    }

    long maxRequestBytes() {
      return limits.maxRequestBytes();
    }

    int maxConcurrentCalls() {
      return limits.maxConcurrentCalls();
    }

    Duration idleTimeout() {
      return limits.idleTimeout();
    }

    Duration shutdownGrace() {
      return limits.shutdownGrace();
    }
  }

  /**
   * The clock a call's evaluation instant (and a feedback entry's receipt) is read from, the
   * zone that fixes its day, the interruptive-alert budget over each call's cards, and how far
   * ahead of the clock a feedback entry's outcome time may be ({@code null}: not checked).
   */
  record EvaluationClock(Clock clock, ZoneId zone, InterruptiveBudget interruptiveBudget,
      Duration feedbackClockSkew) {}

  /** The URL clients address the server by ({@code null}: each request's), and CORS origins. */
  record Web(String publicUrl, List<String> corsOrigins, List<String> fhirServers) {}

  /**
   * The server's limits.
   *
   * @param maxRequestBytes the largest request body; larger ones are answered 413
   * @param maxConcurrentCalls service calls handled at once; more wait in the {@code queue}
   * @param idleTimeout how long a connection may stay silent (a slow client) before it is closed
   * @param shutdownGrace how long calls in flight may run on when the server stops
   * @param fetch bounds on what a call fetches itself from the client's FHIR server
   * @param queue how many service calls may wait beyond {@code maxConcurrentCalls}, and how
   *     long; one that finds it full or waits longer is answered 503 at once
   */
  public record Limits(long maxRequestBytes, int maxConcurrentCalls, Duration idleTimeout,
      Duration shutdownGrace, FetchLimits fetch, CallQueue queue) {

    /**
     * 5 MB bodies, 64 calls at once, 30 s idle, 10 s shutdown grace, {@link
     * FetchLimits#DEFAULT}, {@link CallQueue#DEFAULT}.
     */
    public static final Limits DEFAULT = new Limits(5_000_000, 64, Duration.ofSeconds(30),
        Duration.ofSeconds(10), FetchLimits.DEFAULT, CallQueue.DEFAULT);

    /**
     * Checks the limits.
     *
     * @param maxRequestBytes the largest request body
     * @param maxConcurrentCalls service calls evaluated at once
     * @param idleTimeout how long a connection may stay silent
     * @param shutdownGrace how long calls in flight may run on when the server stops
     * @param fetch bounds on what a call fetches itself from the client's FHIR server
     * @param queue how many service calls may wait, and how long
     * @throws NullPointerException if a duration, fetch or queue is null
     * @throws IllegalArgumentException quoting a value that is not positive (the shutdown grace
     *     may be zero)
     */
    public Limits {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(shutdownGrace, "shutdownGrace");
      Objects.requireNonNull(fetch, "fetch");
      Objects.requireNonNull(queue, "queue");
      // Jetty reads an idle timeout of zero or less as none at all.
      if (maxRequestBytes <= 0 || maxConcurrentCalls <= 0 || idleTimeout.isNegative()
          || idleTimeout.isZero() || shutdownGrace.isNegative()) {
        throw new IllegalArgumentException("limits must be positive: " + maxRequestBytes
            + " bytes, " + maxConcurrentCalls + " calls, idle timeout " + idleTimeout
            + ", shutdown grace " + shutdownGrace);
      }
    }

    /**
     * Limits with the default {@link CallQueue}.
     *
     * @param maxRequestBytes the largest request body
     * @param maxConcurrentCalls service calls handled at once
     * @param idleTimeout how long a connection may stay silent
     * @param shutdownGrace how long calls in flight may run on when the server stops
     * @param fetch bounds on what a call fetches itself from the client's FHIR server
     * @throws NullPointerException if a duration or fetch is null
     * @throws IllegalArgumentException quoting a value that is not positive
     */
    public Limits(long maxRequestBytes, int maxConcurrentCalls, Duration idleTimeout,
        Duration shutdownGrace, FetchLimits fetch) {
      this(maxRequestBytes, maxConcurrentCalls, idleTimeout, shutdownGrace, fetch,
          CallQueue.DEFAULT);
    }

    /**
     * Limits with the default {@link FetchLimits} and {@link CallQueue}.
     *
     * @param maxRequestBytes the largest request body
     * @param maxConcurrentCalls service calls evaluated at once
     * @param idleTimeout how long a connection may stay silent
     * @param shutdownGrace how long calls in flight may run on when the server stops
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException quoting a value that is not positive
     */
    public Limits(long maxRequestBytes, int maxConcurrentCalls, Duration idleTimeout,
        Duration shutdownGrace) {
      this(maxRequestBytes, maxConcurrentCalls, idleTimeout, shutdownGrace, FetchLimits.DEFAULT);
    }
  }

  /**
   * The waiting room of service calls beyond those handled at once.
   *
   * @param maxCalls how many calls may wait; one more is answered 503 at once (zero: none wait)
   * @param maxWait how long a call may wait; then it is answered 503
   */
  public record CallQueue(int maxCalls, Duration maxWait) {

    /** 1,024 calls, each waiting at most one second. */
    public static final CallQueue DEFAULT = new CallQueue(1_024, Duration.ofSeconds(1));

    /**
     * Checks the bounds.
     *
     * @param maxCalls how many calls may wait, zero or more
     * @param maxWait how long a call may wait, positive
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException quoting a bound out of range
     */
    public CallQueue {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxCalls < 0 || maxWait.isNegative() || maxWait.isZero()) {
        throw new IllegalArgumentException("call queue: " + maxCalls + " calls must be 0 or "
            + "more and the wait " + maxWait + " positive");
      }
    }
  }

  /** Builds a {@link CdsHooksServer}. */
  public static final class Builder {

    private Supplier<ServiceCatalog> catalog;
    private ClientAuthenticator authenticator;
    private FeedbackSink feedback = FeedbackSink.DISCARD;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone = ZoneId.of("UTC");
    private InterruptiveBudget interruptiveBudget = DEFAULT_INTERRUPTIVE_BUDGET;
    private Duration feedbackClockSkew = DEFAULT_FEEDBACK_CLOCK_SKEW;
    private Limits limits = Limits.DEFAULT;
    private String publicUrl;
    private final List<String> corsOrigins = new ArrayList<>();
    private final List<String> fhirServers = new ArrayList<>();

    private Builder() {}

    /**
     * How the services are built; called once, in the background, after the server starts.
     *
     * @param catalog builds the catalog
     * @return this builder
     */
    public Builder catalog(Supplier<ServiceCatalog> catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Who may call: required; {@link ClientAuthenticator#development()} lets anyone in.
     *
     * @param authenticator the authenticator
     * @return this builder
     */
    public Builder authenticator(ClientAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Where validated feedback goes; by default nowhere.
     *
     * @param feedback the sink
     * @return this builder
     */
    public Builder feedback(FeedbackSink feedback) {
      this.feedback = Objects.requireNonNull(feedback, "feedback");
      return this;
    }

    /**
     * The clock a call's evaluation instant is read from, and the zone that fixes its day.
     *
     * @param clock the clock; the system's UTC clock by default
     * @param zone the zone; UTC by default
     * @return this builder
     */
    public Builder clock(Clock clock, ZoneId zone) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The interruptive-alert budget over each call's cards: at most so many {@code critical} and
     * {@code warning} cards, in ranking order, and none again within the repeat window after a
     * clinician acknowledged it for the patient; the rest are shown as {@code info}, saying why
     * (see {@link InterruptiveBudget}). Counted over the cards of the service called.
     *
     * @param budget the budget; {@link #DEFAULT_INTERRUPTIVE_BUDGET} by default, {@link
     *     InterruptiveBudget#OFF} for none
     * @return this builder
     */
    public Builder interruptiveBudget(InterruptiveBudget budget) {
      this.interruptiveBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * How far ahead of the server's {@linkplain #clock clock} a feedback entry's {@code
     * outcomeTimestamp} may be: an entry beyond it is answered 400 with its JSON path and none
     * of the request's entries is kept. Outcome times in the past are taken whatever their age
     * (a client may send feedback late); a snooze then still ends its period after the outcome
     * time.
     *
     * @param skew the allowance, {@link #DEFAULT_FEEDBACK_CLOCK_SKEW} by default; {@code null}
     *     for no check, for a clock that stands still (a demonstration at a fixed instant, whose
     *     clients send the real time)
     * @return this builder
     * @throws IllegalArgumentException if skew is negative
     */
    public Builder feedbackClockSkew(Duration skew) {
      if (skew != null && skew.isNegative()) {
        throw new IllegalArgumentException("the feedback clock skew is not negative: " + skew);
      }
      this.feedbackClockSkew = skew;
      return this;
    }

    /**
     * The server's limits.
     *
     * @param limits the limits; {@link Limits#DEFAULT} by default
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The URL clients address this server by (the base of each token's {@code aud}); by default
     * the scheme and host of each request.
     *
     * @param publicUrl e.g. {@code https://cds.example.org}
     * @return this builder
     */
    public Builder publicUrl(String publicUrl) {
      this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
      return this;
    }

    /**
     * Adds a FHIR server the service may fetch missing prefetch data from with a client's token:
     * a base URL such as {@code https://ehr.example.org/fhir}; requests naming it or a URL below
     * it may be fetched for. With none, fetching is off and missing data is answered 412.
     *
     * @param baseUrl the FHIR server's base URL, http or https
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http or https URL
     */
    public Builder fhirServer(String baseUrl) {
      java.net.URI uri = java.net.URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("a FHIR server is an http or https base URL, not '"
            + baseUrl + "'");
      }
      fhirServers.add(baseUrl);
      return this;
    }

    /**
     * Adds a browser origin allowed to call (CORS), e.g. {@code https://ehr.example.org}.
     *
     * @param origin the origin
     * @return this builder
     */
    public Builder corsOrigin(String origin) {
      corsOrigins.add(Objects.requireNonNull(origin, "origin"));
      return this;
    }

    /**
     * The server, not yet started.
     *
     * @return the server
     * @throws IllegalStateException if no catalog or authenticator was given
     */
    public CdsHooksServer build() {
      if (catalog == null || authenticator == null) {
        throw new IllegalStateException("a server needs a catalog and an authenticator");
      }
      return new CdsHooksServer(new Settings(catalog, authenticator, feedback,
          new EvaluationClock(clock, zone, interruptiveBudget, feedbackClockSkew), limits, new Web(publicUrl, List.copyOf(corsOrigins), List.copyOf(fhirServers))));
    }
  }
}
