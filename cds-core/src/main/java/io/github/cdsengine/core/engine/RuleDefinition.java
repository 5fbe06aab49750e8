package io.github.cdsengine.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.EvidenceGrade;
import io.github.cdsengine.core.evaluation.Category;
import io.github.cdsengine.core.evaluation.Guideline;

/**
 * A rule's metadata, read from its DRL annotations and checked in this one place.
 *
 * <p>Every rule cites its source: {@code @publisher}, {@code @guideline}, {@code @version},
 * {@code @url}, declared once for the whole file in its header (line comments such as {@code //
 * @publisher("...")} before the first rule) or, where a rule cites another source, all four on
 * the rule. A rule that recommends something also declares {@code @recommendation} (a stable
 * kebab-case id), {@code @title}, {@code @evidence} ({@code SCALE:GRADE}), {@code @category} and
 * {@code @severity}. {@code @note} is optional: where the source is ambiguous, it says so.
 */
record RuleDefinition(String name, Location location, Guideline guideline,
    Recommending recommendation, String note, List<String> valueSets) {

  /**
   * Where a rule is declared: its DRL file and the line its {@code rule} keyword is on, or
   * {@code (unknown file)} and 0 when the rule's text was not found.
   */
  record Location(String file, int line) {}

  /**
   * What a rule that recommends something declares: all of {@code @recommendation} (the
   * recommendation's id), {@code @title}, {@code @evidence}, {@code @category} and
   * {@code @severity}, or none of them (then a definition has no {@code Recommending}).
   */
  record Recommending(String id, String title, EvidenceGrade evidenceGrade, Category category,
      Severity severity) {}

  /** This definition with the value sets its rule uses, as {@code url|version}, sorted. */
  RuleDefinition withValueSets(List<String> used) {
    return new RuleDefinition(name, location, guideline, recommendation, note,
        List.copyOf(used));
  }

  String file() {
    return location.file();
  }

  int line() {
    return location.line();
  }

  /** The recommendation's id, or null when the rule recommends nothing. */
  String recommendationId() {
    return recommendation == null ? null : recommendation.id();
  }

  /** The recommendation's title, or null when the rule recommends nothing. */
  String title() {
    return recommendation == null ? null : recommendation.title();
  }

  /** The recommendation's evidence grade, or null when the rule recommends nothing. */
  EvidenceGrade evidenceGrade() {
    return recommendation == null ? null : recommendation.evidenceGrade();
  }

  /** The recommendation's category, or null when the rule recommends nothing. */
  Category category() {
    return recommendation == null ? null : recommendation.category();
  }

  /** The recommendation's severity, or null when the rule recommends nothing. */
  Severity severity() {
    return recommendation == null ? null : recommendation.severity();
  }

  static final Set<String> CITATION = Set.of("publisher", "guideline", "version", "url");
  static final Set<String> RECOMMENDATION = Set.of("title", "evidence", "category", "severity");
  static final Set<String> KNOWN = Set.of("publisher", "guideline", "version", "url",
      "recommendation", "title", "evidence", "category", "severity", "note");
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:[-.][a-z0-9]+)*");

  boolean recommends() {
    return recommendation != null;
  }

  RuleInfo info() {
    return new RuleInfo(name, location.file(), location.line(), recommendationId(), guideline);
  }

  /**
   * Reads a rule's metadata, citing {@code fileCitation} (its file header's, or null) when it
   * declares no citation of its own; adds each problem found to {@code problems} and returns
   * null when there was any.
   */
  static RuleDefinition read(String name, String file, int line, Map<String, Object> metadata,
      Guideline fileCitation, List<RuleProblem> problems) {
    List<String> errors = new ArrayList<>();
    Set<String> unknown = new TreeSet<>();
    for (String key : metadata.keySet()) {
      if (!KNOWN.contains(key) && !Character.isUpperCase(key.charAt(0))) {
        unknown.add("@" + key);
      }
    }
    if (!unknown.isEmpty()) {
      errors.add("unknown annotation " + String.join(", ", unknown) + "; rule metadata uses "
          + "@recommendation, @title, @evidence, @category, @severity, @publisher, @guideline, "
          + "@version, @url and @note");
    }
    Set<String> cited = new TreeSet<>();
    Set<String> uncited = new TreeSet<>();
    for (String key : CITATION) {
      (metadata.containsKey(key) ? cited : uncited).add("@" + key);
    }
    boolean citesFile = fileCitation != null && cited.isEmpty();
    Set<String> missing = new TreeSet<>();
    if (fileCitation != null && !cited.isEmpty() && !uncited.isEmpty()) {
      errors.add("declares " + String.join(", ", cited) + " but not " + String.join(", ", uncited)
          + ": a rule cites its file's header by declaring none of them, or another source by "
          + "declaring all four");
    } else if (!citesFile) {
      for (String key : CITATION) {
        if (text(metadata, key, errors) == null) {
          missing.add("@" + key);
        }
      }
    }
    String recommendationId = text(metadata, "recommendation", errors);
    if (metadata.containsKey("recommendation")) {
      for (String key : RECOMMENDATION) {
        if (text(metadata, key, errors) == null) {
          missing.add("@" + key);
        }
      }
      if (recommendationId != null && !ID.matcher(recommendationId).matches()) {
        errors.add("@recommendation '" + recommendationId
            + "' must be a stable lower-case id such as 'uspstf-crc-screening'");
      }
    } else {
      for (String key : RECOMMENDATION) {
        if (metadata.containsKey(key)) {
          errors.add("@" + key + " is only for rules with a @recommendation");
        }
      }
    }
    if (!missing.isEmpty()) {
      errors.add("missing " + String.join(", ", missing)
          + (metadata.containsKey("recommendation") ? " (required for a recommending rule)"
              : " (every rule cites its source)"));
    }

    Guideline guideline = null;
    EvidenceGrade grade = null;
    Category category = null;
    Severity severity = null;
    if (errors.isEmpty()) {
      guideline = citesFile ? fileCitation
          : parse(errors, () -> new Guideline(text(metadata, "publisher", errors),
              text(metadata, "guideline", errors), text(metadata, "version", errors),
              text(metadata, "url", errors)));
      if (metadata.containsKey("recommendation")) {
        grade = parse(errors, () -> EvidenceGrade.parse(text(metadata, "evidence", errors)));
        category = parse(errors, () -> Category.fromCode(text(metadata, "category", errors)));
        severity = parse(errors, () -> Severity.fromCode(text(metadata, "severity", errors)));
      }
    }
    if (!errors.isEmpty()) {
      for (String error : errors) {
        problems.add(new RuleProblem(file, line, "rule \"" + name + "\": " + error));
      }
      return null;
    }
    Recommending recommendation = recommendationId == null ? null
        : new Recommending(recommendationId, text(metadata, "title", errors), grade, category,
            severity);
    return new RuleDefinition(name, new Location(file, line), guideline, recommendation,
        text(metadata, "note", errors), List.of());
  }

  private static String text(Map<String, Object> metadata, String key, List<String> errors) {
    if (!metadata.containsKey(key)) {
      return null;
    }
    Object value = metadata.get(key);
    if (!(value instanceof String s) || s.isBlank()) {
      String error = "@" + key + " must be a non-empty quoted string, like @" + key
          + "(\"...\"), not " + value;
      if (!errors.contains(error)) {
        errors.add(error);
      }
      return null;
    }
    return s.strip();
  }

  private static <T> T parse(List<String> errors, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      errors.add(e.getMessage());
      return null;
    }
  }
}
