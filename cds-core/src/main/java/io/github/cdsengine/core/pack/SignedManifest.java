package io.github.cdsengine.core.pack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The payload of a pack signature: the pack's id, version and files with their SHA-256, in the
 * canonical form {@link RulePack} documents.
 *
 * @param id the pack's id
 * @param version the pack's version
 * @param files the SHA-256 of each file by its path relative to the manifest's folder
 */
record SignedManifest(String id, String version, SortedMap<String, String> files) {

  /** The JWS type of a pack signature. */
  static final String TYPE = "cds-pack+jws";

  private static final Pattern SHA_256 = Pattern.compile("[0-9a-f]{64}");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  SignedManifest {
    files = new TreeMap<>(files);
  }

  /** The manifest of a loaded pack. */
  static SignedManifest of(RulePack pack) {
    return new SignedManifest(pack.id(), pack.version(), pack.files().digests());
  }

  /** The canonical UTF-8 JSON: keys {@code files}, {@code id}, {@code version}; no whitespace. */
  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("files");
    files.forEach((path, sha256) -> array.addObject().put("path", path).put("sha256", sha256));
    root.put("id", id);
    root.put("version", version);
    try {
      return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Reads a signed payload.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  static SignedManifest parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the signed manifest is not JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("the signed manifest cannot be read: " + e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the signed manifest is not a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("files", "id", "version").contains(name)) {
        throw new IllegalArgumentException("the signed manifest has an unknown field '" + name
            + "'");
      }
    }
    JsonNode array = root.get("files");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("the signed manifest has no array 'files'");
    }
    Map<String, String> files = new TreeMap<>();
    for (JsonNode file : array) {
      JsonNode path = file.get("path");
      JsonNode sha256 = file.get("sha256");
      if (!file.isObject() || file.size() != 2 || path == null || !path.isTextual()
          || sha256 == null || !sha256.isTextual() || !SHA_256.matcher(sha256.asText()).matches()) {
        throw new IllegalArgumentException("the signed manifest lists a file that is not "
            + "{\"path\": ..., \"sha256\": 64 lower-case hex digits}: " + file);
      }
      if (files.put(path.asText(), sha256.asText()) != null) {
        throw new IllegalArgumentException("the signed manifest lists " + path.asText()
            + " twice");
      }
    }
    return new SignedManifest(text(root, "id"), text(root, "version"), new TreeMap<>(files));
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("the signed manifest has no string '" + field + "'");
    }
    return value.asText();
  }
}
