package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * JSON documents in: one parsed strictly into its root object, and a document's resources
 * taken one by one, a Bundle's entries (and those of Bundles within it) or a single resource.
 */
final class FhirDocuments {

  /**
   * The most bytes one JSON document may hold (a Bundle, a resource or a CDS Hooks request):
   * 256 MiB, far above a patient's record, so that an endless or huge input is an error naming
   * its source instead of exhausting the heap.
   */
  static final long MAX_DOCUMENT_BYTES = 256L * 1024 * 1024;

  static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxDocumentLength(MAX_DOCUMENT_BYTES).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private FhirDocuments() {
  }

  /**
   * The root object of one JSON document; malformed JSON, trailing content and a root that is
   * not an object are errors at {@code $} of the source.
   */
  static JsonNode parse(InputStream in, String source) {
    JsonNode root = readTree(in, source);
    // Checked outside readTree's try, whose last catch would wrap this very exception.
    if (root == null || !root.isObject()) {
      throw new InvalidPatientDataException(source, "$", "expected a JSON object (a FHIR "
          + "resource), got " + (root == null ? "nothing" : root.getNodeType()));
    }
    return root;
  }

  private static JsonNode readTree(InputStream in, String source) {
    try {
      return JSON.readTree(in);
    } catch (IOException | RuntimeException e) {
      throw unreadable(e, source);
    }
  }

  /**
   * The error for a document that could not be parsed: malformed JSON, past the parser's limits,
   * or a stream that failed.
   */
  static InvalidPatientDataException unreadable(Exception e, String source) {
    if (e instanceof JsonProcessingException json) {
      if (json instanceof StreamConstraintsException
          && json.getOriginalMessage().startsWith("Document length")) {
        return new InvalidPatientDataException(source, "$", "larger than "
            + MAX_DOCUMENT_BYTES / (1024 * 1024) + " MiB, the most one JSON document may hold");
      }
      JsonLocation at = json.getLocation();
      return new InvalidPatientDataException(source, "$", "not valid JSON: "
          + json.getOriginalMessage()
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    }
    if (e instanceof IOException) {
      return new InvalidPatientDataException(source, "$", "cannot read: " + reason(e));
    }
    // Jackson signals some limits (a number too large for a decimal) unchecked.
    return new InvalidPatientDataException(source, "$", "not usable JSON: " + reason(e));
  }

  /** What went wrong, as the exception says it, without its class (a caller may see this). */
  private static String reason(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * Hands over each resource of a Bundle found at {@code at} in the source, in entry order and
   * with its entry's {@code fullUrl}, or the resource found there when it is not a Bundle. An
   * entry with no resource (a request-only entry, such as a DELETE in a transaction) is passed
   * over; a Bundle within a Bundle is taken apart in its turn.
   */
  static void forEachResource(JsonNode root, String source, String at,
      Consumer<LocatedResource> action) {
    forEachResource(root, source, at, null, action);
  }

  private static void forEachResource(JsonNode root, String source, String at, String fullUrl,
      Consumer<LocatedResource> action) {
    String type = resourceType(root, source, at);
    if (!type.equals("Bundle")) {
      action.accept(new LocatedResource(root, type, source, at, fullUrl));
      return;
    }
    JsonNode entries = root.get("entry");
    if (entries == null) {
      return;
    }
    if (!entries.isArray()) {
      throw new InvalidPatientDataException(source, at + ".entry", "expected an array");
    }
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      String path = at + ".entry[" + i + "]";
      if (!entry.isObject()) {
        throw new InvalidPatientDataException(source, path, "expected an object");
      }
      JsonNode resource = entry.get("resource");
      if (resource == null) {
        continue; // a request-only entry (e.g. a DELETE in a transaction)
      }
      if (!resource.isObject()) {
        throw new InvalidPatientDataException(source, path + ".resource", "expected an object");
      }
      JsonNode entryUrl = entry.get("fullUrl");
      if (entryUrl != null && !entryUrl.isTextual()) {
        throw new InvalidPatientDataException(source, path + ".fullUrl", "expected a string");
      }
      forEachResource(resource, source, path + ".resource",
          entryUrl == null ? null : entryUrl.asText(), action);
    }
  }

  private static String resourceType(JsonNode resource, String source, String path) {
    JsonNode type = resource.get("resourceType");
    if (type == null || !type.isTextual() || type.asText().isBlank()) {
      throw new InvalidPatientDataException(source, path + ".resourceType",
          "a resource needs a resourceType string");
    }
    return type.asText();
  }
}
