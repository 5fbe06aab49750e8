package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Hand-written FHIR inputs for the reader's tests: bundles assembled from resource snippets, the
 * bundles under {@code src/test/resources/fhir/}, and JSON-pointer edits of a valid bundle.
 */
final class FhirInputs {

  /** The source name every in-memory input is read under. */
  static final String SOURCE = "test.json";

  /** One patient, {@code p1}, born 1 January 1970. */
  static final String PATIENT = """
      {"resourceType": "Patient", "id": "p1", "birthDate": "1970-01-01"}""";

  /** The member naming patient p1 as a resource's subject. */
  static final String SUBJECT = "\"subject\": {\"reference\": \"Patient/p1\"}";

  /** A bundle with one resource of each type the reader maps, valid and free of warnings. */
  static final String EVERY_RESOURCE_TYPE = "every-resource-type.json";
  /** A transaction bundle with two patients, referenced by urn:uuid, by id and by URL. */
  static final String TWO_INPATIENTS = "two-inpatients.json";
  /** A searchset bundle of orders, several of them orders not to do something. */
  static final String ORDERS = "orders.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private FhirInputs() {}

  /**
   * A resource of {@code type} with {@code id} and {@code fields} (JSON members, or blank), about
   * patient p1: its subject, or its patient for an Immunization or AllergyIntolerance.
   */
  static String resource(String type, String id, String fields) {
    return "{\"resourceType\": \"" + type + "\", \"id\": \"" + id + "\", "
        + (type.equals("Immunization") || type.equals("AllergyIntolerance")
            ? "\"patient\": {\"reference\": \"Patient/p1\"}" : SUBJECT)
        + (fields.isBlank() ? "" : ", " + fields) + "}";
  }

  /**
   * A final Observation {@code id} of patient p1 with LOINC code {@code loinc} and {@code fields}
   * (JSON members, or blank), on one line.
   */
  static String observation(String id, String loinc, String fields) {
    return "{\"resourceType\": \"Observation\", \"id\": \"" + id + "\", \"status\": \"final\", "
        + "\"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"" + loinc
        + "\"}]}, " + SUBJECT + (fields.isBlank() ? "" : ", " + fields) + "}";
  }

  /** An active MedicationRequest {@code id}, an order, of patient p1 with {@code fields}. */
  static String order(String id, String fields) {
    return resource("MedicationRequest", id, "\"status\": \"active\", \"intent\": \"order\""
        + (fields.isBlank() ? "" : ", " + fields));
  }

  /** A collection Bundle holding {@code resources}, one entry each, in order. */
  static String bundle(String... resources) {
    return entries(Arrays.stream(resources).map(r -> "{\"resource\": " + r + "}")
        .toArray(String[]::new));
  }

  /** A collection Bundle holding {@code entries} as given (see {@link #entry}). */
  static String entries(String... entries) {
    return Arrays.stream(entries).collect(Collectors.joining(",\n",
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [\n", "\n]}"));
  }

  /** A Bundle entry with a fullUrl. */
  static String entry(String fullUrl, String resource) {
    return "{\"fullUrl\": \"" + fullUrl + "\", \"resource\": " + resource + "}";
  }

  /** Reads {@code json} with a strict reader. */
  static FhirData read(String json) {
    return read(FhirReader.create(), json);
  }

  /** Reads {@code json} with {@code reader}. */
  static FhirData read(FhirReader reader, String json) {
    return reader.read(stream(json), SOURCE);
  }

  static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The text of {@code src/test/resources/fhir/<name>}. */
  static String text(String name) {
    try (InputStream in = FhirInputs.class.getResourceAsStream("/fhir/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource fhir/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path of {@code src/test/resources/fhir/<name>}. */
  static Path path(String name) {
    URL url = FhirInputs.class.getResource("/fhir/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource fhir/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses JSON text written by a test; a typo in a test is a test error. */
  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test JSON does not parse: " + json, e);
    }
  }

  static String write(JsonNode tree) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code json} with the value at {@code pointer} (RFC 6901, e.g. {@code /entry/2/resource/id})
   * set to {@code value}, given as JSON text; the pointer's parent must exist.
   */
  static String set(String json, String pointer, String value) {
    JsonNode root = tree(json);
    JsonPointer at = JsonPointer.compile(pointer);
    JsonNode parent = parent(root, at, pointer);
    String last = at.last().getMatchingProperty();
    if (parent instanceof ObjectNode object) {
      object.set(last, tree(value));
    } else if (parent instanceof ArrayNode array) {
      array.set(index(array, last, pointer), tree(value));
    } else {
      throw new IllegalArgumentException("no container at the parent of " + pointer);
    }
    return write(root);
  }

  /** {@code json} without the value at {@code pointer}, which must exist. */
  static String remove(String json, String pointer) {
    JsonNode root = tree(json);
    JsonPointer at = JsonPointer.compile(pointer);
    JsonNode parent = parent(root, at, pointer);
    String last = at.last().getMatchingProperty();
    if (parent instanceof ObjectNode object && object.has(last)) {
      object.remove(last);
    } else if (parent instanceof ArrayNode array) {
      array.remove(index(array, last, pointer));
    } else {
      throw new IllegalArgumentException("nothing to remove at " + pointer);
    }
    return write(root);
  }

  private static JsonNode parent(JsonNode root, JsonPointer at, String pointer) {
    JsonNode parent = root.at(at.head());
    if (parent.isMissingNode()) {
      throw new IllegalArgumentException("no parent for " + pointer);
    }
    return parent;
  }

  private static int index(ArrayNode array, String segment, String pointer) {
    int index = Integer.parseInt(segment);
    if (index < 0 || index >= array.size()) {
      throw new IllegalArgumentException("no element at " + pointer);
    }
    return index;
  }
}
