package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One CDS Hooks 2.0 feedback entry: what the user did with a card.
 *
 * @param card the card's {@code uuid}
 * @param outcome {@code accepted} or {@code overridden}
 * @param acceptedSuggestions the ids of the suggestions accepted; empty unless accepted
 * @param overrideReason the reason chosen when overridden, or {@code null}
 * @param userComment the user's comment on the override, or {@code null}
 * @param outcomeTimestamp when the user acted
 */
public record Feedback(String card, Outcome outcome, List<String> acceptedSuggestions,
    OverrideReason overrideReason, String userComment, Instant outcomeTimestamp) {

  /** What the user did with the card. */
  public enum Outcome {
    /** The user accepted one or more of the card's suggestions. */
    ACCEPTED,
    /** The user dismissed the card. */
    OVERRIDDEN
  }

  /**
   * The coded reason for an override, one the card offered.
   *
   * @param system the code system
   * @param code the code
   * @param display the text shown to the user
   */
  public record OverrideReason(String system, String code, String display) {}

  /**
   * Checks the entry as the specification requires.
   *
   * @param card the card's {@code uuid}
   * @param outcome {@code accepted} or {@code overridden}
   * @param acceptedSuggestions the ids of the suggestions accepted; empty unless accepted
   * @param overrideReason the reason chosen when overridden, or {@code null}
   * @param userComment the user's comment on the override, or {@code null}
   * @param outcomeTimestamp when the user acted
   * @throws NullPointerException if card, outcome or outcomeTimestamp is null
   * @throws IllegalArgumentException if an accepted entry names no suggestion or carries an
   *     override reason, or an overridden entry names an accepted suggestion
   */
  public Feedback {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(outcomeTimestamp, "outcomeTimestamp");
    acceptedSuggestions = List.copyOf(acceptedSuggestions);
    if (outcome == Outcome.ACCEPTED && acceptedSuggestions.isEmpty()) {
      throw new IllegalArgumentException("an accepted outcome names the suggestions accepted");
    }
    if (outcome == Outcome.ACCEPTED && (overrideReason != null || userComment != null)) {
      throw new IllegalArgumentException("an accepted outcome has no override reason");
    }
    if (outcome == Outcome.OVERRIDDEN && !acceptedSuggestions.isEmpty()) {
      throw new IllegalArgumentException("an overridden outcome accepts no suggestion: "
          + acceptedSuggestions);
    }
  }

  /**
   * Reads a feedback request body: {@code {"feedback": [entry, ...]}}.
   *
   * @param body the parsed body
   * @return the entries, in order
   * @throws BadRequest naming the JSON path of the first field that is missing or wrong
   */
  static List<Feedback> read(JsonNode body) throws BadRequest {
    JsonNode entries = body == null ? null : body.get("feedback");
    if (entries == null || !entries.isArray() || entries.isEmpty()) {
      throw new BadRequest("$.feedback", "expected a non-empty array of feedback entries");
    }
    List<Feedback> feedback = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      feedback.add(entry(entries.get(i), "$.feedback[" + i + "]"));
    }
    return feedback;
  }

  private static Feedback entry(JsonNode entry, String path) throws BadRequest {
    if (!entry.isObject()) {
      throw new BadRequest(path, "expected an object");
    }
    String card = text(entry, "card", path, true);
    String outcomeText = text(entry, "outcome", path, true);
    Outcome outcome = switch (outcomeText) {
      case "accepted" -> Outcome.ACCEPTED;
      case "overridden" -> Outcome.OVERRIDDEN;
      default -> throw new BadRequest(path + ".outcome",
          "expected 'accepted' or 'overridden'");
    };
    List<String> accepted = new ArrayList<>();
    JsonNode suggestions = entry.get("acceptedSuggestions");
    if (suggestions != null && !suggestions.isNull()) {
      if (!suggestions.isArray()) {
        throw new BadRequest(path + ".acceptedSuggestions", "expected an array");
      }
      for (int i = 0; i < suggestions.size(); i++) {
        String at = path + ".acceptedSuggestions[" + i + "]";
        if (!suggestions.get(i).isObject()) {
          throw new BadRequest(at, "expected an object with an id");
        }
        accepted.add(text(suggestions.get(i), "id", at, true));
      }
    }
    if (outcome == Outcome.ACCEPTED && accepted.isEmpty()) {
      throw new BadRequest(path + ".acceptedSuggestions",
          "required for an accepted outcome: the suggestions the user accepted");
    }
    if (outcome == Outcome.OVERRIDDEN && !accepted.isEmpty()) {
      throw new BadRequest(path + ".acceptedSuggestions", "only an accepted outcome has "
          + "them: a card whose suggestion was accepted was not overridden");
    }
    OverrideReason reason = null;
    String comment = null;
    JsonNode override = entry.get("overrideReason");
    if (override != null && !override.isNull()) {
      if (outcome == Outcome.ACCEPTED) {
        throw new BadRequest(path + ".overrideReason", "only an overridden outcome has one");
      }
      if (!override.isObject()) {
        throw new BadRequest(path + ".overrideReason", "expected an object");
      }
      JsonNode coding = override.get("reason");
      if (coding != null && !coding.isNull()) {
        String at = path + ".overrideReason.reason";
        if (!coding.isObject()) {
          throw new BadRequest(at, "expected a Coding");
        }
        reason = new OverrideReason(text(coding, "system", at, false),
            text(coding, "code", at, true), text(coding, "display", at, false));
      }
      comment = text(override, "userComment", path + ".overrideReason", false);
    }
    String timestamp = text(entry, "outcomeTimestamp", path, true);
    Instant at;
    try {
      at = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw new BadRequest(path + ".outcomeTimestamp",
          "expected an instant such as 2026-12-07T14:03:00Z");
    }
    return new Feedback(card, outcome, accepted, reason, comment, at);
  }

  private static String text(JsonNode node, String field, String path, boolean required)
      throws BadRequest {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new BadRequest(path + "." + field, "required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new BadRequest(path + "." + field, "expected a non-empty string");
    }
    return value.asText();
  }
}
