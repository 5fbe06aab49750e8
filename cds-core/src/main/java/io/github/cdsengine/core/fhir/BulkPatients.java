package io.github.cdsengine.core.fhir;

import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.problem.InvalidDataException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A Bulk Data export grouped by patient, in bounded memory, and each patient's lines read into
 * a record.
 *
 * <p>How: a first pass classifies every line ({@link BulkLine#classify}) and spills each
 * patient's lines to one of several bucket files by a hash of the patient's id, and each
 * Medication, Practitioner, Location and Organization to one file, keeping in memory only its
 * reference and where it stands there (an index of offsets). A second pass takes one bucket at a
 * time: its lines grouped by patient, in patient id order, the shared resources each patient's
 * lines refer to read back by offset and joined in. Memory holds one bucket (about {@code
 * bucketBytes} of JSON text), the offset index of the shared resources and one patient's
 * records; never the export as JSON trees. The spill files live in a folder made under the given
 * work folder and are deleted at the end.
 *
 * <p>Order: buckets in turn, patients by id within a bucket; the same export and bucket size give
 * the same order.
 */
public final class BulkPatients {

  /** Bucket size when none is given: 64 MiB of NDJSON text per bucket. */
  public static final long DEFAULT_BUCKET_BYTES = 64L << 20;

  /** The most bucket files open at once. */
  static final int MAX_BUCKETS = 256;

  /** How much larger than its file a gzip file's text is taken to be, to size buckets. */
  private static final int GZIP_RATIO = 8;

  private BulkPatients() {}

  /**
   * Reads one patient's lines into its record: its Patient line, the resources naming it, and
   * the shared resources they refer to. Never throws for bad data: a patient that cannot be
   * read comes back with the reason.
   *
   * @param patientId the patient's id
   * @param own the patient's own lines ({@code PATIENT} and {@code RESOURCE}), in export order
   * @param shared the shared lines joined in ({@code SHARED})
   * @return the patient, read or with the reason it could not be
   * @throws IllegalArgumentException if {@code own} holds no {@code PATIENT} line
   * @throws NullPointerException if any argument is null
   */
  public static BulkPatient assemble(String patientId, List<BulkLine> own,
      List<BulkLine> shared) {
    Objects.requireNonNull(patientId, "patientId");
    BulkLine patientLine = own.stream().filter(l -> l.kind() == BulkLine.Kind.PATIENT)
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no Patient line for "
            + JsonFields.printable(patientId)));
    try {
      ResourceIndex index = new ResourceIndex();
      for (List<BulkLine> lines : List.of(own, shared)) {
        for (BulkLine line : lines) {
          index.add(FhirDocuments.parse(new ByteArrayInputStream(
              line.content().getBytes(StandardCharsets.UTF_8)), line.source()), line.source());
        }
      }
      FhirData data = RecordAssembler.assemble(index, DanglingSubject.ERROR);
      return new BulkPatient(patientId, patientLine.source(), data, null, own.size());
    } catch (InvalidDataException e) {
      return new BulkPatient(patientId, patientLine.source(), null, e.getMessage(), own.size());
    } catch (RuntimeException e) {
      return new BulkPatient(patientId, patientLine.source(), null, patientLine.source()
          + ": cannot be read: " + e, own.size());
    }
  }

  /**
   * The settings of a grouped read.
   *
   * @param workFolder where the spill folder is made (and deleted at the end)
   * @param bucketBytes about how much NDJSON text one bucket holds, at least 1
   */
  public record Spill(Path workFolder, long bucketBytes) {

    /**
     * Checks the settings.
     *
     * @param workFolder where the spill folder is made
     * @param bucketBytes about how much text one bucket holds
     * @throws NullPointerException if {@code workFolder} is null
     * @throws IllegalArgumentException if {@code bucketBytes} is below 1
     */
    public Spill {
      Objects.requireNonNull(workFolder, "workFolder");
      if (bucketBytes < 1) {
        throw new IllegalArgumentException("bucketBytes must be at least 1: " + bucketBytes);
      }
    }
  }

  /**
   * Reads every patient of the export and hands each, read or not, to {@code patients}; every
   * line not used is named to {@code problems} (a type no rule reads only counted), and every
   * line is counted in the account returned. A bad line or patient never stops the read.
   *
   * @param export the export
   * @param spill where to spill and how large a bucket is
   * @param patients receives each patient, in bucket order then patient id order
   * @param problems receives each problem, as it is found
   * @return where every line went; it reconciles
   * @throws UncheckedIOException when the spill files cannot be written or read
   * @throws NullPointerException if any argument is null
   */
  public static BulkAccount read(BulkExport export, Spill spill, Consumer<BulkPatient> patients,
      Consumer<BulkProblem> problems) {
    Objects.requireNonNull(export, "export");
    Objects.requireNonNull(patients, "patients");
    Objects.requireNonNull(problems, "problems");
    Path folder = null;
    try {
      Files.createDirectories(spill.workFolder());
      folder = Files.createTempDirectory(spill.workFolder(), "cds-bulk-");
      return new Grouping(export, folder, buckets(export, spill.bucketBytes()), problems)
          .run(patients);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill the export to " + spill.workFolder(), e);
    } finally {
      deleteQuietly(folder);
    }
  }

  private static int buckets(BulkExport export, long bucketBytes) {
    long text = 0;
    for (BulkExport.DataFile file : export.files()) {
      try {
        text += Files.size(file.path()) * (file.gzip() ? GZIP_RATIO : 1);
      } catch (IOException e) {
        // unreadable: reported when it is read
      }
    }
    long buckets = (text + bucketBytes - 1) / bucketBytes;
    return (int) Math.max(1, Math.min(MAX_BUCKETS, buckets));
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null) {
      return;
    }
    try (var walk = Files.walk(folder)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // left for the operating system's temporary-file cleanup
    }
  }

  /** Where a shared resource stands in the shared spill file. */
  private static final class SharedEntry {
    final long offset;
    final int length;
    final String type;
    final String source;
    boolean joined;

    SharedEntry(long offset, int length, BulkLine line) {
      this.offset = offset;
      this.length = length;
      this.type = line.type();
      this.source = line.source();
    }
  }

  /** One grouped read. */
  private static final class Grouping {
    private final BulkExport export;
    private final Path folder;
    private final int bucketCount;
    private final Consumer<BulkProblem> problems;
    private final BulkAccount account = new BulkAccount();
    private final Map<String, SharedEntry> sharedIndex = new HashMap<>();
    private final DataOutputStream[] buckets;
    private RandomAccessFile sharedFile;
    private long sharedLength;

    Grouping(BulkExport export, Path folder, int bucketCount, Consumer<BulkProblem> problems) {
      this.export = export;
      this.folder = folder;
      this.bucketCount = bucketCount;
      this.problems = problems;
      this.buckets = new DataOutputStream[bucketCount];
    }

    BulkAccount run(Consumer<BulkPatient> patients) throws IOException {
      try (RandomAccessFile shared = new RandomAccessFile(folder.resolve("shared").toFile(),
          "rw")) {
        sharedFile = shared;
        try {
          for (int i = 0; i < bucketCount; i++) {
            buckets[i] = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(bucket(i)), 1 << 15));
          }
          for (BulkExport.DataFile file : export.files()) {
            readFile(file);
          }
        } finally {
          for (DataOutputStream out : buckets) {
            if (out != null) {
              out.close();
            }
          }
        }
        for (int i = 0; i < bucketCount; i++) {
          groupBucket(i, patients);
          Files.delete(bucket(i));
        }
      }
      TreeMap<String, SharedEntry> sorted = new TreeMap<>(sharedIndex);
      sorted.forEach((reference, entry) -> {
        if (entry.joined) {
          account.used(1);
        } else {
          account.skip("not-referenced", entry.type, 1);
        }
      });
      return account;
    }

    private Path bucket(int i) {
      return folder.resolve("bucket-" + i);
    }

    private void readFile(BulkExport.DataFile file) {
      try (InputStream in = file.open()) {
        BulkLine.read(in, file.name(), this::spill);
      } catch (IOException e) {
        BulkLine line = new BulkLine(BulkLine.Kind.UNREADABLE, "", "",
            BulkLine.source(file.name(), 1), BulkLine.source(file.name(), 1)
                + ": cannot read: " + e.getMessage(), List.of());
        spill(line);
      }
    }

    private void spill(BulkLine line) {
      account.read(line);
      try {
        switch (line.kind()) {
          case PATIENT, RESOURCE -> writeRecord(
              buckets[Math.floorMod(line.key().hashCode(), bucketCount)], line);
          case SHARED -> {
            if (sharedIndex.containsKey(line.key())) {
              account.skip("duplicate", line.type(), 1);
              problems.accept(new BulkProblem(line.source(), "duplicate", line.source() + ": a "
                  + "second " + line.key() + " (the first is at "
                  + sharedIndex.get(line.key()).source + "); the first is used"));
              return;
            }
            byte[] bytes = line.content().getBytes(StandardCharsets.UTF_8);
            sharedFile.seek(sharedLength);
            sharedFile.write(bytes);
            sharedIndex.put(line.key(), new SharedEntry(sharedLength, bytes.length, line));
            sharedLength += bytes.length;
          }
          case MALFORMED, UNREADABLE ->
              problems.accept(new BulkProblem(line.source(), line.kind() == BulkLine.Kind.MALFORMED
                  ? "malformed" : "unreadable", line.content()));
          case NO_PATIENT -> problems.accept(new BulkProblem(line.source(), "no-patient",
              line.source() + ": " + line.type() + ": " + line.content()));
          default -> {
            // BLANK and UNKNOWN_TYPE: counted only
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void writeRecord(DataOutputStream out, BulkLine line) throws IOException {
      out.writeBoolean(line.kind() == BulkLine.Kind.PATIENT);
      out.writeUTF(line.type());
      out.writeUTF(line.key());
      out.writeUTF(line.source());
      out.writeShort(line.references().size());
      for (String reference : line.references()) {
        out.writeUTF(reference);
      }
      byte[] json = line.content().getBytes(StandardCharsets.UTF_8);
      out.writeInt(json.length);
      out.write(json);
    }

    private static BulkLine readRecord(DataInputStream in) throws IOException {
      boolean patient;
      try {
        patient = in.readBoolean();
      } catch (EOFException end) {
        return null;
      }
      String type = in.readUTF();
      String key = in.readUTF();
      String source = in.readUTF();
      int count = in.readUnsignedShort();
      List<String> references = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        references.add(in.readUTF());
      }
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      return new BulkLine(patient ? BulkLine.Kind.PATIENT : BulkLine.Kind.RESOURCE, type, key,
          source, new String(json, StandardCharsets.UTF_8), references);
    }

    private void groupBucket(int i, Consumer<BulkPatient> patients) throws IOException {
      Map<String, List<BulkLine>> byPatient = new TreeMap<>();
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(
          Files.newInputStream(bucket(i)), 1 << 16))) {
        BulkLine line;
        while ((line = readRecord(in)) != null) {
          byPatient.computeIfAbsent(line.key(), k -> new ArrayList<>()).add(line);
        }
      }
      for (Map.Entry<String, List<BulkLine>> entry : byPatient.entrySet()) {
        List<BulkLine> own = entry.getValue();
        entry.setValue(null);
        if (own.stream().noneMatch(l -> l.kind() == BulkLine.Kind.PATIENT)) {
          for (BulkLine line : own) {
            account.skip("patient-not-in-export", line.type(), 1);
            problems.accept(new BulkProblem(line.source(), "patient-not-in-export",
                line.source() + ": " + line.type() + " names Patient/"
                    + JsonFields.printable(line.key()) + ", which the export does not hold"));
          }
          continue;
        }
        BulkPatient patient = assemble(entry.getKey(), own, sharedFor(own));
        account.patient(patient);
        if (!patient.read()) {
          problems.accept(new BulkProblem(patient.source(), "patient-failed", patient.error()));
        }
        patients.accept(patient);
      }
    }

    private List<BulkLine> sharedFor(List<BulkLine> own) throws IOException {
      Set<String> references = new TreeSet<>();
      own.forEach(l -> references.addAll(l.references()));
      List<BulkLine> shared = new ArrayList<>();
      for (String reference : references) {
        SharedEntry entry = sharedIndex.get(reference);
        if (entry == null) {
          continue; // a reference the export cannot resolve: the reader says so where it matters
        }
        entry.joined = true;
        byte[] bytes = new byte[entry.length];
        sharedFile.seek(entry.offset);
        sharedFile.readFully(bytes);
        shared.add(new BulkLine(BulkLine.Kind.SHARED, entry.type, reference, entry.source,
            new String(bytes, StandardCharsets.UTF_8), List.of()));
      }
      return shared;
    }
  }
}
