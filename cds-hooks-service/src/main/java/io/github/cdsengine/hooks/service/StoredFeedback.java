package io.github.cdsengine.hooks.service;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.governance.CardIdentity;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.ShownCard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Feedback kept in a {@link FeedbackStore}: each feedback entry becomes a {@link FeedbackEvent}
 * appended before the feedback call is answered, with what its card stood for (recommendation,
 * rule set, patient, user). Patients and users are kept only as keyed hashes ({@link
 * AuditRecord#patientHash}) under the store's key, so the same patient has the same hash across
 * restarts.
 *
 * <p>Every card returned is recorded in the store as a {@link ShownCard} (shown at the
 * evaluation instant, with its patient and user), the denominator of the override report, by a
 * {@link ShownCardWriter}: queued during the call, written in batches after it; see there what
 * a crash can lose. The last {@code capacity} cards are also held in memory. Feedback on a card
 * is looked up there first, then in the store: so feedback on a card the memory no longer holds
 * (newer cards took its place, or the service restarted) is taken as long as the card was
 * recorded; a card found in the store is held in memory again. Feedback is refused (404) only on
 * a card neither holds: one this service never returned, one recorded before the store kept
 * users (schema version 4), or one lost with the writer's queue in a crash.
 *
 * <p>Every feedback entry is also an {@link Acknowledgement} of the card's recommendation for
 * its patient, and an override whose reason is a snooze code ({@link CardMapper#snoozePeriod}:
 * {@code snooze-7d}, {@code snooze-30d}, {@code snooze-90d} ...) a {@link Snooze}; both are kept
 * in the store, and each later call reads the patient's active snoozes and latest
 * acknowledgements back into its evaluation ({@link #withClinicianResponses}). Their times, with
 * the outcome time as the EHR's clock gave it and the receipt time as the service's clock gave
 * it ({@link #accept(String, Feedback, Instant)}):
 *
 * <ul>
 *   <li>the snooze starts at the earlier of the two, so an EHR clock ahead of the service's
 *       (within the server's allowed skew; further ahead is refused 400) does not leave the
 *       card showing at the calls between receipt and the outcome time; and ends the snoozed
 *       period after the outcome time, the end the clinician was offered. Feedback sent late
 *       (an outcome time long past) is taken, and its snooze still ends then: a snooze lasts
 *       at most its period from when the clinician acted, however late it arrives;
 *   <li>the acknowledgement is at the earlier of the two, for the same reason;
 *   <li>the feedback event keeps the outcome time as sent: it identifies the event, so the
 *       same feedback sent again is stored once.
 * </ul>
 *
 * <p>The same feedback sent again is one event; when its outcome time was ahead of the
 * service's clock, the second delivery may add a second snooze row (same end, a later start
 * no later than the outcome time) and acknowledgement row: the engine takes the latest-ending
 * snooze and latest acknowledgement, so what clinicians see does not change.
 */
final class StoredFeedback implements FeedbackSink, AutoCloseable {

  /** Cards held in memory by default: about 25 MB. */
  static final int DEFAULT_CAPACITY = 50_000;

  private final FeedbackStore store;
  private final byte[] key;
  private final Map<String, ShownCard> shown;
  private final ShownCardWriter writer;

  StoredFeedback(FeedbackStore store, byte[] key, int capacity) {
    this(store, key, capacity, new ShownCardWriter(store, ShownCardWriter.DEFAULT_CAPACITY,
        Duration.ofSeconds(1)));
  }

  StoredFeedback(FeedbackStore store, byte[] key, int capacity, ShownCardWriter writer) {
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(key, "key").clone();
    if (key.length < AuditRecord.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the feedback key must have at least "
          + AuditRecord.MIN_KEY_BYTES + " bytes, not " + key.length);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.shown = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ShownCard> eldest) {
        return size() > capacity;
      }
    };
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void returned(String serviceId, CdsHooksRequest request, EvaluationResult result,
      CdsHooksResponse response) {
    Set<String> cards = new HashSet<>();
    for (Card card : response.cards()) {
      cards.add(card.uuid());
    }
    String patient = AuditRecord.patientHash(request.patientId(), key);
    String userId = request.context().userId();
    // Every hook of CDS Hooks 2.0 requires a userId; one without is kept as the empty id's hash.
    String user = AuditRecord.patientHash(userId == null ? "" : userId, key);
    List<ShownCard> returned = new ArrayList<>();
    for (Recommendation recommendation : result.recommendations()) {
      // The uuid the service's mapper gave the card (ServedService: CardMapper.forService).
      String uuid = CardMapper.cardUuid(serviceId, request.hookInstance(), recommendation.id());
      if (cards.contains(uuid)) {
        ShownCard card = new ShownCard(new CardIdentity(uuid, serviceId, recommendation.id(),
            result.ruleSet()), result.instant(), patient, user);
        synchronized (shown) {
          shown.put(uuid, card);
        }
        returned.add(card);
      }
    }
    if (!returned.isEmpty()) {
      writer.submit(returned);
    }
  }

  /** The writer of shown cards, for tests that wait for it. */
  ShownCardWriter shownCards() {
    return writer;
  }

  /** Writes the shown cards still queued and stops their writer; the store stays open. */
  @Override
  public void close() {
    writer.close();
  }

  @Override
  public boolean knows(String serviceId, String card) {
    return lookup(serviceId, card).isPresent();
  }

  /**
   * Takes an entry whose receipt time is not known: as received at its outcome time.
   *
   * @param serviceId the service the card came from
   * @param feedback the validated entry
   */
  @Override
  public void accept(String serviceId, Feedback feedback) {
    accept(serviceId, feedback, feedback.outcomeTimestamp());
  }

  /**
   * Appends the entry as a feedback event, and keeps its acknowledgement and, for a snooze
   * reason, its snooze (times as the class describes).
   *
   * @throws IllegalStateException if neither the memory nor the store holds the card as this
   *     service's (the server asks {@link #knows} first)
   */
  @Override
  public void accept(String serviceId, Feedback feedback, Instant received) {
    ShownCard card = lookup(serviceId, feedback.card()).orElseThrow(() ->
        new IllegalStateException("card " + feedback.card()
            + " is not known as returned by service " + serviceId));
    Feedback.OverrideReason reason = feedback.overrideReason();
    Instant outcome = feedback.outcomeTimestamp();
    store.append(new FeedbackEvent(feedback.card(), serviceId, card.recommendationId(),
        card.ruleSet(), feedback.outcome() == Feedback.Outcome.ACCEPTED
            ? FeedbackEvent.Outcome.ACCEPTED : FeedbackEvent.Outcome.OVERRIDDEN,
        reason == null ? null : new FeedbackEvent.OverrideReason(reason.system(), reason.code()),
        outcome, card.patientHash(), card.userHash()));
    Instant start = outcome.isAfter(received) ? received : outcome;
    Optional<Duration> snooze = reason == null ? Optional.empty()
        : CardMapper.snoozePeriod(reason.system(), reason.code());
    if (snooze.isPresent()) {
      // start <= outcome, and a snooze period is at least a day: never empty.
      store.snooze(card.patientHash(), card.userHash(), new Snooze(card.recommendationId(),
          start, outcome.plus(snooze.get())));
    }
    store.acknowledge(card.patientHash(), card.userHash(),
        new Acknowledgement(card.recommendationId(), start));
  }

  @Override
  public EvaluationContext withClinicianResponses(CdsHooksRequest request,
      EvaluationContext context) {
    String patient = AuditRecord.patientHash(request.patientId(), key);
    return context.withSnoozes(store.activeSnoozes(patient, context.instant()))
        .withAcknowledgements(store.latestAcknowledgements(patient, context.instant()));
  }

  /**
   * The card as this service returned it: held in memory, else recorded in the store (then
   * held in memory again); empty when neither holds it as this service's with its user.
   */
  private Optional<ShownCard> lookup(String serviceId, String uuid) {
    ShownCard card;
    synchronized (shown) {
      card = shown.get(uuid);
    }
    if (card == null) {
      card = store.shownCard(uuid).filter(found -> found.userHash() != null).orElse(null);
      if (card != null) {
        synchronized (shown) {
          shown.putIfAbsent(uuid, card);
        }
      }
    }
    return card != null && card.serviceId().equals(serviceId) ? Optional.of(card)
        : Optional.empty();
  }
}
