package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of a FHIR Bulk Data export folder, as the {@code $export} operation writes them: one
 * or more NDJSON files per resource type, plain or gzip-compressed ({@code .gz}), and, when
 * present, the export's manifest ({@code manifest.json}: the status response with its {@code
 * output} list).
 *
 * <p>With a manifest, the files it lists in {@code output} are read, in its order, each under
 * the resource type it names; its {@code error} files (OperationOutcome) and every other file
 * of the folder are not read, and each is named in {@link #unread()} with the reason. A listed
 * file that is missing is an {@link InvalidDataException}. Without a manifest, every file of
 * the folder whose name is a resource type, optionally followed by a part ({@code .2}, {@code -2},
 * {@code _002}), and ends in {@code .ndjson} or {@code .ndjson.gz} is read, sorted by name; any
 * other file or folder is named in {@link #unread()}. Each line's own {@code resourceType} says
 * what it is, whatever its file is called.
 *
 * <p>Immutable and thread-safe.
 */
public final class BulkExport {

  /** The name of the export's manifest file in the folder. */
  public static final String MANIFEST = "manifest.json";

  /** A file name that is a resource type, an optional part, then .ndjson or .ndjson.gz. */
  private static final Pattern NDJSON_NAME =
      Pattern.compile("([A-Z][A-Za-z]{1,63})(?:[._-][A-Za-z0-9]{1,32})?\\.ndjson(\\.gz)?");

  /**
   * One NDJSON file of the export.
   *
   * @param path where it is
   * @param name its name as outputs show it: the file name within the folder
   * @param type the resource type its manifest entry or its name declares
   */
  public record DataFile(Path path, String name, String type) {

    /**
     * Checks the fields.
     *
     * @param path where it is
     * @param name its name as outputs show it
     * @param type the resource type its manifest entry or name declares
     * @throws NullPointerException if any is null
     */
    public DataFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    /**
     * Whether the file is gzip-compressed: its name ends in {@code .gz}.
     *
     * @return true for a {@code .gz} file
     */
    public boolean gzip() {
      return name.endsWith(".gz");
    }

    /**
     * Opens the file, decompressing a {@code .gz} one.
     *
     * @return the NDJSON bytes; close it after use
     * @throws IOException when the file cannot be opened or is not gzip data
     */
    public InputStream open() throws IOException {
      InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
      return gzip() ? new GZIPInputStream(in, 1 << 16) : in;
    }
  }

  /**
   * A file or folder of the export folder that is not read, and why.
   *
   * @param name its name within the folder
   * @param reason why it is not read
   */
  public record UnreadFile(String name, String reason) {

    /**
     * Checks the fields.
     *
     * @param name its name within the folder
     * @param reason why it is not read
     * @throws NullPointerException if either is null
     */
    public UnreadFile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private final Path folder;
  private final List<DataFile> files;
  private final List<UnreadFile> unread;
  private final boolean manifest;

  private BulkExport(Path folder, List<DataFile> files, List<UnreadFile> unread,
      boolean manifest) {
    this.folder = folder;
    this.files = List.copyOf(files);
    this.unread = List.copyOf(unread);
    this.manifest = manifest;
  }

  /**
   * Whether {@code folder} looks like a Bulk Data export: it holds a {@value #MANIFEST}, or a
   * file named like {@code Patient.ndjson} or {@code Patient.1.ndjson.gz}.
   *
   * @param folder a directory
   * @return true when it looks like an export; false for anything else, a file included
   */
  public static boolean looksLikeExport(Path folder) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    if (Files.isRegularFile(folder.resolve(MANIFEST))) {
      return true;
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> NDJSON_NAME.matcher(p.getFileName().toString()))
          .anyMatch(m -> m.matches() && m.group(1).equals("Patient"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * One entry of an export folder, as a file system lists it.
   *
   * @param name its name within the folder
   * @param directory whether it is a folder
   * @param readableFile whether it is a regular file that can be read
   */
  public record Entry(String name, boolean directory, boolean readableFile) {

    /**
     * Checks the name.
     *
     * @param name its name within the folder
     * @param directory whether it is a folder
     * @param readableFile whether it is a readable regular file
     * @throws NullPointerException if {@code name} is null
     */
    public Entry {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A file to read, by name, with the resource type its manifest entry or name declares.
   *
   * @param name its name within the folder
   * @param type the declared resource type
   */
  public record Listed(String name, String type) {

    /**
     * Checks the fields.
     *
     * @param name its name within the folder
     * @param type the declared resource type
     * @throws NullPointerException if either is null
     */
    public Listed {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * What to read of an export folder and what not, decided from its entries and manifest, on
   * any file system (a local folder, HDFS, an object store): the same rules as {@link #open}.
   *
   * @param files the files to read, in reading order
   * @param unread the entries not read, each with the reason
   * @param manifest whether a manifest decided
   */
  public record Plan(List<Listed> files, List<UnreadFile> unread, boolean manifest) {

    /**
     * Copies the lists.
     *
     * @param files the files to read
     * @param unread the entries not read
     * @param manifest whether a manifest decided
     */
    public Plan {
      files = List.copyOf(files);
      unread = List.copyOf(unread);
    }
  }

  /**
   * Decides what to read of an export folder: see the class comment.
   *
   * @param entries the folder's entries, sorted by name
   * @param manifest the manifest's JSON when the folder has {@value #MANIFEST}, or null
   * @param manifestSource the manifest's name for messages
   * @return the plan
   * @throws InvalidDataException when the manifest is not valid or lists a file the folder does
   *     not hold as a readable file
   */
  public static Plan plan(List<Entry> entries, InputStream manifest, String manifestSource) {
    return manifest == null ? fromNames(entries)
        : fromManifest(entries, FhirDocuments.parse(manifest, manifestSource), manifestSource);
  }

  /**
   * Lists the export in {@code folder}.
   *
   * @param folder the export folder
   * @return the export's files, and those it does not read
   * @throws InvalidDataException when the folder cannot be listed, its manifest is not valid
   *     (not JSON, no {@code output} array, an entry without {@code type} or {@code url}), or a
   *     file the manifest lists is missing
   * @throws NullPointerException if {@code folder} is null
   */
  public static BulkExport open(Path folder) {
    Objects.requireNonNull(folder, "folder");
    if (!Files.isDirectory(folder)) {
      throw new InvalidDataException(folder.toString(), "$", "not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path entry : list.sorted().toList()) {
        entries.add(new Entry(entry.getFileName().toString(), Files.isDirectory(entry),
            Files.isRegularFile(entry) && Files.isReadable(entry)));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new InvalidDataException(folder.toString(), "$", "cannot list: " + e.getMessage());
    }
    Path manifestFile = folder.resolve(MANIFEST);
    Plan plan;
    if (Files.isRegularFile(manifestFile)) {
      try (InputStream in = Files.newInputStream(manifestFile)) {
        plan = plan(entries, in, manifestFile.toString());
      } catch (IOException e) {
        throw new InvalidDataException(manifestFile.toString(), "$", "cannot read: "
            + e.getMessage());
      }
    } else {
      plan = plan(entries, null, null);
    }
    List<DataFile> files = new ArrayList<>();
    plan.files().forEach(f -> files.add(new DataFile(folder.resolve(f.name()), f.name(),
        f.type())));
    return new BulkExport(folder, files, plan.unread(), plan.manifest());
  }

  private static Plan fromNames(List<Entry> entries) {
    List<Listed> files = new ArrayList<>();
    List<UnreadFile> unread = new ArrayList<>();
    for (Entry entry : entries) {
      String name = entry.name();
      Matcher m = NDJSON_NAME.matcher(name);
      if (entry.directory()) {
        unread.add(new UnreadFile(name, "a folder: an export's files are read from its top "
            + "level only"));
      } else if (!m.matches()) {
        unread.add(new UnreadFile(name, "not an export file: expected a resource type, an "
            + "optional part and .ndjson or .ndjson.gz (Patient.ndjson, Condition.2.ndjson.gz)"));
      } else if (!entry.readableFile()) {
        unread.add(new UnreadFile(name, "not a readable regular file"));
      } else {
        files.add(new Listed(name, m.group(1)));
      }
    }
    return new Plan(files, unread, false);
  }

  private static Plan fromManifest(List<Entry> entries, JsonNode root, String source) {
    JsonNode output = root.get("output");
    if (output == null || !output.isArray()) {
      throw new InvalidDataException(source, "$.output", "a Bulk Data manifest needs an output "
          + "array");
    }
    Set<String> readable = new HashSet<>();
    entries.stream().filter(Entry::readableFile).forEach(e -> readable.add(e.name()));
    List<Listed> files = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    listed.add(MANIFEST);
    for (int i = 0; i < output.size(); i++) {
      String at = "$.output[" + i + "]";
      String name = fileName(output.get(i), source, at);
      String type = output.get(i).path("type").asText();
      if (!listed.add(name)) {
        throw new InvalidDataException(source, at + ".url", "lists " + name + " a second time");
      }
      if (!readable.contains(name)) {
        throw new InvalidDataException(source, at + ".url", "lists " + name + ", which is not "
            + "a readable file in the export folder");
      }
      files.add(new Listed(name, type));
    }
    List<UnreadFile> unread = new ArrayList<>();
    JsonNode errors = root.path("error");
    Set<String> errorFiles = new HashSet<>();
    for (int i = 0; i < errors.size(); i++) {
      errorFiles.add(fileName(errors.get(i), source, "$.error[" + i + "]"));
    }
    for (Entry entry : entries) {
      String name = entry.name();
      if (listed.contains(name)) {
        continue;
      }
      unread.add(new UnreadFile(name, errorFiles.contains(name)
          ? "the export's error file (OperationOutcome), listed in the manifest's error array"
          : "not listed in the manifest's output array"));
    }
    return new Plan(files, unread, true);
  }

  /** The file name an output or error entry's url points to. */
  private static String fileName(JsonNode entry, String source, String at) {
    if (!entry.isObject() || !entry.path("type").isTextual() || !entry.path("url").isTextual()) {
      throw new InvalidPatientDataException(source, at, "a manifest entry needs a type and a "
          + "url, as strings");
    }
    String url = entry.get("url").asText();
    String pathPart;
    try {
      URI uri = new URI(url);
      pathPart = uri.getPath() != null ? uri.getPath() : url;
    } catch (URISyntaxException e) {
      pathPart = url;
    }
    String name = pathPart.substring(pathPart.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new InvalidDataException(source, at + ".url", "names no file: '"
          + JsonFields.printable(url) + "'");
    }
    return name;
  }

  /**
   * The export folder.
   *
   * @return the folder given to {@link #open}
   */
  public Path folder() {
    return folder;
  }

  /**
   * The NDJSON files read, in reading order.
   *
   * @return the files; unmodifiable
   */
  public List<DataFile> files() {
    return files;
  }

  /**
   * The files and folders of the export folder that are not read, each with the reason.
   *
   * @return the entries not read, by name; unmodifiable
   */
  public List<UnreadFile> unread() {
    return unread;
  }

  /**
   * Whether the files come from the export's manifest.
   *
   * @return true when the folder has a {@value #MANIFEST}
   */
  public boolean hasManifest() {
    return manifest;
  }
}
