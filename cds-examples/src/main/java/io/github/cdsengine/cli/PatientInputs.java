package io.github.cdsengine.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.scenario.Scenario;
import io.github.cdsengine.core.scenario.ScenarioReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Patients from files, each kind told apart by its content: a FHIR Bundle or resource ({@code
 * resourceType}), a CDS Hooks request ({@code hook}), a scenario file ({@code name} with
 * {@code record} or {@code fhir}), or NDJSON (a {@code .ndjson} file: FHIR bulk data, one
 * patient's Bundle a line or each Patient followed by its resources); and a case folder: a
 * directory whose {@code .json} files (two or more) each hold one FHIR resource other than a
 * Bundle, exactly one of them a Patient, is one patient, its files read together as the CMS
 * measure test decks lay out a case (one folder per case, one resource per file, a subject
 * reference to another patient id taken to mean the folder's patient, with a data warning).
 */
final class PatientInputs {

  private static final JsonFactory JSON = new JsonFactory();
  private static final FhirReader FHIR = FhirReader.create();

  /** What a JSON file is. */
  enum Kind { FHIR, CDS_HOOKS_REQUEST, SCENARIO, NDJSON, CASE_FOLDER }

  private PatientInputs() {}

  /**
   * The inputs that {@code paths} name: a file itself, a directory's {@code .json} and {@code
   * .ndjson} files at any depth, sorted by path, with each case folder among them in place of its
   * files.
   *
   * @throws UsageException naming a path that does not exist, cannot be read or is not a regular
   *     file, or a directory that holds no patient files
   */
  static List<Path> files(List<Path> paths) {
    List<Path> files = new java.util.ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UsageException("no such file or directory: " + path);
      }
      if (Files.isDirectory(path)) {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(path)) {
          found = walk.filter(Files::isRegularFile).filter(PatientInputs::isPatientFile).sorted()
              .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
          throw new UsageException("cannot read directory " + path + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
          throw new UsageException("no .json or .ndjson files in the directory "
              + path);
        }
        files.addAll(withCaseFolders(found));
      } else {
        InputFiles.requireRegular(path);
        files.add(path);
      }
    }
    return files;
  }

  /** The files, each case folder's {@code .json} files replaced by the folder, in order. */
  private static List<Path> withCaseFolders(List<Path> files) {
    java.util.Map<Path, List<Path>> byFolder = new java.util.LinkedHashMap<>();
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(".json")) {
        byFolder.computeIfAbsent(file.toAbsolutePath().getParent(),
            f -> new java.util.ArrayList<>()).add(file);
      }
    }
    Set<Path> cases = new HashSet<>();
    byFolder.forEach((folder, json) -> {
      if (isCaseFolder(json)) {
        cases.add(folder);
      }
    });
    if (cases.isEmpty()) {
      return files;
    }
    List<Path> inputs = new java.util.ArrayList<>();
    Set<Path> added = new HashSet<>();
    for (Path file : files) {
      Path folder = file.toAbsolutePath().getParent();
      if (file.getFileName().toString().endsWith(".json") && cases.contains(folder)) {
        if (added.add(folder)) {
          inputs.add(file.getParent());
        }
      } else {
        inputs.add(file);
      }
    }
    return inputs;
  }

  /** Two or more single resources, none a Bundle, exactly one a Patient. */
  private static boolean isCaseFolder(List<Path> json) {
    if (json.size() < 2) {
      return false;
    }
    int patients = 0;
    for (Path file : json) {
      String type = resourceType(file);
      if (type == null || type.equals("Bundle")) {
        return false;
      }
      patients += type.equals("Patient") ? 1 : 0;
    }
    return patients == 1;
  }

  /**
   * The {@code resourceType} of a JSON object, read no further than that field; {@code null}
   * when the file is not such an object (its own error is reported when it is read alone).
   */
  private static String resourceType(Path file) {
    try (InputStream in = InputFiles.open(file, InputFiles.DEFAULT_LIMIT);
        JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("resourceType")) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * What a batch run reads from {@code paths}: patient files, Bulk Data export folders (read
   * whole, see {@link io.github.cdsengine.core.fhir.BulkExport}), and every file it does not
   * read, with the reason.
   *
   * @param files the patient files, sorted by path within each directory
   * @param exports the export folders
   * @param unread each file or folder not read: its path and why
   */
  record Listing(List<Path> files, List<Path> exports, List<Unread> unread) {}

  /**
   * A file or folder a run does not read, and why.
   *
   * @param path its path
   * @param reason why it is not read
   */
  record Unread(String path, String reason) {}

  /**
   * Lists the inputs of a batch run: a file itself; a directory that is a Bulk Data export as
   * that export (its files not read named from its listing); any other directory's {@code
   * .json} and {@code .ndjson} files at any depth, an export folder within it as an export, and
   * every other file named as not read.
   *
   * @throws UsageException naming a path that does not exist, cannot be read or is not a regular
   *     file, or a directory that holds nothing to read
   */
  static Listing list(List<Path> paths) {
    List<Path> files = new java.util.ArrayList<>();
    List<Path> exports = new java.util.ArrayList<>();
    List<Unread> unread = new java.util.ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UsageException("no such file or directory: " + path);
      }
      if (Files.isDirectory(path)) {
        List<Path> found = new java.util.ArrayList<>();
        int before = exports.size();
        walk(path, found, exports, unread);
        // Sorted by path over the whole directory, as a run has always read them.
        files.addAll(withCaseFolders(found.stream().sorted().toList()));
        if (found.isEmpty() && exports.size() == before) {
          throw new UsageException("no .json or .ndjson files and no Bulk Data export in the "
              + "directory " + path);
        }
      } else {
        InputFiles.requireRegular(path);
        files.add(path);
      }
    }
    return new Listing(files, exports, unread);
  }

  private static void walk(Path dir, List<Path> files, List<Path> exports, List<Unread> unread) {
    if (io.github.cdsengine.core.fhir.BulkExport.looksLikeExport(dir)) {
      exports.add(dir);
      return;
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UsageException("cannot read directory " + dir + ": " + e.getMessage());
    }
    for (Path entry : entries) {
      if (Files.isDirectory(entry)) {
        walk(entry, files, exports, unread);
      } else if (!Files.isRegularFile(entry)) {
        unread.add(new Unread(entry.toString(), "not a regular file"));
      } else if (isPatientFile(entry)) {
        files.add(entry);
      } else {
        unread.add(new Unread(entry.toString(), "neither .json nor .ndjson, and not in a Bulk "
            + "Data export folder"));
      }
    }
  }

  private static boolean isPatientFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") || name.endsWith(".ndjson");
  }

  /**
   * Reads every patient in {@code file}, of at most {@code limit} bytes, and hands each to
   * {@code sink}, in file order; NDJSON is streamed, patient by patient.
   *
   * @throws InvalidDataException naming the file and what is wrong
   */
  static void read(Path file, long limit, Consumer<Subject> sink) {
    String source = file.toString();
    Kind kind = kind(file, limit);
    if (kind == Kind.CASE_FOLDER) {
      readCaseFolder(file, limit, sink);
      return;
    }
    try (InputStream in = InputFiles.open(file, limit)) {
      switch (kind) {
        case NDJSON -> {
          try (Stream<FhirData> patients = FHIR.readNdjson(in, source)) {
            int[] line = {0};
            patients.forEach(data -> {
              line[0]++;
              data.patients().forEach(record -> sink.accept(new Subject(source + " #" + line[0],
                  record, null, null)));
            });
          }
        }
        case FHIR -> {
          FhirData data = FHIR.read(in, source);
          if (data.patients().isEmpty()) {
            throw new InvalidDataException(source, "$", "no Patient resource in the file");
          }
          data.patients().forEach(record ->
              sink.accept(new Subject(source, record, null, null)));
        }
        case CDS_HOOKS_REQUEST -> {
          CdsHooksRequest request = FHIR.readCdsHooksRequest(in, source);
          sink.accept(new Subject(source, request.record(), request, null));
        }
        case SCENARIO -> {
          Path directory = file.toAbsolutePath().getParent();
          Scenario scenario = ScenarioReader.read(in, source, directory);
          sink.accept(new Subject(source, scenario.record(), null, scenario));
        }
        default -> throw new IllegalStateException(kind.name());
      }
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getCause().getMessage());
    }
  }

  /** A case folder's one patient, from its {@code .json} files read together. */
  private static void readCaseFolder(Path folder, long limit, Consumer<Subject> sink) {
    String source = folder.toString();
    List<Path> json;
    try (Stream<Path> list = Files.list(folder)) {
      json = list.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
      for (Path file : json) {
        long size = Files.size(file);
        if (size > limit) {
          throw new InvalidDataException(file.toString(), "$", "larger than the input size "
              + "limit of " + limit + " bytes (--max-input-size): " + size + " bytes");
        }
      }
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    }
    FhirData data = FHIR.onePatientPerInput().read(json);
    if (data.patients().size() != 1) {
      throw new InvalidDataException(source, "$", "a case folder holds one patient, not "
          + data.patients().size());
    }
    sink.accept(new Subject(source, data.patients().get(0), null, null));
  }

  /**
   * What {@code file} holds, from its name ({@code .ndjson}) or the top-level fields of its JSON;
   * a directory given here is a case folder ({@link #files} gives only those).
   *
   * @throws InvalidDataException when it is not JSON (malformed, or beyond the JSON reader's
   *     limits such as its nesting depth), larger than {@code limit} bytes or none of the kinds
   */
  static Kind kind(Path file, long limit) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      return Kind.CASE_FOLDER;
    }
    if (file.getFileName().toString().endsWith(".ndjson")) {
      return Kind.NDJSON;
    }
    Set<String> fields = new HashSet<>();
    try (InputStream in = InputFiles.open(file, limit); JsonParser parser = JSON.createParser(in)) {
      try {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
          throw new InvalidDataException(source, "$", "expected a JSON object (a FHIR resource, "
              + "a CDS Hooks request or a scenario), got " + (first == null ? "nothing"
                  : first.asString() == null ? first.name() : first.asString())
              + "; NDJSON files must end in .ndjson");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          fields.add(parser.currentName());
          parser.nextToken();
          parser.skipChildren();
        }
      } catch (JsonProcessingException e) {
        // A limit such as the nesting depth is reported without a location: take the parser's.
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        throw new InvalidDataException(source, "$", "not valid JSON: " + e.getOriginalMessage()
            + (at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
      }
    } catch (JsonProcessingException e) {
      throw new InvalidDataException(source, "$", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    }
    if (fields.contains("resourceType")) {
      return Kind.FHIR;
    }
    if (fields.contains("hook") && fields.contains("hookInstance")) {
      return Kind.CDS_HOOKS_REQUEST;
    }
    if (fields.contains("name") && (fields.contains("record") || fields.contains("fhir"))) {
      return Kind.SCENARIO;
    }
    throw new InvalidDataException(source, "$", "not a FHIR Bundle or resource (resourceType), "
        + "a CDS Hooks request (hook, hookInstance) or a scenario file (name, record or fhir)");
  }
}
