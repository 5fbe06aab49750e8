package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * An action a clinician can accept from a card (CDS Hooks {@code Suggestion}).
 *
 * @param label what the suggestion does, as the button reads
 * @param uuid an id the EHR sends back in feedback, or {@code null}
 * @param isRecommended whether this is the suggestion the service recommends, or {@code null}
 * @param actions the changes accepting it makes; may be empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"label", "uuid", "isRecommended", "actions"})
public record Suggestion(
    @JsonProperty("label") String label,
    @JsonProperty("uuid") String uuid,
    @JsonProperty("isRecommended") Boolean isRecommended,
    @JsonProperty("actions") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Action> actions) {

  /**
   * Copies the actions and checks the label.
   *
   * @param label what the suggestion does, as the button reads
   * @param uuid an id the EHR sends back in feedback, or {@code null}
   * @param isRecommended whether this is the suggestion the service recommends, or {@code null}
   * @param actions the changes accepting it makes; may be empty
   * @throws NullPointerException if label or actions is null
   */
  public Suggestion {
    Objects.requireNonNull(label, "label");
    actions = List.copyOf(actions);
  }
}
