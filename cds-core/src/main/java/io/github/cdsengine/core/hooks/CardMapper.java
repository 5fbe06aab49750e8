package io.github.cdsengine.core.hooks;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.evaluation.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an evaluation result into a CDS Hooks 2.0 response: one card per shown recommendation,
 * in ranking order. Withheld recommendations get no card.
 *
 * <p>Each card has:
 *
 * <ul>
 *   <li>{@code uuid}: a name-based (version 3) UUID of the hook instance and the recommendation
 *       id ({@link #cardUuid}), and of the answering service's id too for a mapper {@link
 *       #forService for a service}, so the same request always gives the same card ids, two
 *       services answering one hook with the same recommendation give different ones, and
 *       feedback on a card can be traced to its recommendation;
 *   <li>{@code summary}: the recommendation's title, cut at a word boundary with an ellipsis
 *       when it has 140 characters or more (CDS Hooks asks for fewer than 140: {@link
 *       #summary});
 *   <li>{@code detail}: markdown with the recommendation's detail, its evidence grade and
 *       guideline, the patient facts it rests on (type and id only) and the rule authors' note;
 *   <li>{@code indicator}: the severity ({@code info}, {@code warning}, {@code critical});
 *   <li>{@code source}: the guideline's publisher and address; {@code links}: the guideline;
 *   <li>{@code overrideReasons}: {@link #DEFAULT_OVERRIDE_REASONS} unless others are set,
 *       followed by {@link #SNOOZE_OVERRIDE_REASONS} on the cards that may be snoozed when
 *       {@link #withSnoozeReasons} asks for them;
 *   <li>{@code suggestions}: from a {@link SuggestionSource}, none by default, with the
 *       {@code selectionBehavior} the source gives ({@code at-most-one} unless it says {@code
 *       any}).
 * </ul>
 *
 * <p>When a rule failed, the result is incomplete and a last {@code warning} card says so, naming
 * the rules, so that a clinician does not read a short list as complete.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CardMapper {

  /** The code system of {@link #DEFAULT_OVERRIDE_REASONS}: this library's own. */
  public static final String OVERRIDE_REASON_SYSTEM = "urn:io.github.cdsengine:override-reason";

  /**
   * The override reasons offered on every card unless {@link #withOverrideReasons} sets others:
   * does not apply to this patient, already addressed, patient declined, clinical judgement.
   */
  public static final List<Coding> DEFAULT_OVERRIDE_REASONS = List.of(
      new Coding(OVERRIDE_REASON_SYSTEM, "not-applicable", "Does not apply to this patient"),
      new Coding(OVERRIDE_REASON_SYSTEM, "already-addressed", "Already addressed"),
      new Coding(OVERRIDE_REASON_SYSTEM, "patient-declined", "Patient declined"),
      new Coding(OVERRIDE_REASON_SYSTEM, "clinical-judgement",
          "Clinical judgement: benefit outweighs risk"));

  /**
   * The override reasons that snooze a card's recommendation for its patient, offered by {@link
   * #withSnoozeReasons}: {@code snooze-7d}, {@code snooze-30d} and {@code snooze-90d} in {@link
   * #OVERRIDE_REASON_SYSTEM}. {@link #snoozePeriod} reads any {@code snooze-<N>d} of that system,
   * N from 1 to 365, as a snooze of N days.
   */
  public static final List<Coding> SNOOZE_OVERRIDE_REASONS = List.of(
      new Coding(OVERRIDE_REASON_SYSTEM, "snooze-7d", "Snooze for 7 days for this patient"),
      new Coding(OVERRIDE_REASON_SYSTEM, "snooze-30d", "Snooze for 30 days for this patient"),
      new Coding(OVERRIDE_REASON_SYSTEM, "snooze-90d", "Snooze for 90 days for this patient"));

  /** The longest snooze an override reason may ask for, in days. */
  public static final int MAX_SNOOZE_DAYS = 365;

  private static final Pattern SNOOZE_CODE = Pattern.compile("snooze-([1-9][0-9]{0,2})d");

  /** The id the incomplete-result card's uuid is made from. */
  static final String INCOMPLETE_ID = "evaluation-incomplete";

  private static final String ELLIPSIS = "\u2026";

  private final List<Coding> overrideReasons;
  private final SuggestionSource suggestions;
  /** The reasons a snoozable card offers after {@link #overrideReasons}; empty for none. */
  private final List<Coding> snoozeReasons;
  /** Whether critical cards offer {@link #snoozeReasons} too. */
  private final boolean snoozeCritical;
  /** The service whose cards these are, part of each card's uuid; {@code null} for none. */
  private final String serviceId;

  private CardMapper(List<Coding> overrideReasons, SuggestionSource suggestions,
      List<Coding> snoozeReasons, boolean snoozeCritical, String serviceId) {
    this.overrideReasons = overrideReasons;
    this.suggestions = suggestions;
    this.snoozeReasons = snoozeReasons;
    this.snoozeCritical = snoozeCritical;
    this.serviceId = serviceId;
  }

  /**
   * A mapper with the default override reasons and no suggestions.
   *
   * @return a new mapper
   */
  public static CardMapper create() {
    return new CardMapper(DEFAULT_OVERRIDE_REASONS, SuggestionSource.NONE, List.of(), false,
        null);
  }

  /**
   * A mapper like this one offering {@code reasons} for overriding a card; empty offers none.
   *
   * @param reasons the coded reasons a clinician may pick when overriding a card, in the order
   *     shown, each with a {@code display}
   * @return a new mapper; this one is unchanged
   * @throws NullPointerException if reasons or one of them is null
   * @throws IllegalArgumentException quoting a reason that has no display, which CDS Hooks
   *     requires of every override reason
   */
  public CardMapper withOverrideReasons(List<Coding> reasons) {
    List<Coding> copy = List.copyOf(reasons);
    for (Coding reason : copy) {
      if (reason.display() == null) {
        throw new IllegalArgumentException("override reason " + reason.system() + "|"
            + reason.code() + " has no display; CDS Hooks requires one on every override "
            + "reason");
      }
    }
    return new CardMapper(copy, suggestions, snoozeReasons, snoozeCritical, serviceId);
  }

  /**
   * A mapper like this one whose cards also offer {@link #SNOOZE_OVERRIDE_REASONS}, after the
   * other override reasons: on every {@code info} and {@code warning} card, and on {@code
   * critical} cards only when {@code critical} is true (give the answering pack's {@link
   * io.github.cdsengine.core.pack.RulePack#allowCriticalSnooze()}). Feedback with one of these
   * reasons is a snooze ({@link #snoozePeriod}); offer them only where the host keeps snoozes
   * and gives them to later evaluations ({@link
   * io.github.cdsengine.core.evaluation.EvaluationContext#withSnoozes}).
   *
   * @param critical whether critical cards may be snoozed
   * @return a new mapper; this one is unchanged
   */
  public CardMapper withSnoozeReasons(boolean critical) {
    return new CardMapper(overrideReasons, suggestions, SNOOZE_OVERRIDE_REASONS, critical,
        serviceId);
  }

  /**
   * The snooze an override reason asks for: {@code snooze-<N>d} in {@link
   * #OVERRIDE_REASON_SYSTEM}, N a whole number of days from 1 to {@value #MAX_SNOOZE_DAYS}
   * ({@link #SNOOZE_OVERRIDE_REASONS} are three of them).
   *
   * @param system the reason's code system, or {@code null}
   * @param code the reason's code, or {@code null}
   * @return the period, N times 24 hours; empty when the reason is no snooze
   */
  public static Optional<Duration> snoozePeriod(String system, String code) {
    if (!OVERRIDE_REASON_SYSTEM.equals(system) || code == null) {
      return Optional.empty();
    }
    Matcher matcher = SNOOZE_CODE.matcher(code);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int days = Integer.parseInt(matcher.group(1));
    return days > MAX_SNOOZE_DAYS ? Optional.empty() : Optional.of(Duration.ofDays(days));
  }

  /**
   * A mapper like this one taking each card's suggestions, and their selection behaviour, from
   * {@code source}.
   *
   * @param source what gives each recommendation's suggestions
   * @return a new mapper; this one is unchanged
   * @throws NullPointerException if source is null
   */
  public CardMapper withSuggestions(SuggestionSource source) {
    return new CardMapper(overrideReasons, Objects.requireNonNull(source, "source"),
        snoozeReasons, snoozeCritical, serviceId);
  }

  /**
   * A mapper like this one making the cards of the CDS Hooks service {@code serviceId}: each
   * card's uuid is {@link #cardUuid(String, String, String)} of the service, the hook instance
   * and the recommendation, so that two services answering one hook instance with the same
   * recommendation give their cards different uuids, and feedback sent to one service is never
   * about the other's card.
   *
   * @param serviceId the service's id, the last segment of its URL
   * @return a new mapper; this one is unchanged
   * @throws NullPointerException if serviceId is null
   * @throws IllegalArgumentException if serviceId is blank
   */
  public CardMapper forService(String serviceId) {
    Objects.requireNonNull(serviceId, "serviceId");
    if (serviceId.isBlank()) {
      throw new IllegalArgumentException("a service id is not blank: '" + serviceId + "'");
    }
    return new CardMapper(overrideReasons, suggestions, snoozeReasons, snoozeCritical,
        serviceId);
  }

  /**
   * The response to {@code request}: a card per shown recommendation of {@code result}.
   *
   * @param request the CDS Hooks request the result answers; its hook instance keys the card uuids
   * @param result the evaluation of the request's patient
   * @return the response; its card list is empty when nothing is shown
   * @throws NullPointerException if an argument is null
   */
  public CdsHooksResponse response(CdsHooksRequest request, EvaluationResult result) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(result, "result");
    List<Card> cards = new ArrayList<>(result.recommendations().size() + 1);
    for (Recommendation recommendation : result.recommendations()) {
      cards.add(card(request, recommendation));
    }
    if (!result.complete()) {
      cards.add(incomplete(request.hookInstance(), result.failures()));
    }
    return CdsHooksResponse.of(cards);
  }

  /**
   * The response for the hook instance {@code hookInstance}: a card per shown recommendation of
   * {@code result}, in ranking order, and a last card when the result is incomplete.
   *
   * @param hookInstance the request's {@code hookInstance}, which keys the card uuids
   * @param result the evaluation to answer with
   * @return the response
   * @throws NullPointerException if an argument is null
   */
  public CdsHooksResponse response(String hookInstance, EvaluationResult result) {
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(result, "result");
    List<Card> cards = new ArrayList<>(result.recommendations().size() + 1);
    for (Recommendation recommendation : result.recommendations()) {
      cards.add(card(hookInstance, recommendation));
    }
    if (!result.complete()) {
      cards.add(incomplete(hookInstance, result.failures()));
    }
    return CdsHooksResponse.of(cards);
  }

  /**
   * The response of the service {@code service} to {@code request}: as {@link
   * #response(CdsHooksRequest, EvaluationResult)}, with cards only for the recommendations the
   * service lists.
   *
   * @param request the CDS Hooks request the result answers
   * @param result the evaluation of the request's patient
   * @param service the service answering, whose recommendation ids filter the cards
   * @return the response
   * @throws NullPointerException if an argument is null
   */
  public CdsHooksResponse response(CdsHooksRequest request, EvaluationResult result,
      ServiceDefinition service) {
    Objects.requireNonNull(service, "service");
    return response(request, result, Set.copyOf(service.recommendations()));
  }

  /**
   * The response to {@code request} with cards only for the recommendations whose ids {@code
   * recommendationIds} holds: a service's, when it has no {@link ServiceDefinition} (a pack
   * that declares no service answers for every recommendation its rule files make). A last card
   * says when the result is incomplete, as in {@link #response(CdsHooksRequest,
   * EvaluationResult)}.
   *
   * @param request the CDS Hooks request the result answers
   * @param result the evaluation of the request's patient
   * @param recommendationIds the ids of the recommendations the answering service shows; may be
   *     empty
   * @return the response
   * @throws NullPointerException if an argument is null
   */
  public CdsHooksResponse response(CdsHooksRequest request, EvaluationResult result,
      Set<String> recommendationIds) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(recommendationIds, "recommendationIds");
    List<Card> cards = new ArrayList<>();
    for (Recommendation recommendation : result.recommendations()) {
      if (recommendationIds.contains(recommendation.id())) {
        cards.add(card(request, recommendation));
      }
    }
    if (!result.complete()) {
      cards.add(incomplete(request.hookInstance(), result.failures()));
    }
    return CdsHooksResponse.of(cards);
  }

  /**
   * The card for one recommendation.
   *
   * @param hookInstance the request's {@code hookInstance}, which keys the card uuid
   * @param recommendation the recommendation shown
   * @return the card, with suggestions from {@link SuggestionSource#suggestions(Recommendation,
   *     String)}
   * @throws NullPointerException if an argument is null
   */
  public Card card(String hookInstance, Recommendation recommendation) {
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(recommendation, "recommendation");
    return card(hookInstance, recommendation,
        suggestions.suggestions(recommendation, hookInstance));
  }

  /**
   * The card for one recommendation in answer to {@code request}: its suggestions may act on
   * the request's patient and draft orders.
   *
   * @param request the request the card answers
   * @param recommendation the recommendation shown
   * @return the card
   * @throws NullPointerException if an argument is null
   */
  public Card card(CdsHooksRequest request, Recommendation recommendation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(recommendation, "recommendation");
    return card(request.hookInstance(), recommendation,
        suggestions.suggestions(recommendation, request));
  }

  private Card card(String hookInstance, Recommendation recommendation,
      List<Suggestion> suggested) {
    Guideline guideline = recommendation.guideline();
    List<Suggestion> offered = List.copyOf(suggested);
    return new Card(
        uuid(hookInstance, recommendation.id()),
        summary(recommendation.title()),
        detail(recommendation),
        recommendation.severity().code(),
        new Source(guideline.publisher(), guideline.url()),
        offered,
        offered.isEmpty() ? null
            : Objects.requireNonNull(suggestions.selectionBehavior(recommendation),
                "selectionBehavior").code(),
        overrideReasons(recommendation),
        List.of(Link.absolute(guideline.title() + " (" + guideline.version() + ")",
            guideline.url())));
  }

  /**
   * The override reasons of a recommendation's card: the snooze reasons too where it may be. A
   * critical recommendation an interruptive-alert budget shows as info is critical here: the
   * engine refuses its snooze unless its pack allows it.
   */
  private List<Coding> overrideReasons(Recommendation recommendation) {
    boolean critical = recommendation.severity() == Severity.CRITICAL
        || recommendation.demotedFrom().orElse(null) == Severity.CRITICAL;
    if (snoozeReasons.isEmpty() || (critical && !snoozeCritical)) {
      return overrideReasons;
    }
    List<Coding> reasons = new ArrayList<>(overrideReasons);
    reasons.addAll(snoozeReasons);
    return reasons;
  }

  /**
   * The uuid of the card for {@code recommendationId} in the hook instance
   * {@code hookInstance}: the name-based (version 3, MD5) UUID of the UTF-8 bytes of
   * {@code hookInstance + "\u0000" + recommendationId}. The same pair always gives the same
   * uuid; the NUL separator keeps {@code ("a", "bc")} and {@code ("ab", "c")} apart. The cards
   * of a mapper {@link #forService for a service} use {@link #cardUuid(String, String,
   * String)} instead.
   *
   * @param hookInstance the request's {@code hookInstance}
   * @param recommendationId the recommendation's id
   * @return the uuid in its 36-character lower-case text form
   * @throws NullPointerException if an argument is null
   */
  public static String cardUuid(String hookInstance, String recommendationId) {
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(recommendationId, "recommendationId");
    return UUID.nameUUIDFromBytes((hookInstance + "\u0000" + recommendationId)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The uuid of the card for {@code recommendationId} that the service {@code serviceId} returns
   * in the hook instance {@code hookInstance}: the name-based (version 3, MD5) UUID of the UTF-8
   * bytes of {@code serviceId + "\u0000" + hookInstance + "\u0000" + recommendationId}. The
   * same three always give the same uuid; two services give different uuids for the same
   * recommendation in the same hook instance (unless an id contains a NUL character, which no
   * URL segment, hook instance or recommendation id does).
   *
   * @param serviceId the answering service's id
   * @param hookInstance the request's {@code hookInstance}
   * @param recommendationId the recommendation's id
   * @return the uuid in its 36-character lower-case text form
   * @throws NullPointerException if an argument is null
   */
  public static String cardUuid(String serviceId, String hookInstance,
      String recommendationId) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(recommendationId, "recommendationId");
    return UUID.nameUUIDFromBytes((serviceId + "\u0000" + hookInstance + "\u0000"
        + recommendationId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A card's uuid: with this mapper's service when it has one. */
  private String uuid(String hookInstance, String id) {
    return serviceId == null ? cardUuid(hookInstance, id)
        : cardUuid(serviceId, hookInstance, id);
  }

  /**
   * {@code title} as a card summary, which CDS Hooks wants under 140 characters: stripped, and
   * unchanged when then at most {@value Card#MAX_SUMMARY} characters; otherwise cut before the
   * last word that does not fit, trailing spaces and punctuation removed, and an ellipsis added,
   * {@value Card#MAX_SUMMARY} characters at most in all. A single word longer than that is cut
   * inside, never between the two halves of a surrogate pair.
   *
   * @param title the recommendation's title; never null
   * @return the summary, at most {@value Card#MAX_SUMMARY} characters
   */
  public static String summary(String title) {
    String text = title.strip();
    if (text.length() <= Card.MAX_SUMMARY) {
      return text;
    }
    int limit = Card.MAX_SUMMARY - ELLIPSIS.length();
    int cut = -1;
    for (int i = limit; i > 0; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) {
      cut = Character.isLowSurrogate(text.charAt(limit)) ? limit - 1 : limit;
    }
    int end = cut;
    while (end > 0 && isTrailing(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end == 0 ? cut : end) + ELLIPSIS;
  }

  private static boolean isTrailing(char c) {
    return Character.isWhitespace(c) || c == ',' || c == ';' || c == ':' || c == '-'
        || c == '(' || c == '.';
  }

  /** The markdown detail of a recommendation's card. */
  static String detail(Recommendation recommendation) {
    StringBuilder md = new StringBuilder(256);
    md.append(recommendation.detail().strip()).append("\n\n");
    Guideline guideline = recommendation.guideline();
    md.append("**Evidence:** ").append(escape(recommendation.evidenceGrade().toString()))
        .append(" (").append(recommendation.evidenceGrade().strength().name()
            .toLowerCase(java.util.Locale.ROOT)).append("), ")
        .append(escape(guideline.publisher())).append(", *")
        .append(escape(guideline.title())).append("* (")
        .append(escape(guideline.version())).append(")");
    if (!recommendation.rationale().isEmpty()) {
      md.append("\n\n**Because:**\n");
      for (MatchedFact fact : recommendation.rationale()) {
        md.append("\n- ").append(escape(fact.toString()));
      }
    }
    if (recommendation.note() != null && !recommendation.note().isBlank()) {
      md.append("\n\n**Note:** ").append(recommendation.note().strip());
    }
    return md.toString();
  }

  private Card incomplete(String hookInstance, List<RuleFailure> failures) {
    StringBuilder md = new StringBuilder(
        "Some rules did not complete, so recommendations may be missing from this list, or a "
            + "recommendation that should have been withheld may be shown.\n\n**Rules:**\n");
    failures.stream().map(RuleFailure::rule).distinct().sorted()
        .forEach(rule -> md.append("\n- ").append(escape(rule)));
    return new Card(uuid(hookInstance, INCOMPLETE_ID),
        "Decision support is incomplete for this patient", md.toString(), "warning",
        new Source("CDS engine", null), List.of(), null, List.of(), List.of());
  }

  /** Escapes markdown's inline markup characters in plain text. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\`*_[]<>#|".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
