package io.github.cdsengine.hooks.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client's JWK Set endpoint for tests: a JDK HTTPS server on 127.0.0.1 with a self-signed
 * certificate made by the JDK's keytool for this run, serving JWK Sets by path and counting the
 * fetches. {@link #trust()} trusts that certificate only. A path may be made to stall: its
 * answer starts and then stops coming until the endpoint is closed.
 */
final class JwksEndpoint implements AutoCloseable {

  private static final char[] PASSWORD = "test-only".toCharArray();

  private final HttpsServer server;
  private final SSLContext trust;
  private final Map<String, String> sets = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  private JwksEndpoint(HttpsServer server, SSLContext trust) {
    this.server = server;
    this.trust = trust;
    server.setExecutor(handlers);
  }

  /** Starts the endpoint with a new certificate for 127.0.0.1, its key store in {@code dir}. */
  static JwksEndpoint start(Path dir) throws Exception {
    Path store = dir.resolve("jwks-endpoint.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "jwks", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);

    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("jwks", keys.getCertificate("jwks"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    JwksEndpoint endpoint = new JwksEndpoint(server, clientTls);
    server.createContext("/", endpoint::handle);
    server.start();
    return endpoint;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    if (stalled.contains(path)) {
      stallAnswering(exchange);
      return;
    }
    String set = sets.get(path);
    int status = statuses.getOrDefault(path, set == null ? 404 : 200);
    byte[] body = (status == 200 ? set : "{}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Serves {@code jwkSetJson} at {@code path} from now on, answered 200. */
  void serve(String path, String jwkSetJson) {
    sets.put(path, jwkSetJson);
    statuses.remove(path);
  }

  /** Sends a 200, its headers and the start of a JWK Set, then nothing until closed. */
  private void stallAnswering(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write("{\"keys\": [".getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      closing.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.close();
  }

  /** Answers {@code path} by starting a JWK Set and then sending nothing more, from now on. */
  void stall(String path) {
    stalled.add(path);
  }

  /** Answers {@code path} with this status (e.g. 500 for an outage) from now on. */
  void fail(String path, int status) {
    statuses.put(path, status);
  }

  /** How often {@code path} was fetched. */
  int fetches(String path) {
    AtomicInteger count = fetches.get(path);
    return count == null ? 0 : count.get();
  }

  /** The https URL of {@code path}. */
  URI url(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** A TLS context that trusts this endpoint's certificate, and nothing else. */
  SSLContext trust() {
    return trust;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}
