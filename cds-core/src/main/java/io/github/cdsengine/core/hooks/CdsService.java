package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.cdsengine.core.problem.InvalidDataException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One service in a CDS Hooks discovery document, answering one hook.
 *
 * <p>{@code hook}, {@code description} and {@code id} are required: empty or blank is an error.
 * {@code title} (recommended) and {@code usageRequirements} are optional: empty or blank is taken
 * as absent ({@code null}) and left out, as is an empty {@code prefetch}. Before answering a
 * request, a service checks it with {@link #check}.
 *
 * @param hook the hook it answers, e.g. {@code patient-view} or {@code order-sign}
 * @param title a human-readable name, or {@code null}
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
   * @param hook the hook it answers, e.g. {@code patient-view} or {@code order-sign}; not blank
   * @param title a human-readable name, or {@code null}; empty or blank is taken as {@code null}
   * @param description what it does; not blank
   * @param id the id in the service's URL, {@code {baseUrl}/cds-services/{id}}
   * @param prefetch FHIR queries the EHR runs before calling, by key, in the order given; may be
   *     empty
   * @param usageRequirements what the EHR must do to use it, or {@code null}; empty or blank is
   *     taken as {@code null}
   * @throws NullPointerException if hook, description, id, prefetch or a prefetch key or query
   *     is null
   * @throws IllegalArgumentException quoting the value, when hook or description is empty or
   *     blank, the id is not usable in a URL path, or a prefetch key or query is empty or blank
   */
  public CdsService {
    Attributes.required(hook, "service hook");
    title = Attributes.optional(title);
    Attributes.required(description, "service description");
    Objects.requireNonNull(id, "id");
    usageRequirements = Attributes.optional(usageRequirements);
    if (!id.matches("[A-Za-z0-9._~-]+")) {
      throw new IllegalArgumentException("service id '" + id
          + "' must be letters, digits, '.', '_', '~' or '-' to fit in a URL path");
    }
    prefetch = Collections.unmodifiableMap(new LinkedHashMap<>(prefetch));
    prefetch.forEach((key, query) -> {
      Attributes.required(key, "prefetch key");
      Attributes.required(query, "prefetch query '" + key + "'");
    });
  }

  /**
   * Checks that this service can answer {@code request}, as the HTTP endpoint {@code POST
   * {baseUrl}/cds-services/{id}} must before evaluating: the request's {@code hook} is this
   * service's, and its context holds what the hook's definition requires:
   *
   * <ul>
   *   <li>every hook: {@code patientId};
   *   <li>{@code patient-view}, {@code order-select}, {@code order-sign}: {@code userId};
   *   <li>{@code order-sign}: {@code draftOrders} with at least one order;
   *   <li>{@code order-select}: {@code draftOrders} with at least one order, and {@code
   *       selections}, each naming ({@code Type/id}) an order in {@code draftOrders}.
   * </ul>
   *
   * <p>Other hooks are checked for the hook and the patient only.
   *
   * @param request the request, as {@link io.github.cdsengine.core.fhir.FhirReader#readCdsHooksRequest}
   *     read it
   * @param source where the request came from, for the message, e.g. {@code POST
   *     /cds-services/opioidcds-07}
   * @throws NullPointerException if an argument is null
   * @throws InvalidDataException naming the source and the JSON path of what is wrong ({@code
   *     $.hook}, {@code $.context.userId}, {@code $.context.draftOrders}, {@code
   *     $.context.selections}, {@code $.context.selections[1]}...)
   */
  public void check(CdsHooksRequest request, String source) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(source, "source");
    HookContract.check(this, request, source);
  }
}
