package io.github.cdsengine.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop HTTP load generator for the CDS Hooks service: POSTs one request at a fixed rate
 * per step, each with a fresh RS384 client token (its own {@code jti}), and reports per rate the
 * throughput answered, latency percentiles measured from the instant each call was due (so a
 * stalled server cannot hide its queue), the statuses, and answers that differ from the first
 * one (a wrong or mixed answer).
 *
 * <pre>
 * java -cp ... io.github.cdsengine.benchmarks.ServiceLoad URL REQUEST.json PRIVATE_JWK.json ISSUER
 *     RATES SECONDS [CONNECTIONS]
 * </pre>
 * RATES is a comma-separated list of requests per second, e.g. {@code 500,1000,2000,4000,8000};
 * each step runs SECONDS after a 2-second warm-up at that rate. Tokens are signed before each step
 * (signing is not what is measured); the audience is URL.
 */
public final class ServiceLoad {

  private ServiceLoad() {}

  /** Where the calls go: the client, the service's URL and the request body. */
  record Target(HttpClient client, URI url, String body) {}

  /** How many calls, how fast: calls per second, for how long, and at most how many at once. */
  record Load(int rate, int seconds, int connections) {}

  /** How calls ended: sent, answered 200, answered differently from the first, not sent. */
  record Tally(int sent, int answered, int wrong, int notSent) {}

  /** One step's figures. */
  record Step(int rate, double seconds, long[] latenciesNanos, Map<Integer, Integer> statuses,
      Tally tally) {}

  /**
   * Runs the steps and prints a table.
   *
   * @param args URL, request file, private JWK file, issuer, rates, seconds, [connections]
   * @throws Exception when the arguments or files are wrong
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("keygen")) {
      keygen(Path.of(args[1]), Path.of(args[2]));
      return;
    }
    if (args.length == 6 && args[0].equals("tokens")) {
      RSAKey key = RSAKey.parse(Files.readString(Path.of(args[1])));
      Files.write(Path.of(args[5]), tokens(key, args[2], URI.create(args[3]),
          Integer.parseInt(args[4])));
      return;
    }
    if ((args.length == 4 || args.length == 5) && args[0].equals("library")) {
      library(Path.of(args[1]), Path.of(args[2]), args[3],
          args.length == 5 ? Integer.parseInt(args[4]) : 5_000);
      return;
    }
    if (args.length < 6) {
      System.err.println("usage: ServiceLoad URL REQUEST.json PRIVATE_JWK.json ISSUER RATES "
          + "SECONDS [CONNECTIONS]");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    String body = Files.readString(Path.of(args[1]));
    RSAKey key = RSAKey.parse(Files.readString(Path.of(args[2])));
    String issuer = args[3];
    int[] rates = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
    int seconds = Integer.parseInt(args[5]);
    int connections = args.length > 6 ? Integer.parseInt(args[6]) : 256;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(4)).build();
    String reference = null;
    System.out.printf("%8s %8s %8s %10s %9s %9s %9s %8s %6s %s%n", "offered", "sent",
        "answered", "answered/s", "p50 ms", "p99 ms", "max ms", "not-sent", "wrong",
        "statuses");
    for (int rate : rates) {
      Target target = new Target(client, url, body);
      run(target, tokens(key, issuer, url, rate * 2), new Load(rate, 2, connections), null);
      List<String> tokens = tokens(key, issuer, url, rate * seconds);
      if (reference == null) {
        reference = client.send(HttpRequest.newBuilder(url)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + tokens(key, issuer, url, 1).get(0))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      }
      Step step = run(target, tokens, new Load(rate, seconds, connections), reference);
      long[] sorted = step.latenciesNanos().clone();
      Arrays.sort(sorted);
      Tally tally = step.tally();
      System.out.printf("%8d %8d %8d %10.0f %9.2f %9.2f %9.2f %8d %6d %s%n", step.rate(),
          tally.sent(), tally.answered(), tally.answered() / step.seconds(),
          percentile(sorted, 0.50), percentile(sorted, 0.99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, tally.notSent(),
          tally.wrong(), step.statuses());
    }
    System.exit(0);
  }

  /** Writes a new RSA 2048 client key: the private JWK, and the public JWK Set to trust. */
  static void keygen(Path privateJwk, Path publicJwks) throws Exception {
    RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("load-client-1")
        .generate();
    Files.writeString(privateJwk, key.toJSONString());
    Files.writeString(publicJwks, new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
  }

  /** Calls the library benchmark makes before it measures. */
  static final int LIBRARY_WARM_UP = 40_000;

  /**
   * The library's own time for what the service does per call past HTTP and authentication:
   * read the request, evaluate it with the CDC opioid pack, map the service's cards to JSON.
   * Prints the median and 99th percentile of {@code calls} calls (5,000 unless given) after
   * {@link #LIBRARY_WARM_UP} to warm up, one thread: about as many as the service answers in the
   * load benchmark's warm-up, since after 2,000 the JIT compilers had not finished with Drools'
   * network (0.44 ms a call then, 0.14 ms after 60,000).
   */
  static void library(Path request, Path valueSets, String serviceId, int calls)
      throws Exception {
    io.github.cdsengine.core.pack.RulePack pack = io.github.cdsengine.rules.ShippedRulePacks
        .byId(io.github.cdsengine.rules.ShippedRulePacks.CDC_OPIOIDS_2016);
    io.github.cdsengine.core.evaluation.ServiceDefinition service = pack.services().stream()
        .filter(s -> s.id().equals(serviceId)).findFirst().orElseThrow();
    byte[] body = Files.readAllBytes(request);
    io.github.cdsengine.core.fhir.FhirReader reader =
        io.github.cdsengine.core.fhir.FhirReader.create();
    io.github.cdsengine.core.hooks.CardMapper mapper = io.github.cdsengine.core.hooks.CardMapper
        .create().withSuggestions(io.github.cdsengine.rules.ShippedRulePacks.suggestions(pack));
    io.github.cdsengine.core.evaluation.EvaluationContext context =
        io.github.cdsengine.core.evaluation.EvaluationContext.at(
            Instant.parse("2022-12-13T00:00:00Z"), java.time.ZoneOffset.UTC);
    try (io.github.cdsengine.core.CdsEngine engine = io.github.cdsengine.core.CdsEngine.builder()
        .addRulePack(pack).addValueSets(valueSets).build()) {
      long[] times = new long[calls];
      int length = 0;
      for (int i = 0; i < calls + LIBRARY_WARM_UP; i++) {
        long start = System.nanoTime();
        io.github.cdsengine.core.hooks.CdsHooksRequest parsed =
            reader.readCdsHooksRequest(new java.io.ByteArrayInputStream(body), "request");
        length += mapper.response(parsed, engine.evaluate(parsed.record(), context), service)
            .toJson().length();
        if (i >= LIBRARY_WARM_UP) {
          times[i - LIBRARY_WARM_UP] = System.nanoTime() - start;
        }
      }
      Arrays.sort(times);
      System.out.printf("library, one thread: median %.3f ms, p99 %.3f ms per call (%d chars)%n",
          percentile(times, 0.50), percentile(times, 0.99), length / (calls + LIBRARY_WARM_UP));
    }
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /**
   * Fresh tokens, one per call: RS384, a new jti each, valid for 5 minutes; signed on every
   * processor at once.
   */
  static List<String> tokens(RSAKey key, String issuer, URI audience, int count)
      throws JOSEException {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build();
    Instant now = Instant.now();
    RSASSASigner signer = new RSASSASigner(key);
    String[] tokens = new String[count];
    try {
      java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer)
            .audience(audience.toString()).issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(290)))
            .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
          jwt.sign(signer);
        } catch (JOSEException e) {
          throw new IllegalStateException(e);
        }
        tokens[i] = jwt.serialize();
      });
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof JOSEException jose) {
        throw jose;
      }
      throw e;
    }
    return Arrays.asList(tokens);
  }

  private static Step run(Target target, List<String> tokens, Load load, String reference)
      throws InterruptedException {
    int rate = load.rate();
    int total = rate * load.seconds();
    HttpClient client = target.client();
    URI url = target.url();
    String body = target.body();
    long[] latencies = new long[total];
    Arrays.fill(latencies, -1);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger notSent = new AtomicInteger();
    AtomicLong lastAnswer = new AtomicLong();
    Semaphore outstanding = new Semaphore(load.connections());
    List<CompletableFuture<?>> calls = new ArrayList<>(total);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (!outstanding.tryAcquire()) {
        notSent.incrementAndGet();
        continue;
      }
      int index = i;
      HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + tokens.get(i))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> {
            outstanding.release();
            long end = System.nanoTime();
            lastAnswer.accumulateAndGet(end, Math::max);
            int status = failure != null ? -1 : response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            if (status == 200) {
              latencies[index] = end - due;
              if (reference != null && !reference.equals(response.body())) {
                wrong.incrementAndGet();
              }
            }
          }));
    }
    for (CompletableFuture<?> call : calls) {
      try {
        call.join();
      } catch (RuntimeException e) {
        // counted in the statuses as -1
      }
    }
    long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).toArray();
    double elapsed = Math.max(lastAnswer.get() - start, 1) / 1e9;
    return new Step(rate, elapsed, answered, new TreeMap<>(statuses),
        new Tally(calls.size(), answered.length, wrong.get(), notSent.get()));
  }
}
