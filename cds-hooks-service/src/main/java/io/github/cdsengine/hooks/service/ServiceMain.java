package io.github.cdsengine.hooks.service;

import io.github.cdsengine.cli.EngineOptions;
import io.github.cdsengine.cli.UsageException;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.FeedbackStoreException;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar cds-hooks-service.jar --port 8080 --trusted-issuer ISS=JWKS [engine options]}:
 * serves every shipped pack whose value sets it is given, and loose rule folders, as CDS Hooks
 * services, to the CDS clients it trusts.
 */
@Command(name = "cds-hooks-service", mixinStandardHelpOptions = true,
    description = "Serves the rule packs as CDS Hooks 2.0 services: GET /cds-services, "
        + "POST /cds-services/{id}, POST /cds-services/{id}/feedback, GET /health, "
        + "GET /metrics, and a card viewer at GET /. Every /cds-services call must carry a "
        + "token signed by a client trusted with --trusted-issuer (CDS Hooks 2.0, "
        + "\"Trusting CDS Clients\").")
public final class ServiceMain implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: 8080; 0: any).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: 127.0.0.1; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "The URL clients call this service at, e.g. https://cds.example.org: the "
          + "base of each token's expected audience. Default: each request's scheme and host.")
  String publicUrl;

  @Option(names = "--trusted-issuer", paramLabel = "ISS=JWKS_URL_OR_FILE",
      description = "A CDS client allowed to call (repeatable): its tokens' iss, and the JWK "
          + "Set its keys are in, an https URL (fetched and cached) or a local file. Every "
          + "call must carry 'Authorization: Bearer <JWT>' signed by a trusted client.")
  List<String> trustedIssuers = new ArrayList<>();

  @Option(names = "--clock-skew", defaultValue = "60", paramLabel = "SECONDS",
      description = "How far a client's clock may be off when its token's exp, iat and nbf are "
          + "checked, and how far ahead of the service's clock a feedback entry's "
          + "outcomeTimestamp may be (default: 60; with --at, outcome times are not checked).")
  long clockSkewSeconds;

  @Option(names = "--replay-cache-capacity", paramLabel = "COUNT",
      defaultValue = "" + JwtClientAuthenticator.DEFAULT_REPLAY_CACHE_CAPACITY,
      description = "How many token ids (jti) are remembered at most to refuse replays, each "
          + "until its token expires (about 110 bytes each); when full, new tokens are refused "
          + "401 until some expire. The default, 1000000, covers about 2,700 calls a second "
          + "with 5-minute tokens.")
  int replayCacheCapacity;

  @Option(names = "--allow-unauthenticated",
      description = "DEVELOPMENT ONLY: accept calls without a client token. Said loudly at "
          + "start and on /health.")
  boolean allowUnauthenticated;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Evaluate every call at this fixed instant (e.g. 2022-12-13T00:00:00Z), "
          + "for demonstrations and tests. Default: the instant each call arrives.")
  Instant at;

  @Option(names = "--exit-when-ready",
      description = "Start, build every service, then stop (exit code 0 when ready, 1 when the "
          + "services did not build): a training run for a class-data archive (see the README's "
          + "\"Starting fast\") or a check of a configuration.")
  boolean exitWhenReady;

  @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
      description = "Time zone that fixes the calendar day of an evaluation (default: UTC).")
  String zone;

  @Option(names = "--max-request-bytes", defaultValue = "5000000",
      description = "Largest request body; larger ones are answered 413 (default: 5000000).")
  long maxRequestBytes;

  @Option(names = "--max-concurrent-calls", defaultValue = "64",
      description = "Service calls handled at once; more wait their turn (see "
          + "--max-queued-calls) (default: 64).")
  int maxConcurrentCalls;

  @Option(names = "--max-queued-calls", defaultValue = "1024",
      description = "Service calls that may wait beyond --max-concurrent-calls; one more is "
          + "answered 503 with Retry-After at once (default: 1024).")
  int maxQueuedCalls;

  @Option(names = "--max-queue-wait-ms", defaultValue = "1000",
      description = "How long a service call may wait its turn, in milliseconds; then it is "
          + "answered 503 with Retry-After (default: 1000).")
  long maxQueueWaitMillis;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN",
      description = "Browser origin allowed to call, e.g. https://ehr.example.org (repeatable).")
  List<String> corsOrigins = new ArrayList<>();

  @Option(names = "--feedback-store", defaultValue = "cds-feedback",
      paramLabel = "JDBC_URL_OR_FILE",
      description = "Where clinicians' feedback on cards is kept: a PostgreSQL JDBC URL "
          + "(jdbc:postgresql://HOST/DB?user=U&password=P) or the file of an embedded H2 "
          + "database. Default: cds-feedback in the working directory (./cds-feedback.mv.db), "
          + "created when missing.")
  String feedbackStore;

  @Option(names = "--feedback-key", defaultValue = "cds-feedback.key", paramLabel = "FILE",
      description = "The key patients and users are hashed with in the feedback store (HMAC-"
          + "SHA256; no patient data is kept in clear): a file of 32 bytes or more, created "
          + "with 32 random bytes, readable by its owner only, when missing. Keep it with the "
          + "store: another key gives other hashes. Default: ./cds-feedback.key.")
  Path feedbackKey;

  @Option(names = "--fhir-server", paramLabel = "BASE_URL",
      description = "A FHIR server the service may fetch missing prefetch data from with the "
          + "client's token, e.g. https://ehr.example.org/fhir (repeatable). None (default): "
          + "fetching is off and a call missing data is answered 412.")
  List<String> fhirServers = new ArrayList<>();

  @Option(names = "--max-interruptive-cards", paramLabel = "N",
      defaultValue = "" + CdsHooksServer.DEFAULT_MAX_INTERRUPTIVE_CARDS,
      description = "The interruptive-alert budget: at most N critical or warning cards per "
          + "call, in ranking order; the rest are shown as info, saying why (default: "
          + CdsHooksServer.DEFAULT_MAX_INTERRUPTIVE_CARDS + ").")
  int maxInterruptiveCards;

  @Option(names = "--repeat-window-hours", paramLabel = "HOURS",
      defaultValue = "" + CdsHooksServer.DEFAULT_REPEAT_WINDOW_HOURS,
      description = "A critical or warning card a clinician responded to (accepted or "
          + "overrode) for a patient is shown as info for that patient for this many hours "
          + "after (default: " + CdsHooksServer.DEFAULT_REPEAT_WINDOW_HOURS + "; 0: never).")
  long repeatWindowHours;

  @Option(names = "--no-interruptive-budget",
      description = "Turn the interruptive-alert budget off: every card keeps its severity.")
  boolean noInterruptiveBudget;

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Spec
  CommandSpec spec;

  /**
   * Runs the service until the process is stopped.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    // The service's own logging configuration, not the command line's logback.xml beside it.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "cds-hooks-service-logback.xml");
    }
    // Only --help, --version and --exit-when-ready return from a good start; the exit runs the
    // shutdown hook, which stops the server's threads.
    System.exit(commandLine().execute(args));
  }

  /**
   * Stops Logback, which writes the lines its asynchronous appender still holds; only once the
   * server has stopped. Logback's own shutdown hook would run beside the server's (the JVM runs
   * shutdown hooks at once, in no order) and stop the log while calls in flight still finish.
   */
  private static void stopLogging() {
    org.slf4j.ILoggerFactory logging = org.slf4j.LoggerFactory.getILoggerFactory();
    if (logging.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      ((ch.qos.logback.classic.LoggerContext) logging).stop();
    }
  }

  /** The command line with its error handling: a usage mistake is one line and exit code 2. */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new ServiceMain());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof io.javalin.util.JavalinBindException) {
        cmd.getErr().println("cds-hooks-service: cannot listen: " + e.getMessage());
        return 2;
      }
      if (e instanceof UsageException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("cds-hooks-service: " + e.getMessage());
        return 2;
      }
      if (e instanceof FeedbackStoreException) {
        cmd.getErr().println("cds-hooks-service: " + e.getMessage());
        return 1;
      }
      if (e instanceof RuleSetException rules) {
        cmd.getErr().println("cds-hooks-service: the rules do not build:");
        rules.problems().forEach(p -> cmd.getErr().println("  " + p));
        return 1;
      }
      throw e;
    });
    return line;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ClientAuthenticator authenticator = authenticator(trustedIssuers,
        Duration.ofSeconds(clockSkewSeconds), allowUnauthenticated, replayCacheCapacity);
    if (!allowUnauthenticated && publicUrl == null) {
      // Without it the audience would come from the request's own Host header, so a token
      // meant for another service could be replayed here under that service's host name.
      throw new UsageException("--public-url is required with --trusted-issuer: the URL "
          + "clients call this service at (e.g. https://cds.example.org), against which each "
          + "token's audience is checked");
    }
    EngineOptions.Selection selection = engine.select(err);
    // Building the rule engines is most of a start: it begins here, on a thread of its own,
    // while this one opens the feedback store and starts the server.
    EarlyBuild catalog = EarlyBuild.start(() -> catalog(engine, selection));
    byte[] key = feedbackKey(feedbackKey);
    FeedbackStore store = FeedbackStore.open(feedbackStore);
    StoredFeedback feedback = new StoredFeedback(store, key, StoredFeedback.DEFAULT_CAPACITY);
    CdsHooksServer.Builder builder = CdsHooksServer.builder()
        .catalog(catalog::await)
        .authenticator(authenticator)
        .feedback(feedback)
        .clock(at != null ? Clock.fixed(at, ZoneId.of("UTC")) : Clock.systemUTC(),
            ZoneId.of(zone))
        .interruptiveBudget(interruptiveBudget(maxInterruptiveCards, repeatWindowHours,
            noInterruptiveBudget))
        // A clock fixed by --at stands still while clients send the real time.
        .feedbackClockSkew(at != null ? null : Duration.ofSeconds(clockSkewSeconds))
        .limits(new CdsHooksServer.Limits(maxRequestBytes, maxConcurrentCalls,
            CdsHooksServer.Limits.DEFAULT.idleTimeout(),
            CdsHooksServer.Limits.DEFAULT.shutdownGrace(), FetchLimits.DEFAULT,
            new CdsHooksServer.CallQueue(maxQueuedCalls, Duration.ofMillis(maxQueueWaitMillis))));
    if (publicUrl != null) {
      builder.publicUrl(publicUrl);
    }
    corsOrigins.forEach(builder::corsOrigin);
    fhirServers.forEach(builder::fhirServer);
    CdsHooksServer server = builder.build().start(host, port);
    if (!exitWhenReady) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
          feedback.close();
          store.close();
        } finally {
          // Last: the calls that finished while the server stopped have their access lines.
          stopLogging();
        }
      }, "cds-hooks-service-stop"));
    }
    err.println("cds-hooks-service listening on http://" + host + ":" + server.port()
        + (allowUnauthenticated ? "  ** DEVELOPMENT MODE: NO CLIENT AUTHENTICATION **"
            : "; clients trusted: " + String.join(", ", trustedIssuers.stream()
                .map(t -> t.substring(0, t.indexOf('='))).toList())));
    boolean ready = server.awaitReady(Duration.ofMinutes(5));
    if (!ready) {
      err.println("cds-hooks-service: the services did not build; see /health");
    }
    if (exitWhenReady) {
      try {
        server.close();
        feedback.close();
      } finally {
        store.close();
      }
      err.println("cds-hooks-service: " + (ready ? "ready" : "not ready")
          + "; stopped (--exit-when-ready)");
      return ready ? 0 : 1;
    }
    Thread.currentThread().join();
    return 0;
  }

  /**
   * Who may call: the trusted issuers' tokens, or anyone in development mode; refuses to go on
   * with neither, or both.
   *
   * @param trustedIssuers {@code ISS=JWKS_URL_OR_FILE} each; an {@code https://} value is a
   *     JWK Set URL, any other a file
   * @param clockSkew the allowance for clients' clocks
   * @param allowUnauthenticated development mode
   * @throws UsageException when neither or both are asked for, or an issuer is not {@code
   *     ISS=...}
   * @throws IllegalArgumentException when a URL is not https or a file not a public JWK Set
   */
  static ClientAuthenticator authenticator(List<String> trustedIssuers, Duration clockSkew,
      boolean allowUnauthenticated) {
    return authenticator(trustedIssuers, clockSkew, allowUnauthenticated,
        JwtClientAuthenticator.DEFAULT_REPLAY_CACHE_CAPACITY);
  }

  static ClientAuthenticator authenticator(List<String> trustedIssuers, Duration clockSkew,
      boolean allowUnauthenticated, int replayCacheCapacity) {
    if (allowUnauthenticated) {
      if (!trustedIssuers.isEmpty()) {
        throw new UsageException("--allow-unauthenticated lets every caller in, so "
            + "--trusted-issuer would have no effect: pass one or the other");
      }
      return ClientAuthenticator.development();
    }
    if (trustedIssuers.isEmpty()) {
      throw new UsageException("no trusted client issuer is configured, so no call could be "
          + "let in: pass --trusted-issuer ISS=JWKS_URL_OR_FILE for each CDS client "
          + "(repeatable), or --allow-unauthenticated for development only");
    }
    // Tokens are checked against the real time, also when --at fixes the evaluation instant.
    JwtClientAuthenticator.Builder builder = JwtClientAuthenticator.builder()
        .clock(Clock.systemUTC()).clockSkew(clockSkew)
        .replayCacheCapacity(replayCacheCapacity);
    for (String trusted : trustedIssuers) {
      int eq = trusted.indexOf('=');
      if (eq <= 0 || eq == trusted.length() - 1) {
        throw new UsageException("--trusted-issuer: expected ISS=JWKS_URL_OR_FILE, e.g. "
            + "https://ehr.example.org=https://ehr.example.org/.well-known/jwks.json, not '"
            + trusted + "'");
      }
      String issuer = trusted.substring(0, eq);
      String keys = trusted.substring(eq + 1);
      if (keys.regionMatches(true, 0, "https://", 0, 8)) {
        builder.trustIssuer(issuer, URI.create(keys));
      } else if (keys.regionMatches(true, 0, "http://", 0, 7)) {
        throw new UsageException("--trusted-issuer: the JWK Set of issuer '" + issuer
            + "' must be fetched over https, not '" + keys + "'; or give a local file");
      } else {
        builder.trustIssuer(issuer, Path.of(keys));
      }
    }
    return builder.build();
  }

  /**
   * The feedback store's hashing key, read from {@code file}, or drawn (32 random bytes) and
   * written there, readable by its owner only, when the file is missing.
   *
   * @param file the key file
   * @return the key
   * @throws IllegalArgumentException if the file holds fewer than 32 bytes
   * @throws UncheckedIOException if the file cannot be read or written
   */
  static byte[] feedbackKey(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[AuditRecord.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
          Path created = file.getFileSystem().supportedFileAttributeViews().contains("posix")
              ? Files.createFile(file, PosixFilePermissions.asFileAttribute(
                  PosixFilePermissions.fromString("rw-------")))
              : Files.createFile(file);
          Files.write(created, key);
          return key;
        } catch (FileAlreadyExistsException raced) {
          // Another process made it first: read its key.
        }
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length < AuditRecord.MIN_KEY_BYTES) {
        throw new IllegalArgumentException("--feedback-key: " + file + " holds " + key.length
            + " bytes; a key has at least " + AuditRecord.MIN_KEY_BYTES);
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("--feedback-key: cannot read or create " + file, e);
    }
  }

  /**
   * The interruptive-alert budget the options ask for.
   *
   * @throws UsageException quoting a negative value
   */
  static InterruptiveBudget interruptiveBudget(int maxCards, long repeatWindowHours,
      boolean off) {
    if (off) {
      return InterruptiveBudget.OFF;
    }
    if (maxCards < 0) {
      throw new UsageException("--max-interruptive-cards: zero or more, not " + maxCards);
    }
    if (repeatWindowHours < 0 || repeatWindowHours > 24L * 365) {
      throw new UsageException("--repeat-window-hours: 0 to 8760 (a year), not "
          + repeatWindowHours);
    }
    return InterruptiveBudget.of(maxCards, Duration.ofHours(repeatWindowHours));
  }

  /** One engine per pack of the selection, and one for its loose rule files. */
  static ServiceCatalog catalog(EngineOptions options, EngineOptions.Selection selection) {
    CdsEngine loose = selection.rules().isEmpty() ? null
        : options.builder(selection, List.of(), true).build();
    return ServiceCatalog.build(selection.packs(),
        pack -> options.builder(selection, List.of(pack), false).build(), loose,
        ServiceMain::cards);
  }

  /**
   * The card mapper for a pack's services ({@code null} for the loose rule files'), with the
   * pack's suggestions and the snooze override reasons: on critical cards only where the pack
   * allows critical recommendations to be snoozed.
   */
  static CardMapper cards(RulePack pack) {
    return CardMapper.create().withSuggestions(ShippedRulePacks.suggestions(pack))
        .withSnoozeReasons(pack != null && pack.allowCriticalSnooze());
  }
}
