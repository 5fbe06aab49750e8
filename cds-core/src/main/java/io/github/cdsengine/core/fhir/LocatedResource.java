package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.problem.InvalidPatientDataException;

/**
 * A resource of the input and where it stands: its source, its JSON path there, and the
 * {@code fullUrl} of its Bundle entry, or {@code null}. Two are equal only when they are the
 * same one: a record's equality would compare, and hash, the resource's whole JSON tree.
 */
record LocatedResource(JsonNode resource, String type, String source, String path,
    String fullUrl) {

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** An error at a JSON path relative to the resource, such as {@code .code.coding[0]}. */
  InvalidPatientDataException error(String relativePath, String problem) {
    return new InvalidPatientDataException(source, path + relativePath, problem);
  }

  /** The resource's id, or an empty string when it has none. */
  String id() {
    return resource.path("id").asText();
  }
}
