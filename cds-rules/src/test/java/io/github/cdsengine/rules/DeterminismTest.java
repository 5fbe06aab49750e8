package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same patients at the same instant give byte-identical JSON, run after run, on one thread
 * or eight, from one engine or a freshly built one: every Synthea patient through the shipped
 * guideline packs.
 */
class DeterminismTest {

  static final EvaluationContext AT = EvaluationContext.at(
      ZonedDateTime.of(2025, 6, 15, 9, 30, 0, 0, ZoneId.of("America/New_York")));

  @Test
  void theSameInputGivesTheSameBytesOnAnyNumberOfThreads() throws Exception {
    Path bundles = Conformance.directory("synthea/bundles");
    List<Path> files;
    try (Stream<Path> list = Files.list(bundles)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    List<PatientRecord> patients = new ArrayList<>();
    FhirReader reader = FhirReader.create();
    for (Path file : files) {
      patients.addAll(reader.read(file).patients());
    }
    assertThat(patients).hasSizeGreaterThanOrEqualTo(100);

    byte[] first;
    byte[] eightThreads;
    byte[] again;
    byte[] eightAgain;
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines())
        .build()) {
      first = run(engine, patients, 1);
      eightThreads = run(engine, patients, 8);
    }
    try (CdsEngine rebuilt = CdsEngine.builder().addRulePacks(ShippedRulePacks.guidelines())
        .build()) {
      eightAgain = run(rebuilt, patients, 8);
      again = run(rebuilt, patients, 1);
    }
    String text = new String(first, StandardCharsets.UTF_8);
    // Not trivially equal: the patients get recommendations, withheld ones and rationale.
    assertThat(text).contains("\"id\":\"" + "uspstf-crc-screening", "\"rationale\":[{");
    assertThat(text).doesNotContain("\"elapsed\"");
    assertThat(eightThreads).isEqualTo(first);
    assertThat(eightAgain).isEqualTo(first);
    assertThat(again).isEqualTo(first);
  }

  /** Every patient's result as one JSON line, in patient order. */
  static byte[] run(CdsEngine engine, List<PatientRecord> patients, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> lines = new ArrayList<>();
      for (PatientRecord patient : patients) {
        lines.add(pool.submit(() -> {
          EvaluationResult result = engine.evaluate(patient, AT);
          assertThat(result.complete()).as(result.patientId()).isTrue();
          return ResultJson.standard().write(result);
        }));
      }
      StringBuilder out = new StringBuilder();
      for (Future<String> line : lines) {
        out.append(line.get()).append('\n');
      }
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } finally {
      pool.shutdownNow();
    }
  }
}
