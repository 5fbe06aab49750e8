package io.github.cdsengine.core.terminology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads FHIR R4 ValueSet JSON.
 *
 * <p>Codes come from {@code expansion.contains} (nested entries included) when an expansion is
 * present, otherwise from the explicit concepts of {@code compose.include}. One intensional form
 * is read without a terminology server: an ICD-10-CM include with one filter
 * {@code {"property": "concept", "op": "is-a", "value": "K51"}}, which includes the code and
 * every code under it (see {@link ValueSet#families}), since ICD-10-CM's hierarchy is written in
 * its codes. One family per include: FHIR R4 requires every filter of an include to hold at once
 * ({@code ValueSet.compose.include.filter}: "all SHALL be true"), so two {@code is-a} filters in
 * one include select only codes in both families (none, for two categories) and are refused
 * rather than read either way. Other intensional definitions (other filters, a whole code system with no concepts,
 * or another value set imported by reference) and {@code compose.exclude} cannot be evaluated
 * without a terminology server and are refused rather than read as empty.
 */
public final class ValueSetReader {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** An ICD-10-CM code as written: category, then an optional dot and up to four characters. */
  private static final Pattern ICD_10_CM_CODE =
      Pattern.compile("[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?");

  private ValueSetReader() {}

  /**
   * Reads one ValueSet resource.
   *
   * @param in the JSON
   * @param source where the JSON came from, for error messages
   * @return the value set, with its expansion's or compose's codes
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
    Set<Code> families = new LinkedHashSet<>();
    JsonNode expansion = root.path("expansion");
    if (expansion.isObject()) {
      readContains(expansion.path("contains"), "$.expansion.contains", source, codes);
    } else {
      readCompose(root.path("compose"), source, codes, families);
    }
    if (codes.isEmpty() && families.isEmpty()) {
      throw new InvalidDataException(source, "$", "value set '" + id + "' has no codes");
    }
    return new ValueSet(id, url, version, title, codes, families);
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

  private static void readCompose(JsonNode compose, String source, Set<Code> codes,
      Set<Code> families) {
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
      if (part.has("valueSet")) {
        throw new InvalidDataException(source, at + ".valueSet",
            "importing other value sets is not supported; provide an expansion instead");
      }
      String system = requiredText(part, "system", source, at);
      if (part.has("filter")) {
        readFamilies(part, system, at, source, families);
        continue;
      }
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

  /** An ICD-10-CM include made of one {@code concept is-a} filter: one family. */
  private static void readFamilies(JsonNode part, String system, String at, String source,
      Set<Code> families) {
    String refused = "intensional filters are not supported, except ICD-10-CM "
        + "\"concept is-a\" filters; provide an expansion instead";
    if (!CodeSystems.canonical(system).equals(CodeSystems.ICD_10_CM)) {
      throw new InvalidDataException(source, at + ".filter", refused);
    }
    if (part.has("concept")) {
      throw new InvalidDataException(source, at + ".concept",
          "an include with a filter must not also list concepts; put them in an include of their own");
    }
    JsonNode filters = part.get("filter");
    if (!filters.isArray() || filters.isEmpty()) {
      throw new InvalidDataException(source, at + ".filter", "expected a non-empty array");
    }
    if (filters.size() > 1) {
      throw new InvalidDataException(source, at + ".filter[1]", "an include's filters must all "
          + "hold at once (FHIR R4 ValueSet.compose.include.filter), so " + filters.size()
          + " is-a filters in one include select nothing; put each family in an include of its own");
    }
    for (int k = 0; k < filters.size(); k++) {
      JsonNode filter = filters.get(k);
      String path = at + ".filter[" + k + "]";
      if (!filter.isObject() || !"concept".equals(filter.path("property").asText())
          || !"is-a".equals(filter.path("op").asText())) {
        throw new InvalidDataException(source, path, refused);
      }
      String value = requiredText(filter, "value", source, path);
      if (!ICD_10_CM_CODE.matcher(value).matches()) {
        throw new InvalidDataException(source, path + ".value", "'" + value
            + "' is not an ICD-10-CM code (a letter, two characters, then up to four after a dot)");
      }
      families.add(Code.of(system, value));
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
