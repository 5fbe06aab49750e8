package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * NDJSON lines grouped into one input per patient, reading one patient ahead at most: a Bundle
 * line is one input, and a Patient line starts one that the resource lines after it join (see
 * {@link FhirReader#readNdjson}).
 */
final class NdjsonPatients extends Spliterators.AbstractSpliterator<FhirData> {

  private final BufferedReader lines;
  private final String source;
  private int lineNumber;
  /** A Patient or Bundle line read ahead, which starts the next input, and its source. */
  private JsonNode pendingRoot;
  private String pendingSource;
  private boolean done;

  private NdjsonPatients(BufferedReader lines, String source) {
    super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
    this.lines = lines;
    this.source = source;
  }

  /** The patients of UTF-8 NDJSON, read as the stream is consumed; closing it closes {@code in}. */
  static Stream<FhirData> stream(InputStream in, String source) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)));
    return StreamSupport.stream(new NdjsonPatients(lines, source), false)
        .onClose(() -> {
          try {
            lines.close();
          } catch (IOException e) {
            throw new InvalidPatientDataException(source, "$", "cannot close: " + e);
          }
        });
  }

  @Override
  public boolean tryAdvance(Consumer<? super FhirData> action) {
    FhirData patient = done ? null : readPatient();
    if (patient == null) {
      return false;
    }
    action.accept(patient);
    return true;
  }

  private FhirData readPatient() {
    ResourceIndex index = new ResourceIndex();
    boolean hasPatient = false;
    if (pendingRoot != null) {
      JsonNode pending = pendingRoot;
      pendingRoot = null;
      index.add(pending, pendingSource);
      if (pending.path("resourceType").asText().equals("Bundle")) {
        return records(index);
      }
      hasPatient = true;
    }
    try {
      String line;
      while ((line = boundedLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String lineSource = source + " line " + lineNumber;
        JsonNode root = FhirDocuments.parse(
            new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), lineSource);
        String type = root.path("resourceType").asText();
        boolean startsAnInput = type.equals("Bundle") || type.equals("Patient");
        if (startsAnInput && hasPatient) {
          pendingRoot = root;
          pendingSource = lineSource;
          return records(index);
        }
        if (type.equals("Bundle")) {
          index.add(root, lineSource);
          return records(index);
        }
        if (type.equals("Patient")) {
          hasPatient = true;
        } else if (!hasPatient && ResourceIndex.READ.contains(type)) {
          throw new InvalidPatientDataException(lineSource, "$", "a " + type + " before any "
              + "Patient line; resources must follow the Patient they belong to");
        }
        index.add(root, lineSource);
      }
    } catch (IOException e) {
      throw new InvalidPatientDataException(source + " line " + (lineNumber + 1), "$",
          "cannot read (not UTF-8, or the stream failed): " + e);
    }
    done = true;
    return hasPatient ? records(index) : null;
  }

  /** Characters read from {@link #lines} and not yet taken into a line. */
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  /** Whether the last line ended with a carriage return, so that a line feed after it is its end. */
  private boolean afterCarriageReturn;

  /**
   * The next line without its line break (a line feed, a carriage return, or both), as {@link
   * BufferedReader#readLine} gives it, or null at the end; a line longer than {@link
   * FhirDocuments#MAX_DOCUMENT_BYTES} characters is an error naming it, found before the line is
   * held whole, so an endless line cannot exhaust the heap.
   */
  private String boundedLine() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit) {
        limit = lines.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line == null ? null : line.toString();
        }
      }
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      if (line == null) {
        line = new StringBuilder();
      }
      if (line.length() + (position - start) > FhirDocuments.MAX_DOCUMENT_BYTES) {
        throw new InvalidPatientDataException(source + " line " + (lineNumber + 1), "$",
            "longer than " + FhirDocuments.MAX_DOCUMENT_BYTES / (1024 * 1024) + " MiB, the most "
            + "one NDJSON line may hold");
      }
      line.append(buffer, start, position - start);
      if (position < limit) {
        afterCarriageReturn = buffer[position] == '\r';
        position++;
        return line.toString();
      }
    }
  }

  private static FhirData records(ResourceIndex index) {
    return RecordAssembler.assemble(index, DanglingSubject.ERROR);
  }
}
