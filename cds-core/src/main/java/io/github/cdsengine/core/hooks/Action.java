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
   * @param description what the action does, for a clinician
   * @param resource the FHIR resource to create or the updated resource, or {@code null}
   * @param resourceId a relative reference ({@code MedicationRequest/abc}) to the resource to
   *     delete, or {@code null}
   * @throws NullPointerException if type or description is null
   * @throws IllegalArgumentException quoting the type when it is not create, update or delete,
   *     when a create or update has no resource, or a delete no resource id
   */
  public Action {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "action type '" + type + "' must be create, update or delete");
    }
    if (!type.equals("delete") && resource == null) {
      throw new IllegalArgumentException("a " + type + " action needs a resource");
    }
    if (type.equals("delete") && resourceId == null) {
      throw new IllegalArgumentException("a delete action needs a resourceId");
    }
  }
}
