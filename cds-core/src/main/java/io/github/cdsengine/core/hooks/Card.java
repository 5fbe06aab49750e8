package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One CDS Hooks 2.0 card: what a clinician sees for one recommendation.
 *
 * <p>Serialized with the specification's property names in its order; optional fields that are
 * {@code null} and lists that are empty are left out.
 *
 * @param uuid an id of this card, stable for the same request (see {@link CardMapper})
 * @param summary one line of at most 140 characters
 * @param detail more, in GitHub-flavoured markdown, or {@code null}
 * @param indicator {@code info}, {@code warning} or {@code critical}
 * @param source where the information comes from
 * @param suggestions actions the clinician can accept; may be empty
 * @param selectionBehavior {@code at-most-one} or {@code any}; required when there are
 *     suggestions, otherwise {@code null}
 * @param overrideReasons reasons the clinician can give for dismissing the card; may be empty
 * @param links references and apps; may be empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"uuid", "summary", "detail", "indicator", "source", "suggestions",
    "selectionBehavior", "overrideReasons", "links"})
public record Card(
    @JsonProperty("uuid") String uuid,
    @JsonProperty("summary") String summary,
    @JsonProperty("detail") String detail,
    @JsonProperty("indicator") String indicator,
    @JsonProperty("source") Source source,
    @JsonProperty("suggestions") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Suggestion> suggestions,
    @JsonProperty("selectionBehavior") String selectionBehavior,
    @JsonProperty("overrideReasons") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Coding> overrideReasons,
    @JsonProperty("links") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Link> links) {

  /** The longest summary the specification allows. */
  public static final int MAX_SUMMARY = 140;

  private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");
  private static final Set<String> SELECTION = Set.of("at-most-one", "any");

  /**
   * Copies the lists and checks the fields.
   *
   * @param uuid an id of this card, stable for the same request (see {@link CardMapper})
   * @param summary one line of at most 140 characters
   * @param detail more, in GitHub-flavoured markdown, or {@code null}
   * @param indicator {@code info}, {@code warning} or {@code critical}
   * @param source where the information comes from
   * @param suggestions actions the clinician can accept; may be empty
   * @param selectionBehavior {@code at-most-one} or {@code any}; required when there are
   *     suggestions, otherwise {@code null}
   * @param overrideReasons reasons the clinician can give for dismissing the card; may be empty
   * @param links references and apps; may be empty
   * @throws NullPointerException if summary, indicator, source or a list is null
   * @throws IllegalArgumentException when the summary is longer than 140 characters, the
   *     indicator is not info, warning or critical, or the selection behaviour is missing with
   *     suggestions or not at-most-one or any
   */
  public Card {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(indicator, "indicator");
    Objects.requireNonNull(source, "source");
    suggestions = List.copyOf(suggestions);
    overrideReasons = List.copyOf(overrideReasons);
    links = List.copyOf(links);
    if (summary.length() > MAX_SUMMARY) {
      throw new IllegalArgumentException("card summary has " + summary.length()
          + " characters; at most " + MAX_SUMMARY + " are allowed");
    }
    if (!INDICATORS.contains(indicator)) {
      throw new IllegalArgumentException(
          "card indicator '" + indicator + "' must be info, warning or critical");
    }
    if (selectionBehavior != null && !SELECTION.contains(selectionBehavior)) {
      throw new IllegalArgumentException(
          "selectionBehavior '" + selectionBehavior + "' must be at-most-one or any");
    }
    if (!suggestions.isEmpty() && selectionBehavior == null) {
      throw new IllegalArgumentException("a card with suggestions needs a selectionBehavior");
    }
  }
}
