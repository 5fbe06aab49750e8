package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.isolated.IsolatedEngine;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An isolated engine answers byte for byte as the in-process engine does: every Synthea patient
 * and every example patient through the shipped guideline packs, added by id on the isolated
 * side, compared as {@code ResultJson.standard()} lines, on one thread and on four sharing two
 * workers.
 */
class IsolatedEquivalenceTest {

  @Test
  void theIsolatedEngineGivesTheSameBytesAsTheInProcessEngine() throws Exception {
    List<PatientRecord> patients = new ArrayList<>();
    FhirReader reader = FhirReader.create();
    for (Path file : files(Conformance.directory("synthea/bundles"))) {
      patients.addAll(reader.read(file).patients());
    }
    Path examples = Path.of("..", "cds-examples", "examples", "patients");
    int synthea = patients.size();
    for (Path file : files(examples)) {
      patients.addAll(reader.read(file).patients());
    }
    assertThat(synthea).isGreaterThanOrEqualTo(100);
    assertThat(patients.size() - synthea).isGreaterThanOrEqualTo(20);

    List<RulePack> packs = ShippedRulePacks.guidelines();
    IsolatedEngine.Builder isolated = IsolatedEngine.builder().workers(2)
        .jvmOptions("-XX:+UseSerialGC");
    packs.forEach(pack -> isolated.addRulePack(pack.id()));
    byte[] inProcess;
    byte[] oneThread;
    byte[] fourThreads;
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(packs).build()) {
      inProcess = run(engine, patients, 1);
    }
    try (CdsEngine engine = isolated.build()) {
      oneThread = run(engine, patients, 1);
      fourThreads = run(engine, patients, 4);
    }
    String text = new String(inProcess, StandardCharsets.UTF_8);
    assertThat(text).contains("\"id\":\"uspstf-crc-screening", "\"rationale\":[{");
    assertThat(oneThread).isEqualTo(inProcess);
    assertThat(fourThreads).isEqualTo(inProcess);
  }

  private static List<Path> files(Path directory) throws Exception {
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static byte[] run(CdsEngine engine, List<PatientRecord> patients, int threads)
      throws Exception {
    return DeterminismTest.run(engine, patients, threads);
  }
}
