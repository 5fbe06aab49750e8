package io.github.cdsengine.spark;

import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.fhir.BulkAccount;
import io.github.cdsengine.core.fhir.BulkLine;
import io.github.cdsengine.core.fhir.BulkPatient;
import io.github.cdsengine.core.fhir.BulkProblem;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.population.PatientRow;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A patient group's outcome ({@link PopulationJob.Outcome}) as one byte array, the form outcomes
 * wait in on local disk for the outputs: each output reads them back, and Java serialization of
 * the rows, their lists and records cost more than writing the results in the first profile.
 *
 * <p>Layout, every text as UTF-8 after its length (4 bytes; -1 for none): a flag byte (1: a row
 * follows, 2: the evaluation failed); the problems (count, then source, kind and message each);
 * the account's counts (lines, blank, used, malformed, in failed patients, patients, failed
 * patients, unreadable files, then the skipped lines as reason, type and count); then the row
 * when there is one (id, source, age band, sex, the results line, and its tally: complete,
 * shown and withheld as id, title and severity, the measure groups, the data's end, the
 * warnings).
 */
final class OutcomeBytes {

  private static final int HAS_ROW = 1;
  private static final int EVALUATION_FAILED = 2;
  private static final Population[] POPULATIONS = Population.values();
  private static final MeasureDefinition.Improvement[] IMPROVEMENTS =
      MeasureDefinition.Improvement.values();
  /** A read patient's data, for replaying a count of read patients into an account. */
  private static final FhirData NO_DATA = new FhirData(List.of(), Map.of(), List.of());

  private OutcomeBytes() {}

  /**
   * The outcome as bytes.
   *
   * @param outcome the outcome
   * @return its bytes
   */
  static byte[] encode(PopulationJob.Outcome outcome) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(outcome.row() == null ? 256
        : 512 + outcome.row().json().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte((outcome.row() != null ? HAS_ROW : 0)
          | (outcome.evaluationFailed() ? EVALUATION_FAILED : 0));
      out.writeInt(outcome.problems().size());
      for (BulkProblem p : outcome.problems()) {
        text(out, p.source());
        text(out, p.kind());
        text(out, p.message());
      }
      account(out, outcome.account());
      if (outcome.row() != null) {
        row(out, outcome.row());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The outcome back as it was encoded.
   *
   * @param bytes an encoded outcome
   * @return the outcome
   */
  static PopulationJob.Outcome decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      int flags = in.readByte();
      List<BulkProblem> problems = problems(in);
      BulkAccount account = account(in);
      PatientRow row = (flags & HAS_ROW) != 0 ? row(in) : null;
      return new PopulationJob.Outcome(row, problems, account,
          (flags & EVALUATION_FAILED) != 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The outcome's problems, read without its row.
   *
   * @param bytes an encoded outcome
   * @return the problems
   */
  static List<BulkProblem> problems(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      in.readByte();
      return problems(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the outcome has a row, read from its first byte.
   *
   * @param bytes an encoded outcome
   * @return true when a patient was evaluated
   */
  static boolean hasRow(byte[] bytes) {
    return (bytes[0] & HAS_ROW) != 0;
  }

  private static List<BulkProblem> problems(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<BulkProblem> problems = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      problems.add(new BulkProblem(text(in), text(in), text(in)));
    }
    return problems;
  }

  private static void account(DataOutputStream out, BulkAccount account) throws IOException {
    out.writeLong(account.lines());
    out.writeLong(account.blank());
    out.writeLong(account.used());
    out.writeLong(account.malformed());
    out.writeLong(account.inFailedPatients());
    out.writeLong(account.patients());
    out.writeLong(account.failedPatients());
    out.writeLong(account.unreadableFiles());
    int entries = 0;
    for (Map<String, Long> byType : account.skipped().values()) {
      entries += byType.size();
    }
    out.writeInt(entries);
    for (Map.Entry<String, Map<String, Long>> reason : account.skipped().entrySet()) {
      for (Map.Entry<String, Long> type : reason.getValue().entrySet()) {
        text(out, reason.getKey());
        text(out, type.getKey());
        out.writeLong(type.getValue());
      }
    }
  }

  /**
   * An account with the counts read, made through the account's own operations (a line read
   * counts once by its kind, a patient once by whether it was read), so that it is what the
   * encoded one was.
   */
  private static BulkAccount account(DataInputStream in) throws IOException {
    long lines = in.readLong();
    long blank = in.readLong();
    long used = in.readLong();
    long malformed = in.readLong();
    long inFailedPatients = in.readLong();
    long patients = in.readLong();
    long failedPatients = in.readLong();
    long unreadableFiles = in.readLong();
    BulkAccount account = new BulkAccount();
    repeat(malformed, () -> account.read(line(BulkLine.Kind.MALFORMED)));
    repeat(lines - malformed, () -> account.read(line(BulkLine.Kind.RESOURCE)));
    repeat(blank, () -> account.read(line(BulkLine.Kind.BLANK)));
    repeat(unreadableFiles, () -> account.read(line(BulkLine.Kind.UNREADABLE)));
    // A patient is counted with its lines (at least one): each read patient with one of the
    // lines used, the first failed patient with all failed patients' lines but one for each
    // other.
    long readPatients = patients - failedPatients;
    if (readPatients < 0 || used < readPatients || inFailedPatients < failedPatients
        || inFailedPatients - failedPatients + 1 > Integer.MAX_VALUE) {
      throw new IllegalStateException("not an account's counts: " + patients + " patients, "
          + failedPatients + " failed with " + inFailedPatients + " lines, " + used + " used");
    }
    repeat(readPatients, () -> account.patient(new BulkPatient("", "", NO_DATA, null, 1)));
    if (failedPatients > 0) {
      account.patient(new BulkPatient("", "", null, "",
          (int) (inFailedPatients - failedPatients + 1)));
      repeat(failedPatients - 1, () -> account.patient(new BulkPatient("", "", null, "", 1)));
    }
    used -= readPatients;
    account.used(used);
    int entries = in.readInt();
    for (int i = 0; i < entries; i++) {
      account.skip(text(in), text(in), in.readLong());
    }
    return account;
  }

  private static BulkLine line(BulkLine.Kind kind) {
    return new BulkLine(kind, "", "", "", "", List.of());
  }

  private static void repeat(long n, Runnable step) {
    for (long i = 0; i < n; i++) {
      step.run();
    }
  }

  private static void row(DataOutputStream out, PatientRow row) throws IOException {
    text(out, row.patientId());
    text(out, row.source());
    text(out, row.ageBand());
    text(out, row.sex());
    text(out, row.json());
    PatientRow.Tally tally = row.tally();
    out.writeBoolean(tally.complete());
    shown(out, tally.shown());
    shown(out, tally.withheld());
    out.writeInt(tally.measures().size());
    for (PatientRow.MeasureCount m : tally.measures()) {
      text(out, m.measure());
      out.writeInt(m.group());
      out.writeByte(m.improvement().ordinal());
      out.writeInt(m.populations().size());
      for (Population p : m.populations()) {
        out.writeByte(p.ordinal());
      }
      out.writeBoolean(m.careGap());
      out.writeInt(m.episodes().size());
      for (Map.Entry<Population, Integer> e : m.episodes().entrySet()) {
        out.writeByte(e.getKey().ordinal());
        out.writeInt(e.getValue());
      }
    }
    text(out, tally.dataEnd());
    out.writeInt(tally.warnings());
  }

  private static PatientRow row(DataInputStream in) throws IOException {
    String id = text(in);
    String source = text(in);
    String ageBand = text(in);
    String sex = text(in);
    String json = text(in);
    boolean complete = in.readBoolean();
    List<PatientRow.Shown> shown = shown(in);
    List<PatientRow.Shown> withheld = shown(in);
    int count = in.readInt();
    List<PatientRow.MeasureCount> measures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String measure = text(in);
      int group = in.readInt();
      MeasureDefinition.Improvement improvement = IMPROVEMENTS[in.readByte()];
      int populationCount = in.readInt();
      List<Population> populations = new ArrayList<>(populationCount);
      for (int j = 0; j < populationCount; j++) {
        populations.add(POPULATIONS[in.readByte()]);
      }
      boolean careGap = in.readBoolean();
      int episodeCount = in.readInt();
      Map<Population, Integer> episodes = new EnumMap<>(Population.class);
      for (int j = 0; j < episodeCount; j++) {
        episodes.put(POPULATIONS[in.readByte()], in.readInt());
      }
      measures.add(new PatientRow.MeasureCount(measure, group, improvement, populations, careGap,
          episodes));
    }
    String dataEnd = text(in);
    int warnings = in.readInt();
    return new PatientRow(id, source, ageBand, sex, json,
        new PatientRow.Tally(complete, shown, withheld, measures, dataEnd, warnings));
  }

  private static void shown(DataOutputStream out, List<PatientRow.Shown> list)
      throws IOException {
    out.writeInt(list.size());
    for (PatientRow.Shown s : list) {
      text(out, s.id());
      text(out, s.title());
      text(out, s.severity());
    }
  }

  private static List<PatientRow.Shown> shown(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<PatientRow.Shown> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(new PatientRow.Shown(text(in), text(in), text(in)));
    }
    return list;
  }

  private static void text(DataOutputStream out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String text(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
