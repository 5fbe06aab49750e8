package io.github.cdsengine.governance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One card a CDS Hooks service returned: the showing an override rate is counted against. Which
 * card, which service, recommendation and rule set produced it, when, and for whom only as a
 * keyed hash.
 *
 * <p>A card is kept once by its {@code uuid}: the service names a card after its hook instance
 * and recommendation, so the same call sent again is the same showing.
 *
 * @param cardUuid the card's {@code uuid}
 * @param serviceId the CDS Hooks service that returned it
 * @param recommendationId the recommendation the card showed
 * @param ruleSet the rule set that produced the card ({@code EvaluationResult.ruleSet()})
 * @param shownTime when the service returned it, kept to the microsecond
 * @param patientHash the patient as {@code AuditRecord.patientHash(patientId, key)}
 */
public record ShownCard(String cardUuid, String serviceId, String recommendationId,
    String ruleSet, Instant shownTime, String patientHash) {

  /**
   * Checks every field; truncates the shown time to microseconds, the precision both databases
   * keep.
   *
   * @param cardUuid the card's {@code uuid}
   * @param serviceId the service that returned it
   * @param recommendationId the recommendation the card showed
   * @param ruleSet the rule set that produced the card
   * @param shownTime when the service returned it
   * @param patientHash the patient's keyed hash: 64 lower-case hex digits
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException quoting a value that is blank, too long or not a hash
   */
  public ShownCard {
    FeedbackEvent.text(cardUuid, "cardUuid", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(serviceId, "serviceId", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(recommendationId, "recommendationId", FeedbackEvent.MAX_ID_LENGTH);
    FeedbackEvent.text(ruleSet, "ruleSet", FeedbackEvent.MAX_LONG_TEXT_LENGTH);
    shownTime = Objects.requireNonNull(shownTime, "shownTime").truncatedTo(ChronoUnit.MICROS);
    FeedbackEvent.hash(patientHash, "patientHash");
  }
}
