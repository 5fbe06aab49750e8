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
 * {@code null} and lists that are empty are left out. What the specification forbids is refused
 * when the card is made, not when it is written: a summary of 140 characters or more, an
 * override reason without a {@code display}, suggestions without a selection behaviour, more
 * than one recommended suggestion when at most one may be chosen. Empty strings follow the
 * specification's rule that a value is never empty: an empty or blank required field ({@code
 * summary}, {@code indicator}) is an error, an empty or blank optional one ({@code uuid}, {@code
 * detail}, {@code selectionBehavior}) is taken as absent ({@code null}) and left out.
 *
 * @param uuid an id of this card, stable for the same request (see {@link CardMapper}), or
 *     {@code null}; empty or blank is taken as {@code null}
 * @param summary one line of fewer than 140 characters ({@value #MAX_SUMMARY} at most); not
 *     blank
 * @param detail more, in GitHub-flavoured markdown, or {@code null}; empty or blank is taken as
 *     {@code null}
 * @param indicator {@code info}, {@code warning} or {@code critical}
 * @param source where the information comes from
 * @param suggestions actions the clinician can accept; may be empty
 * @param selectionBehavior {@code at-most-one} or {@code any}; required when there are
 *     suggestions, otherwise {@code null}; empty or blank is taken as {@code null}
 * @param overrideReasons reasons the clinician can give for dismissing the card, each with a
 *     {@code display}; may be empty
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

  /**
   * The longest summary the specification allows: it asks for a "&lt;140-character" summary, so
   * 139 characters, counted as UTF-16 code units ({@link String#length()}), which is never fewer
   * than a client counts.
   */
  public static final int MAX_SUMMARY = 139;

  private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");

  /**
   * Copies the lists and checks the fields against the specification.
   *
   * @param uuid an id of this card, stable for the same request (see {@link CardMapper}), or
   *     {@code null}; empty or blank is taken as {@code null}
   * @param summary one line of fewer than 140 characters ({@value #MAX_SUMMARY} at most); not
   *     blank
   * @param detail more, in GitHub-flavoured markdown, or {@code null}; empty or blank is taken
   *     as {@code null}
   * @param indicator {@code info}, {@code warning} or {@code critical}
   * @param source where the information comes from
   * @param suggestions actions the clinician can accept; may be empty
   * @param selectionBehavior {@code at-most-one} or {@code any}; required when there are
   *     suggestions, otherwise {@code null}; empty or blank is taken as {@code null}
   * @param overrideReasons reasons the clinician can give for dismissing the card, each with a
   *     {@code display}; may be empty
   * @param links references and apps; may be empty
   * @throws NullPointerException if summary, indicator, source, a list or an element of one is
   *     null
   * @throws IllegalArgumentException quoting the value, when the summary is blank or has 140
   *     characters or more, the indicator is not info, warning or critical, the selection
   *     behaviour is not at-most-one or any or is missing with suggestions, more than one
   *     suggestion is recommended under at-most-one, or an override reason has no display
   */
  public Card {
    uuid = Attributes.optional(uuid);
    Attributes.required(summary, "card summary");
    detail = Attributes.optional(detail);
    Objects.requireNonNull(indicator, "indicator");
    Objects.requireNonNull(source, "source");
    suggestions = List.copyOf(suggestions);
    selectionBehavior = Attributes.optional(selectionBehavior);
    overrideReasons = List.copyOf(overrideReasons);
    links = List.copyOf(links);
    if (summary.length() > MAX_SUMMARY) {
      throw new IllegalArgumentException("card summary '" + summary + "' has "
          + summary.length() + " characters; CDS Hooks allows fewer than 140 (at most "
          + MAX_SUMMARY + ")");
    }
    if (!INDICATORS.contains(indicator)) {
      throw new IllegalArgumentException(
          "card indicator '" + indicator + "' must be info, warning or critical");
    }
    if (selectionBehavior != null) {
      SelectionBehavior.fromCode(selectionBehavior);
    }
    if (!suggestions.isEmpty() && selectionBehavior == null) {
      throw new IllegalArgumentException("a card with suggestions needs a selectionBehavior");
    }
    List<String> recommended = suggestions.stream()
        .filter(s -> Boolean.TRUE.equals(s.isRecommended())).map(Suggestion::label).toList();
    if (recommended.size() > 1
        && SelectionBehavior.AT_MOST_ONE.code().equals(selectionBehavior)) {
      throw new IllegalArgumentException("suggestions " + recommended + " are all "
          + "isRecommended, but selectionBehavior 'at-most-one' lets the clinician choose one: "
          + "recommend one, or use 'any'");
    }
    for (Coding reason : overrideReasons) {
      if (reason.display() == null) {
        throw new IllegalArgumentException("override reason " + reason.system() + "|"
            + reason.code() + " has no display; CDS Hooks requires one on every override "
            + "reason");
      }
    }
  }
}
