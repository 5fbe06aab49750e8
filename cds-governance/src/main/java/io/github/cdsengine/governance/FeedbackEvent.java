package io.github.cdsengine.governance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One clinician's response to one card (CDS Hooks 2.0 feedback), as kept: which card, which
 * service, recommendation and rule set produced it, accepted or overridden and why, when, and
 * for whom and by whom only as keyed hashes.
 *
 * <p>Two events are the same event, and stored once, when they have the same {@linkplain
 * #identity() identity}: card, outcome, outcome time and user.
 *
 * @param cardUuid the card's {@code uuid}
 * @param serviceId the CDS Hooks service the card came from
 * @param recommendationId the recommendation the card showed
 * @param ruleSet the rule set that produced the card ({@code EvaluationResult.ruleSet()})
 * @param outcome accepted or overridden
 * @param overrideReason the coded reason for an override, or {@code null}
 * @param outcomeTime when the clinician acted, kept to the microsecond
 * @param patientHash the patient as {@code AuditRecord.patientHash(patientId, key)}
 * @param userHash the user, hashed the same way
 */
public record FeedbackEvent(String cardUuid, String serviceId, String recommendationId,
    String ruleSet, Outcome outcome, OverrideReason overrideReason, Instant outcomeTime,
    String patientHash, String userHash) {

  /** The longest identifier kept (card, service, recommendation, reason code). */
  public static final int MAX_ID_LENGTH = 255;

  /** The longest rule set identity or code system kept. */
  public static final int MAX_LONG_TEXT_LENGTH = 1000;

  /** A keyed hash: compiled once, as every event read back from a store is checked. */
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** What the clinician did with the card. */
  public enum Outcome {
    /** The clinician accepted one or more of the card's suggestions. */
    ACCEPTED,
    /** The clinician dismissed the card. */
    OVERRIDDEN
  }

  /**
   * The coded reason a clinician gave for an override.
   *
   * @param system the code system, or {@code null} when the client gave none
   * @param code the code
   */
  public record OverrideReason(String system, String code) {

    /**
     * Checks the reason.
     *
     * @param system the code system, or {@code null}
     * @param code the code
     * @throws NullPointerException if code is null
     * @throws IllegalArgumentException quoting a value that is blank or too long
     */
    public OverrideReason {
      if (system != null) {
        text(system, "overrideReason.system", MAX_LONG_TEXT_LENGTH);
      }
      text(code, "overrideReason.code", MAX_ID_LENGTH);
    }
  }

  /**
   * Checks every field; truncates the outcome time to microseconds, the precision both
   * databases keep.
   *
   * @param cardUuid the card's {@code uuid}
   * @param serviceId the service the card came from
   * @param recommendationId the recommendation the card showed
   * @param ruleSet the rule set that produced the card
   * @param outcome accepted or overridden
   * @param overrideReason the coded reason for an override, or {@code null}
   * @param outcomeTime when the clinician acted
   * @param patientHash the patient's keyed hash: 64 lower-case hex digits
   * @param userHash the user's keyed hash: 64 lower-case hex digits
   * @throws NullPointerException if a field other than overrideReason is null
   * @throws IllegalArgumentException quoting a value that is blank, too long or not a hash, or
   *     when an accepted outcome carries an override reason
   */
  public FeedbackEvent {
    text(cardUuid, "cardUuid", MAX_ID_LENGTH);
    text(serviceId, "serviceId", MAX_ID_LENGTH);
    text(recommendationId, "recommendationId", MAX_ID_LENGTH);
    text(ruleSet, "ruleSet", MAX_LONG_TEXT_LENGTH);
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.ACCEPTED && overrideReason != null) {
      throw new IllegalArgumentException("an accepted outcome has no override reason, not "
          + overrideReason);
    }
    outcomeTime = Objects.requireNonNull(outcomeTime, "outcomeTime")
        .truncatedTo(ChronoUnit.MICROS);
    hash(patientHash, "patientHash");
    hash(userHash, "userHash");
  }

  /**
   * What makes two events the same event: the same user's same outcome on the same card at the
   * same instant. A client that sends its feedback again is stored once.
   *
   * @return the identity, as {@code card|outcome|time|user}
   */
  public String identity() {
    return cardUuid + "|" + outcome + "|" + outcomeTime + "|" + userHash;
  }

  static void text(String value, String field, int maxLength) {
    Objects.requireNonNull(value, field);
    if (value.isBlank() || value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be 1 to " + maxLength
          + " characters, not blank: '" + value + "'");
    }
  }

  /** Checks a keyed hash: 64 lower-case hex digits; the message quotes the value. */
  static void hash(String value, String field) {
    Objects.requireNonNull(value, field);
    if (!HASH.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be a keyed hash (64 lower-case hex "
          + "digits, AuditRecord.patientHash), not '" + value + "'");
    }
  }
}
