package io.github.cdsengine.hooks.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A real FHIR R4 server for the tests: HAPI FHIR's plain {@link RestfulServer} on Jetty 12, one
 * in-memory provider per resource type the service's templates ask for (read by id, search by
 * {@code patient} with {@code _include} of a medication), paging searches of more than {@value
 * #PAGE_SIZE} entries through {@code next} links. It accepts only {@code Authorization: Bearer}
 * with its {@link #token} (HAPI answers 401 otherwise) and records every request it gets.
 *
 * <p>It listens on two ports of 127.0.0.1: {@link #base()} is the FHIR server a request names, and
 * {@link #otherOrigin()} serves the same data at another origin, so that a test can have the
 * server's {@code next} links lead there ({@link #linksTo}). Tests make it fail: a type whose
 * queries fail with a status ({@link #fail}), answer slowly ({@link #slow}) or return a resource
 * of another patient whatever the patient asked for ({@link #leak}). Its threads are named {@value
 * #THREADS}, so that a test can tell this server's log from the service's.
 */
final class HapiFhirServer implements AutoCloseable {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final int PAGE_SIZE = 1_000;
  static final String THREADS = "fhir-test-server";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request the server got: on which port, for what path and query, with what token. */
  record Received(int port, String target, String authorization) {}

  private record Stored(IBaseResource resource, String patientId) {}

  private final Map<String, Map<String, Stored>> store = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<IBaseResource> leaked = new CopyOnWriteArrayList<>();
  private final RestfulServer fhir = new RestfulServer(FHIR);
  private final Server jetty;
  private final ServerConnector main;
  private final ServerConnector other;
  private volatile String token = "";
  private volatile String failingType;
  private volatile int failingStatus;
  private volatile String slowType;
  private volatile Duration delay = Duration.ZERO;

  HapiFhirServer() throws Exception {
    List<IResourceProvider> providers = new ArrayList<>();
    for (Class<? extends IBaseResource> type : List.of(Patient.class, Condition.class,
        MedicationRequest.class, Medication.class, Observation.class, Procedure.class,
        Immunization.class, Encounter.class, AllergyIntolerance.class, ServiceRequest.class,
        DeviceRequest.class, CarePlan.class, MedicationDispense.class)) {
      providers.add(new MemoryProvider(type));
    }
    fhir.setResourceProviders(providers);
    fhir.setDefaultResponseEncoding(EncodingEnum.JSON);
    FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(50);
    paging.setDefaultPageSize(PAGE_SIZE);
    paging.setMaximumPageSize(PAGE_SIZE);
    fhir.setPagingProvider(paging);
    fhir.registerInterceptor(new TokenCheck());

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(THREADS);
    jetty = new Server(threads);
    main = connector();
    other = connector();
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(fhir), "/fhir/*");
    Filter recorder = (request, response, chain) -> {
      HttpServletRequest http = (HttpServletRequest) request;
      received.add(new Received(http.getLocalPort(), http.getRequestURI()
          + (http.getQueryString() == null ? "" : "?" + http.getQueryString()),
          http.getHeader("Authorization")));
      chain.doFilter(request, response);
    };
    context.addFilter(new FilterHolder(recorder), "/*", EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    jetty.start();
  }

  private ServerConnector connector() {
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    return connector;
  }

  /** The FHIR server's base URL, as a request's {@code fhirServer} names it. */
  String base() {
    return "http://127.0.0.1:" + main.getLocalPort() + "/fhir";
  }

  /** The same server at another origin (another port). */
  String otherOrigin() {
    return "http://127.0.0.1:" + other.getLocalPort() + "/fhir";
  }

  int otherPort() {
    return other.getLocalPort();
  }

  /** Accepts only this token from now on. */
  void acceptToken(String accepted) {
    this.token = accepted;
  }

  /** Forgets the requests received so far. */
  void forget() {
    received.clear();
  }

  /** Every request received so far, in order. */
  List<Received> received() {
    return List.copyOf(received);
  }

  /**
   * Holds only the resources of a CDS Hooks request's prefetch (every value, a Bundle's entries),
   * and behaves well: no failure, no delay, no leak, links to itself.
   */
  void reset(JsonNode prefetch) throws Exception {
    store.clear();
    received.clear();
    leaked.clear();
    failingType = null;
    slowType = null;
    linksTo(null);
    if (prefetch != null) {
      for (JsonNode value : prefetch) {
        if (value.path("resource").isObject()) {
          value = value.path("resource");
        }
        if (value.path("resourceType").asText().equals("Bundle")) {
          for (JsonNode entry : value.path("entry")) {
            add(entry.path("resource"));
          }
        } else if (value.isObject()) {
          add(value);
        }
      }
    }
  }

  /**
   * Adds a resource given as FHIR JSON. A server holds one resource per id: a second one under an
   * id already held (some reference requests prefetch four Observations with one id) is stored
   * under the id with {@code -2} (then {@code -3}...) appended.
   */
  void add(JsonNode json) throws Exception {
    IBaseResource resource = FHIR.newJsonParser().parseResource(JSON.writeValueAsString(json));
    String reference = json.path("subject").path("reference")
        .asText(json.path("patient").path("reference").asText(""));
    String patient = reference.startsWith("Patient/") ? reference.substring(8) : null;
    Map<String, Stored> ofType =
        store.computeIfAbsent(json.path("resourceType").asText(), t -> new LinkedHashMap<>());
    String id = json.path("id").asText();
    for (int n = 2; ofType.containsKey(id); n++) {
      id = json.path("id").asText() + "-" + n;
    }
    resource.setId(id);
    ofType.put(id, new Stored(resource, patient));
  }

  /** Searches of {@code type} fail: HTTP 500, or 403. */
  void fail(String type, int status) {
    failingType = type;
    failingStatus = status;
  }

  /** Reads and searches of {@code type} take {@code delay} before answering. */
  void slow(String type, Duration delay) {
    this.delay = delay;
    slowType = type;
  }

  /** Searches of the resource's type return it too, whatever patient they ask for. */
  void leak(JsonNode json) throws Exception {
    leaked.add(FHIR.newJsonParser().parseResource(JSON.writeValueAsString(json)));
  }

  /** Links (next pages among them) name this base; null: the one each request came to. */
  void linksTo(String base) {
    fhir.setServerAddressStrategy(base == null ? new IncomingRequestAddressStrategy()
        : new HardcodedServerAddressStrategy(base));
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  private void behave(String type) {
    if (type.equals(slowType)) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (type.equals(failingType)) {
      if (failingStatus == 403) {
        throw new ForbiddenOperationException("not in the token's scopes");
      }
      throw new InternalErrorException("the test server fails " + type + " on purpose");
    }
  }

  /** Refuses a request without this server's token, as a FHIR server with OAuth does. */
  @Interceptor
  public final class TokenCheck {

    /**
     * Checks the {@code Authorization} header.
     *
     * @param request the request
     * @return true to go on
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean check(HttpServletRequest request) {
      if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
        throw new AuthenticationException("the access token is refused");
      }
      return true;
    }
  }

  /** One resource type held in memory: read by id, searched by patient. */
  public final class MemoryProvider implements IResourceProvider {

    private final Class<? extends IBaseResource> type;
    private final String name;

    MemoryProvider(Class<? extends IBaseResource> type) {
      this.type = type;
      this.name = FHIR.getResourceType(type);
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
      return type;
    }

    /**
     * A resource by id.
     *
     * @param id the id
     * @return the resource
     */
    @Read
    public IBaseResource read(@IdParam IdType id) {
      behave(name);
      Stored stored = store.getOrDefault(name, Map.of()).get(id.getIdPart());
      if (stored == null) {
        throw new ResourceNotFoundException(id);
      }
      return stored.resource();
    }

    /**
     * The patient's resources of this type, with the medications asked for by {@code _include}.
     *
     * @param patient the patient
     * @param includes the includes asked for
     * @return the resources
     */
    @Search
    public List<IBaseResource> search(@RequiredParam(name = "patient") ReferenceParam patient,
        @IncludeParam Set<Include> includes) {
      behave(name);
      List<IBaseResource> found = new ArrayList<>();
      for (Stored stored : store.getOrDefault(name, Map.of()).values()) {
        if (patient.getIdPart().equals(stored.patientId())) {
          found.add(stored.resource());
        }
      }
      for (IBaseResource resource : leaked) {
        if (type.isInstance(resource)) {
          found.add(resource);
        }
      }
      if (includes != null && includes.stream()
          .anyMatch(i -> i.getValue().endsWith(":medication"))) {
        for (IBaseResource resource : found) {
          Reference medication = resource instanceof MedicationRequest order
              && order.hasMedicationReference() ? order.getMedicationReference()
              : resource instanceof MedicationDispense dispense
                  && dispense.hasMedicationReference() ? dispense.getMedicationReference() : null;
          if (medication != null) {
            Stored held = store.getOrDefault("Medication", Map.of())
                .get(new IdType(medication.getReference()).getIdPart());
            if (held != null) {
              medication.setResource(held.resource());
            }
          }
        }
      }
      return found;
    }
  }
}
