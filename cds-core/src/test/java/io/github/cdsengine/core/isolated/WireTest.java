package io.github.cdsengine.core.isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Conformance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messages cross the process boundary exactly: records read from FHIR (every resource type
 * the reader maps, and the Synthea bundles where present) come back equal, and frames past the
 * limit are refused before they are read.
 */
class WireTest {

  private static final EvaluationContext CONTEXT = EvaluationContext.on(LocalDate.of(2025, 3, 1),
      ZoneId.of("America/Chicago")).withMeasurementPeriod(LocalDate.of(2024, 1, 1),
          LocalDate.of(2024, 12, 31));

  private static List<PatientRecord> records() throws Exception {
    List<PatientRecord> records = new ArrayList<>();
    FhirReader reader = FhirReader.create();
    for (String name : List.of("every-resource-type.json", "orders.json",
        "two-inpatients.json")) {
      Path file = Path.of(WireTest.class.getResource("/fhir/" + name).toURI());
      records.addAll(reader.read(file).patients());
    }
    return records;
  }

  @Test
  void aRequestComesBackEqual() throws Exception {
    List<PatientRecord> records = records();
    assertThat(records).hasSizeGreaterThanOrEqualTo(3);
    for (PatientRecord record : records) {
      byte[] json = Wire.write(new Wire.Request(record, CONTEXT));
      Wire.Request back = Wire.read(json, Wire.Request.class);
      assertThat(back.record()).isEqualTo(record);
      assertThat(back.context()).isEqualTo(CONTEXT);
      // No class names travel: the types are the protocol's, not the sender's.
      assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("@class", "java.");
    }
  }

  @Test
  void snoozesAcknowledgementsTheBudgetAndAPacksSnoozeFlagComeBackEqual() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2025-03-01T15:00:00.000000001Z");
    EvaluationContext context = CONTEXT
        .withSnoozes(List.of(io.github.cdsengine.core.evaluation.Snooze.of("screen", at,
            java.time.Duration.ofDays(30))))
        .withAcknowledgements(List.of(
            new io.github.cdsengine.core.evaluation.Acknowledgement("alert", at)))
        .withInterruptiveBudget(io.github.cdsengine.core.evaluation.InterruptiveBudget.of(2,
            java.time.Duration.ofHours(24)).onlyFor(List.of("screen", "alert")));
    PatientRecord record = records().get(0);
    assertThat(Wire.read(Wire.write(new Wire.Request(record, context)), Wire.Request.class)
        .context()).isEqualTo(context);
    io.github.cdsengine.core.pack.RulePack pack = io.github.cdsengine.core.pack.RulePack
        .builder("p", "1", "P").allowCriticalSnooze(true).build();
    Wire.BuilderCall call = new Wire.BuilderCall("addRulePack", List.of(), pack, null, null,
        null);
    assertThat(Wire.read(Wire.write(call), Wire.BuilderCall.class).pack()).isEqualTo(pack);
  }

  @Test
  void everySyntheaPatientComesBackEqual() throws Exception {
    Path bundles = Conformance.directory("synthea/bundles");
    FhirReader reader = FhirReader.create();
    int count = 0;
    try (var files = java.nio.file.Files.list(bundles)) {
      for (Path file : files.sorted().toList()) {
        for (PatientRecord record : reader.read(file).patients()) {
          Wire.Request back = Wire.read(Wire.write(new Wire.Request(record, CONTEXT)),
              Wire.Request.class);
          assertThat(back.record()).isEqualTo(record);
          count++;
        }
      }
    }
    assertThat(count).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aMessageOfAnotherShapeIsRefused() {
    byte[] reply = "{\"result\":null,\"exception\":null,\"@class\":\"java.lang.Runtime\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Wire.read(reply, Wire.Reply.class))
        .hasMessageContaining("@class");
  }

  @Test
  void aFrameOverTheLimitIsRefusedFromItsHeader() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeInt(Integer.MAX_VALUE);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThatThrownBy(() -> Frames.read(in, 1 << 20))
        .isInstanceOf(Frames.FrameTooLargeException.class)
        .hasMessage("a message of 2147483647 bytes, over the 1048576-byte limit");
    assertThatThrownBy(() -> Frames.write(new DataOutputStream(new ByteArrayOutputStream()),
        new byte[2048], 1024)).isInstanceOf(Frames.FrameTooLargeException.class);
  }

  @Test
  void framesRoundTrip() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    Frames.write(out, "one".getBytes(StandardCharsets.UTF_8), 1024);
    Frames.write(out, new byte[0], 1024);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(Frames.read(in, 1024)).asString(StandardCharsets.UTF_8).isEqualTo("one");
    assertThat(Frames.read(in, 1024)).isEmpty();
    assertThat(Frames.read(in, 1024)).isNull();
  }
}
