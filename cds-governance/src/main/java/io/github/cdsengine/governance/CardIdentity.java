package io.github.cdsengine.governance;

/**
 * Which card a service returned and what produced it: its {@code uuid}, the CDS Hooks service,
 * the recommendation it showed and the rule set that made it. What feedback on the card is
 * about, whoever it comes from.
 *
 * @param cardUuid the card's {@code uuid}
 * @param serviceId the CDS Hooks service that returned it
 * @param recommendationId the recommendation the card showed
 * @param ruleSet the rule set that produced the card ({@code EvaluationResult.ruleSet()})
 */
public record CardIdentity(String cardUuid, String serviceId, String recommendationId,
    String ruleSet) {

  /**
   * Checks every field.
   *
   * @param cardUuid the card's {@code uuid}
   * @param serviceId the service that returned it
   * @param recommendationId the recommendation the card showed
   * @param ruleSet the rule set that produced the card
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException quoting a value that is blank or too long
   */
  public CardIdentity {
    FeedbackEvent.text(cardUuid, "cardUuid", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(serviceId, "serviceId", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(recommendationId, "recommendationId", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(ruleSet, "ruleSet", FeedbackEvent.MAX_LONG_TEXT_LENGTH);
  }
}
