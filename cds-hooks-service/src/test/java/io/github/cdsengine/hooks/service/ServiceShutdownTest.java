package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.testing.TestRules;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service started as its command starts it, in a process of its own, stopped as an operator
 * stops it (SIGTERM): a call in flight at that moment finishes and its access-log line is
 * written, not lost to a logging system stopped while the server still finishes its calls.
 */
class ServiceShutdownTest {

  @Test
  void aCallInFlightWhenTheProcessIsStoppedIsAnsweredAndAccessLogged(@TempDir Path dir)
      throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("adult.drl"), TestRules.HEADER + "\n" + TestRules.recommending("Adult", "adult-check",
        "USPSTF:A", "screening", "info", "    PatientAge(years >= 18)", "adult"));
    java.util.concurrent.CountDownLatch fetching = new java.util.concurrent.CountDownLatch(1);
    com.sun.net.httpserver.HttpServer slowFhir = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    slowFhir.createContext("/", exchange -> {
      fetching.countDown();
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    slowFhir.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    slowFhir.start();
    String fhir = "http://127.0.0.1:" + slowFhir.getAddress().getPort() + "/fhir";
    Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        ServiceMain.class.getName(), "--port", "0", "--allow-unauthenticated",
        "--rules", rules.toString(), "--feedback-store", dir.resolve("feedback").toString(),
        "--feedback-key", dir.resolve("feedback.key").toString(), "--fhir-server", fhir)
        .redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      Pattern listening = Pattern.compile("listening on http://[^:]+:(\\d+)");
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(
          service.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
          Matcher m = listening.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException e) {
        port.completeExceptionally(e);
      }
    });
    reader.start();
    try {
      int at = port.get(60, TimeUnit.SECONDS);
      // Ready: the engines are built and the service is served.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (output.stream().noneMatch(l -> l.contains("ready: "))) {
        assertThat(output).as(String.join("\n", output))
            .noneMatch(l -> l.contains("did not build"));
        assertThat(System.nanoTime()).as(String.join("\n", output)).isLessThan(deadline);
        Thread.sleep(100);
      }
      // The access log is written while the service runs.
      assertThat(ServerConnectionTest.HTTP.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + at + "/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      long logged = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (output.stream().noneMatch(l -> l.contains("GET health service=- status=200"))) {
        assertThat(System.nanoTime()).as(String.join("\n", output)).isLessThan(logged);
        Thread.sleep(50);
      }
      // A call in flight when the process is told to stop: the service is fetching the data
      // it lacks from the client's FHIR server, which takes 2 s to answer 500 (so: 412).
      java.net.http.HttpRequest call = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          "http://127.0.0.1:" + at + "/cds-services/" + ServiceCatalog.LOOSE_RULES_SERVICE))
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"hook\": \"patient-view\", "
              + "\"hookInstance\": \"h1\", \"context\": {\"patientId\": \"p1\", "
              + "\"userId\": \"Practitioner/1\"}, \"fhirServer\": \"" + fhir + "\", "
              + "\"fhirAuthorization\": {\"access_token\": \"t-1\", \"token_type\": \"Bearer\", "
              + "\"expires_in\": 300, \"scope\": \"patient/*.read\", \"subject\": \"ehr\"}}"))
          .build();
      CompletableFuture<java.net.http.HttpResponse<String>> answer = ServerConnectionTest.HTTP
          .sendAsync(call, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(fetching.await(30, TimeUnit.SECONDS)).isTrue();
      // SIGTERM; Process.destroy() would also close this side of the output pipe.
      service.toHandle().destroy();
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(412);
      assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(output).as(String.join("\n", output)).anySatisfy(line -> assertThat(line)
          .contains("POST call service=" + ServiceCatalog.LOOSE_RULES_SERVICE + " status=412"));
    } finally {
      service.destroyForcibly();
      slowFhir.stop(0);
    }
  }
}
