package io.github.cdsengine.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store's behaviour, the same on every database: {@link H2FeedbackStoreTest} and {@link
 * PostgresFeedbackStoreTest} run it.
 */
abstract class FeedbackStoreContract {

  static final Instant EVER_FROM = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant EVER_TO = Instant.parse("2100-01-01T00:00:00Z");

  /** Where a fresh, empty store is: a JDBC URL with credentials, or a file. */
  abstract String location();

  /** The JDBC URL of {@link #location()}, for reading the schema history. */
  abstract String jdbcUrl();

  /** The store's JDBC URL, user and a wrong password, for {@link FeedbackStore#jdbc}. */
  abstract String[] wrongCredentials();

  /** After the writer process is killed: what else a crash does (PostgreSQL: the server too). */
  void afterWriterKilled() throws Exception {}

  FeedbackStore open() {
    return FeedbackStore.open(location());
  }

  @Test
  void keepsEveryFieldOfAnEvent() {
    FeedbackEvent overridden = new FeedbackEvent("5b8b1c2e-0d5f-3c6a-9d64-1f0e8f1f6a01",
        "cdc-opioids-2016-order-sign", "cdc-opioids-2016-rec-08",
        "cdc-opioids-2016@1.0.0,cdc-opioids-2016:opiate-urine-screening-check=false",
        Outcome.OVERRIDDEN, new OverrideReason("http://example.org/cds/override-reason",
            "patient-declined"),
        Instant.parse("2026-12-07T14:03:00.123456Z"), Events.event(1).patientHash(),
        Events.event(2).userHash());
    FeedbackEvent noSystem = new FeedbackEvent("card-2", "s", "r", "rs", Outcome.OVERRIDDEN,
        new OverrideReason(null, "snooze-30d"), Instant.parse("2026-12-07T14:04:00Z"),
        Events.event(3).patientHash(), Events.event(4).userHash());
    FeedbackEvent accepted = new FeedbackEvent("card-3", "s", "r", "rs", Outcome.ACCEPTED, null,
        Instant.parse("2026-12-07T14:05:00.000001Z"), Events.event(5).patientHash(),
        Events.event(6).userHash());
    try (FeedbackStore store = open()) {
      assertThat(store.append(overridden)).isTrue();
      assertThat(store.append(noSystem)).isTrue();
      assertThat(store.append(accepted)).isTrue();
      assertThat(store.between(EVER_FROM, EVER_TO))
          .containsExactly(overridden, noSystem, accepted);
    }
  }

  @Test
  void readsAPeriodFromItsFirstInstantToBeforeItsLast() {
    try (FeedbackStore store = open()) {
      for (int i = 0; i < 10; i++) {
        store.append(Events.event(i));
      }
      // Event i is at START + i seconds (+ i microseconds).
      List<FeedbackEvent> period = store.between(Events.event(3).outcomeTime(),
          Events.event(6).outcomeTime());
      assertThat(period).containsExactly(Events.event(3), Events.event(4), Events.event(5));
      assertThatThrownBy(() -> store.between(EVER_TO, EVER_FROM))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends before");
    }
  }

  @Test
  void storesTheSameEventOnce() {
    try (FeedbackStore store = open()) {
      assertThat(store.append(Events.event(1))).isTrue();
      assertThat(store.append(Events.event(1))).isFalse();
      // Sent again with another reason: still the same user's same outcome at the same instant.
      FeedbackEvent first = Events.event(3);
      FeedbackEvent again = new FeedbackEvent(first.cardUuid(), first.serviceId(),
          first.recommendationId(), first.ruleSet(), first.outcome(),
          new OverrideReason(null, "other"), first.outcomeTime(), first.patientHash(),
          first.userHash());
      assertThat(store.append(first)).isTrue();
      assertThat(store.append(again)).isFalse();
      // Another outcome time, or another user: another event.
      FeedbackEvent later = new FeedbackEvent(first.cardUuid(), first.serviceId(),
          first.recommendationId(), first.ruleSet(), first.outcome(), first.overrideReason(),
          first.outcomeTime().plusNanos(1000), first.patientHash(), first.userHash());
      assertThat(store.append(later)).isTrue();
      assertThat(store.between(EVER_FROM, EVER_TO)).containsExactly(Events.event(1), first,
          later);
    }
  }

  /**
   * 8 threads × 10,000 appends; every tenth append of each thread is one of 1,000 events all
   * threads send, so 73,000 events: each stored once, and {@code true} returned once for each.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void eightConcurrentWritersLoseNothingAndDuplicateNothing() throws Exception {
    int threads = 8;
    int perThread = 10_000;
    AtomicInteger stored = new AtomicInteger();
    try (FeedbackStore store = open()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit((Callable<Void>) () -> {
          for (int i = 0; i < perThread; i++) {
            int n = i % 10 == 0 ? i / 10 : 1_000 + thread * perThread + i;
            if (store.append(Events.event(n))) {
              stored.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      Set<FeedbackEvent> expected = new HashSet<>();
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          expected.add(Events.event(i % 10 == 0 ? i / 10 : 1_000 + t * perThread + i));
        }
      }
      assertThat(expected).hasSize(73_000);
      List<FeedbackEvent> kept = store.between(EVER_FROM, EVER_TO);
      assertThat(stored.get()).isEqualTo(73_000);
      assertThat(kept).hasSize(73_000);
      assertThat(new HashSet<>(kept)).isEqualTo(expected);
    }
  }

  /**
   * A process appends, and is killed (no shutdown, no close) right after its last append
   * returned: every event is there when the store is opened again.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void eventsAppendedBeforeACrashAreKept() throws Exception {
    int n = 500;
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        AppendAndWait.class.getName(), location(), Integer.toString(n))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("appended " + n));
      assertThat(line).as("the writer's last line").isEqualTo("appended " + n);
    } finally {
      writer.destroyForcibly();
      writer.waitFor(1, TimeUnit.MINUTES);
    }
    afterWriterKilled();
    try (FeedbackStore store = open()) {
      List<FeedbackEvent> kept = store.between(EVER_FROM, EVER_TO);
      assertThat(kept).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(kept.get(i)).isEqualTo(Events.event(i));
      }
    }
  }

  @Test
  void migratesOnceToAVersionedSchema() throws Exception {
    open().close();
    try (FeedbackStore store = open()) {
      store.append(Events.event(1));
    }
    open().close();
    try (Connection db = DriverManager.getConnection(jdbcUrl());
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT \"version\", \"script\", \"success\" "
            + "FROM cds_schema_history WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      List<String> history = new ArrayList<>();
      while (rows.next()) {
        history.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getBoolean(3));
      }
      assertThat(history).containsExactly("1 V1__feedback_events.sql true",
          "2 V2__snoozes_and_acknowledgements.sql true", "3 V3__shown_cards.sql true",
          "4 V4__shown_card_user.sql true");
    }
    try (FeedbackStore store = open()) {
      assertThat(store.between(EVER_FROM, EVER_TO)).containsExactly(Events.event(1));
    }
  }

  /** Card {@code n} of {@link Events#event(int)}, shown a minute before its feedback. */
  static ShownCard shown(int n) {
    FeedbackEvent event = Events.event(n);
    return new ShownCard(new CardIdentity(event.cardUuid(), event.serviceId(),
        event.recommendationId(), event.ruleSet()), event.outcomeTime().minusSeconds(60),
        event.patientHash(), event.userHash());
  }

  @Test
  void recordsEachShownCardOnce() {
    try (FeedbackStore store = open()) {
      assertThat(store.recordShown(List.of(shown(1), shown(2), shown(1)))).isEqualTo(2);
      // The same card again, even with another time: already recorded, left as it was.
      ShownCard again = new ShownCard(new CardIdentity(shown(2).cardUuid(), "s", "r", "rs"),
          EVER_FROM.plusSeconds(1), shown(2).patientHash(), null);
      assertThat(store.recordShown(List.of(again, shown(3)))).isEqualTo(1);
      assertThat(store.recordShown(List.of())).isZero();
      List<ShownCard> cards = new ArrayList<>();
      store.showings(EVER_FROM, EVER_TO, showing -> cards.add(showing.card()));
      assertThat(cards).containsExactly(shown(1), shown(2), shown(3));
    }
  }

  /**
   * What feedback on a card needs, read back by the card's uuid alone: after a restart (a new
   * store on the same database) as well.
   */
  @Test
  void answersForAShownCardByItsUuidAfterARestart() {
    ShownCard card = shown(21);
    try (FeedbackStore store = open()) {
      store.recordShown(List.of(shown(20), card, shown(22)));
      assertThat(store.shownCard(card.cardUuid())).contains(card);
      assertThat(store.shownCard("card-never-shown")).isEmpty();
    }
    try (FeedbackStore store = open()) {
      ShownCard found = store.shownCard(card.cardUuid()).orElseThrow();
      assertThat(found).isEqualTo(card);
      assertThat(found.identity()).isEqualTo(new CardIdentity("card-21", "service-1",
          "recommendation-0", "uspstf-colorectal-cancer-screening@1.1.0"));
      assertThat(found.userHash()).isEqualTo(Events.event(21).userHash());
      assertThat(found.shownTime()).isEqualTo(Events.event(21).outcomeTime().minusSeconds(60));
      assertThatThrownBy(() -> store.shownCard(null)).isInstanceOf(NullPointerException.class);
    }
  }

  /**
   * A card recorded before version 4 of the schema has no user: migrated, it is read back with
   * none, and a card recorded after the migration with its user.
   */
  @Test
  void aCardRecordedBeforeTheStoreKeptUsersHasNone() throws Exception {
    org.flywaydb.core.Flyway.configure(getClass().getClassLoader())
        .dataSource(jdbcUrl(), null, null)
        .locations("classpath:io/github/cdsengine/governance/db/migration")
        .table("cds_schema_history").target("3").load().migrate();
    ShownCard old = shown(30);
    try (Connection db = DriverManager.getConnection(jdbcUrl());
        java.sql.PreparedStatement insert = db.prepareStatement("INSERT INTO shown_card "
            + "(card_uuid, service_id, recommendation_id, rule_set, shown_time, patient_hash) "
            + "VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, old.cardUuid());
      insert.setString(2, old.serviceId());
      insert.setString(3, old.recommendationId());
      insert.setString(4, old.ruleSet());
      insert.setObject(5, java.time.OffsetDateTime.ofInstant(old.shownTime(),
          java.time.ZoneOffset.UTC));
      insert.setString(6, old.patientHash());
      assertThat(insert.executeUpdate()).isEqualTo(1);
    }
    try (FeedbackStore store = open()) {
      assertThat(store.shownCard(old.cardUuid())).contains(new ShownCard(old.identity(),
          old.shownTime(), old.patientHash(), null));
      store.recordShown(List.of(shown(31)));
      assertThat(store.shownCard(shown(31).cardUuid())).contains(shown(31));
    }
  }

  @Test
  void readsEachShowingOfAPeriodWithTheFeedbackBeforeItsEnd() {
    try (FeedbackStore store = open()) {
      // Cards 10..14 shown at START + n s - 60 s; feedback at START + n s (+ n microseconds).
      store.recordShown(List.of(shown(10), shown(11), shown(12), shown(13), shown(14)));
      FeedbackEvent first = Events.event(11);
      FeedbackEvent accepted = new FeedbackEvent(first.cardUuid(), first.serviceId(),
          first.recommendationId(), first.ruleSet(), Outcome.ACCEPTED, null,
          first.outcomeTime().minusSeconds(30), first.patientHash(), first.userHash());
      FeedbackEvent lateForCard13 = new FeedbackEvent(Events.event(13).cardUuid(), "s", "r",
          "rs", Outcome.OVERRIDDEN, null, Events.event(13).outcomeTime().plusSeconds(3600),
          first.patientHash(), first.userHash());
      assertThat(store.appendAll(List.of(Events.event(11), accepted, Events.event(12),
          Events.event(13), lateForCard13, Events.event(11)))).isEqualTo(5);

      // From card 11's showing (included) to card 13's feedback (left out): cards 11 to 14,
      // each with its feedback before the end.
      Instant from = shown(11).shownTime();
      Instant to = Events.event(13).outcomeTime();
      List<Showing> showings = new ArrayList<>();
      store.showings(from, to, showings::add);
      assertThat(showings).extracting(Showing::card)
          .containsExactly(shown(11), shown(12), shown(13), shown(14));
      // Card 11: accepted, then (30 s later) the event's own outcome; the last one counts.
      assertThat(showings.get(0).feedback()).containsExactly(accepted, Events.event(11));
      assertThat(showings.get(0).outcome()).contains(Events.event(11));
      assertThat(showings.get(1).feedback()).containsExactly(Events.event(12));
      // Card 13's feedback is at the period's end, and later: neither counted.
      assertThat(showings.get(2).feedback()).isEmpty();
      assertThat(showings.get(2).outcome()).isEmpty();
      assertThat(showings.get(3).feedback()).isEmpty();
      // Card 11's showing is the first instant: a period that ends there has none.
      List<Showing> before = new ArrayList<>();
      store.showings(EVER_FROM, from, before::add);
      assertThat(before).extracting(Showing::card).containsExactly(shown(10));
      assertThatThrownBy(() -> store.showings(to, from, s -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends before");
    }
  }

  @Test
  void setsApartFeedbackOnCardsWithNoRecordedShowing() {
    try (FeedbackStore store = open()) {
      store.recordShown(List.of(shown(1)));
      store.appendAll(List.of(Events.event(1), Events.event(2), Events.event(3)));
      assertThat(store.feedbackWithoutShowing(EVER_FROM, EVER_TO))
          .containsExactly(Events.event(2), Events.event(3));
      assertThat(store.feedbackWithoutShowing(Events.event(3).outcomeTime(), EVER_TO))
          .containsExactly(Events.event(3));
    }
  }

  @Test
  void appendsManyEventsOnceEach() {
    try (FeedbackStore store = open()) {
      store.append(Events.event(0));
      List<FeedbackEvent> events = new ArrayList<>();
      for (int i = 0; i < 2_500; i++) {
        events.add(Events.event(i));
      }
      events.add(Events.event(7));
      // Event 0 was there, event 7 is given twice: 2,499 stored, across three batches.
      assertThat(store.appendAll(events)).isEqualTo(2_499);
      assertThat(store.between(EVER_FROM, EVER_TO)).hasSize(2_500)
          .startsWith(Events.event(0), Events.event(1));
      assertThatThrownBy(() -> store.appendAll(java.util.Arrays.asList(Events.event(1), null)))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void keepsSnoozesAndReadsThoseActiveAtAnInstantUntilTheirEndExactly() {
    String patient = Events.event(1).patientHash();
    String user = Events.event(2).userHash();
    Instant from = Instant.parse("2026-12-07T14:03:00.123456Z");
    Snooze screen = Snooze.of("uspstf-crc-screening", from, Duration.ofDays(30));
    Snooze naloxone = Snooze.of("cdc-opioids-2016-rec-08", from.plusSeconds(60),
        Duration.ofDays(7));
    try (FeedbackStore store = open()) {
      assertThat(store.snooze(patient, user, screen)).isTrue();
      assertThat(store.snooze(patient, user, naloxone)).isTrue();
      // Another patient's snooze is not this patient's.
      assertThat(store.snooze(Events.event(2).patientHash(), user,
          Snooze.of("other", from, Duration.ofDays(90)))).isTrue();
    }
    try (FeedbackStore store = open()) {
      assertThat(store.activeSnoozes(patient, from.minusNanos(1000))).isEmpty();
      assertThat(store.activeSnoozes(patient, from)).containsExactly(screen);
      assertThat(store.activeSnoozes(patient, from.plusSeconds(60)))
          .containsExactly(naloxone, screen);
      assertThat(store.activeSnoozes(patient, naloxone.until())).containsExactly(screen);
      assertThat(store.activeSnoozes(patient, screen.until().minusNanos(1)))
          .containsExactly(screen);
      assertThat(store.activeSnoozes(patient, screen.until())).isEmpty();
      assertThat(store.activeSnoozes(Events.event(3).patientHash(), from)).isEmpty();
    }
  }

  @Test
  void keepsTheSameSnoozeOrAcknowledgementOnce() {
    String patient = Events.event(1).patientHash();
    String user = Events.event(2).userHash();
    Instant at = Instant.parse("2026-12-07T14:03:00Z");
    try (FeedbackStore store = open()) {
      assertThat(store.snooze(patient, user, Snooze.of("r", at, Duration.ofDays(7)))).isTrue();
      assertThat(store.snooze(patient, user, Snooze.of("r", at, Duration.ofDays(7)))).isFalse();
      // Sent again with another period: the same user's snooze from the same instant.
      assertThat(store.snooze(patient, user, Snooze.of("r", at, Duration.ofDays(30)))).isFalse();
      assertThat(store.activeSnoozes(patient, at)).containsExactly(
          Snooze.of("r", at, Duration.ofDays(7)));
      assertThat(store.acknowledge(patient, user, new Acknowledgement("r", at))).isTrue();
      assertThat(store.acknowledge(patient, user, new Acknowledgement("r", at))).isFalse();
      // Another user: another acknowledgement.
      assertThat(store.acknowledge(patient, Events.event(3).userHash(),
          new Acknowledgement("r", at))).isTrue();
    }
  }

  @Test
  void readsTheLatestAcknowledgementOfEachRecommendationNotAfterAnInstant() {
    String patient = Events.event(1).patientHash();
    String user = Events.event(2).userHash();
    Instant t1 = Instant.parse("2026-12-07T08:00:00.000001Z");
    Instant t2 = t1.plus(Duration.ofHours(3));
    Instant t3 = t2.plus(Duration.ofHours(3));
    try (FeedbackStore store = open()) {
      store.acknowledge(patient, user, new Acknowledgement("a", t2));
      store.acknowledge(patient, user, new Acknowledgement("a", t1));
      store.acknowledge(patient, user, new Acknowledgement("a", t3));
      store.acknowledge(patient, user, new Acknowledgement("b", t2));
      store.acknowledge(Events.event(2).patientHash(), user, new Acknowledgement("c", t1));

      assertThat(store.latestAcknowledgements(patient, t1.minusNanos(1000))).isEmpty();
      assertThat(store.latestAcknowledgements(patient, t1))
          .containsExactly(new Acknowledgement("a", t1));
      assertThat(store.latestAcknowledgements(patient, t3.minusNanos(1000)))
          .containsExactly(new Acknowledgement("a", t2), new Acknowledgement("b", t2));
      assertThat(store.latestAcknowledgements(patient, t3))
          .containsExactly(new Acknowledgement("a", t3), new Acknowledgement("b", t2));
    }
  }

  @Test
  void refusesAPatientInClearOrAnIdTooLong() {
    String hash = Events.event(1).patientHash();
    Instant at = Instant.parse("2026-12-07T14:03:00Z");
    try (FeedbackStore store = open()) {
      assertThatIllegalArgumentException().isThrownBy(() -> store.snooze("patient-1", hash,
          Snooze.of("r", at, Duration.ofDays(7)))).withMessageContaining("'patient-1'");
      assertThatIllegalArgumentException().isThrownBy(() -> store.activeSnoozes("patient-1", at))
          .withMessageContaining("patientHash must be a keyed hash");
      assertThatIllegalArgumentException().isThrownBy(() -> store.acknowledge(hash, hash,
          new Acknowledgement("r".repeat(256), at))).withMessageContaining("at most 255");
      assertThatIllegalArgumentException().isThrownBy(() -> store.snooze(hash, hash,
          new Snooze("r", at, at.plusNanos(999)))).withMessageContaining("a microsecond");
      assertThat(store.activeSnoozes(hash, at)).isEmpty();
    }
  }

  @Test
  void saysClearlyWhenThePasswordIsWrong() {
    open().close();
    String[] wrong = wrongCredentials();
    assertThatThrownBy(() -> FeedbackStore.jdbc(wrong[0], wrong[1], wrong[2]))
        .isInstanceOf(FeedbackStoreException.class)
        .hasMessageContaining("cannot open the feedback store at")
        .hasMessageContaining("refused the user or password")
        .hasMessageNotContaining(wrong[2]);
  }

  @Test
  void refusesCallsOnceClosed() {
    FeedbackStore store = open();
    store.close();
    assertThatThrownBy(() -> store.append(Events.event(1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("the feedback store is closed");
  }
}
