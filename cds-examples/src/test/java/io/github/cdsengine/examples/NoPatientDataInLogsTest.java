package io.github.cdsengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.core.testing.PatientSecrets;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * With every logger (this library's and Drools') at DEBUG, then at TRACE, reading and evaluating
 * every conformance patient logs no identifier, name, birth date, address, telecom, date or
 * measured value of theirs: every Synthea bundle (guideline packs), every eCQM test-deck case
 * (measure packs and their VSAC value sets, 2025 measurement period) and every CDC opioid CDS
 * Hooks request (guideline packs).
 *
 * <p>The whole rendered output (level, logger, MDC, message, stack traces) is captured and cut
 * into tokens at every character that cannot be part of an identifier, a date or a number; a
 * secret is found when it is a whole token, or, for secrets with a space in them (address
 * lines, city names), anywhere in the output. Whole tokens, not substrings, because the secrets
 * include short ids and numbers that any log line would otherwise contain by chance. Two kinds
 * of value are left out, each for a stated reason:
 * <ul>
 *   <li>integers: log lines rightly carry fact counts and timings in microseconds, which an
 *       integer lab value cannot be told apart from. Decimal values are checked; a leak that
 *       prints a measured value prints the many decimal ones as well;
 *   <li>the evaluation date and the measurement period's bounds: the host supplies them, and a
 *       patient's fact on one of those days would otherwise make them look like patient data.
 * </ul>
 * Secrets other than decimals shorter than 4 characters (a given name "Al") are left out: as
 * whole tokens they are still common words.
 */
class NoPatientDataInLogsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate GUIDELINE_DAY = LocalDate.of(2025, 6, 15);
  static final EvaluationContext GUIDELINES = EvaluationContext.on(GUIDELINE_DAY, ZoneOffset.UTC);
  /** The clock of the CDC opioid reference requests. */
  static final EvaluationContext OPIOID_CLOCK =
      EvaluationContext.on(LocalDate.of(2022, 12, 13), ZoneOffset.UTC);
  static final EvaluationContext YEAR_2025 = EvaluationContext
      .at(LocalDate.of(2025, 12, 31).atTime(23, 59, 59).atZone(ZoneOffset.UTC))
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));
  static final Set<String> HOST_DATES = Set.of("2025-06-15", "2025-01-01", "2025-12-31");


  @ParameterizedTest
  @ValueSource(strings = {"DEBUG", "TRACE"})
  void loggingOfEveryConformancePatientLeaksNoPatientData(String level) throws Exception {
    Path synthea = Conformance.directory("synthea/bundles");
    Path ecqm = Conformance.directory("ecqm");
    Path opioid = Conformance.directory("opioid-cds/requests");
    Path opioidValueSets = Conformance.directory("opioid-cds/vocabulary/valueset");
    List<Path> bundles;
    try (Stream<Path> list = Files.list(synthea)) {
      bundles = list.filter(Files::isRegularFile).sorted().toList();
    }
    List<Path> cases;
    try (Stream<Path> list = Files.list(ecqm.resolve("tests"))) {
      cases = new ArrayList<>();
      for (Path deck : list.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> inDeck = Files.list(deck)) {
          cases.addAll(inDeck.filter(Files::isDirectory).sorted().toList());
        }
      }
    }
    List<Path> requests = files(opioid, Integer.MAX_VALUE);
    assertThat(bundles).hasSizeGreaterThan(100);
    assertThat(cases).hasSizeGreaterThan(250);
    assertThat(requests).hasSizeGreaterThanOrEqualTo(30);

    Set<String> secrets = new HashSet<>();
    int patients = 0;
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // Every logger given a level (logback.xml pins io.github.cdsengine at WARN) goes to the level
    // under test, and the console appenders are taken off while it runs; all are put back after.
    Map<Logger, Level> levels = new HashMap<>();
    logging.getLoggerList().stream().filter(l -> l.getLevel() != null)
        .forEach(l -> levels.put(l, l.getLevel()));
    List<Appender<ILoggingEvent>> console = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logging);
    encoder.setPattern("%level %logger %msg %mdc%n%ex");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> captured = new OutputStreamAppender<>();
    captured.setContext(logging);
    captured.setEncoder(encoder);
    captured.setOutputStream(output);
    captured.start();
    root.addAppender(captured);
    levels.keySet().forEach(l -> l.setLevel(Level.toLevel(level)));
    try {
      FhirReader reader = FhirReader.create();
      try (CdsEngine engine = CdsEngine.builder()
          .addRulePacks(ShippedRulePacks.guidelines()).build()) {
        for (Path file : bundles) {
          PatientSecrets.secretsOf(JSON.readTree(file.toFile()), secrets);
          for (PatientRecord record : reader.read(file).patients()) {
            engine.evaluate(record, GUIDELINES);
            patients++;
          }
        }
      }
      try (CdsEngine engine = CdsEngine.builder()
          .addRulePack(ShippedRulePacks.byId(ShippedRulePacks.CDC_OPIOIDS_2016))
          .addValueSets(opioidValueSets).build()) {
        for (Path file : requests) {
          PatientSecrets.secretsOf(JSON.readTree(file.toFile()), secrets);
          try (InputStream in = Files.newInputStream(file)) {
            engine.evaluate(reader.readCdsHooksRequest(in, file.toString()).record(),
                OPIOID_CLOCK);
            patients++;
          }
        }
      }
      FhirReader onePerCase = FhirReader.create().onePatientPerInput();
      try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.measures())
          .addValueSets(ecqm.resolve("vocabulary/valueset")).build()) {
        for (Path folder : cases) {
          List<Path> files = files(folder, 1).stream()
              .filter(p -> p.toString().endsWith(".json")).toList();
          for (Path file : files) {
            PatientSecrets.secretsOf(JSON.readTree(file.toFile()), secrets);
          }
          engine.evaluate(onePerCase.read(files).onlyPatient(), YEAR_2025);
          patients++;
        }
      }
    } finally {
      levels.forEach(Logger::setLevel);
      root.detachAppender(captured);
      console.forEach(root::addAppender);
      captured.stop();
    }

    String log = output.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the engine's debug line must be captured")
        .contains("DEBUG io.github.cdsengine.core.CdsEngine Evaluated");
    if (level.equals("TRACE")) {
      assertThat(log).as("Drools must log at TRACE for the test to mean anything")
          .contains("TRACE org.drools");
    }
    secrets.removeIf(s -> s.length() < 4 && !PatientSecrets.DECIMAL.matcher(s).matches()
        || HOST_DATES.contains(s));
    assertThat(patients).isGreaterThan(bundles.size() + requests.size() + cases.size() - 1);
    System.out.printf("NoPatientDataInLogsTest: %s, %d patients, %,d secrets, %,d characters of log%n",
        level, patients, secrets.size(), log.length());
    assertThat(secrets).as("patient data to look for").hasSizeGreaterThan(10_000);
    Set<String> found = PatientSecrets.found(log, secrets);
    assertThat(found).as("patient data in %,d characters of %s log output, in: %s",
        log.length(), level, found.stream().limit(20).map(f -> PatientSecrets.lineWith(log, f)).toList())
        .isEmpty();
  }

  static List<Path> files(Path dir, int depth) {
    try (Stream<Path> walk = Files.walk(dir, depth)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
