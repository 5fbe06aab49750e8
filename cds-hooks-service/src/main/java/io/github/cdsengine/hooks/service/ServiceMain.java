package io.github.cdsengine.hooks.service;

import io.github.cdsengine.cli.EngineOptions;
import io.github.cdsengine.cli.UsageException;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar cds-hooks-service.jar --port 8080 [engine options]}: serves every shipped
 * pack whose value sets it is given, and loose rule folders, as CDS Hooks services.
 */
@Command(name = "cds-hooks-service", mixinStandardHelpOptions = true,
    description = "Serves the rule packs as CDS Hooks 2.0 services: GET /cds-services, "
        + "POST /cds-services/{id}, POST /cds-services/{id}/feedback, GET /health, "
        + "GET /metrics, and a card viewer at GET /.")
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

  @Option(names = "--allow-unauthenticated",
      description = "DEVELOPMENT ONLY: accept calls without a client token. Said loudly at "
          + "start and on /health.")
  boolean allowUnauthenticated;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Evaluate every call at this fixed instant (e.g. 2022-12-13T00:00:00Z), "
          + "for demonstrations and tests. Default: the instant each call arrives.")
  Instant at;

  @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
      description = "Time zone that fixes the calendar day of an evaluation (default: UTC).")
  String zone;

  @Option(names = "--max-request-bytes", defaultValue = "5000000",
      description = "Largest request body; larger ones are answered 413 (default: 5000000).")
  long maxRequestBytes;

  @Option(names = "--max-concurrent-calls", defaultValue = "64",
      description = "Service calls evaluated at once; more are answered 503 at once "
          + "(default: 64).")
  int maxConcurrentCalls;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN",
      description = "Browser origin allowed to call, e.g. https://ehr.example.org (repeatable).")
  List<String> corsOrigins = new ArrayList<>();

  @Mixin
  EngineOptions engine = new EngineOptions();

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
      if (e instanceof RuleSetException rules) {
        cmd.getErr().println("cds-hooks-service: the rules do not build:");
        rules.problems().forEach(p -> cmd.getErr().println("  " + p));
        return 1;
      }
      throw e;
    });
    int code = line.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = new PrintWriter(System.err, true);
    EngineOptions.Selection selection = engine.select(err);
    ClientAuthenticator authenticator;
    if (allowUnauthenticated) {
      authenticator = ClientAuthenticator.development();
    } else {
      throw new UsageException("no trusted client issuer is configured: pass "
          + "--allow-unauthenticated for development");
    }
    CdsHooksServer.Builder builder = CdsHooksServer.builder()
        .catalog(() -> catalog(engine, selection))
        .authenticator(authenticator)
        .clock(at != null ? Clock.fixed(at, ZoneId.of("UTC")) : Clock.systemUTC(),
            ZoneId.of(zone))
        .limits(new CdsHooksServer.Limits(maxRequestBytes, maxConcurrentCalls,
            CdsHooksServer.Limits.DEFAULT.idleTimeout(),
            CdsHooksServer.Limits.DEFAULT.shutdownGrace()));
    if (publicUrl != null) {
      builder.publicUrl(publicUrl);
    }
    corsOrigins.forEach(builder::corsOrigin);
    CdsHooksServer server = builder.build().start(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cds-hooks-service-stop"));
    err.println("cds-hooks-service listening on http://" + host + ":" + server.port()
        + (allowUnauthenticated ? "  ** DEVELOPMENT MODE: NO CLIENT AUTHENTICATION **" : ""));
    if (!server.awaitReady(Duration.ofMinutes(5))) {
      err.println("cds-hooks-service: the services did not build; see /health");
    }
    Thread.currentThread().join();
    return 0;
  }

  /** One engine per pack of the selection, and one for its loose rule files. */
  static ServiceCatalog catalog(EngineOptions options, EngineOptions.Selection selection) {
    CdsEngine loose = selection.rules().isEmpty() ? null
        : options.builder(selection, List.of(), true).build();
    return ServiceCatalog.build(selection.packs(),
        pack -> options.builder(selection, List.of(pack), false).build(), loose,
        ServiceMain::cards);
  }

  /** The card mapper for a pack's services, with the pack's suggestions. */
  static CardMapper cards(RulePack pack) {
    return CardMapper.create().withSuggestions(ShippedRulePacks.suggestions(pack));
  }
}
