package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A CDS Hooks 2.0 service response: the cards to show and the actions the EHR applies itself.
 *
 * <p>{@code cards} is always written, as {@code []} when there is nothing to show;
 * {@code systemActions} only when there are some.
 *
 * @param cards the cards, in the order to show them
 * @param systemActions actions applied without a clinician's choice; may be empty
 */
@JsonPropertyOrder({"cards", "systemActions"})
public record CdsHooksResponse(
    @JsonProperty("cards") @JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards,
    @JsonProperty("systemActions") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Action> systemActions) {

  /**
   * Copies the lists.
   *
   * @param cards the cards, in the order to show them
   * @param systemActions actions applied without a clinician's choice; may be empty
   * @throws NullPointerException if a list is null
   */
  public CdsHooksResponse {
    cards = List.copyOf(cards);
    systemActions = List.copyOf(systemActions);
  }

  /**
   * A response with these cards and no system actions.
   *
   * @param cards the cards, in the order to show them; copied
   * @return the response
   */
  public static CdsHooksResponse of(List<Card> cards) {
    return new CdsHooksResponse(cards, List.of());
  }

  /**
   * This response as CDS Hooks JSON.
   *
   * @return a JSON object with {@code cards} and {@code systemActions}
   */
  public String toJson() {
    return CdsHooksJson.write(this);
  }
}
