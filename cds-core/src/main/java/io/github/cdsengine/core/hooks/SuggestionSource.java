package io.github.cdsengine.core.hooks;

import io.github.cdsengine.core.evaluation.Recommendation;
import java.util.List;

/**
 * Where a card's suggestions come from: the actions a guideline gives for a recommendation, such
 * as an order to create or a draft order to delete.
 *
 * <p>Rules today state what to recommend, not an action to take, so {@link #NONE} (no
 * suggestions) is the default. A host or a pack that can turn a recommendation into FHIR
 * resources plugs in here; actions carried by the rule's own proposal are not supported yet.
 * A source also says how many of a card's suggestions a clinician may accept ({@link
 * #selectionBehavior}): one at most unless it says any.
 */
@FunctionalInterface
public interface SuggestionSource {

  /** No suggestions for any recommendation. */
  SuggestionSource NONE = (recommendation, hookInstance) -> List.of();

  /**
   * The suggestions for this recommendation, in the order to show them; empty when the
   * guideline gives no action.
   *
   * @param recommendation the recommendation a card is made for
   * @param hookInstance the request's hook instance, to make suggestion ids stable
   * @return the suggestions; never null
   */
  List<Suggestion> suggestions(Recommendation recommendation, String hookInstance);

  /**
   * The suggestions for this recommendation in answer to {@code request}, whose patient and
   * draft orders an action may refer to (a new order's subject, a draft order to delete). By
   * default, those of {@link #suggestions(Recommendation, String)} for its hook instance.
   *
   * @param recommendation the recommendation a card is made for
   * @param request the request the card answers
   * @return the suggestions; never null
   */
  default List<Suggestion> suggestions(Recommendation recommendation, CdsHooksRequest request) {
    return suggestions(recommendation, request.hookInstance());
  }

  /**
   * How many of this recommendation's suggestions a clinician may accept: the card's {@code
   * selectionBehavior}. By default {@link SelectionBehavior#AT_MOST_ONE}, under which at most one
   * suggestion may be {@code isRecommended}; a source whose suggestions go together (several
   * orders, any of which may be accepted) says {@link SelectionBehavior#ANY}.
   *
   * @param recommendation the recommendation a card with suggestions is made for
   * @return the selection behaviour; never null
   */
  default SelectionBehavior selectionBehavior(Recommendation recommendation) {
    return SelectionBehavior.AT_MOST_ONE;
  }
}
