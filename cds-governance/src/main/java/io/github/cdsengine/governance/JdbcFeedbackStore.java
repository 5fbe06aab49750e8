package io.github.cdsengine.governance;

import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.db.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store in a database reached by JDBC: a few connections in auto-commit mode, so each append
 * is one committed statement (batches of events or shown cards are one transaction); the unique constraint {@code feedback_event_identity} keeps an
 * event once (PostgreSQL: {@code ON CONFLICT DO NOTHING}; H2: the duplicate-key error, SQLSTATE
 * 23505, is the answer "already there").
 */
final class JdbcFeedbackStore implements FeedbackStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcFeedbackStore.class);
  private static final int CONNECTIONS = 4;
  private static final String DUPLICATE_KEY = "23505";
  private static final String COLUMNS = "card_uuid, service_id, recommendation_id, rule_set, "
      + "outcome, override_reason_system, override_reason_code, outcome_time, patient_hash, "
      + "user_hash";
  private static final String INSERT = "INSERT INTO feedback_event (" + COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM feedback_event "
      + "WHERE outcome_time >= ? AND outcome_time < ? ORDER BY outcome_time, id";
  /** Both databases take {@code ON CONFLICT DO NOTHING} (H2 in its PostgreSQL mode). */
  private static final String INSERT_IF_NEW = INSERT + " ON CONFLICT DO NOTHING";
  private static final String SHOWN_COLUMNS = "card_uuid, service_id, recommendation_id, "
      + "rule_set, shown_time, patient_hash, user_hash";
  private static final String INSERT_SHOWN = "INSERT INTO shown_card (" + SHOWN_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String SELECT_SHOWN = "SELECT " + SHOWN_COLUMNS
      + " FROM shown_card WHERE card_uuid = ?";
  /** Each showing of the period, then its feedback before the period's end, in order. */
  private static final String SHOWINGS = "SELECT s.card_uuid, s.service_id, "
      + "s.recommendation_id, s.rule_set, s.shown_time, s.patient_hash, s.user_hash, "
      + "f.card_uuid, f.service_id, f.recommendation_id, f.rule_set, f.outcome, "
      + "f.override_reason_system, "
      + "f.override_reason_code, f.outcome_time, f.patient_hash, f.user_hash "
      + "FROM shown_card s LEFT JOIN feedback_event f ON f.card_uuid = s.card_uuid "
      + "AND f.outcome_time < ? WHERE s.shown_time >= ? AND s.shown_time < ? "
      + "ORDER BY s.shown_time, s.id, f.outcome_time, f.id";
  private static final String WITHOUT_SHOWING = "SELECT " + COLUMNS + " FROM feedback_event f "
      + "WHERE outcome_time >= ? AND outcome_time < ? AND NOT EXISTS (SELECT 1 FROM shown_card "
      + "s WHERE s.card_uuid = f.card_uuid) ORDER BY outcome_time, id";
  /** Statements sent to the database at once within a transaction. */
  private static final int BATCH = 1000;
  private static final int READ_AHEAD = 1000;
  private static final String INSERT_SNOOZE = "INSERT INTO snooze (patient_hash, "
      + "recommendation_id, snoozed_from, snoozed_until, user_hash) VALUES (?, ?, ?, ?, ?)";
  private static final String SELECT_SNOOZES = "SELECT recommendation_id, snoozed_from, "
      + "snoozed_until FROM snooze WHERE patient_hash = ? AND snoozed_until > ? "
      + "AND snoozed_from <= ? ORDER BY recommendation_id, snoozed_from, snoozed_until";
  private static final String INSERT_ACKNOWLEDGEMENT = "INSERT INTO acknowledgement "
      + "(patient_hash, recommendation_id, acknowledged_at, user_hash) VALUES (?, ?, ?, ?)";
  private static final String SELECT_ACKNOWLEDGEMENTS = "SELECT recommendation_id, "
      + "MAX(acknowledged_at) FROM acknowledgement WHERE patient_hash = ? "
      + "AND acknowledged_at <= ? GROUP BY recommendation_id ORDER BY recommendation_id";

  /**
   * H2 in its PostgreSQL mode (so the migrations are one SQL for both), every commit written to
   * the file before it returns ({@code WRITE_DELAY=0}; H2's default waits up to 500 ms).
   */
  private static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  /**
   * Rows written to an embedded H2 file between two compactions of it. With {@code
   * WRITE_DELAY=0} every commit writes a chunk of its own (about 24 KB for one feedback event)
   * and H2's background housekeeping, which would reclaim the chunks later commits make dead,
   * does not run; so the store compacts the file itself, after a commit, once per this many rows
   * (without it 10,000 single appends made a file of about 230 MB, with it under 5 MB).
   */
  static final int H2_COMPACT_EVERY = 1000;
  /** The longest one compaction of the embedded file may take, in milliseconds. */
  private static final int H2_COMPACT_MILLIS = 500;

  private final String url;
  private final String user;
  private final String password;
  private final boolean postgres;
  private final boolean h2;
  private final AtomicLong writtenSinceCompaction = new AtomicLong();
  private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcFeedbackStore(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    Connection first = connect();
    boolean isPostgres;
    boolean isH2;
    try {
      String product = first.getMetaData().getDatabaseProductName();
      isPostgres = product.equalsIgnoreCase("PostgreSQL");
      isH2 = product.equalsIgnoreCase("H2");
    } catch (SQLException e) {
      closeQuietly(first);
      throw failure("cannot read what database is at " + redacted(url), e);
    }
    this.postgres = isPostgres;
    this.h2 = isH2;
    pool.add(first);
  }

  /** Opens the database, migrates its schema, and fills the pool. */
  static JdbcFeedbackStore open(String url, String user, String password) {
    JdbcFeedbackStore store = new JdbcFeedbackStore(url, user, password);
    try {
      store.migrate();
      for (int i = 1; i < CONNECTIONS; i++) {
        store.pool.add(store.connect());
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("feedback store open: {}", redacted(url));
    return store;
  }

  /** The JDBC URL of the embedded store in {@code file}. */
  static String h2Url(Path file) {
    Objects.requireNonNull(file, "file");
    String path = file.toAbsolutePath().normalize().toString();
    if (path.endsWith(".mv.db")) {
      path = path.substring(0, path.length() - ".mv.db".length());
    }
    return "jdbc:h2:file:" + path + H2_SETTINGS;
  }

  private void migrate() {
    try {
      Flyway.configure(JdbcFeedbackStore.class.getClassLoader())
          .dataSource(url, user, password)
          .locations("classpath:io/github/cdsengine/governance/db/migration")
          .table("cds_schema_history")
          .failOnMissingLocations(true)
          .cleanDisabled(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw failure("cannot migrate the feedback store's schema at " + redacted(url)
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean append(FeedbackEvent event) {
    Objects.requireNonNull(event, "event");
    Connection connection = borrow();
    try (PreparedStatement insert = connection.prepareStatement(postgres
        ? INSERT + " ON CONFLICT ON CONSTRAINT feedback_event_identity DO NOTHING" : INSERT)) {
      bind(insert, event);
      boolean stored = insert.executeUpdate() == 1;
      written(connection, stored ? 1 : 0);
      return stored;
    } catch (SQLException e) {
      if (!postgres && DUPLICATE_KEY.equals(e.getSQLState())) {
        return false;
      }
      connection = checked(connection);
      throw failure("cannot store feedback on card " + event.cardUuid() + " at "
          + redacted(url), e);
    } finally {
      release(connection);
    }
  }

  @Override
  public List<FeedbackEvent> between(Instant from, Instant to) {
    return events(SELECT, from, to, "feedback");
  }

  @Override
  public List<FeedbackEvent> feedbackWithoutShowing(Instant from, Instant to) {
    return events(WITHOUT_SHOWING, from, to, "feedback without a recorded showing");
  }

  private List<FeedbackEvent> events(String sql, Instant from, Instant to, String what) {
    period(from, to);
    return query(sql, what + " from " + from + " to " + to, rows -> event(rows, 1),
        OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to,
            ZoneOffset.UTC));
  }

  @Override
  public int appendAll(Collection<FeedbackEvent> events) {
    return inOneTransaction(INSERT_IF_NEW, events, JdbcFeedbackStore::bind, "feedback events");
  }

  @Override
  public int recordShown(Collection<ShownCard> cards) {
    return inOneTransaction(INSERT_SHOWN, cards, JdbcFeedbackStore::bindShown, "shown cards");
  }

  @Override
  public void showings(Instant from, Instant to, Consumer<Showing> sink) {
    period(from, to);
    Objects.requireNonNull(sink, "sink");
    Connection connection = borrow();
    try {
      // PostgreSQL streams rows by the fetch size only inside a transaction.
      connection.setAutoCommit(false);
      try (PreparedStatement select = connection.prepareStatement(SHOWINGS)) {
        select.setObject(1, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        select.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        select.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        select.setFetchSize(READ_AHEAD);
        try (ResultSet rows = select.executeQuery()) {
          ShownCard card = null;
          List<FeedbackEvent> feedback = new ArrayList<>();
          while (rows.next()) {
            String uuid = rows.getString(1);
            if (card != null && !card.cardUuid().equals(uuid)) {
              sink.accept(new Showing(card, feedback));
              feedback = new ArrayList<>();
              card = null;
            }
            if (card == null) {
              card = shown(rows);
            }
            if (rows.getString(8) != null) {
              feedback.add(event(rows, 8));
            }
          }
          if (card != null) {
            sink.accept(new Showing(card, feedback));
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly(connection);
      connection = checked(connection);
      throw failure("cannot read the cards shown from " + from + " to " + to + " at "
          + redacted(url), e);
    } finally {
      autoCommit(connection);
      release(connection);
    }
  }

  /** Binds one item to a statement. */
  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement statement, T item) throws SQLException;
  }

  /** Runs {@code sql} for each item in one transaction; the number of rows it inserted. */
  private <T> int inOneTransaction(String sql, Collection<T> items, Binder<T> binder,
      String what) {
    Objects.requireNonNull(items, "items");
    for (T item : items) {
      Objects.requireNonNull(item, "an element of " + what);
    }
    Connection connection = borrow();
    try {
      if (items.isEmpty()) {
        return 0;
      }
      connection.setAutoCommit(false);
      int stored = 0;
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        int pending = 0;
        for (T item : items) {
          binder.bind(insert, item);
          insert.addBatch();
          if (++pending == BATCH) {
            stored += inserted(insert.executeBatch());
            pending = 0;
          }
        }
        if (pending > 0) {
          stored += inserted(insert.executeBatch());
        }
      }
      connection.commit();
      written(connection, stored);
      return stored;
    } catch (SQLException e) {
      rollbackQuietly(connection);
      connection = checked(connection);
      throw failure("cannot store " + items.size() + " " + what + " at " + redacted(url)
          + "; none of them was stored", e);
    } finally {
      autoCommit(connection);
      release(connection);
    }
  }

  /** The rows a batch inserted: each statement inserts one row or none (already there). */
  private static int inserted(int[] counts) {
    int rows = 0;
    for (int count : counts) {
      rows += count > 0 ? count : 0;
    }
    return rows;
  }

  private static void period(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the period ends before it begins: " + from + " to "
          + to);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      LOG.warn("rolling back a feedback store transaction failed: SQLSTATE {}",
          e.getSQLState());
    }
  }

  /** Back to auto-commit, as the pool's connections are; a broken one is found on next use. */
  private static void autoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("restoring auto-commit on a feedback store connection failed: SQLSTATE {}",
          e.getSQLState());
    }
  }

  @Override
  public boolean snooze(String patientHash, String userHash, Snooze snooze) {
    FeedbackEvent.hash(patientHash, "patientHash");
    FeedbackEvent.hash(userHash, "userHash");
    Objects.requireNonNull(snooze, "snooze");
    recommendationId(snooze.recommendationId());
    OffsetDateTime from = time(snooze.from());
    OffsetDateTime until = time(snooze.until());
    if (!until.isAfter(from)) {
      // Shorter than a microsecond: nothing to keep.
      throw new IllegalArgumentException("a snooze of " + snooze.recommendationId()
          + " lasts at least a microsecond: from " + snooze.from() + " until " + snooze.until());
    }
    return insert(postgres ? INSERT_SNOOZE + " ON CONFLICT ON CONSTRAINT snooze_identity "
        + "DO NOTHING" : INSERT_SNOOZE, "cannot store a snooze", patientHash,
        snooze.recommendationId(), from, until, userHash);
  }

  @Override
  public boolean acknowledge(String patientHash, String userHash,
      Acknowledgement acknowledgement) {
    FeedbackEvent.hash(patientHash, "patientHash");
    FeedbackEvent.hash(userHash, "userHash");
    Objects.requireNonNull(acknowledgement, "acknowledgement");
    recommendationId(acknowledgement.recommendationId());
    return insert(postgres ? INSERT_ACKNOWLEDGEMENT + " ON CONFLICT ON CONSTRAINT "
        + "acknowledgement_identity DO NOTHING" : INSERT_ACKNOWLEDGEMENT,
        "cannot store an acknowledgement", patientHash, acknowledgement.recommendationId(),
        time(acknowledgement.at()), userHash);
  }

  @Override
  public List<Snooze> activeSnoozes(String patientHash, Instant at) {
    FeedbackEvent.hash(patientHash, "patientHash");
    OffsetDateTime instant = time(Objects.requireNonNull(at, "at"));
    return query(SELECT_SNOOZES, "a patient's snoozes", rows -> new Snooze(rows.getString(1),
        rows.getObject(2, OffsetDateTime.class).toInstant(),
        rows.getObject(3, OffsetDateTime.class).toInstant()), patientHash, instant, instant);
  }

  @Override
  public List<Acknowledgement> latestAcknowledgements(String patientHash, Instant at) {
    FeedbackEvent.hash(patientHash, "patientHash");
    OffsetDateTime instant = time(Objects.requireNonNull(at, "at"));
    return query(SELECT_ACKNOWLEDGEMENTS, "a patient's acknowledgements",
        rows -> new Acknowledgement(rows.getString(1),
            rows.getObject(2, OffsetDateTime.class).toInstant()), patientHash, instant);
  }

  @Override
  public Optional<ShownCard> shownCard(String cardUuid) {
    Objects.requireNonNull(cardUuid, "cardUuid");
    // The unique constraint shown_card_identity: one row at most.
    return query(SELECT_SHOWN, "a shown card", JdbcFeedbackStore::shown, cardUuid).stream()
        .findFirst();
  }

  /** Reads one row of a result into an object. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rows) throws SQLException;
  }

  /**
   * Runs the query {@code sql} with {@code parameters} on a connection of the pool; every row
   * through {@code mapper}, in the query's order.
   */
  private <T> List<T> query(String sql, String what, RowMapper<T> mapper,
      Object... parameters) {
    Connection connection = borrow();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      select.setFetchSize(READ_AHEAD);
      List<T> found = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(mapper.map(rows));
        }
      }
      return found;
    } catch (SQLException e) {
      connection = checked(connection);
      throw failure("cannot read " + what + " at " + redacted(url), e);
    } finally {
      release(connection);
    }
  }

  /** Runs one insert that a unique constraint may refuse: {@code false} when it did. */
  private boolean insert(String sql, String what, Object... values) {
    Connection connection = borrow();
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        insert.setObject(i + 1, values[i]);
      }
      boolean stored = insert.executeUpdate() == 1;
      written(connection, stored ? 1 : 0);
      return stored;
    } catch (SQLException e) {
      if (!postgres && DUPLICATE_KEY.equals(e.getSQLState())) {
        return false;
      }
      connection = checked(connection);
      throw failure(what + " at " + redacted(url), e);
    } finally {
      release(connection);
    }
  }

  /**
   * Counts rows committed on {@code connection}; on an embedded H2 file, compacts the file each
   * time the count passes a multiple of {@link #H2_COMPACT_EVERY}. The rows are committed
   * before: a compaction that fails or is cut short loses none of them, and is only logged.
   */
  private void written(Connection connection, int rows) {
    if (!h2 || rows <= 0) {
      return;
    }
    long before = writtenSinceCompaction.getAndAdd(rows);
    if (before / H2_COMPACT_EVERY != (before + rows) / H2_COMPACT_EVERY) {
      compactH2(connection);
    }
  }

  /** Compacts the embedded H2 file behind {@code connection}; nothing for another H2. */
  private static void compactH2(Connection connection) {
    try {
      if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
        Store store = local.getDatabase().getStore();
        if (store != null && store.getMvStore().getFileStore() != null) {
          store.compactFile(H2_COMPACT_MILLIS);
        }
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("compacting the embedded feedback store's file failed ({}); the file grows "
          + "until the next compaction", e.getClass().getSimpleName());
    }
  }

  /** An instant as the database keeps it: UTC, to the microsecond (a finer part dropped). */
  private static OffsetDateTime time(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static void recommendationId(String id) {
    if (id.length() > FeedbackEvent.MAX_ID_LENGTH) {
      throw new IllegalArgumentException("a recommendation id has at most "
          + FeedbackEvent.MAX_ID_LENGTH + " characters, not " + id.length() + ": '" + id + "'");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Connection connection;
    while ((connection = pool.poll()) != null) {
      closeQuietly(connection);
    }
  }

  private static void bind(PreparedStatement insert, FeedbackEvent event) throws SQLException {
    insert.setString(1, event.cardUuid());
    insert.setString(2, event.serviceId());
    insert.setString(3, event.recommendationId());
    insert.setString(4, event.ruleSet());
    insert.setString(5, event.outcome().name());
    OverrideReason reason = event.overrideReason();
    insert.setString(6, reason == null ? null : reason.system());
    insert.setString(7, reason == null ? null : reason.code());
    insert.setObject(8, OffsetDateTime.ofInstant(event.outcomeTime(), ZoneOffset.UTC));
    insert.setString(9, event.patientHash());
    insert.setString(10, event.userHash());
  }

  private static void bindShown(PreparedStatement insert, ShownCard card) throws SQLException {
    insert.setString(1, card.cardUuid());
    insert.setString(2, card.serviceId());
    insert.setString(3, card.recommendationId());
    insert.setString(4, card.ruleSet());
    insert.setObject(5, OffsetDateTime.ofInstant(card.shownTime(), ZoneOffset.UTC));
    insert.setString(6, card.patientHash());
    insert.setString(7, card.userHash());
  }

  /** The shown card in the first seven columns, in the order of {@code SHOWN_COLUMNS}. */
  private static ShownCard shown(ResultSet rows) throws SQLException {
    return new ShownCard(new CardIdentity(rows.getString(1), rows.getString(2),
        rows.getString(3), rows.getString(4)),
        rows.getObject(5, OffsetDateTime.class).toInstant(), rows.getString(6),
        rows.getString(7));
  }

  /** The event in the ten columns from {@code first} on, in the order of {@code COLUMNS}. */
  private static FeedbackEvent event(ResultSet rows, int first) throws SQLException {
    int at = first - 1;
    String code = rows.getString(at + 7);
    return new FeedbackEvent(rows.getString(at + 1), rows.getString(at + 2),
        rows.getString(at + 3), rows.getString(at + 4), Outcome.valueOf(rows.getString(at + 5)),
        code == null ? null : new OverrideReason(rows.getString(at + 6), code),
        rows.getObject(at + 8, OffsetDateTime.class).toInstant(), rows.getString(at + 9),
        rows.getString(at + 10));
  }

  private Connection connect() {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    try {
      Connection connection = DriverManager.getConnection(url, properties);
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException e) {
      String why = switch (String.valueOf(e.getSQLState())) {
        case "28000", "28P01" -> "the database refused the user or password (SQLSTATE "
            + e.getSQLState() + "); check the credentials in the URL or given with it";
        case "08001", "08004", "08006" -> "the database cannot be reached (SQLSTATE "
            + e.getSQLState() + "); check the host, port and that the server is running";
        case "90020" -> "the file is open in another process (SQLSTATE 90020); stop it or "
            + "give another file";
        default -> e.getMessage();
      };
      throw failure("cannot open the feedback store at " + redacted(url) + ": " + why, e);
    }
  }

  private Connection borrow() {
    if (closed.get()) {
      throw new IllegalStateException("the feedback store is closed");
    }
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a feedback store connection", e);
    }
  }

  private void release(Connection connection) {
    if (closed.get()) {
      closeQuietly(connection);
    } else {
      pool.add(connection);
    }
  }

  /** The connection, or a new one when it is broken (a database restarted, a network cut). */
  private Connection checked(Connection connection) {
    try {
      if (connection.isValid(2)) {
        return connection;
      }
    } catch (SQLException e) {
      // Broken: replaced below.
    }
    try {
      Connection fresh = connect();
      closeQuietly(connection);
      return fresh;
    } catch (FeedbackStoreException e) {
      // The next caller tries again.
      return connection;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing a feedback store connection failed: SQLSTATE {}", e.getSQLState());
    }
  }

  private static FeedbackStoreException failure(String message, Throwable cause) {
    return new FeedbackStoreException(message, cause);
  }

  /** The URL without its password, for messages and logs. */
  static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
