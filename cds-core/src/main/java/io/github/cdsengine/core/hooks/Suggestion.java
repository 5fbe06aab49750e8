package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * An action a clinician can accept from a card (CDS Hooks {@code Suggestion}).
 *
 * <p>{@code label} is required: empty or blank is an error. {@code uuid} is optional: empty or
 * blank is taken as absent ({@code null}) and left out. Whether several suggestions of a card may
 * be recommended depends on the card's selection behaviour, which {@link Card} checks.
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
   * @param label what the suggestion does, as the button reads; not blank
   * @param uuid an id the EHR sends back in feedback, or {@code null}; empty or blank is taken as
   *     {@code null}
   * @param isRecommended whether this is the suggestion the service recommends, or {@code null}
   * @param actions the changes accepting it makes; may be empty
   * @throws NullPointerException if label, actions or an action is null
   * @throws IllegalArgumentException if label is empty or blank
   */
  public Suggestion {
    Attributes.required(label, "suggestion label");
    uuid = Attributes.optional(uuid);
    actions = List.copyOf(actions);
  }
}
