package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.problem.InvalidDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One line of a Bulk Data export's NDJSON file, classified: whose it is (a patient's, a resource
 * patients' resources refer to, or nobody's) or why it is not used.
 *
 * <p>The kinds:
 * <ul>
 *   <li>{@link Kind#PATIENT}: a Patient; {@code key} is its id.
 *   <li>{@link Kind#RESOURCE}: a resource of a type the reader maps to facts, belonging to the
 *       patient its {@code subject} or {@code patient} reference names; {@code key} is that
 *       patient's id.
 *   <li>{@link Kind#SHARED}: a Medication, Practitioner, Location or Organization, which
 *       names no patient and is joined in to every patient whose resources refer to it;
 *       {@code key} is its reference, {@code Type/id}.
 *   <li>{@link Kind#UNKNOWN_TYPE}: a resource of a type no rule reads (Claim, Provenance...).
 *   <li>{@link Kind#NO_PATIENT}: a resource of a type the reader maps, without a reference to a
 *       Patient.
 *   <li>{@link Kind#MALFORMED}: not a JSON object with a resourceType, not UTF-8, longer than
 *       the most a line may hold, or without the id its kind needs.
 *   <li>{@link Kind#BLANK}: nothing but white space; not a resource, counted apart.
 *   <li>{@link Kind#UNREADABLE}: the file could not be read on from this line (a truncated or
 *       corrupt gzip stream, an I/O error); the rest of the file is not read.
 * </ul>
 *
 * @serial exclude
 * @param kind what the line is
 * @param type its resourceType, or an empty string when it has none
 * @param key the patient id ({@code PATIENT}, {@code RESOURCE}), the reference ({@code SHARED}),
 *     or an empty string
 * @param source the file and line, as {@code Condition.ndjson line 12}
 * @param content the line's JSON for {@code PATIENT}, {@code RESOURCE} and {@code SHARED}; for
 *     the other kinds, why the line is not used
 * @param references the references to Medication, Practitioner, Location and Organization
 *     resources ({@code Type/id}) that the resource holds anywhere, sorted; empty for other kinds
 */
public record BulkLine(Kind kind, String type, String key, String source, String content,
    List<String> references) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a line is. */
  public enum Kind {
    /** A Patient. */
    PATIENT,
    /** A resource of a patient. */
    RESOURCE,
    /** A resource that patients' resources refer to. */
    SHARED,
    /** A resource of a type no rule reads. */
    UNKNOWN_TYPE,
    /** A resource of a read type that names no patient. */
    NO_PATIENT,
    /** A line that is not a usable resource. */
    MALFORMED,
    /** A blank line. */
    BLANK,
    /** The file could not be read on from here. */
    UNREADABLE
  }

  /** The types joined in to patients by reference: they name no patient themselves. */
  public static final Set<String> SHARED_TYPES =
      Set.of("Medication", "Practitioner", "Location", "Organization");

  /** The version part of a versioned reference, such as {@code /_history/2}. */
  private static final Pattern VERSION = Pattern.compile("/_history/[^/]+$");

  /**
   * Checks the fields and copies the references.
   *
   * @param kind what the line is
   * @param type its resourceType, or an empty string
   * @param key the patient id, the reference, or an empty string
   * @param source the file and line
   * @param content the JSON, or why the line is not used
   * @param references the references to shared resources
   * @throws NullPointerException if any is null
   */
  public BulkLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(content, "content");
    references = List.copyOf(references);
  }

  /**
   * Classifies one line of NDJSON.
   *
   * @param line the line, without its line break
   * @param file the file's name, for the source
   * @param lineNumber the line's number in the file, from 1
   * @return the line, classified; never an exception for bad content (that is {@code MALFORMED})
   * @throws NullPointerException if {@code line} or {@code file} is null
   */
  public static BulkLine classify(String line, String file, long lineNumber) {
    Objects.requireNonNull(line, "line");
    String source = source(file, lineNumber);
    if (line.isBlank()) {
      return other(Kind.BLANK, "", source, "blank line");
    }
    JsonNode root;
    try {
      root = FhirDocuments.parse(
          new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), source);
    } catch (InvalidDataException e) {
      return other(Kind.MALFORMED, "", source, e.getMessage());
    }
    JsonNode typeNode = root.get("resourceType");
    if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isBlank()) {
      return other(Kind.MALFORMED, "", source, source + ": $.resourceType: a resource needs a "
          + "resourceType string");
    }
    String type = typeNode.asText();
    boolean shared = SHARED_TYPES.contains(type);
    if (!shared && !ResourceIndex.READ.contains(type)) {
      return other(Kind.UNKNOWN_TYPE, type, source, "a type no rule reads");
    }
    JsonNode idNode = root.get("id");
    String id = idNode != null && idNode.isTextual() ? idNode.asText() : "";
    if (!ResourceIndex.isFhirId(id)) {
      return other(Kind.MALFORMED, type, source, source + ": $.id: " + type + " without a "
          + "FHIR id (1 to 64 characters, each a letter, digit, '-' or '.')");
    }
    if (shared) {
      return new BulkLine(Kind.SHARED, type, type + "/" + id, source, line, List.of());
    }
    List<String> references = sharedReferences(root);
    if (type.equals("Patient")) {
      return new BulkLine(Kind.PATIENT, type, id, source, line, references);
    }
    String patient = patientOf(root);
    if (patient == null) {
      return other(Kind.NO_PATIENT, type, source, "no subject or patient reference to a "
          + "Patient");
    }
    return new BulkLine(Kind.RESOURCE, type, patient, source, line, references);
  }

  /**
   * Reads NDJSON line by line and hands each line, classified, to {@code sink}, blank ones
   * included. A line that is not UTF-8 or is longer than 256 MiB is {@code MALFORMED}, and
   * reading goes on with the next line; when the stream fails (a truncated gzip file), an
   * {@code UNREADABLE} line is handed over and reading stops.
   *
   * @param in the NDJSON bytes; not closed here
   * @param file the file's name, for the sources
   * @param sink what receives each line
   * @return the number of lines read
   * @throws NullPointerException if any argument is null
   */
  public static long read(InputStream in, String file, Consumer<BulkLine> sink) {
    Objects.requireNonNull(sink, "sink");
    Iterator<BulkLine> lines = lines(in, file);
    long number = 0;
    while (lines.hasNext()) {
      BulkLine line = lines.next();
      if (line.kind() != Kind.UNREADABLE) {
        number++;
      }
      sink.accept(line);
    }
    return number;
  }

  /**
   * The lines of NDJSON, classified, read as the iterator is consumed: as {@link #read} hands
   * them over, one line held at a time.
   *
   * @param in the NDJSON bytes; not closed here
   * @param file the file's name, for the sources
   * @return the lines, blank ones included, an {@code UNREADABLE} one last when the stream fails
   * @throws NullPointerException if an argument is null
   */
  public static Iterator<BulkLine> lines(InputStream in, String file) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(file, "file");
    RawLines raw = new RawLines(in);
    return new Iterator<>() {
      private long number;
      private boolean failed;
      private UncheckedReadException pendingFailure;

      @Override
      public boolean hasNext() {
        if (failed) {
          return false;
        }
        try {
          return raw.hasNext();
        } catch (UncheckedReadException e) {
          failed = true;
          pendingFailure = e;
          return true;
        }
      }

      @Override
      public BulkLine next() {
        if (pendingFailure != null) {
          String source = source(file, number + 1);
          String message = source + ": cannot read on: " + pendingFailure.getCause().getMessage();
          pendingFailure = null;
          return other(Kind.UNREADABLE, "", source, message);
        }
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        if (pendingFailure != null) {
          return next();
        }
        RawLine line = raw.next();
        number++;
        return line.problem() != null
            ? other(Kind.MALFORMED, "", source(file, number), source(file, number) + ": $: "
                + line.problem())
            : classify(line.text(), file, number);
      }
    };
  }

  /** The source of a line as messages and outputs show it. */
  static String source(String file, long lineNumber) {
    return file + " line " + lineNumber;
  }

  private static BulkLine other(Kind kind, String type, String source, String why) {
    return new BulkLine(kind, type, "", source, why, List.of());
  }

  /** The patient id a resource's subject or patient reference names, or null. */
  private static String patientOf(JsonNode resource) {
    for (String field : new String[] {"subject", "patient"}) {
      JsonNode reference = resource.path(field).path("reference");
      if (reference.isTextual()) {
        String[] typeAndId = typeAndId(reference.asText());
        return typeAndId != null && typeAndId[0].equals("Patient") ? typeAndId[1] : null;
      }
    }
    return null;
  }

  /** Every reference to a shared type held anywhere in the resource, sorted. */
  private static List<String> sharedReferences(JsonNode resource) {
    Set<String> found = new TreeSet<>();
    collect(resource, found);
    return new ArrayList<>(found);
  }

  private static void collect(JsonNode node, Set<String> found) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("reference") && field.getValue().isTextual()) {
          String[] typeAndId = typeAndId(field.getValue().asText());
          if (typeAndId != null && SHARED_TYPES.contains(typeAndId[0])) {
            found.add(typeAndId[0] + "/" + typeAndId[1]);
          }
        } else {
          collect(field.getValue(), found);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, found));
    }
  }

  /**
   * A reference's type and id: its last two segments, after leaving out a version; null for a
   * contained ({@code #id}) reference or one with fewer than two segments.
   */
  static String[] typeAndId(String reference) {
    if (reference.startsWith("#")) {
      return null;
    }
    String[] parts = VERSION.matcher(reference).replaceFirst("").split("/");
    if (parts.length < 2 || parts[parts.length - 2].isEmpty()
        || parts[parts.length - 1].isEmpty()) {
      return null;
    }
    return new String[] {parts[parts.length - 2], parts[parts.length - 1]};
  }

  /** One raw line: its text, or why it cannot be one. */
  private record RawLine(String text, String problem) {}

  /** A read failure carried out of an iterator. */
  private static final class UncheckedReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedReadException(IOException cause) {
      super(cause);
    }
  }

  /**
   * Lines of bytes split at line feeds (a carriage return before one is left out), each
   * decoded strictly as UTF-8 on its own, and none held past 256 MiB.
   */
  private static final class RawLines implements Iterator<RawLine> {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean end;
    private RawLine next;

    RawLines(InputStream in) {
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !end) {
        next = readLine();
      }
      return next != null;
    }

    @Override
    public RawLine next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      RawLine line = next;
      next = null;
      return line;
    }

    private boolean fill() {
      try {
        limit = in.read(buffer);
      } catch (IOException e) {
        end = true;
        throw new UncheckedReadException(e);
      }
      position = 0;
      if (limit <= 0) {
        limit = 0;
        end = true;
        return false;
      }
      return true;
    }

    private RawLine readLine() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      boolean any = false;
      boolean tooLong = false;
      while (true) {
        if (position == limit && !fill()) {
          return any ? finish(line, tooLong) : null;
        }
        any = true;
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        if (!tooLong) {
          if (line.size() + (position - start) > FhirDocuments.MAX_DOCUMENT_BYTES) {
            tooLong = true;
            line = new ByteArrayOutputStream();
          } else {
            line.write(buffer, start, position - start);
          }
        }
        if (position < limit) {
          position++;
          return finish(line, tooLong);
        }
      }
    }

    private static RawLine finish(ByteArrayOutputStream line, boolean tooLong) {
      if (tooLong) {
        return new RawLine(null, "longer than " + FhirDocuments.MAX_DOCUMENT_BYTES / (1024 * 1024)
            + " MiB, the most one NDJSON line may hold");
      }
      byte[] bytes = line.toByteArray();
      int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r'
          ? bytes.length - 1 : bytes.length;
      try {
        return new RawLine(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, length)).toString(), null);
      } catch (CharacterCodingException e) {
        return new RawLine(null, "not UTF-8");
      }
    }
  }
}
