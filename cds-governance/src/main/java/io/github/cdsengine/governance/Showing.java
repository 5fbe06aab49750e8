package io.github.cdsengine.governance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A card as shown, with the feedback clinicians gave on it: what an override report counts.
 *
 * @param card the card as the service returned it
 * @param feedback the feedback on it, by outcome time then in the order it was stored; empty
 *     when nobody responded
 */
public record Showing(ShownCard card, List<FeedbackEvent> feedback) {

  /**
   * Copies the feedback.
   *
   * @param card the card as the service returned it
   * @param feedback the feedback on it, by outcome time then in the order it was stored
   * @throws NullPointerException if an argument or an element is null
   * @throws IllegalArgumentException if a feedback event is about another card
   */
  public Showing {
    Objects.requireNonNull(card, "card");
    feedback = List.copyOf(feedback);
    for (FeedbackEvent event : feedback) {
      if (!event.cardUuid().equals(card.cardUuid())) {
        throw new IllegalArgumentException("feedback on card " + event.cardUuid()
            + " is not feedback on card " + card.cardUuid());
      }
    }
  }

  /**
   * What became of the card: the last feedback on it (a clinician who accepted and then
   * dismissed it overrode it), or empty when nobody responded.
   *
   * @return the last feedback event, or empty
   */
  public Optional<FeedbackEvent> outcome() {
    return feedback.isEmpty() ? Optional.empty()
        : Optional.of(feedback.get(feedback.size() - 1));
  }
}
