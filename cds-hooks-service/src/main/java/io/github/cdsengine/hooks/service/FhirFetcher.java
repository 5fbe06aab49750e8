package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches prefetch templates' data from a client's FHIR server with the bearer token the client
 * gave, as CDS Hooks 2.0 lets a service do when a request lacks it: {@code GET
 * {fhirServer}/{query}} with {@code Accept: application/fhir+json} and {@code Authorization:
 * Bearer ...}, every template's first page at once, then each search's {@code next} links in turn,
 * its pages' entries gathered into one Bundle without links (a template with its own {@code
 * _count} keeps its first page only).
 *
 * <p>Within the {@link FetchLimits}: pages per template, bytes per call (counted as they arrive,
 * so a large answer is cut off, never held whole), a timeout per request and a deadline per call.
 * The token is sent only to the FHIR server: a {@code next} link to another origin, or outside the
 * server's base path, is refused and not followed, and redirects are never followed. Nothing here
 * logs: a URL holds the patient's id.
 */
final class FhirFetcher {

  /**
   * Reads and writes FHIR JSON keeping every decimal as written ({@code 1.50} stays {@code 1.50}):
   * FHIR gives a decimal's precision meaning.
   */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final String FHIR_JSON = "application/fhir+json";

  private final HttpClient http;
  private final FetchLimits limits;

  FhirFetcher(FetchLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.http = HttpClient.newBuilder()
        .connectTimeout(limits.requestTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * One template's data, or why the service could not get it.
   *
   * @param outcome how the fetch ended
   * @param result the resource, or one Bundle of every page's entries; null unless fetched
   * @param reason why the data could not be had, for the client; empty when fetched
   */
  record Fetched(FetchOutcome outcome, JsonNode result, String reason) {

    static Fetched of(JsonNode result) {
      return new Fetched(FetchOutcome.FETCHED, result, "");
    }

    static Fetched failed(FetchOutcome outcome, String reason) {
      return new Fetched(outcome, null, reason);
    }
  }

  /**
   * Fetches each query, all of them within one call's limits.
   *
   * @param access the FHIR server and token
   * @param queries relative FHIR requests by prefetch key, e.g. {@code Condition?patient=123}
   * @return what each key's query gave, in the order given
   */
  Map<String, Fetched> fetch(FhirAccess access, Map<String, String> queries) {
    Call call = new Call(access, System.nanoTime() + limits.deadline().toNanos(),
        new AtomicLong(limits.maxBytes()));
    Map<String, Page> first = new LinkedHashMap<>();
    Map<String, Fetched> fetched = new LinkedHashMap<>();
    queries.forEach((key, query) -> {
      try {
        first.put(key, call.send(access.resolve(query)));
      } catch (IllegalArgumentException e) {
        fetched.put(key, Fetched.failed(FetchOutcome.INVALID_QUERY,
            "the template does not make a query on fhirServer"));
      }
    });
    try {
      for (Map.Entry<String, Page> page : first.entrySet()) {
        fetched.put(page.getKey(), call.follow(page.getValue(),
            PrefetchTemplates.countsItself(queries.get(page.getKey()))));
      }
    } finally {
      first.values().forEach(Page::cancel);
    }
    Map<String, Fetched> ordered = new LinkedHashMap<>();
    queries.keySet().forEach(key -> ordered.put(key, fetched.get(key)));
    return ordered;
  }

  /** A request in flight: its answer, and when it was sent. */
  private record Page(URI uri, CompletableFuture<HttpResponse<byte[]>> answer, long sentAt) {

    void cancel() {
      answer.cancel(true);
    }
  }

  /** One service call's fetches: its deadline and what is left of its byte budget. */
  private final class Call {

    private final FhirAccess access;
    private final long deadline;
    private final AtomicLong budget;

    Call(FhirAccess access, long deadline, AtomicLong budget) {
      this.access = access;
      this.deadline = deadline;
      this.budget = budget;
    }

    Page send(URI uri) {
      long now = System.nanoTime();
      Duration timeout = Duration.ofNanos(Math.max(1, Math.min(
          limits.requestTimeout().toNanos(), deadline - now)));
      HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
          .header("Accept", FHIR_JSON)
          .header("Authorization", "Bearer " + access.token())
          .build();
      return new Page(uri, http.sendAsync(request, this::body), now);
    }

    /** The body of a 2xx answer, counted against the budget; any other answer's is discarded. */
    private HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info) {
      if (info.statusCode() / 100 != 2) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      return new Budgeted(HttpResponse.BodySubscribers.ofByteArray(), budget);
    }

    /** Every page of one template, from its first request on. */
    Fetched follow(Page first, boolean firstPageOnly) {
      Page page = first;
      ObjectNode gathered = null;
      ArrayNode entries = null;
      for (int pages = 1; ; pages++) {
        HttpResponse<byte[]> answer;
        try {
          answer = await(page);
        } catch (Failure e) {
          return e.fetched;
        }
        Fetched problem = problem(answer);
        if (problem != null) {
          return problem;
        }
        JsonNode json;
        try {
          json = JSON.readTree(answer.body());
        } catch (IOException e) {
          return Fetched.failed(FetchOutcome.UNREADABLE, "the FHIR server's answer is not JSON");
        }
        String type = json.path("resourceType").asText("");
        if (type.equals("OperationOutcome")) {
          return Fetched.failed(FetchOutcome.UNREADABLE,
              "the FHIR server answered with an OperationOutcome");
        }
        if (!json.isObject() || type.isEmpty()) {
          return Fetched.failed(FetchOutcome.UNREADABLE,
              "the FHIR server's answer is not a FHIR resource");
        }
        if (!type.equals("Bundle")) {
          return pages == 1 ? Fetched.of(json) : Fetched.failed(FetchOutcome.UNREADABLE,
              "a next page of the FHIR server's Bundle is not a Bundle");
        }
        JsonNode pageEntries = json.path("entry");
        if (!pageEntries.isMissingNode() && !pageEntries.isArray()) {
          return Fetched.failed(FetchOutcome.UNREADABLE,
              "the FHIR server's Bundle has an entry that is not an array");
        }
        if (gathered == null) {
          gathered = (ObjectNode) json;
          entries = JSON.createArrayNode();
        }
        pageEntries.forEach(entries::add);
        String next = firstPageOnly ? null : nextLink(json);
        if (next == null) {
          gathered.remove("link");
          gathered.remove("entry");
          if (!entries.isEmpty()) {
            gathered.set("entry", entries);
          }
          return Fetched.of(gathered);
        }
        if (pages >= limits.maxPages()) {
          return Fetched.failed(FetchOutcome.TOO_LARGE, "the search result has more than "
              + limits.maxPages() + " pages, the most the service follows");
        }
        URI uri;
        try {
          uri = page.uri().resolve(new URI(next));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          return Fetched.failed(FetchOutcome.UNREADABLE, "the Bundle's next link is not a URL");
        }
        if (!access.serves(uri)) {
          return Fetched.failed(FetchOutcome.FOREIGN_LINK, "the Bundle's next link leads away "
              + "from fhirServer (another origin or path), so it was not followed: the token "
              + "goes to fhirServer only");
        }
        page = send(uri);
      }
    }

    /** The answer, waiting no longer than its request's timeout and the call's deadline. */
    private HttpResponse<byte[]> await(Page page) throws Failure {
      long until = Math.min(page.sentAt() + limits.requestTimeout().toNanos(), deadline);
      try {
        return page.answer().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        page.cancel();
        throw new Failure(timeout());
      } catch (InterruptedException e) {
        page.cancel();
        Thread.currentThread().interrupt();
        throw new Failure(Fetched.failed(FetchOutcome.TIMEOUT, "the call was interrupted"));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof HttpTimeoutException) {
          throw new Failure(timeout());
        }
        if (cause instanceof OverBudget || cause instanceof IOException
            && cause.getCause() instanceof OverBudget) {
          throw new Failure(Fetched.failed(FetchOutcome.TOO_LARGE, "the FHIR server's "
              + "answers are over " + limits.maxBytes() + " bytes, the most the service reads "
              + "for one call"));
        }
        if (cause instanceof ConnectException) {
          throw new Failure(Fetched.failed(FetchOutcome.UNREACHABLE,
              "the FHIR server could not be reached"));
        }
        throw new Failure(Fetched.failed(FetchOutcome.UNREACHABLE,
            "the FHIR server's answer could not be read (" + cause.getClass().getSimpleName()
                + ")"));
      } catch (java.util.concurrent.CancellationException e) {
        throw new Failure(timeout());
      }
    }

    private Fetched timeout() {
      return Fetched.failed(FetchOutcome.TIMEOUT, "the FHIR server did not answer within "
          + millis(limits.requestTimeout()) + " (a request) or " + millis(limits.deadline())
          + " (all of a call's requests)");
    }
  }

  /** An answer that is not a 2xx FHIR JSON one, as a failure; null for a good one. */
  private static Fetched problem(HttpResponse<byte[]> answer) {
    int status = answer.statusCode();
    if (status / 100 != 2) {
      return switch (status) {
        case 401 -> Fetched.failed(FetchOutcome.UNAUTHORIZED,
            "the FHIR server refused the access token (HTTP 401)");
        case 403 -> Fetched.failed(FetchOutcome.FORBIDDEN,
            "the access token does not allow this query (HTTP 403)");
        case 404 -> Fetched.failed(FetchOutcome.NOT_FOUND,
            "the FHIR server has no such resource or resource type (HTTP 404)");
        default -> status / 100 == 5
            ? Fetched.failed(FetchOutcome.SERVER_ERROR,
                "the FHIR server failed (HTTP " + status + ")")
            : Fetched.failed(FetchOutcome.HTTP_ERROR, "the FHIR server answered HTTP " + status
                + (status / 100 == 3 ? "; a redirect is not followed with the token" : ""));
      };
    }
    String type = answer.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      return Fetched.failed(FetchOutcome.UNREADABLE, "the FHIR server's answer is not JSON "
          + "(its Content-Type)");
    }
    return null;
  }

  /** The URL of a Bundle's {@code next} link, or null when it has none. */
  private static String nextLink(JsonNode bundle) {
    for (JsonNode link : bundle.path("link")) {
      if ("next".equals(link.path("relation").asText()) && link.path("url").isTextual()) {
        return link.path("url").asText();
      }
    }
    return null;
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  /** A fetch that ended without data. */
  private static final class Failure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Fetched fetched;

    Failure(Fetched fetched) {
      super(fetched.reason(), null, false, false);
      this.fetched = fetched;
    }
  }

  /** The call's answers came to more bytes than its budget. */
  private static final class OverBudget extends IOException {

    private static final long serialVersionUID = 1L;

    OverBudget() {
      super("over the byte budget");
    }
  }

  /** Passes a body on while the call's byte budget lasts; past it, cancels and fails. */
  private static final class Budgeted implements HttpResponse.BodySubscriber<byte[]> {

    private final HttpResponse.BodySubscriber<byte[]> bytes;
    private final AtomicLong budget;
    private Flow.Subscription subscription;
    private boolean over;

    Budgeted(HttpResponse.BodySubscriber<byte[]> bytes, AtomicLong budget) {
      this.bytes = bytes;
      this.budget = budget;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return bytes.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      bytes.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (over) {
        return;
      }
      long size = 0;
      for (ByteBuffer item : items) {
        size += item.remaining();
      }
      if (budget.addAndGet(-size) < 0) {
        over = true;
        subscription.cancel();
        bytes.onError(new OverBudget());
        return;
      }
      bytes.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      if (!over) {
        bytes.onError(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!over) {
        bytes.onComplete();
      }
    }
  }
}
