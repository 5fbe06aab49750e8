package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.cdsengine.core.problem.DataWarning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CDS Hooks 2.0 service response: the cards to show, the actions the EHR applies itself, and
 * the data warnings of the evaluation behind them.
 *
 * <p>{@code cards} is always written, as {@code []} when there is nothing to show;
 * {@code systemActions} only when there are some. Warnings are written only when there are some,
 * in the response's {@code extension} (the name CDS Hooks reserves for implementations' own
 * members; its value is an object) under {@value #WARNINGS_EXTENSION}, one object per warning in
 * order: {@code {"resourceType": "Observation", "id": "obs-1", "message": "..."}}, the fields of
 * a {@link DataWarning}. A response without warnings is the same JSON as before warnings existed.
 *
 * @param cards the cards, in the order to show them
 * @param systemActions actions applied without a clinician's choice; may be empty
 * @param warnings what the evaluation could not use and what it did instead, such as a prefetched
 *     resource of another patient left out; may be empty
 */
@JsonPropertyOrder({"cards", "systemActions", "extension"})
public record CdsHooksResponse(
    @JsonProperty("cards") @JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards,
    @JsonProperty("systemActions") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Action> systemActions,
    @JsonIgnore List<DataWarning> warnings) {

  /** The key of the warnings in the response's {@code extension} object. */
  public static final String WARNINGS_EXTENSION = "io.github.cdsengine.warnings";

  /**
   * Copies the lists.
   *
   * @param cards the cards, in the order to show them
   * @param systemActions actions applied without a clinician's choice; may be empty
   * @param warnings the evaluation's data warnings, in order; may be empty
   * @throws NullPointerException if a list or an element of one is null
   */
  public CdsHooksResponse {
    cards = List.copyOf(cards);
    systemActions = List.copyOf(systemActions);
    warnings = List.copyOf(warnings);
  }

  /**
   * A response with no data warnings.
   *
   * @param cards the cards, in the order to show them
   * @param systemActions actions applied without a clinician's choice; may be empty
   * @throws NullPointerException if a list or an element of one is null
   */
  public CdsHooksResponse(List<Card> cards, List<Action> systemActions) {
    this(cards, systemActions, List.of());
  }

  /**
   * A response with these cards, no system actions and no warnings.
   *
   * @param cards the cards, in the order to show them; copied
   * @return the response
   */
  public static CdsHooksResponse of(List<Card> cards) {
    return new CdsHooksResponse(cards, List.of());
  }

  /**
   * This response with {@code more} warnings after its own, so that the client sees what the
   * evaluation could not use: a service answers with {@code mapper.response(request,
   * result).withWarnings(result.warnings())}.
   *
   * @param more the warnings to add, in order; may be empty
   * @return a new response; this one is unchanged
   * @throws NullPointerException if more or one of its warnings is null
   */
  public CdsHooksResponse withWarnings(List<DataWarning> more) {
    List<DataWarning> all = new ArrayList<>(warnings);
    all.addAll(List.copyOf(more));
    return new CdsHooksResponse(cards, systemActions, all);
  }

  /**
   * The response's {@code extension} object as written: the warnings under {@value
   * #WARNINGS_EXTENSION}, or {@code null} (not written) when there are none.
   *
   * @return the extension members, or null
   */
  @JsonProperty("extension")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  Map<String, List<Map<String, String>>> extension() {
    if (warnings.isEmpty()) {
      return null;
    }
    List<Map<String, String>> written = new ArrayList<>(warnings.size());
    for (DataWarning warning : warnings) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("resourceType", warning.type());
      entry.put("id", warning.id());
      entry.put("message", warning.message());
      written.add(entry);
    }
    return Map.of(WARNINGS_EXTENSION, written);
  }

  /**
   * This response as CDS Hooks JSON.
   *
   * @return a JSON object with {@code cards}, {@code systemActions} when there are some, and
   *     {@code extension} when there are warnings
   */
  public String toJson() {
    return CdsHooksJson.write(this);
  }
}
