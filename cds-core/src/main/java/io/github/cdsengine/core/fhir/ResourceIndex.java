package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.problem.DataWarning;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The resources of one input, indexed by the references that may name them ({@code Type/id},
 * and the {@code fullUrl} of their Bundle entry), with the resource types skipped and the data
 * warnings of the read. The id of every resource read must follow FHIR's rule for ids (1 to 64
 * letters, digits, {@code -} and {@code .}); any other is an error at its {@code .id}.
 */
final class ResourceIndex {

  /** Resource types read as facts; Medication is read only to resolve references to it. */
  static final Set<String> READ = Set.of("Patient", "Condition", "Observation",
      "MedicationRequest", "Procedure", "Immunization", "Encounter", "AllergyIntolerance",
      "ServiceRequest", "DeviceRequest", "CarePlan", "MedicationDispense", "AdverseEvent", "Medication");

  /** The version part of a versioned reference, such as {@code /_history/2}. */
  private static final Pattern VERSION = Pattern.compile("/_history/[^/]+$");


  private final List<LocatedResource> resources = new ArrayList<>();
  private final Map<String, LocatedResource> byReference = new HashMap<>();
  private final Map<String, Integer> skipped = new TreeMap<>();
  private final List<DataWarning> warnings = new ArrayList<>();
  /**
   * Whether resources now come from a CDS Hooks prefetch: queries that overlap and need not hold
   * every resource another refers to. A second copy of a known resource is then taken rather
   * than an error (an identical copy is dropped, a different one kept under an id of its own),
   * and the mappers leave out with a warning what a reference to a missing resource brings.
   */
  private boolean prefetch;

  /** Adds a Bundle's resources or a single resource, the root of the source. */
  void add(JsonNode root, String source) {
    add(root, source, "$");
  }

  /** Adds a Bundle's resources or a single resource found at {@code at} in the source. */
  void add(JsonNode root, String source, String at) {
    FhirDocuments.forEachResource(root, source, at, this::collect);
  }

  /**
   * Adds the resources of the JSON document in {@code in}, a Bundle or a single resource, read
   * from its token stream (see {@link StreamedDocument}); the same as adding its parsed root.
   */
  void add(InputStream in, String source) {
    StreamedDocument.addTo(this, in, source);
  }

  /** Adds one resource already taken out of its document (by {@link FhirDocuments}). */
  void add(LocatedResource located) {
    collect(located);
  }

  /** From now on, resources come from a CDS Hooks prefetch (see {@link #isPrefetch()}). */
  void startPrefetch() {
    prefetch = true;
  }

  /**
   * Whether a CDS Hooks prefetch was read into this input: then a reference to an encounter's
   * diagnosis or to a Medication may name a resource the request does not hold.
   */
  boolean isPrefetch() {
    return prefetch;
  }

  /** The resources read as facts or for references, in input order. */
  List<LocatedResource> resources() {
    return Collections.unmodifiableList(resources);
  }

  /** How many resources of each type no rule uses were skipped, by type. */
  Map<String, Integer> skipped() {
    return skipped;
  }

  /** The data warnings of the read so far, in the order they were given. */
  List<DataWarning> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  void warn(DataWarning warning) {
    warnings.add(warning);
  }

  /** Whether a reference, exactly as written, names a resource of the input. */
  boolean contains(String reference) {
    return byReference.containsKey(reference);
  }

  /**
   * The resource a reference names, or {@code null} when it names none in the input. A
   * reference that does not match as written is tried by its last two segments
   * ({@code Type/id}), so that an absolute URL names a resource of the input, after leaving out
   * a version ({@code /_history/2}): the input holds one version of each resource.
   */
  LocatedResource lookup(String ref) {
    LocatedResource target = byReference.get(ref);
    if (target == null && ref.contains("/")) {
      String[] parts = VERSION.matcher(ref).replaceFirst("").split("/");
      if (parts.length >= 2) {
        target = byReference.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
      }
    }
    return target;
  }

  /**
   * The resource of the expected type a Reference names, or an error naming the reference.
   *
   * @param relativePath the JSON path of the Reference within {@code from}
   */
  LocatedResource resolve(LocatedResource from, JsonNode reference, String relativePath,
      String expectedType) {
    String ref = new JsonFields(from).requiredText(reference, "reference", relativePath);
    LocatedResource target = lookup(ref);
    if (target == null || !target.type().equals(expectedType)) {
      throw from.error(relativePath + ".reference", "reference '" + ref + "' resolves to no "
          + expectedType + " in the input");
    }
    return target;
  }

  /** Counts a resource of a type no rule uses, skipped. */
  void skip(String type) {
    skipped.merge(type, 1, Integer::sum);
  }

  private void collect(LocatedResource located) {
    String type = located.type();
    if (!READ.contains(type)) {
      skip(type);
      return;
    }
    JsonNode resource = located.resource();
    String id = new JsonFields(located).requiredText(resource, "id", "");
    if (!isFhirId(id)) {
      throw located.error(".id", type + "/" + JsonFields.printable(id) + ": not a FHIR id (1 "
          + "to 64 characters, each a letter, digit, '-' or '.')");
    }
    LocatedResource known = byReference.get(type + "/" + id);
    if (known != null && prefetch) {
      if (known.resource().equals(resource)) {
        return; // the same resource from two overlapping queries
      }
      // A different resource under a known id: both are kept, as the reference logic keeps
      // them, and this one under an id of its own.
      int copy = 2;
      while (byReference.containsKey(type + "/" + id + "#" + copy)) {
        copy++;
      }
      String renamed = id + "#" + copy;
      warnings.add(new DataWarning(type, id, "appears more than once with different content; "
          + "the copy at " + known.path() + " keeps the id, the one at " + located.path()
          + " is read as " + type + "/" + renamed));
      ObjectNode copied = ((ObjectNode) resource).deepCopy();
      copied.put("id", renamed);
      LocatedResource renamedCopy =
          new LocatedResource(copied, type, located.source(), located.path(), null);
      resources.add(renamedCopy);
      index(type + "/" + renamed, renamedCopy);
      return;
    }
    resources.add(located);
    index(type + "/" + id, located);
    if (located.fullUrl() != null) {
      index(located.fullUrl(), located);
    }
  }

  /** Whether {@code id} follows FHIR's rule for ids: 1 to 64 letters, digits, '-' and '.'. */
  static boolean isFhirId(String id) {
    int length = id.length();
    if (length < 1 || length > 64) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private void index(String key, LocatedResource located) {
    LocatedResource previous = byReference.putIfAbsent(key, located);
    if (previous != null && previous != located) {
      throw located.error("", "a second " + located.type() + " with the reference '" + key
          + "' (the first is at " + previous.source() + " " + previous.path() + ")");
    }
  }
}
