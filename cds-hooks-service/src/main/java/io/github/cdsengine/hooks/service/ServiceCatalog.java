package io.github.cdsengine.hooks.service;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsService;
import io.github.cdsengine.core.hooks.CdsServices;
import io.github.cdsengine.core.pack.RulePack;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The services a server answers, by id, and the engines behind them: one engine per rule pack,
 * so that a service evaluates only its own pack's rules, and one for rule files loaded outside
 * packs. Closing the catalog closes the engines.
 */
public final class ServiceCatalog implements AutoCloseable {

  /** The id of the service that answers with the rule files loaded outside packs. */
  public static final String LOOSE_RULES_SERVICE = "local-rules";

  /**
   * What discovery says every service needs of its client (its {@code usageRequirements}): the
   * data of its prefetch templates, prefetched or fetched by the service itself.
   */
  public static final String USAGE_REQUIREMENTS = "Prefetch every template, or send fhirServer "
      + "and fhirAuthorization (a Bearer access token) so that the service can fetch what is "
      + "missing; a call whose data it can neither read nor fetch is answered 412 Precondition "
      + "Failed, naming each template and why.";

  private final Map<String, ServedService> services;
  private final List<CdsEngine> engines;

  private ServiceCatalog(Map<String, ServedService> services, List<CdsEngine> engines) {
    this.services = Collections.unmodifiableMap(services);
    this.engines = List.copyOf(engines);
  }

  /**
   * The catalog of {@code packs}' services, each pack built by {@code engineOf} into an engine
   * of its own: the services a pack declares, or one {@code patient-view} service with the pack's
   * id showing all its recommendations. {@code looseRules}, when not null, is an engine of rule
   * files given outside packs, offered as the {@value #LOOSE_RULES_SERVICE} service.
   *
   * @param packs the packs to serve
   * @param engineOf builds the engine for one pack
   * @param looseRules the engine of rule files outside packs, or {@code null}
   * @param mapperOf the card mapper for a pack's services (its suggestion source); {@code null}
   *     as the argument for the loose rules' service
   * @return the catalog
   * @throws IllegalArgumentException if two services share an id
   */
  public static ServiceCatalog build(List<RulePack> packs, Function<RulePack, CdsEngine> engineOf,
      CdsEngine looseRules, Function<RulePack, CardMapper> mapperOf) {
    Map<String, ServedService> services = new LinkedHashMap<>();
    List<CdsEngine> engines = new ArrayList<>();
    try {
      List<CdsEngine> built = buildAll(packs, engineOf, engines);
      for (int p = 0; p < packs.size(); p++) {
        RulePack pack = packs.get(p);
        CdsEngine engine = built.get(p);
        CardMapper mapper = mapperOf.apply(pack);
        List<CdsService> discovery = CdsServices.fromPacks(List.of(pack)).services();
        List<ServiceDefinition> definitions = pack.services().isEmpty()
            ? List.of(new ServiceDefinition(pack.id(), CdsServices.DEFAULT_HOOK, pack.title(),
                pack.title(), recommendations(engine)))
            : pack.services();
        for (int i = 0; i < definitions.size(); i++) {
          add(services, new ServedService(withUsage(discovery.get(i)), definitions.get(i),
              engine, mapper));
        }
      }
      if (looseRules != null) {
        engines.add(looseRules);
        List<String> ids = recommendations(looseRules);
        if (ids.isEmpty()) {
          throw new IllegalArgumentException("the rule files loaded outside packs recommend "
              + "nothing, so there is no service to offer for them");
        }
        ServiceDefinition definition = new ServiceDefinition(LOOSE_RULES_SERVICE,
            CdsServices.DEFAULT_HOOK, "Local rules",
            "Rule files loaded beside the packs", ids);
        add(services, new ServedService(new CdsService(definition.hook(), definition.title(),
            definition.description(), definition.id(), CdsServices.PREFETCH,
            USAGE_REQUIREMENTS), definition, looseRules, mapperOf.apply(null)));
      }
    } catch (RuntimeException e) {
      engines.forEach(CdsEngine::close);
      throw e;
    }
    return new ServiceCatalog(services, engines);
  }

  /**
   * Builds the packs' engines, as many at once as there are processors (each build compiles its
   * pack's rules on one thread), in the packs' order. Each engine built is added to {@code
   * engines} at once, so that the caller closes them all if a later build fails.
   */
  private static List<CdsEngine> buildAll(List<RulePack> packs,
      Function<RulePack, CdsEngine> engineOf, List<CdsEngine> engines) {
    int threads = Math.min(packs.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      List<CdsEngine> built = new ArrayList<>();
      for (RulePack pack : packs) {
        CdsEngine engine = Objects.requireNonNull(engineOf.apply(pack), pack.id());
        engines.add(engine);
        built.add(engine);
      }
      return built;
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads, task -> {
          Thread thread = new Thread(task, "cds-hooks-service-build-pack");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<java.util.concurrent.Future<CdsEngine>> futures = new ArrayList<>();
      for (RulePack pack : packs) {
        futures.add(pool.submit(() -> {
          CdsEngine engine = Objects.requireNonNull(engineOf.apply(pack), pack.id());
          synchronized (engines) {
            engines.add(engine);
          }
          return engine;
        }));
      }
      List<CdsEngine> built = new ArrayList<>();
      RuntimeException failure = null;
      for (java.util.concurrent.Future<CdsEngine> future : futures) {
        try {
          built.add(future.get());
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while building the rule packs", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return built;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The service as discovery lists it, with {@link #USAGE_REQUIREMENTS}. */
  private static CdsService withUsage(CdsService service) {
    return new CdsService(service.hook(), service.title(), service.description(), service.id(),
        service.prefetch(), USAGE_REQUIREMENTS);
  }

  private static void add(Map<String, ServedService> services, ServedService service) {
    if (services.putIfAbsent(service.id(), service) != null) {
      throw new IllegalArgumentException("two services have the id '" + service.id() + "'");
    }
  }

  /** Every recommendation id the engine's rules declare, sorted. */
  private static List<String> recommendations(CdsEngine engine) {
    TreeSet<String> ids = new TreeSet<>();
    for (RuleInfo rule : engine.rules()) {
      if (rule.recommendationId() != null) {
        ids.add(rule.recommendationId());
      }
    }
    return List.copyOf(ids);
  }

  /**
   * The service with this id.
   *
   * @param id the id from the request's URL
   * @return the service, or empty when none has that id
   */
  public Optional<ServedService> service(String id) {
    return Optional.ofNullable(services.get(id));
  }

  /**
   * The discovery document: every service, in catalog order.
   *
   * @return the document
   */
  public CdsServices discovery() {
    return new CdsServices(services.values().stream().map(ServedService::discovery).toList());
  }

  /**
   * Every service, in catalog order.
   *
   * @return the services; unmodifiable
   */
  public List<ServedService> services() {
    return List.copyOf(services.values());
  }

  @Override
  public void close() {
    engines.forEach(CdsEngine::close);
  }
}
