package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.PatientRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** NDJSON is read patient by patient, never further ahead than one patient. */
class FhirNdjsonTest {

  static String patient(String id) {
    return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"birthDate\":\"1970-01-01\"}";
  }

  static String observation(String id, String patient) {
    return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"29771-3\"}]},"
        + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
        + "\"effectiveDateTime\":\"2025-01-01\"}";
  }

  static InputStream lines(String... lines) {
    return new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
  }

  static List<FhirData> read(InputStream in) {
    try (Stream<FhirData> patients = FhirReader.create().readNdjson(in, "bulk.ndjson")) {
      return patients.toList();
    }
  }

  @Test
  void resourcesFollowTheirPatientAndBundlesStandAlone() {
    String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
        + "{\"resource\":" + patient("c") + "},{\"resource\":" + observation("c1", "c") + "}]}";
    List<FhirData> patients = read(lines(
        patient("a"), observation("a1", "a"), observation("a2", "a"),
        patient("b"), "", observation("b1", "b"),
        bundle,
        patient("d")));
    assertThat(patients).extracting(data -> data.onlyPatient().patient().id())
        .containsExactly("a", "b", "c", "d");
    assertThat(patients).extracting(data -> data.onlyPatient().observations().size())
        .containsExactly(2, 1, 1, 0);
  }

  @Test
  void aResourceBeforeAnyPatientNamesItsLine() {
    assertThatThrownBy(() -> read(lines("", observation("x", "a"), patient("a"))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.source()).isEqualTo("bulk.ndjson line 2");
          assertThat(e.getMessage()).contains("before any Patient line");
        });
  }

  @Test
  void aResourceOfAnotherPatientNamesItsLineAndPath() {
    assertThatThrownBy(() -> read(lines(patient("a"), patient("b"), observation("a1", "a"))))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.source()).isEqualTo("bulk.ndjson line 3");
          assertThat(e.path()).isEqualTo("$.subject.reference");
          assertThat(e.getMessage()).contains("'Patient/a' resolves to no Patient");
        });
  }

  @Test
  void aMalformedLineNamesItsLine() {
    assertThatThrownBy(() -> read(lines(patient("a"), "{\"resourceType\": ")))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.source()).isEqualTo("bulk.ndjson line 2"));
  }

  /** An endless input: reading must be lazy, or this never finishes. */
  static final class EndlessPatients extends InputStream {
    private byte[] current = new byte[0];
    private int position;
    private int patients;
    private int observations;

    @Override
    public int read() {
      if (position == current.length) {
        String line = observations == 0 ? patient("p" + ++patients)
            : observation("o" + observations, "p" + patients);
        observations = (observations + 1) % 50;
        current = (line + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      return current[position++];
    }
  }

  @Test
  void aStreamIsReadOnePatientAtATime() {
    EndlessPatients endless = new EndlessPatients();
    try (Stream<FhirData> patients = FhirReader.create().readNdjson(endless, "endless.ndjson")) {
      List<PatientRecord> first = patients.limit(500).map(FhirData::onlyPatient).toList();
      assertThat(first).hasSize(500);
      assertThat(first.get(499).patient().id()).isEqualTo("p500");
      assertThat(first).allSatisfy(record -> assertThat(record.observations()).hasSize(49));
    }
    assertThat(endless.patients).isLessThan(520);
  }

  @Test
  void bytesThatAreNotUtf8AreInvalidPatientData() {
    byte[] line = (patient("a").replace("\"a\"", "\"a\u00e9\"")).getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> read(new ByteArrayInputStream(line)))
        .isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e.getMessage()).contains("not UTF-8"));
  }

  @Test
  void typesNoRuleUsesAreCountedEvenBeforeTheFirstPatient() {
    List<FhirData> patients = read(lines(
        "{\"resourceType\": \"Organization\", \"id\": \"org\"}", patient("a")));
    assertThat(patients).singleElement()
        .satisfies(data -> assertThat(data.skipped()).containsEntry("Organization", 1));
  }
}
