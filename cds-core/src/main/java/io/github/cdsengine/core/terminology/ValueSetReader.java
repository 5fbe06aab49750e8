package io.github.cdsengine.core.terminology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.InvalidDataException;
import io.github.cdsengine.core.model.Code;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads FHIR R4 ValueSet JSON.
 *
 * <p>Codes come from {@code expansion.contains} (nested entries included) when an expansion is
 * present, otherwise from the explicit concepts of {@code compose.include}. Intensional
 * definitions (a {@code filter}, a whole code system with no concepts, or another value set
 * imported by reference) and {@code compose.exclude} cannot be evaluated without a terminology
 * server and are refused rather than read as empty.
 */
public final class ValueSetReader {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ValueSetReader() {}

  /**
   * Reads one ValueSet resource.
   *
   * @param in the JSON
   * @param source where the JSON came from, for error messages
   * @throws InvalidDataException naming the source and JSON path of what is wrong
   */
  public static ValueSet read(InputStream in, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new InvalidDataException(source, "$", "not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidDataException(source, "$", "expected a JSON object");
    }
    if (!"ValueSet".equals(root.path("resourceType").asText())) {
      throw new InvalidDataException(source, "$.resourceType", "expected \"ValueSet\", got "
          + (root.has("resourceType") ? root.get("resourceType") : "no resourceType"));
    }
    String url = requiredText(root, "url", source);
    String id = root.has("id") ? requiredText(root, "id", source)
        : url.substring(url.lastIndexOf('/') + 1);
    if (id.isBlank()) {
      throw new InvalidDataException(source, "$.url",
          "no id, and the url ends without one; give the value set an id");
    }
    String title = root.hasNonNull("title") ? root.get("title").asText() : root.path("name").asText(id);
    String version = root.hasNonNull("version") ? root.get("version").asText() : null;

    Set<Code> codes = new LinkedHashSet<>();
    JsonNode expansion = root.path("expansion");
    if (expansion.isObject()) {
      readContains(expansion.path("contains"), "$.expansion.contains", source, codes);
    } else {
      readCompose(root.path("compose"), source, codes);
    }
    if (codes.isEmpty()) {
      throw new InvalidDataException(source, "$", "value set '" + id + "' has no codes");
    }
    return new ValueSet(id, url, version, title, codes);
  }

  private static void readContains(JsonNode contains, String path, String source, Set<Code> codes) {
    if (contains.isMissingNode()) {
      return;
    }
    if (!contains.isArray()) {
      throw new InvalidDataException(source, path, "expected an array");
    }
    for (int i = 0; i < contains.size(); i++) {
      JsonNode entry = contains.get(i);
      String at = path + "[" + i + "]";
      if (!entry.isObject()) {
        throw new InvalidDataException(source, at, "expected an object");
      }
      if (entry.hasNonNull("code")) {
        codes.add(new Code(requiredText(entry, "system", source, at), requiredText(entry, "code", source, at),
            entry.path("display").asText(null)));
      }
      readContains(entry.path("contains"), at + ".contains", source, codes);
    }
  }

  private static void readCompose(JsonNode compose, String source, Set<Code> codes) {
    if (!compose.isObject()) {
      throw new InvalidDataException(source, "$", "a value set needs an expansion or a compose");
    }
    if (compose.has("exclude")) {
      throw new InvalidDataException(source, "$.compose.exclude",
          "compose.exclude is not supported; provide an expansion instead");
    }
    JsonNode include = compose.path("include");
    if (!include.isArray()) {
      throw new InvalidDataException(source, "$.compose.include", "expected an array");
    }
    for (int i = 0; i < include.size(); i++) {
      JsonNode part = include.get(i);
      String at = "$.compose.include[" + i + "]";
      if (!part.isObject()) {
        throw new InvalidDataException(source, at, "expected an object");
      }
      if (part.has("filter")) {
        throw new InvalidDataException(source, at + ".filter",
            "intensional filters are not supported; provide an expansion instead");
      }
      if (part.has("valueSet")) {
        throw new InvalidDataException(source, at + ".valueSet",
            "importing other value sets is not supported; provide an expansion instead");
      }
      String system = requiredText(part, "system", source, at);
      JsonNode concepts = part.path("concept");
      if (!concepts.isArray() || concepts.isEmpty()) {
        throw new InvalidDataException(source, at,
            "including a whole code system is not supported; list its concepts");
      }
      for (int j = 0; j < concepts.size(); j++) {
        JsonNode concept = concepts.get(j);
        if (!concept.isObject()) {
          throw new InvalidDataException(source, at + ".concept[" + j + "]", "expected an object");
        }
        codes.add(new Code(system, requiredText(concept, "code", source, at + ".concept[" + j + "]"),
            concept.path("display").asText(null)));
      }
    }
  }

  private static String requiredText(JsonNode node, String field, String source) {
    return requiredText(node, field, source, "$");
  }

  private static String requiredText(JsonNode node, String field, String source, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new InvalidDataException(source, path + "." + field, "a non-empty string is required");
    }
    return value.asText();
  }
}
