package io.github.cdsengine.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes FHIR resources in Bulk Data export layout: one NDJSON file per resource type ({@code
 * Patient.ndjson}, plain or {@code .ndjson.gz}) and a {@code manifest.json} listing them with
 * their counts. Each Bundle or resource is added as one input: its resources' ids can be given a
 * prefix (so that inputs reusing ids, such as test cases, do not collide; an id that the prefix
 * would make longer than 64 characters is shortened with a hash), and references within
 * the input ({@code Type/id}, and a Bundle entry's {@code fullUrl} such as {@code urn:uuid:...})
 * are rewritten to the written {@code Type/id} (a URL is matched by its last two segments), as an
 * export server writes them. What a test or
 * benchmark uses to turn Bundles into an export; nothing else is changed.
 *
 * <p>A layout made with a most lines per file writes each type in parts of at most that many
 * lines ({@code Observation.1.ndjson.gz}, {@code Observation.2.ndjson.gz}, ...), as an export
 * server splits a large type.
 *
 * <p>Not thread-safe.
 */
public final class BulkLayout implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;
  private final boolean gzip;
  private final long linesPerFile;
  private final Map<String, Writer> writers = new TreeMap<>();
  /** Lines written per file, by file name, in the order the files were begun per type. */
  private final Map<String, Long> counts = new TreeMap<>();
  /** Each type's current part number (0: one file per type, no part in its name). */
  private final Map<String, Integer> parts = new HashMap<>();
  /** The types of the files, by file name, for the manifest. */
  private final Map<String, String> types = new HashMap<>();

  /**
   * A layout writing into {@code folder} (made if missing).
   *
   * @param folder the export folder to write
   * @param gzip whether to gzip the NDJSON files
   * @throws UncheckedIOException when the folder cannot be made
   */
  public BulkLayout(Path folder, boolean gzip) {
    this(folder, gzip, 0);
  }

  /**
   * A layout writing into {@code folder} (made if missing) each type in parts of at most {@code
   * linesPerFile} lines.
   *
   * @param folder the export folder to write
   * @param gzip whether to gzip the NDJSON files
   * @param linesPerFile the most lines a file holds, or 0 for one file per type
   * @throws IllegalArgumentException if {@code linesPerFile} is negative
   * @throws UncheckedIOException when the folder cannot be made
   */
  public BulkLayout(Path folder, boolean gzip, long linesPerFile) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.gzip = gzip;
    if (linesPerFile < 0) {
      throw new IllegalArgumentException("linesPerFile must be 0 or more: " + linesPerFile);
    }
    this.linesPerFile = linesPerFile;
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds one input's resources: a Bundle's entries (a Bundle within it taken apart in turn) or a
   * single resource, or several documents of one input taken together.
   *
   * @param documents the input's JSON documents: Bundles or resources
   * @param idPrefix prefixed to every resource id (and the references to them); may be empty
   * @param onlyPatient whether a reference to a Patient the input does not hold is taken to mean
   *     the input's only Patient (as a test case folder is read)
   * @throws UncheckedIOException when a file cannot be written
   */
  public void add(List<JsonNode> documents, String idPrefix, boolean onlyPatient) {
    List<ObjectNode> resources = new ArrayList<>();
    Map<String, String> renamed = new HashMap<>();
    for (JsonNode document : documents) {
      collect(document, null, resources, renamed, idPrefix);
    }
    String patient = null;
    long patients = resources.stream()
        .filter(r -> r.path("resourceType").asText().equals("Patient")).count();
    if (onlyPatient && patients == 1) {
      patient = resources.stream().filter(r -> r.path("resourceType").asText().equals("Patient"))
          .findFirst().orElseThrow().path("id").asText();
    }
    String onlyPatientId = patient;
    UnaryOperator<String> rewrite = reference -> {
      String target = renamed.get(reference);
      if (target == null) {
        target = renamed.get(lastTwoSegments(reference));
      }
      if (target != null) {
        return target;
      }
      if (onlyPatientId != null && namesAPatient(reference)) {
        return "Patient/" + onlyPatientId;
      }
      return reference;
    };
    for (ObjectNode resource : resources) {
      rewriteReferences(resource, rewrite);
      write(resource.path("resourceType").asText(), resource);
    }
  }

  /** Whether a reference names a Patient: {@code Patient/id}, also at the end of a URL. */
  private static boolean namesAPatient(String reference) {
    String tail = lastTwoSegments(reference);
    return tail != null && tail.startsWith("Patient/");
  }

  /** A reference's {@code Type/id}: its last two segments, a version left out; or null. */
  private static String lastTwoSegments(String reference) {
    String[] parts = reference.replaceFirst("/_history/[^/]+$", "").split("/");
    return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : null;
  }

  private static void collect(JsonNode node, String fullUrl, List<ObjectNode> resources,
      Map<String, String> renamed, String prefix) {
    String type = node.path("resourceType").asText();
    if (type.equals("Bundle")) {
      for (JsonNode entry : node.path("entry")) {
        if (entry.has("resource")) {
          collect(entry.get("resource"), entry.path("fullUrl").asText(null), resources, renamed,
              prefix);
        }
      }
      return;
    }
    ObjectNode resource = ((ObjectNode) node).deepCopy();
    String id = resource.path("id").asText();
    String newId = withPrefix(prefix, id);
    resource.put("id", newId);
    renamed.put(type + "/" + id, type + "/" + newId);
    if (fullUrl != null) {
      renamed.put(fullUrl, type + "/" + newId);
    }
    resources.add(resource);
  }

  /**
   * {@code prefix + id}, or, where that is longer than a FHIR id may be (64), the prefix, the
   * id's start and 8 hex digits of its hash: still unique within the input, and the same every
   * time.
   */
  static String withPrefix(String prefix, String id) {
    String joined = prefix + id;
    if (joined.length() <= 64) {
      return joined;
    }
    String hash = String.format(java.util.Locale.ROOT, "%08x", id.hashCode());
    return prefix + id.substring(0, Math.max(0, 64 - prefix.length() - 9)) + "-" + hash;
  }

  private static void rewriteReferences(JsonNode node, UnaryOperator<String> rewrite) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("reference") && field.getValue().isTextual()) {
          field.setValue(TextNode.valueOf(rewrite.apply(field.getValue().asText())));
        } else {
          rewriteReferences(field.getValue(), rewrite);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> rewriteReferences(child, rewrite));
    }
  }

  /**
   * Writes one resource as it is, to its type's file.
   *
   * @param type the resource type, naming the file
   * @param resource the resource
   * @throws UncheckedIOException when the file cannot be written
   */
  public void write(String type, JsonNode resource) {
    try {
      int part = parts.computeIfAbsent(type, t -> linesPerFile > 0 ? 1 : 0);
      String name = fileName(type, part);
      if (linesPerFile > 0 && counts.getOrDefault(name, 0L) == linesPerFile) {
        writers.remove(name).close();
        parts.put(type, ++part);
        name = fileName(type, part);
      }
      Writer writer = writers.get(name);
      if (writer == null) {
        OutputStream out = Files.newOutputStream(folder.resolve(name));
        writer = new BufferedWriter(new OutputStreamWriter(
            gzip ? new GZIPOutputStream(out, 1 << 16) : out, StandardCharsets.UTF_8), 1 << 16);
        writers.put(name, writer);
        types.put(name, type);
      }
      writer.write(JSON.writeValueAsString(resource));
      writer.write('\n');
      counts.merge(name, 1L, Long::sum);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String fileName(String type, int part) {
    return type + (part > 0 ? "." + part : "") + (gzip ? ".ndjson.gz" : ".ndjson");
  }

  /**
   * Closes the files and writes {@code manifest.json}, listing each file with its type and count.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  @Override
  public void close() {
    try {
      for (Writer writer : writers.values()) {
        writer.close();
      }
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("transactionTime", "1970-01-01T00:00:00Z");
      manifest.put("request", "$export");
      manifest.put("requiresAccessToken", false);
      ArrayNode output = manifest.putArray("output");
      // By type, then part number: Observation.2 before Observation.10.
      counts.keySet().stream().sorted(java.util.Comparator.<String, String>comparing(types::get)
          .thenComparingInt(String::length).thenComparing(n -> n))
          .forEach(name -> output.addObject().put("type", types.get(name)).put("url", name)
              .put("count", counts.get(name)));
      manifest.putArray("error");
      Files.writeString(folder.resolve("manifest.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
