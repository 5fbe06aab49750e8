package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.problem.InvalidDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Bulk Data export folder read patient by patient, every line accounted for. */
class BulkPatientsTest {

  @TempDir
  Path folder;

  @TempDir
  Path work;

  static String patient(String id) {
    return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"birthDate\":\"1970-01-01\","
        + "\"managingOrganization\":{\"reference\":\"Organization/org1\"}}";
  }

  static String observation(String id, String patient) {
    return FhirNdjsonTest.observation(id, patient);
  }

  static String order(String id, String patient, String medication) {
    return "{\"resourceType\":\"MedicationRequest\",\"id\":\"" + id + "\",\"status\":\"active\","
        + "\"intent\":\"order\",\"medicationReference\":{\"reference\":\"Medication/"
        + medication + "\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
        + "\"authoredOn\":\"2025-03-01\"}";
  }

  static String medication(String id, String code) {
    return "{\"resourceType\":\"Medication\",\"id\":\"" + id + "\",\"code\":{\"coding\":"
        + "[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"" + code
        + "\"}]}}";
  }

  void write(String name, String... lines) throws IOException {
    byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    Path file = folder.resolve(name);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(text);
      }
    } else {
      Files.write(file, text);
    }
  }

  /** A small export with one of every kind of line. */
  void writeExport() throws IOException {
    write("Patient.ndjson", patient("a"), patient("b"), "", patient("c"));
    write("Observation.1.ndjson.gz", observation("o1", "a"), observation("o2", "b"));
    write("Observation.2.ndjson", observation("o3", "a"), "{\"resourceType\": ",
        observation("o4", "ghost"));
    write("MedicationRequest.ndjson", order("m1", "a", "statin"), order("m2", "c", "missing"));
    write("Medication.ndjson", medication("statin", "617312"), medication("unused", "1"),
        medication("statin", "2"));
    write("Organization.ndjson", "{\"resourceType\":\"Organization\",\"id\":\"org1\"}");
    write("Claim.ndjson", "{\"resourceType\":\"Claim\",\"id\":\"cl1\"}");
    write("Condition.ndjson", "{\"resourceType\":\"Condition\",\"id\":\"x\",\"code\":{}}");
    write("notes.txt", "not an export file");
  }

  record Run(List<BulkPatient> patients, List<BulkProblem> problems, BulkAccount account) {}

  Run read(long bucketBytes) {
    List<BulkPatient> patients = new ArrayList<>();
    List<BulkProblem> problems = new ArrayList<>();
    BulkAccount account = BulkPatients.read(BulkExport.open(folder),
        new BulkPatients.Spill(work, bucketBytes), patients::add, problems::add);
    return new Run(patients, problems, account);
  }

  @Test
  void everyLineIsAccountedForAndTheCountsReconcile() throws IOException {
    writeExport();
    Run run = read(BulkPatients.DEFAULT_BUCKET_BYTES);

    assertThat(run.patients()).extracting(BulkPatient::patientId)
        .containsExactly("a", "b", "c");
    BulkPatient a = run.patients().get(0);
    assertThat(a.read()).isTrue();
    assertThat(a.source()).isEqualTo("Patient.ndjson line 1");
    assertThat(a.lines()).isEqualTo(4);
    assertThat(a.data().onlyPatient().observations()).hasSize(2);
    // The Medication the order refers to is joined in by reference.
    MedicationRequest statin = a.data().onlyPatient().medicationRequests().get(0);
    assertThat(statin.medication().codings()).extracting(c -> c.code()).containsExactly("617312");
    // A reference to a Medication the export does not hold: that patient alone fails.
    BulkPatient c = run.patients().get(2);
    assertThat(c.read()).isFalse();
    assertThat(c.error()).contains("MedicationRequest.ndjson line 2").contains("Medication/missing");

    BulkAccount account = run.account();
    // 4 Patient lines (1 blank), 5 Observation (1 malformed), 2 orders, 3 Medication,
    // 1 Organization, 1 Claim, 1 Condition.
    assertThat(account.lines()).isEqualTo(3 + 5 + 2 + 3 + 1 + 1 + 1);
    assertThat(account.blank()).isEqualTo(1);
    assertThat(account.malformed()).isEqualTo(1);
    assertThat(account.patients()).isEqualTo(3);
    assertThat(account.failedPatients()).isEqualTo(1);
    assertThat(account.inFailedPatients()).isEqualTo(2);
    assertThat(account.skipped()).isEqualTo(Map.of(
        "unknown-type", Map.of("Claim", 1L),
        "no-patient", Map.of("Condition", 1L),
        "patient-not-in-export", Map.of("Observation", 1L),
        "not-referenced", Map.of("Medication", 1L),
        "duplicate", Map.of("Medication", 1L)));
    // a: 4 own lines, b: 2, Medication statin and Organization org1 joined in.
    assertThat(account.used()).isEqualTo(4 + 2 + 2);
    assertThat(account.reconciles()).isTrue();

    assertThat(run.problems()).extracting(BulkProblem::source, BulkProblem::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Observation.2.ndjson line 2", "malformed"),
            org.assertj.core.groups.Tuple.tuple("Observation.2.ndjson line 3",
                "patient-not-in-export"),
            org.assertj.core.groups.Tuple.tuple("Medication.ndjson line 3", "duplicate"),
            org.assertj.core.groups.Tuple.tuple("Condition.ndjson line 1", "no-patient"),
            org.assertj.core.groups.Tuple.tuple("Patient.ndjson line 4", "patient-failed"));
    assertThat(BulkExport.open(folder).unread()).extracting(BulkExport.UnreadFile::name)
        .containsExactly("notes.txt");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 200, 5000})
  void smallBucketsGiveTheSamePatientsAndCounts(long bucketBytes) throws IOException {
    writeExport();
    for (int i = 0; i < 30; i++) {
      write("Patient.extra" + i + ".ndjson", patient("p" + i), patient("q" + i));
      write("Observation.extra" + i + ".ndjson", observation("po" + i, "p" + i),
          observation("qo" + i, "q" + i));
    }
    Run one = read(BulkPatients.DEFAULT_BUCKET_BYTES);
    Run many = read(bucketBytes);
    assertThat(many.patients()).hasSize(63);
    assertThat(many.patients()).containsExactlyInAnyOrderElementsOf(one.patients());
    assertThat(many.account().toString()).isEqualTo(one.account().toString());
    assertThat(many.account().reconciles()).isTrue();
    try (var spilled = Files.list(work)) {
      assertThat(spilled).as("the spill folder is deleted").isEmpty();
    }
  }

  @Test
  void theManifestSaysWhichFilesAreReadAndUnlistedOnesAreNamed() throws IOException {
    write("Patient.ndjson", patient("a"));
    write("Observation.ndjson", observation("o1", "a"));
    write("stale.ndjson", patient("z"));
    write("err.ndjson", "{\"resourceType\":\"OperationOutcome\"}");
    Files.writeString(folder.resolve(BulkExport.MANIFEST), "{\"transactionTime\":"
        + "\"2025-01-01T00:00:00Z\",\"request\":\"x\",\"requiresAccessToken\":false,\"output\":["
        + "{\"type\":\"Patient\",\"url\":\"https://example.org/files/Patient.ndjson\"},"
        + "{\"type\":\"Observation\",\"url\":\"https://example.org/files/Observation.ndjson\"}],"
        + "\"error\":[{\"type\":\"OperationOutcome\",\"url\":\"https://example.org/err.ndjson\"}]}");
    BulkExport export = BulkExport.open(folder);
    assertThat(export.hasManifest()).isTrue();
    assertThat(export.files()).extracting(BulkExport.DataFile::name)
        .containsExactly("Patient.ndjson", "Observation.ndjson");
    assertThat(export.unread()).extracting(BulkExport.UnreadFile::name, u -> u.reason().substring(
        0, 14)).containsExactly(
            org.assertj.core.groups.Tuple.tuple("err.ndjson", "the export's e"),
            org.assertj.core.groups.Tuple.tuple("stale.ndjson", "not listed in "));
    Run run = read(BulkPatients.DEFAULT_BUCKET_BYTES);
    assertThat(run.patients()).extracting(BulkPatient::patientId).containsExactly("a");
    assertThat(run.account().used()).isEqualTo(2);
  }

  @Test
  void aManifestListingAMissingFileIsAnErrorNamingTheEntry() throws IOException {
    Files.writeString(folder.resolve(BulkExport.MANIFEST), "{\"output\":[{\"type\":\"Patient\","
        + "\"url\":\"https://example.org/Patient.ndjson\"}]}");
    assertThatThrownBy(() -> BulkExport.open(folder))
        .isInstanceOfSatisfying(InvalidDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$.output[0].url");
          assertThat(e.getMessage()).contains("Patient.ndjson");
        });
  }

  @Test
  void aTruncatedGzipFileIsNamedAndTheOtherFilesAreStillRead() throws IOException {
    write("Patient.ndjson", patient("a"), patient("b"));
    write("Observation.ndjson.gz", observation("o1", "a"), observation("o2", "b"));
    Path gz = folder.resolve("Observation.ndjson.gz");
    byte[] whole = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(whole, whole.length - 12));
    Run run = read(BulkPatients.DEFAULT_BUCKET_BYTES);
    assertThat(run.patients()).extracting(BulkPatient::patientId).containsExactly("a", "b");
    assertThat(run.account().unreadableFiles()).isEqualTo(1);
    assertThat(run.problems()).extracting(BulkProblem::kind).contains("unreadable");
    assertThat(run.account().reconciles()).isTrue();
  }

  @Test
  void badBytesAndCarriageReturnsAreLinesOfTheirOwn() {
    byte[] text = ("" + patient("a") + "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xff, (byte) 0xfe, '\n'};
    byte[] all = new byte[text.length + bad.length + text.length];
    System.arraycopy(text, 0, all, 0, text.length);
    System.arraycopy(bad, 0, all, text.length, bad.length);
    System.arraycopy(text, 0, all, text.length + bad.length, text.length);
    List<BulkLine> lines = new ArrayList<>();
    long count = BulkLine.read(new java.io.ByteArrayInputStream(all), "P.ndjson", lines::add);
    assertThat(count).isEqualTo(3);
    assertThat(lines).extracting(BulkLine::kind).containsExactly(BulkLine.Kind.PATIENT,
        BulkLine.Kind.MALFORMED, BulkLine.Kind.PATIENT);
    assertThat(lines.get(1).content()).contains("P.ndjson line 2").contains("not UTF-8");
  }

  @Test
  void referencesAreTakenByTheirLastTwoSegments() {
    BulkLine line = BulkLine.classify("{\"resourceType\":\"Observation\",\"id\":\"o\","
        + "\"subject\":{\"reference\":\"https://x.org/fhir/Patient/p9/_history/3\"},"
        + "\"performer\":[{\"reference\":\"Practitioner/dr\"},{\"reference\":\"#c1\"}]}",
        "O.ndjson", 7);
    assertThat(line.kind()).isEqualTo(BulkLine.Kind.RESOURCE);
    assertThat(line.key()).isEqualTo("p9");
    assertThat(line.references()).containsExactly("Practitioner/dr");
    assertThat(BulkLine.classify("{\"resourceType\":\"Observation\",\"id\":\"o\",\"subject\":"
        + "{\"reference\":\"Group/g\"}}", "O.ndjson", 8).kind())
        .isEqualTo(BulkLine.Kind.NO_PATIENT);
  }
}
