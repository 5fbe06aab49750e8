package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One service in a CDS Hooks discovery document.
 *
 * @param hook the hook it answers, e.g. {@code patient-view} or {@code order-sign}
 * @param title a human-readable name
 * @param description what it does
 * @param id the id in the service's URL, {@code {baseUrl}/cds-services/{id}}
 * @param prefetch FHIR queries the EHR runs before calling, by key, in the order given; may be
 *     empty
 * @param usageRequirements what the EHR must do to use it, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"hook", "title", "description", "id", "prefetch", "usageRequirements"})
public record CdsService(
    @JsonProperty("hook") String hook,
    @JsonProperty("title") String title,
    @JsonProperty("description") String description,
    @JsonProperty("id") String id,
    @JsonProperty("prefetch") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> prefetch,
    @JsonProperty("usageRequirements") String usageRequirements) {

  /**
   * Copies the prefetch templates, keeping their order, and checks the fields.
   *
   * @param hook the hook it answers, e.g. {@code patient-view} or {@code order-sign}
   * @param title a human-readable name
   * @param description what it does
   * @param id the id in the service's URL, {@code {baseUrl}/cds-services/{id}}
   * @param prefetch FHIR queries the EHR runs before calling, by key, in the order given; may be
   *     empty
   * @param usageRequirements what the EHR must do to use it, or {@code null}
   * @throws NullPointerException if hook, description, id or prefetch is null
   * @throws IllegalArgumentException quoting the id when it is not usable in a URL path
   */
  public CdsService {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(id, "id");
    if (!id.matches("[A-Za-z0-9._~-]+")) {
      throw new IllegalArgumentException("service id '" + id
          + "' must be letters, digits, '.', '_', '~' or '-' to fit in a URL path");
    }
    prefetch = Collections.unmodifiableMap(new LinkedHashMap<>(prefetch));
  }
}
