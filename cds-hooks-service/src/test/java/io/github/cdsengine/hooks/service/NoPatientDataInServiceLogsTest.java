package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.testing.PatientSecrets;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With every logger at TRACE, the service answering every CDC opioid request (each carrying a
 * FHIR server and an access token, as an EHR sends them) logs neither the token nor any patient
 * data: ids, names, birth dates, full dates or decimal values of any resource in the request.
 * Whatever the service, Javalin, Jetty or the engine log is captured, messages and stack traces.
 */
class NoPatientDataInServiceLogsTest {

  @BeforeAll
  static void start() throws InterruptedException {
    CdsHooksServerTest.start();
  }

  @AfterAll
  static void stop() {
    CdsHooksServerTest.stop();
  }

  @Test
  void everyRequestAtTraceLeaksNoTokenAndNoPatientData() throws Exception {
    Set<String> secrets = new HashSet<>();
    int requests = 0;
    List<ILoggingEvent> events;
    TraceLogs logs = TraceLogs.start();
    try (Stream<Path> walk = Files.walk(CdsHooksServerTest.folder.resolve("requests"))) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode request = CdsHooksServerTest.JSON.readTree(file.toFile());
        String token = "tok-" + UUID.randomUUID();
        secrets.add(token);
        ObjectNode authorization = ((ObjectNode) request).putObject("fhirAuthorization");
        authorization.put("access_token", token).put("token_type", "Bearer")
            .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "cds-service");
        // Loopback, a port nothing listens on: a fetch, were there one, goes nowhere else.
        ((ObjectNode) request).put("fhirServer", "http://127.0.0.1:9/fhir");
        PatientSecrets.secretsOf(request, secrets);
        secrets.add(request.path("context").path("patientId").asText());
        String service = request.path("hook").asText().equals("order-select")
            ? "opioidcds-08" : "opioidcds-08-order-sign";
        HttpResponse<String> response = CdsHooksServerTest.post("/cds-services/" + service,
            CdsHooksServerTest.JSON.writeValueAsString(request));
        assertThat(response.statusCode()).as(file + ": " + response.body()).isIn(200, 400, 412);
        // A malformed copy: the refusal names a JSON path, not the data.
        CdsHooksServerTest.post("/cds-services/" + service, CdsHooksServerTest.JSON.writeValueAsString(request).replace("\"birthDate\"",
            "\"birthDate\":{},\"x\""));
        requests++;
      }
    } finally {
      logs.close();
      events = logs.events();
    }
    secrets.removeIf(s -> s.length() < 4 && !PatientSecrets.DECIMAL.matcher(s).matches()
        || s.equals("2022-12-13"));
    String log = events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " "
        + e.getFormattedMessage() + " " + e.getMDCPropertyMap() + (e.getThrowableProxy() == null
            ? "" : " " + e.getThrowableProxy().getMessage()))
        .collect(Collectors.joining("\n"));
    assertThat(requests).isGreaterThanOrEqualTo(30);
    assertThat(log).as("the access log must be captured").contains("service=opioidcds-08");
    assertThat(log).as("Jetty must log at TRACE for the test to mean anything")
        .contains("org.eclipse.jetty");
    Set<String> found = PatientSecrets.found(log, secrets);
    assertThat(found).as("patient data or tokens in %,d characters of TRACE output: %s",
        log.length(), found.stream().limit(10).map(f -> PatientSecrets.lineWith(log, f))
            .toList()).isEmpty();
  }
}
