package io.github.cdsengine.core.fhir;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every line of a Bulk Data export went: used, skipped with a reason, malformed, or in a
 * patient that could not be read. The counts reconcile: {@link #lines()} equals {@link #used()}
 * + {@link #skippedTotal()} + {@link #malformed()} + {@link #inFailedPatients()}. Blank lines are
 * counted apart. Not thread-safe; {@linkplain #add(BulkAccount) add} up one per thread or task.
 *
 * <p>Skip reasons: {@code unknown-type} (a type no rule reads), {@code no-patient} (a resource of
 * a read type with no reference to a Patient), {@code patient-not-in-export} (it names a patient
 * the export has no Patient for), {@code not-referenced} (a Medication, Practitioner, Location or
 * Organization no patient's resource refers to), {@code duplicate} (a second shared resource
 * with a reference already read).
 */
public final class BulkAccount implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Non-blank lines read. */
  private long lines;
  /** Blank lines read. */
  private long blank;
  /** Lines used. */
  private long used;
  /** Malformed lines. */
  private long malformed;
  /** Lines of patients that could not be read. */
  private long inFailedPatients;
  /** Patients found. */
  private long patients;
  /** Patients that could not be read. */
  private long failedPatients;
  /** Files not readable to their end. */
  private long unreadableFiles;
  /** Skipped lines by reason, then by resource type. */
  private final Map<String, Map<String, Long>> skipped = new TreeMap<>();

  /** An empty account. */
  public BulkAccount() {
    // counts start at zero
  }

  /**
   * Counts a line read, by its kind; {@code PATIENT}, {@code RESOURCE} and {@code SHARED} lines
   * are counted as read here and where they went later.
   *
   * @param line a line as classified
   * @return this
   */
  public BulkAccount read(BulkLine line) {
    switch (line.kind()) {
      case BLANK -> blank++;
      case UNREADABLE -> unreadableFiles++;
      case MALFORMED -> {
        lines++;
        malformed++;
      }
      case UNKNOWN_TYPE -> {
        lines++;
        skip("unknown-type", line.type(), 1);
      }
      case NO_PATIENT -> {
        lines++;
        skip("no-patient", line.type(), 1);
      }
      default -> lines++;
    }
    return this;
  }

  /**
   * Counts {@code n} lines of type {@code type} skipped for {@code reason}.
   *
   * @param reason the skip reason (see the class comment)
   * @param type the resource type
   * @param n how many lines
   * @return this
   */
  public BulkAccount skip(String reason, String type, long n) {
    skipped.computeIfAbsent(reason, r -> new TreeMap<>()).merge(type, n, Long::sum);
    return this;
  }

  /**
   * Counts {@code n} lines used: joined into a patient that was read, or a shared resource
   * joined in to at least one patient.
   *
   * @param n how many lines
   * @return this
   */
  public BulkAccount used(long n) {
    used += n;
    return this;
  }

  /**
   * Counts one patient: read, or not, with its own lines.
   *
   * @param patient the patient
   * @return this
   */
  public BulkAccount patient(BulkPatient patient) {
    patients++;
    if (patient.read()) {
      used += patient.lines();
    } else {
      failedPatients++;
      inFailedPatients += patient.lines();
    }
    return this;
  }

  /**
   * Adds another account's counts to this one.
   *
   * @param other the counts to add; unchanged
   * @return this
   */
  public BulkAccount add(BulkAccount other) {
    lines += other.lines;
    blank += other.blank;
    used += other.used;
    malformed += other.malformed;
    inFailedPatients += other.inFailedPatients;
    patients += other.patients;
    failedPatients += other.failedPatients;
    unreadableFiles += other.unreadableFiles;
    other.skipped.forEach((reason, byType) ->
        byType.forEach((type, n) -> skip(reason, type, n)));
    return this;
  }

  /**
   * The non-blank lines read.
   *
   * @return the count
   */
  public long lines() {
    return lines;
  }

  /**
   * The blank lines read.
   *
   * @return the count
   */
  public long blank() {
    return blank;
  }

  /**
   * The lines used.
   *
   * @return the count
   */
  public long used() {
    return used;
  }

  /**
   * The malformed lines.
   *
   * @return the count
   */
  public long malformed() {
    return malformed;
  }

  /**
   * The lines of patients that could not be read.
   *
   * @return the count
   */
  public long inFailedPatients() {
    return inFailedPatients;
  }

  /**
   * The patients found (those with a Patient line), read or not.
   *
   * @return the count
   */
  public long patients() {
    return patients;
  }

  /**
   * The patients that could not be read.
   *
   * @return the count
   */
  public long failedPatients() {
    return failedPatients;
  }

  /**
   * The files that could not be read to their end.
   *
   * @return the count
   */
  public long unreadableFiles() {
    return unreadableFiles;
  }

  /**
   * The skipped lines by reason, then by resource type.
   *
   * @return a sorted copy
   */
  public Map<String, Map<String, Long>> skipped() {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    skipped.forEach((reason, byType) -> copy.put(reason, new TreeMap<>(byType)));
    return copy;
  }

  /**
   * All skipped lines.
   *
   * @return the count
   */
  public long skippedTotal() {
    return skipped.values().stream().flatMap(m -> m.values().stream())
        .mapToLong(Long::longValue).sum();
  }

  /**
   * Whether every line is accounted for: lines = used + skipped + malformed + in failed
   * patients.
   *
   * @return true when the counts add up
   */
  public boolean reconciles() {
    return lines == used + skippedTotal() + malformed + inFailedPatients;
  }

  @Override
  public String toString() {
    return lines + " lines: " + used + " used, " + skippedTotal() + " skipped " + skipped + ", "
        + malformed + " malformed, " + inFailedPatients + " in " + failedPatients
        + " patients that could not be read; " + blank + " blank; " + unreadableFiles
        + " files not readable to their end";
  }
}
