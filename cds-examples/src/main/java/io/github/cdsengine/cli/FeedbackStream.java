package io.github.cdsengine.cli;

import io.github.cdsengine.core.AuditRecord;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.Coding;
import io.github.cdsengine.governance.CardIdentity;
import io.github.cdsengine.governance.FeedbackEvent;
import io.github.cdsengine.governance.FeedbackEvent.Outcome;
import io.github.cdsengine.governance.FeedbackEvent.OverrideReason;
import io.github.cdsengine.governance.ShownCard;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A made-up but realistic stream of cards shown and clinicians' responses, for demos and tests
 * of the override report: the same seed, count and start always give the same stream, and
 * nothing reads the clock.
 *
 * <p>What it makes: {@code showings} cards over {@code weeks} weeks from {@code start}, mostly
 * on weekdays in clinic hours (weekday, in UTC, weights Monday to Sunday 1, 1, 1, 1, 0.9, 0.25,
 * 0.15; 7 h to 18 h 59 after the start of each day counted from {@code start}, so from 07:00 to
 * 18:59 when it is a midnight), from {@link #PROFILES}: twelve recommendations of four rule sets,
 * each with its own share of the showings and chance of being overridden, three of them
 * overridden most of the time and one whose override chance climbs week by week (alert
 * fatigue). A card gets a response with probability {@link #RESPONSE_RATE}, 5 s to 20 min after
 * it was shown; an override carries one of the {@linkplain CardMapper#DEFAULT_OVERRIDE_REASONS
 * default override reasons} by the recommendation's own weights, or none ({@link
 * #NO_REASON_RATE}); {@link #CHANGED_MIND_RATE} of responses follow an earlier, opposite one
 * (the report counts the last). {@link #LOST_SHOWING_RATE} of cards are left out of the shown
 * cards while their feedback is kept, as a service that lost those records would leave them.
 * Patients and users are drawn from pools and kept only as keyed hashes under a key made from
 * the seed: demo data, never a real patient.
 */
final class FeedbackStream {

  /** The chance that a clinician responds to a card at all. */
  static final double RESPONSE_RATE = 0.9;
  /** The chance that an override carries no reason. */
  static final double NO_REASON_RATE = 0.08;
  /** The chance that a response follows an earlier, opposite response on the same card. */
  static final double CHANGED_MIND_RATE = 0.03;
  /** The share of cards whose showing is not recorded (their feedback is). */
  static final double LOST_SHOWING_RATE = 0.005;
  /** Weeks the stream spans unless told otherwise. */
  static final int DEFAULT_WEEKS = 12;
  private static final double[] WEEKDAY_WEIGHTS = {1, 1, 1, 1, 0.9, 0.25, 0.15};
  private static final String SERVICE_PREFIX = "demo-";

  /**
   * One recommendation as the stream shows it.
   *
   * @param ruleSet the rule set that shows it
   * @param recommendationId the recommendation
   * @param weight its share of the showings, relative to the others
   * @param overrideFirstWeek the chance, given a response, that it is overridden in week 1
   * @param overrideLastWeek the same in the last week (linear in between)
   * @param reasonWeights weights of the four default override reasons, in their order
   */
  record Profile(String ruleSet, String recommendationId, double weight,
      double overrideFirstWeek, double overrideLastWeek, double... reasonWeights) {}

  /** The recommendations shown: three overridden most of the time, one drifting up. */
  static final List<Profile> PROFILES = List.of(
      new Profile("cdc-opioids-2016@1.0.0", "cdc-opioids-2016-rec-04", 4, 0.95, 0.95,
          1, 2, 1, 6),
      new Profile("cdc-opioids-2016@1.0.0", "cdc-opioids-2016-rec-05-consider-tapering", 6,
          0.62, 0.62, 2, 2, 3, 3),
      new Profile("cdc-opioids-2016@1.0.0", "cdc-opioids-2016-rec-08", 5, 0.55, 0.55,
          1, 4, 3, 2),
      new Profile("cdc-opioids-2016@1.0.0", "cdc-opioids-2016-rec-10", 3, 0.97, 0.97,
          6, 2, 1, 1),
      new Profile("cdc-opioids-2016@1.0.0", "cdc-opioids-2016-rec-11", 4, 0.35, 0.35,
          1, 1, 1, 5),
      new Profile("uspstf-colorectal-cancer-screening@1.3.0", "uspstf-crc-screening", 14,
          0.30, 0.30, 1, 6, 3, 1),
      new Profile("uspstf-colorectal-cancer-screening@1.3.0", "uspstf-crc-screening-selective",
          5, 0.72, 0.72, 3, 1, 2, 4),
      new Profile("uspstf-colorectal-cancer-screening@1.3.0",
          "uspstf-crc-follow-up-colonoscopy", 2, 0.20, 0.20, 1, 5, 2, 1),
      new Profile("cms130-colorectal-cancer-screening@1.0.0",
          "cms130-colorectal-cancer-screening", 12, 0.45, 0.45, 1, 7, 2, 1),
      new Profile("cms125-breast-cancer-screening@1.0.0", "cms125-breast-cancer-screening", 10,
          0.40, 0.40, 1, 6, 3, 1),
      new Profile("cms165-controlling-high-blood-pressure@1.0.0",
          "cms165-controlling-high-blood-pressure", 16, 0.70, 0.99, 2, 2, 1, 6),
      new Profile("cms122-diabetes-glycemic-status-assessment-greater-than-9-percent@1.0.0",
          "cms122-glycemic-status-assessment", 9, 0.50, 0.50, 2, 5, 2, 1));

  /**
   * A generated stream.
   *
   * @param shown the cards recorded as shown, by shown time
   * @param feedback the feedback events, by outcome time
   * @param lostShowings cards whose showing was left out of {@code shown}
   */
  record Stream(List<ShownCard> shown, List<FeedbackEvent> feedback, int lostShowings) {}

  private FeedbackStream() {}

  /**
   * Generates a stream.
   *
   * @param seed the seed: the same seed, the same stream
   * @param showings how many cards are shown (including those whose showing is lost)
   * @param start the first instant of the first week
   * @param weeks how many weeks the showings span
   * @throws IllegalArgumentException quoting a count or span that is not positive
   */
  static Stream generate(long seed, int showings, Instant start, int weeks) {
    Objects.requireNonNull(start, "start");
    if (showings < 0) {
      throw new IllegalArgumentException("the number of showings must be 0 or more: "
          + showings);
    }
    if (weeks < 1) {
      throw new IllegalArgumentException("the stream spans at least one week: " + weeks);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] key = key(seed);
    String[] patients = pool("patient", Math.max(500, showings / 20), key);
    String[] users = pool("user", 250, key);
    List<Coding> reasons = CardMapper.DEFAULT_OVERRIDE_REASONS;
    double[] profileWeights = PROFILES.stream().mapToDouble(Profile::weight).toArray();
    double[] dayWeights = new double[weeks * 7];
    Instant firstDay = start.truncatedTo(ChronoUnit.MICROS);
    for (int day = 0; day < dayWeights.length; day++) {
      DayOfWeek weekday = firstDay.plus(day, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC)
          .getDayOfWeek();
      dayWeights[day] = WEEKDAY_WEIGHTS[weekday.getValue() - 1];
    }

    long[] times = new long[showings];
    for (int i = 0; i < showings; i++) {
      int day = pick(random, dayWeights);
      long micros = (7 * 3600L + random.nextLong(12 * 3600L)) * 1_000_000L
          + random.nextLong(1_000_000L);
      times[i] = ChronoUnit.MICROS.between(Instant.EPOCH, firstDay.plus(day, ChronoUnit.DAYS))
          + micros;
    }
    Arrays.sort(times);

    List<ShownCard> shown = new ArrayList<>(showings);
    List<FeedbackEvent> feedback = new ArrayList<>(showings);
    int lost = 0;
    for (int i = 0; i < showings; i++) {
      Instant at = Instant.EPOCH.plus(times[i], ChronoUnit.MICROS);
      Profile profile = PROFILES.get(pick(random, profileWeights));
      String card = UUID.nameUUIDFromBytes(("cds feedback generate " + seed + " " + i)
          .getBytes(StandardCharsets.UTF_8)).toString();
      String service = SERVICE_PREFIX + profile.ruleSet().substring(0,
          profile.ruleSet().indexOf('@'));
      String patient = patients[random.nextInt(patients.length)];
      String user = users[random.nextInt(users.length)];
      if (random.nextDouble() < LOST_SHOWING_RATE) {
        lost++;
      } else {
        shown.add(new ShownCard(new CardIdentity(card, service, profile.recommendationId(),
            profile.ruleSet()), at, patient, user));
      }
      if (random.nextDouble() >= RESPONSE_RATE) {
        continue;
      }
      long week = ChronoUnit.DAYS.between(firstDay, at) / 7;
      double drift = weeks == 1 ? 0 : (double) week / (weeks - 1);
      double override = profile.overrideFirstWeek()
          + (profile.overrideLastWeek() - profile.overrideFirstWeek()) * drift;
      Outcome outcome = random.nextDouble() < override ? Outcome.OVERRIDDEN : Outcome.ACCEPTED;
      Instant responded = at.plus(5_000_000L + random.nextLong(1_195_000_000L),
          ChronoUnit.MICROS);
      Card shownCard = new Card(card, service, profile, patient, user);
      if (random.nextDouble() < CHANGED_MIND_RATE) {
        Outcome earlier = outcome == Outcome.ACCEPTED ? Outcome.OVERRIDDEN : Outcome.ACCEPTED;
        feedback.add(event(shownCard, earlier, reason(random, earlier, profile, reasons),
            responded));
        responded = responded.plus(1 + random.nextLong(600), ChronoUnit.SECONDS);
      }
      feedback.add(event(shownCard, outcome, reason(random, outcome, profile, reasons),
          responded));
    }
    feedback.sort((a, b) -> a.outcomeTime().compareTo(b.outcomeTime()));
    return new Stream(List.copyOf(shown), List.copyOf(feedback), lost);
  }

  /** A card shown: what each response to it repeats. */
  private record Card(String uuid, String service, Profile profile, String patient,
      String user) {}

  private static FeedbackEvent event(Card card, Outcome outcome, OverrideReason reason,
      Instant at) {
    return new FeedbackEvent(card.uuid(), card.service(), card.profile().recommendationId(),
        card.profile().ruleSet(), outcome, reason, at, card.patient(), card.user());
  }

  private static OverrideReason reason(SplittableRandom random, Outcome outcome,
      Profile profile, List<Coding> reasons) {
    if (outcome == Outcome.ACCEPTED || random.nextDouble() < NO_REASON_RATE) {
      return null;
    }
    Coding coding = reasons.get(pick(random, profile.reasonWeights()));
    return new OverrideReason(coding.system(), coding.code());
  }

  /** An index drawn with probability proportional to its weight. */
  private static int pick(SplittableRandom random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** The demo key: made from the seed, so a stream's hashes are the same on every run. */
  static byte[] key(long seed) {
    return Arrays.copyOf(("cds feedback generate " + seed).getBytes(StandardCharsets.UTF_8),
        Math.max(AuditRecord.MIN_KEY_BYTES, 64));
  }

  private static String[] pool(String kind, int size, byte[] key) {
    String[] hashes = new String[size];
    for (int i = 0; i < size; i++) {
      hashes[i] = AuditRecord.patientHash("demo-" + kind + "-" + i, key);
    }
    return hashes;
  }
}
