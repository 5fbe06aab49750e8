package io.github.cdsengine.hooks.service;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.hooks.Card;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackStore;
import io.github.cdsengine.governance.ShownCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.time.Duration;
import java.util.Optional;

/**
 * Feedback kept in a {@link FeedbackStore}: the service remembers, for each card it returned
 * (by its name-based {@link CardMapper#cardUuid uuid}), the recommendation, rule set, patient and
 * user behind it, the last {@code capacity} cards, and each feedback entry becomes a {@link
 * FeedbackEvent} appended before the feedback call is answered. Patients and users are kept
 * only as keyed hashes ({@link AuditRecord#patientHash}) under the store's key, so the same
 * patient has the same hash across restarts.
 *
 * <p>Every card returned is also recorded in the store as a {@link ShownCard} (shown at the
 * evaluation instant), the denominator of the override report, by a {@link ShownCardWriter}:
 * queued during the call, written in batches after it; see there what a crash can lose.
 * Feedback itself is written before the feedback call is answered.
 *
 * <p>Every feedback entry is also an {@link Acknowledgement} of the card's recommendation for
 * its patient at the outcome time, and an override whose reason is a snooze code ({@link
 * CardMapper#snoozePeriod}: {@code snooze-7d}, {@code snooze-30d}, {@code snooze-90d} ...) a
 * {@link Snooze} from the outcome time for that many days; both are kept in the store, and each
 * later call reads the patient's active snoozes and latest acknowledgements back into its
 * evaluation ({@link #withClinicianResponses}).
 */
final class StoredFeedback implements FeedbackSink, AutoCloseable {

  /** Cards remembered by default: about 25 MB. */
  static final int DEFAULT_CAPACITY = 50_000;

  private final FeedbackStore store;
  private final byte[] key;
  private final Map<String, Shown> shown;
  private final ShownCardWriter writer;

  /** What a returned card stood for. */
  private record Shown(String serviceId, String recommendationId, String ruleSet,
      String patientHash, String userHash) {}

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
      protected boolean removeEldestEntry(Map.Entry<String, Shown> eldest) {
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
      String uuid = CardMapper.cardUuid(request.hookInstance(), recommendation.id());
      if (cards.contains(uuid)) {
        Shown card = new Shown(serviceId, recommendation.id(), result.ruleSet(), patient, user);
        synchronized (shown) {
          shown.put(uuid, card);
        }
        returned.add(new ShownCard(uuid, serviceId, recommendation.id(), result.ruleSet(),
            result.instant(), patient));
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
    Shown known = lookup(card);
    return known != null && known.serviceId().equals(serviceId);
  }

  @Override
  public void accept(String serviceId, Feedback feedback) {
    Shown card = lookup(feedback.card());
    if (card == null || !card.serviceId().equals(serviceId)) {
      throw new IllegalStateException("card " + feedback.card()
          + " is not remembered as returned by service " + serviceId);
    }
    Feedback.OverrideReason reason = feedback.overrideReason();
    store.append(new FeedbackEvent(feedback.card(), serviceId, card.recommendationId(),
        card.ruleSet(), feedback.outcome() == Feedback.Outcome.ACCEPTED
            ? FeedbackEvent.Outcome.ACCEPTED : FeedbackEvent.Outcome.OVERRIDDEN,
        reason == null ? null : new FeedbackEvent.OverrideReason(reason.system(), reason.code()),
        feedback.outcomeTimestamp(), card.patientHash(), card.userHash()));
    Optional<Duration> snooze = reason == null ? Optional.empty()
        : CardMapper.snoozePeriod(reason.system(), reason.code());
    if (snooze.isPresent()) {
      store.snooze(card.patientHash(), card.userHash(), Snooze.of(card.recommendationId(),
          feedback.outcomeTimestamp(), snooze.get()));
    }
    store.acknowledge(card.patientHash(), card.userHash(),
        new Acknowledgement(card.recommendationId(), feedback.outcomeTimestamp()));
  }

  @Override
  public EvaluationContext withClinicianResponses(CdsHooksRequest request,
      EvaluationContext context) {
    String patient = AuditRecord.patientHash(request.patientId(), key);
    return context.withSnoozes(store.activeSnoozes(patient, context.instant()))
        .withAcknowledgements(store.latestAcknowledgements(patient, context.instant()));
  }

  private Shown lookup(String card) {
    synchronized (shown) {
      return shown.get(card);
    }
  }
}
