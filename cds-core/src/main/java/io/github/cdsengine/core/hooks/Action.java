package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * One change a suggestion (or a system action) makes to the EHR's data (CDS Hooks
 * {@code Action}).
 *
 * <p>{@code type} and {@code description} are required: empty or blank is an error. {@code
 * resourceId} is conditional (required for a delete): empty or blank is taken as absent ({@code
 * null}). A {@code resource} must be a FHIR resource, a JSON object with a {@code resourceType},
 * as the specification says; it is required for a create or an update.
 *
 * @param type {@code create}, {@code update} or {@code delete}
 * @param description what the action does, for a clinician
 * @param resource the FHIR resource to create or the updated resource, or {@code null}
 * @param resourceId a relative reference ({@code MedicationRequest/abc}) to the resource to
 *     delete, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "description", "resource", "resourceId"})
public record Action(
    @JsonProperty("type") String type,
    @JsonProperty("description") String description,
    @JsonProperty("resource") JsonNode resource,
    @JsonProperty("resourceId") String resourceId) {

  private static final Set<String> TYPES = Set.of("create", "update", "delete");

  /**
   * Checks the type and that the action says what it acts on.
   *
   * @param type {@code create}, {@code update} or {@code delete}
   * @param description what the action does, for a clinician; not blank
   * @param resource the FHIR resource to create or the updated resource (a JSON object with a
   *     {@code resourceType}), or {@code null}
   * @param resourceId a relative reference ({@code MedicationRequest/abc}) to the resource to
   *     delete, or {@code null}; empty or blank is taken as {@code null}
   * @throws NullPointerException if type or description is null
   * @throws IllegalArgumentException quoting the value, when the type is not create, update or
   *     delete, the description is empty or blank, a create or update has no resource, the
   *     resource is not a FHIR resource, or a delete has no resource id
   */
  public Action {
    Objects.requireNonNull(type, "type");
    Attributes.required(description, "action description");
    resourceId = Attributes.optional(resourceId);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "action type '" + type + "' must be create, update or delete");
    }
    if (!type.equals("delete") && resource == null) {
      throw new IllegalArgumentException("a " + type + " action needs a resource");
    }
    if (resource != null && !isFhirResource(resource)) {
      throw new IllegalArgumentException("a " + type + " action's resource must be a FHIR "
          + "resource, a JSON object with a resourceType, not " + abbreviated(resource));
    }
    if (type.equals("delete") && resourceId == null) {
      throw new IllegalArgumentException("a delete action needs a resourceId");
    }
  }

  private static boolean isFhirResource(JsonNode resource) {
    JsonNode resourceType = resource.get("resourceType");
    return resource.isObject() && resourceType != null && resourceType.isTextual()
        && !resourceType.asText().isBlank();
  }

  /** The resource's JSON for a message, cut after 100 characters. */
  private static String abbreviated(JsonNode resource) {
    String json = resource.toString();
    return json.length() <= 100 ? json : json.substring(0, 100) + "...";
  }
}
