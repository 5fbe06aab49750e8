package io.github.cdsengine.governance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One card a CDS Hooks service returned: the showing an override rate is counted against, and
 * what feedback on the card needs once the service no longer holds the card in memory (after a
 * restart, or once newer cards have taken its place). Which card and what produced it, when, and
 * for whom and to whom only as keyed hashes.
 *
 * <p>A card is kept once by its {@code uuid}: the service names a card after itself, its hook
 * instance and the recommendation, so the same call sent again is the same showing.
 *
 * @param identity the card, and the service, recommendation and rule set that produced it
 * @param shownTime when the service returned it, kept to the microsecond
 * @param patientHash the patient as {@code AuditRecord.patientHash(patientId, key)}
 * @param userHash the user the card was shown to, hashed the same way; {@code null} for a card
 *     recorded before the store kept users (schema version 4), feedback on which cannot be
 *     attributed
 */
public record ShownCard(CardIdentity identity, Instant shownTime, String patientHash,
    String userHash) {

  /**
   * Checks every field; truncates the shown time to microseconds, the precision both databases
   * keep.
   *
   * @param identity the card and what produced it
   * @param shownTime when the service returned it
   * @param patientHash the patient's keyed hash: 64 lower-case hex digits
   * @param userHash the user's keyed hash, the same way, or {@code null} when not known
   * @throws NullPointerException if a field other than userHash is null
   * @throws IllegalArgumentException quoting a hash that is not 64 lower-case hex digits
   */
  public ShownCard {
    Objects.requireNonNull(identity, "identity");
    shownTime = Objects.requireNonNull(shownTime, "shownTime").truncatedTo(ChronoUnit.MICROS);
    FeedbackEvent.hash(patientHash, "patientHash");
    if (userHash != null) {
      FeedbackEvent.hash(userHash, "userHash");
    }
  }

  /**
   * The card's {@code uuid}.
   *
   * @return the uuid
   */
  public String cardUuid() {
    return identity.cardUuid();
  }

  /**
   * The service that returned the card.
   *
   * @return the service's id
   */
  public String serviceId() {
    return identity.serviceId();
  }

  /**
   * The recommendation the card showed.
   *
   * @return the recommendation's id
   */
  public String recommendationId() {
    return identity.recommendationId();
  }

  /**
   * The rule set that produced the card.
   *
   * @return the rule set, as {@code EvaluationResult.ruleSet()} gave it
   */
  public String ruleSet() {
    return identity.ruleSet();
  }
}
