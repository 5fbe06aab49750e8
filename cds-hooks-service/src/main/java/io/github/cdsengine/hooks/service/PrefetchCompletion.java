package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.PrefetchStatus;
import io.github.cdsengine.core.problem.CdsException;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a service call has the data its service's prefetch templates ask for, as CDS Hooks
 * 2.0 asks: the templates the request does not hold in full ({@link CdsHooksRequest#missing}) are
 * fetched from the request's {@code fhirServer} with its {@code fhirAuthorization} token, and the
 * request is read again with the fetched data in its {@code prefetch}, so that every check of the
 * reader applies to it (another patient's resource left out with a warning, among them). When a
 * template can be neither read nor fetched, the call is answered HTTP 412 Precondition Failed,
 * naming each such template and why.
 *
 * <p>A request whose {@code prefetch} holds keys but none of the service's was prefetched against
 * another discovery document (the CDC opioid reference requests use {@code item1}, {@code
 * item2}...): the service cannot tell which of its templates those keys answer, so it reads them
 * as the client's whole answer, fetches nothing (a fetched copy could count a resource twice) and
 * says so in a warning of the response.
 *
 * <p>Each missing template counts once in {@code cds.prefetch.fetches}, tagged with the service
 * and the {@link FetchOutcome}. The log names the service and the outcomes only: never a URL (it
 * holds the patient's id), never the token.
 */
final class PrefetchCompletion {

  private static final Logger LOG = LoggerFactory.getLogger(PrefetchCompletion.class);
  private static final ObjectMapper JSON = FhirFetcher.JSON;
  private static final int KEYS_NAMED = 5;

  private final FhirFetcher fetcher;
  /** The FHIR server base URLs the service may fetch from, with the client's token. */
  private final List<String> fhirServers;
  private final FhirReader reader;
  private final MeterRegistry registry;

  PrefetchCompletion(FhirFetcher fetcher, FhirReader reader, MeterRegistry registry,
      List<String> fhirServers) {
    this.fhirServers = List.copyOf(fhirServers);
    this.fetcher = fetcher;
    this.reader = reader;
    this.registry = registry;
  }

  /**
   * Whether the service may send a client's token to {@code server}: it is one of the configured
   * FHIR server base URLs or below one (same scheme, host and port; a path under the base's).
   * None configured: fetching is off, so a client cannot make the service call a host of its
   * choosing.
   */
  boolean allowed(java.net.URI server) {
    String candidate = withSlash(server.toString());
    return fhirServers.stream().map(PrefetchCompletion::withSlash)
        .anyMatch(candidate::startsWith);
  }

  private static String withSlash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  /** What a call goes on with: a request to evaluate, or a 412 answer. */
  sealed interface Completion permits Ready, Unavailable {}

  /**
   * The request to evaluate, with the service's own warnings for the response.
   *
   * @param request the request, read again with fetched data when something was fetched
   * @param notes warnings the service adds to the response's
   */
  record Ready(CdsHooksRequest request, List<DataWarning> notes) implements Completion {}

  /**
   * The templates the service can neither read nor fetch: the call is answered 412.
   *
   * @param missing each such template, in the service's order
   */
  record Unavailable(List<MissingTemplate> missing) implements Completion {

    /**
     * The 412 answer's body: {@code {"error": ..., "missing": [{"key", "template", "prefetch",
     * "prefetchDetail" (when the client said why), "outcome", "reason"}]}}.
     */
    String toJson() {
      ObjectNode body = JSON.createObjectNode();
      body.put("error", "the service needs prefetch data that the request neither holds nor "
          + "lets it fetch from the FHIR server");
      ArrayNode entries = body.putArray("missing");
      for (MissingTemplate template : missing) {
        ObjectNode entry = entries.addObject();
        entry.put("key", template.key());
        entry.put("template", template.template());
        entry.put("prefetch", template.status().kind().name().toLowerCase(Locale.ROOT));
        if (!template.status().detail().isEmpty()) {
          entry.put("prefetchDetail", template.status().detail());
        }
        entry.put("outcome", template.outcome().tag());
        entry.put("reason", template.reason());
      }
      return body.toString();
    }
  }

  /**
   * A template the service could not get the data of.
   *
   * @param key the prefetch key
   * @param template the template, as discovery lists it
   * @param status what the request held for the key
   * @param outcome how the service's attempt ended
   * @param reason why the data could not be had
   */
  record MissingTemplate(String key, String template, PrefetchStatus status,
      FetchOutcome outcome, String reason) {}

  /**
   * The request to evaluate for {@code service}, or the 412 answer.
   *
   * @param body the request's JSON as posted
   * @param request the request as the reader read it from {@code body}
   * @param service the service called
   * @return a request holding every template's data, or the templates it cannot have
   */
  Completion complete(byte[] body, CdsHooksRequest request, ServedService service) {
    Map<String, String> templates = service.discovery().prefetch();
    Map<String, PrefetchStatus> missing = request.missing(templates.keySet());
    if (missing.isEmpty()) {
      return new Ready(request, List.of());
    }
    if (!request.prefetch().isEmpty()
        && request.prefetch().keySet().stream().noneMatch(templates::containsKey)) {
      return new Ready(request, List.of(otherDiscovery(request, templates)));
    }
    JsonNode root = parse(body);
    FhirAccess access;
    try {
      access = FhirAccess.of(root);
      if (!allowed(access.server())) {
        throw new FhirAccess.Refused("the request's fhirServer is not one this service may "
            + "fetch from (its --fhir-server list" + (fhirServers.isEmpty() ? " is empty: "
            + "fetching is off" : "") + "): send every prefetch template's data instead");
      }
    } catch (FhirAccess.Refused e) {
      List<MissingTemplate> unavailable = new ArrayList<>();
      missing.forEach((key, status) -> unavailable.add(count(service, new MissingTemplate(key,
          templates.get(key), status, FetchOutcome.NO_ACCESS, e.getMessage()))));
      return unavailable(service, unavailable);
    }
    Map<String, JsonNode> data = new LinkedHashMap<>();
    Map<String, String> queries = new LinkedHashMap<>();
    List<MissingTemplate> unavailable = new ArrayList<>();
    missing.forEach((key, status) -> {
      PrefetchTemplates.Expansion expansion = PrefetchTemplates.expand(templates.get(key),
          root.path("context"), request.patientId());
      if (expansion instanceof PrefetchTemplates.Query query) {
        queries.put(key, query.relative());
      } else if (expansion instanceof PrefetchTemplates.NoData) {
        registry.counter("cds.prefetch.fetches", "service", service.id(), "outcome",
            FetchOutcome.NO_DATA.tag()).increment();
        data.put(key, NullNode.getInstance());
      } else {
        unavailable.add(count(service, new MissingTemplate(key, templates.get(key), status,
            FetchOutcome.INVALID_QUERY, ((PrefetchTemplates.Unusable) expansion).reason())));
      }
    });
    fetcher.fetch(access, queries).forEach((key, fetched) -> {
      if (fetched.outcome() == FetchOutcome.FETCHED) {
        data.put(key, fetched.result());
      } else {
        unavailable.add(new MissingTemplate(key, templates.get(key), missing.get(key),
            fetched.outcome(), fetched.reason()));
      }
      registry.counter("cds.prefetch.fetches", "service", service.id(), "outcome",
          fetched.outcome().tag()).increment();
    });
    if (!unavailable.isEmpty()) {
      return unavailable(service, inOrder(unavailable, templates));
    }
    return reread(root, data, service, missing);
  }

  /** The request read again with {@code data} in its prefetch; 412 if the reader refuses it. */
  private Completion reread(JsonNode root, Map<String, JsonNode> data, ServedService service,
      Map<String, PrefetchStatus> missing) {
    Map<String, String> templates = service.discovery().prefetch();
    JsonNode held = root.path("prefetch");
    ObjectNode prefetch = held.isObject() ? (ObjectNode) held
        : ((ObjectNode) root).putObject("prefetch");
    data.forEach(prefetch::set);
    CdsHooksRequest again;
    try {
      again = reader.readCdsHooksRequest(new ByteArrayInputStream(bytes(root)), "request");
    } catch (CdsException e) {
      String problem = e instanceof InvalidDataException invalid
          ? invalid.path() + ": " + problemOf(invalid) : e.getMessage();
      String key = e instanceof InvalidDataException invalid ? keyOf(invalid.path(), data.keySet())
          : null;
      List<MissingTemplate> unavailable = new ArrayList<>();
      for (String fetchedKey : key == null ? data.keySet() : Set.of(key)) {
        unavailable.add(new MissingTemplate(fetchedKey, templates.get(fetchedKey),
            missing.get(fetchedKey), FetchOutcome.UNREADABLE, "the data fetched from the FHIR "
                + "server cannot be read with the request: " + problem));
      }
      return unavailable(service, inOrder(unavailable, templates));
    }
    Map<String, PrefetchStatus> still = again.missing(templates.keySet());
    if (!still.isEmpty()) {
      List<MissingTemplate> unavailable = new ArrayList<>();
      still.forEach((key, status) -> unavailable.add(new MissingTemplate(key,
          templates.get(key), missing.getOrDefault(key, status), FetchOutcome.UNREADABLE,
          "the FHIR server's answer is not the template's whole result: " + (status.detail()
              .isEmpty() ? status.kind().name().toLowerCase(Locale.ROOT) : status.detail()))));
      return unavailable(service, unavailable);
    }
    LOG.debug("prefetch for {}: {} templates fetched", service.id(), data.size());
    return new Ready(again, List.of());
  }

  private Unavailable unavailable(ServedService service, List<MissingTemplate> missing) {
    LOG.info("prefetch for {}: {} templates neither prefetched nor fetched ({}): answered 412",
        service.id(), missing.size(), missing.stream().map(m -> m.outcome().tag()).distinct()
            .collect(Collectors.joining(", ")));
    return new Unavailable(List.copyOf(missing));
  }

  private MissingTemplate count(ServedService service, MissingTemplate missing) {
    registry.counter("cds.prefetch.fetches", "service", service.id(), "outcome",
        missing.outcome().tag()).increment();
    return missing;
  }

  /** {@code unavailable} in the order of the service's templates. */
  private static List<MissingTemplate> inOrder(List<MissingTemplate> unavailable,
      Map<String, String> templates) {
    List<String> order = List.copyOf(templates.keySet());
    List<MissingTemplate> sorted = new ArrayList<>(unavailable);
    sorted.sort(java.util.Comparator.comparingInt(m -> order.indexOf(m.key())));
    return sorted;
  }

  /** The warning of a request prefetched against another discovery document. */
  private static DataWarning otherDiscovery(CdsHooksRequest request,
      Map<String, String> templates) {
    return new DataWarning("Patient", request.patientId(), "the request's prefetch holds none "
        + "of this service's prefetch keys (" + named(templates.keySet()) + "), only others ("
        + named(request.prefetch().keySet()) + "), so the service cannot tell which of its "
        + "templates they answer: it read them as the client's whole answer and fetched "
        + "nothing");
  }

  /** The first few keys, each cut to 40 characters, and how many more there are. */
  private static String named(Set<String> keys) {
    String named = keys.stream().limit(KEYS_NAMED)
        .map(k -> k.length() > 40 ? k.substring(0, 40) + "\u2026" : k)
        .collect(Collectors.joining(", "));
    return keys.size() > KEYS_NAMED ? named + " and " + (keys.size() - KEYS_NAMED) + " more"
        : named;
  }

  /** The fetched key whose data a reader's JSON path points into, or null. */
  private static String keyOf(String path, Set<String> keys) {
    String found = null;
    for (String key : keys) {
      String prefix = "$.prefetch." + key;
      if (path.startsWith(prefix) && (path.length() == prefix.length()
          || path.charAt(prefix.length()) == '.' || path.charAt(prefix.length()) == '[')
          && (found == null || key.length() > found.length())) {
        found = key;
      }
    }
    return found;
  }

  /** What is wrong, without the source and path the exception's message begins with. */
  private static String problemOf(InvalidDataException e) {
    String prefix = e.source() + ": " + e.path() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      // The reader has parsed the same bytes.
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode root) {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
