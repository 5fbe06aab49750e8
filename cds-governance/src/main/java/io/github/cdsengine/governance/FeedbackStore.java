package io.github.cdsengine.governance;

import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.Snooze;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where feedback events and the cards they are about are kept: an append-only store in a
 * database, the same event (and the same card) stored once however often it is appended; and,
 * beside them, the clinicians' snoozes and acknowledgements of recommendations per patient, which
 * a host reads back for each evaluation of that patient ({@link #activeSnoozes}, {@link
 * #latestAcknowledgements}) and gives to the engine in its {@link
 * io.github.cdsengine.core.evaluation.EvaluationContext}.
 *
 * <p>Two databases: an embedded H2 file by default, which needs nothing installed (pure Java, no
 * native library, multi-version concurrency, and a PostgreSQL compatibility mode so both run the
 * same SQL), and PostgreSQL by JDBC URL for production. The schema is created and upgraded by
 * versioned Flyway migrations when a store is opened (history in {@code cds_schema_history}).
 *
 * <p>Implementations are thread-safe. {@link #append} returns only once the event is committed
 * (on the H2 file, written to it before the call returns, so a crash of the process after the
 * call loses nothing; on PostgreSQL, with its default {@code synchronous_commit}, flushed to its
 * write-ahead log).
 */
public interface FeedbackStore extends AutoCloseable {

  /**
   * Opens a store: a JDBC URL ({@code jdbc:postgresql://host/db?user=u&password=p}, or a
   * {@code jdbc:h2:} URL) as it is, anything else as the path of an embedded H2 file.
   *
   * @param jdbcUrlOrFile a JDBC URL with its credentials, or a file path such as {@code
   *     ./cds-feedback} (H2 adds {@code .mv.db})
   * @return the store, its schema migrated
   * @throws NullPointerException if the argument is null
   * @throws IllegalArgumentException if it is blank
   * @throws FeedbackStoreException if the database cannot be opened or migrated
   */
  static FeedbackStore open(String jdbcUrlOrFile) {
    Objects.requireNonNull(jdbcUrlOrFile, "jdbcUrlOrFile");
    if (jdbcUrlOrFile.isBlank()) {
      throw new IllegalArgumentException("a feedback store is a JDBC URL or a file path, not '"
          + jdbcUrlOrFile + "'");
    }
    if (jdbcUrlOrFile.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return jdbc(jdbcUrlOrFile, null, null);
    }
    return h2File(Path.of(jdbcUrlOrFile));
  }

  /**
   * Opens (creating it when missing) the embedded store in an H2 file.
   *
   * @param file the database file, with or without H2's {@code .mv.db} suffix
   * @return the store, its schema migrated
   * @throws NullPointerException if file is null
   * @throws FeedbackStoreException if the file cannot be opened (for example, another process
   *     has it open) or migrated
   */
  static FeedbackStore h2File(Path file) {
    return JdbcFeedbackStore.open(JdbcFeedbackStore.h2Url(file), null, null);
  }

  /**
   * Opens a store at a JDBC URL (PostgreSQL, or H2), with a user and password given apart from
   * the URL.
   *
   * @param url the JDBC URL, e.g. {@code jdbc:postgresql://db.example.org:5432/cds}
   * @param user the user, or {@code null} when the URL carries it
   * @param password the password, or {@code null} when the URL carries it
   * @return the store, its schema migrated
   * @throws NullPointerException if url is null
   * @throws FeedbackStoreException if the database cannot be reached, refuses the credentials,
   *     or cannot be migrated
   */
  static FeedbackStore jdbc(String url, String user, String password) {
    return JdbcFeedbackStore.open(Objects.requireNonNull(url, "url"), user, password);
  }

  /**
   * Stores an event unless the same event ({@link FeedbackEvent#identity()}) is already there;
   * returns once it is committed.
   *
   * @param event the event
   * @return {@code true} if stored now, {@code false} if it was already there
   * @throws NullPointerException if event is null
   * @throws FeedbackStoreException if the database fails; the event may then not be stored
   * @throws IllegalStateException if the store is closed
   */
  boolean append(FeedbackEvent event);

  /**
   * The events whose outcome time is in {@code [from, to)}, by outcome time then in the order
   * they were stored.
   *
   * @param from the first instant included
   * @param to the first instant left out
   * @return the events
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  List<FeedbackEvent> between(Instant from, Instant to);

  /**
   * Stores, in one transaction, the events not already there ({@link FeedbackEvent#identity()});
   * returns once they are committed. For loading many events at once (an import, a generated
   * demo stream); a service answering one feedback call uses {@link #append}.
   *
   * @param events the events, in any order, duplicates allowed
   * @return how many were stored now
   * @throws NullPointerException if events or an element is null
   * @throws FeedbackStoreException if the database fails; then none of them is stored
   * @throws IllegalStateException if the store is closed
   */
  int appendAll(Collection<FeedbackEvent> events);

  /**
   * Records, in one transaction, cards a service returned, each once by its uuid; returns once
   * they are committed. These showings are what an override rate is counted against.
   *
   * @param cards the cards, duplicates allowed
   * @return how many were recorded now (a card already recorded is left as it was)
   * @throws NullPointerException if cards or an element is null
   * @throws FeedbackStoreException if the database fails; then none of them is recorded
   * @throws IllegalStateException if the store is closed
   */
  int recordShown(Collection<ShownCard> cards);

  /**
   * The card recorded with this {@code uuid} ({@link #recordShown}): what feedback on it needs
   * when the service that returned it no longer holds it in memory.
   *
   * @param cardUuid the card's {@code uuid}
   * @return the card as recorded, or empty when no card has that uuid
   * @throws NullPointerException if cardUuid is null
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  Optional<ShownCard> shownCard(String cardUuid);

  /**
   * Hands {@code sink} every card shown in {@code [from, to)}, by shown time then in the order
   * recorded, each with the feedback on it whose outcome time is before {@code to}: the report
   * of a period depends only on what happened before its end. Rows are streamed, not held.
   *
   * @param from the first instant included
   * @param to the first instant left out
   * @param sink takes each showing
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  void showings(Instant from, Instant to, Consumer<Showing> sink);

  /**
   * The events whose outcome time is in {@code [from, to)} on cards with no recorded showing
   * (feedback kept before showings were recorded, or whose showing was lost), by outcome time
   * then in the order they were stored. A report counts them apart: they have no denominator.
   *
   * @param from the first instant included
   * @param to the first instant left out
   * @return the events
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  List<FeedbackEvent> feedbackWithoutShowing(Instant from, Instant to);

  /**
   * Keeps a clinician's snooze of a recommendation for a patient unless the same snooze (same
   * patient, recommendation, start and user) is already there; returns once it is committed.
   * Times are kept to the microsecond (a finer part is dropped).
   *
   * @param patientHash the patient's keyed hash ({@code AuditRecord.patientHash}): 64 lower-case
   *     hex digits
   * @param userHash the clinician's keyed hash, the same way
   * @param snooze the snooze
   * @return {@code true} if stored now, {@code false} if it was already there
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException quoting a hash that is not 64 lower-case hex digits, or a
   *     recommendation id longer than {@value FeedbackEvent#MAX_ID_LENGTH} characters
   * @throws FeedbackStoreException if the database fails; the snooze may then not be stored
   * @throws IllegalStateException if the store is closed
   */
  boolean snooze(String patientHash, String userHash, Snooze snooze);

  /**
   * Keeps a clinician's acknowledgement of a recommendation shown for a patient (any feedback
   * on its card), unless the same one is already there; returns once it is committed. Times are
   * kept to the microsecond.
   *
   * @param patientHash the patient's keyed hash: 64 lower-case hex digits
   * @param userHash the clinician's keyed hash, the same way
   * @param acknowledgement the acknowledgement
   * @return {@code true} if stored now, {@code false} if it was already there
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException quoting a hash that is not 64 lower-case hex digits, or a
   *     recommendation id longer than {@value FeedbackEvent#MAX_ID_LENGTH} characters
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  boolean acknowledge(String patientHash, String userHash, Acknowledgement acknowledgement);

  /**
   * The patient's snoozes active at {@code at} ({@code from <= at < until}), by recommendation
   * id then start.
   *
   * @param patientHash the patient's keyed hash
   * @param at the evaluation instant
   * @return the active snoozes; empty when there are none
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException quoting a hash that is not 64 lower-case hex digits
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  List<Snooze> activeSnoozes(String patientHash, Instant at);

  /**
   * The patient's latest acknowledgement of each recommendation at or before {@code at}, by
   * recommendation id: what an {@link io.github.cdsengine.core.evaluation.InterruptiveBudget}'s
   * repeat window is measured from.
   *
   * @param patientHash the patient's keyed hash
   * @param at the evaluation instant
   * @return one acknowledgement per recommendation acknowledged; empty when there are none
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException quoting a hash that is not 64 lower-case hex digits
   * @throws FeedbackStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  List<Acknowledgement> latestAcknowledgements(String patientHash, Instant at);

  /**
   * Closes the store's connections; events appended are already durable.
   *
   * @throws FeedbackStoreException if the database fails while closing
   */
  @Override
  void close();
}
