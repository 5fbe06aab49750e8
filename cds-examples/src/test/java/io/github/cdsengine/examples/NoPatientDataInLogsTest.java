package io.github.cdsengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.EvaluationContext;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With every logger at TRACE, reading and evaluating real patients logs no identifier, name,
 * birth date or address of theirs: not from this library, not from the rule engine under it.
 */
class NoPatientDataInLogsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void traceLoggingOfRealPatientsLeaksNoPatientData() throws Exception {
    Path bundles = Conformance.directory("synthea/bundles");
    List<Path> files;
    try (Stream<Path> list = Files.list(bundles)) {
      files = list.filter(Files::isRegularFile).sorted().limit(25).toList();
    }

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    Set<String> secrets = new TreeSet<>();
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines()).build()) {
      FhirReader reader = FhirReader.create();
      for (Path file : files) {
        secrets.addAll(secretsOf(JSON.readTree(file.toFile())));
        FhirData data = reader.read(file);
        for (PatientRecord record : data.patients()) {
          engine.evaluate(record, EvaluationContext.on(LocalDate.of(2025, 6, 15), ZoneOffset.UTC));
        }
      }
    } finally {
      root.setLevel(before);
      root.detachAppender(captured);
    }

    assertThat(captured.list).as("the test must see log output at all").isNotEmpty();
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : captured.list) {
      lines.add(event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? ""
              : ThrowableProxyUtil.asString(event.getThrowableProxy())));
    }
    assertThat(secrets).hasSizeGreaterThan(100);
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).as("a log line quotes patient data").doesNotContain(secret);
      }
    }
  }

  /** Identifiers, names, birth dates and addresses of the bundle's Patient. */
  static Set<String> secretsOf(JsonNode bundle) {
    Set<String> secrets = new TreeSet<>();
    for (JsonNode entry : bundle.path("entry")) {
      JsonNode patient = entry.path("resource");
      if (!patient.path("resourceType").asText().equals("Patient")) {
        continue;
      }
      secrets.add(patient.path("id").asText());
      secrets.add(patient.path("birthDate").asText());
      patient.path("identifier").forEach(id -> secrets.add(id.path("value").asText()));
      patient.path("name").forEach(name -> {
        secrets.add(name.path("family").asText());
        name.path("given").forEach(given -> secrets.add(given.asText()));
      });
      patient.path("address").forEach(address -> {
        address.path("line").forEach(line -> secrets.add(line.asText()));
        secrets.add(address.path("postalCode").asText());
      });
    }
    secrets.removeIf(secret -> secret.length() < 4);
    return secrets;
  }
}
