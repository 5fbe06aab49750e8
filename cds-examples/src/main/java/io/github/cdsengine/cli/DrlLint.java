package io.github.cdsengine.cli;

import io.github.cdsengine.core.drl.DrlText;
import io.github.cdsengine.core.pack.RuleFile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds rules whose literal constraints on one field of one pattern contradict each other
 * ({@code PatientAge(years >= 50, years < 45)}, {@code status == "a", status == "b"}), so that
 * the pattern never matches.
 *
 * <p>It reads DRL text as {@link DrlText} does, not a syntax tree: in each rule's conditions
 * (comments blanked), each pattern {@code Type(...)} is split into its top-level constraints (at
 * commas and {@code &&}); a constraint {@code field op literal} (or {@code literal op field})
 * with {@code op} one of {@code == != < <= > >=} and a number or string literal is collected per
 * field. A field's constraints contradict when no value meets them all. Constraints joined by
 * {@code ||}, ones that compare with variables, method calls or {@code in}/{@code matches}, and
 * contradictions across patterns or rules are not seen.
 */
final class DrlLint {

  /**
   * One finding.
   *
   * @param file the DRL file
   * @param line the line of the constraint that contradicts an earlier one
   * @param message what contradicts what
   */
  record Finding(String file, int line, String message) {}

  private static final Pattern WHEN = Pattern.compile("(?m)^\\s*when\\b|\\bwhen\\s*$");
  private static final Pattern THEN = Pattern.compile("\\bthen\\b");
  private static final Pattern COMPARISON = Pattern.compile(
      "^\\s*([a-zA-Z_][\\w.]*)\\s*(==|!=|<=|>=|<|>)\\s*(\"[^\"\\\\]*\"|-?\\d+(?:\\.\\d+)?)\\s*$");
  private static final Pattern REVERSED = Pattern.compile(
      "^\\s*(\"[^\"\\\\]*\"|-?\\d+(?:\\.\\d+)?)\\s*(==|!=|<=|>=|<|>)\\s*([a-zA-Z_][\\w.]*)\\s*$");

  private DrlLint() {}

  /** Every contradiction in {@code file}, in line order. */
  static List<Finding> contradictions(RuleFile file) {
    String text = file.withoutComments();
    List<Finding> findings = new ArrayList<>();
    for (DrlText.Block rule : DrlText.rules(text)) {
      Matcher when = WHEN.matcher(text).region(rule.start(), rule.end());
      if (!when.find()) {
        continue;
      }
      Matcher then = THEN.matcher(text).region(when.end(), rule.end());
      int conditionsEnd = then.find() ? then.start() : rule.end();
      lintConditions(file.name(), rule.name(), text, when.end(), conditionsEnd, findings);
    }
    return findings;
  }

  private static void lintConditions(String file, String ruleName, String text, int from,
      int to, List<Finding> findings) {
    Matcher pattern = DrlText.TYPE_CALL.matcher(text);
    int searchFrom = from;
    while (searchFrom < to && pattern.find(searchFrom)) {
      if (pattern.start() >= to) {
        break;
      }
      int open = pattern.end() - 1;
      int close = DrlText.closingParenthesis(text, open);
      if (close >= to) {
        break;
      }
      String before = text.substring(Math.max(from, pattern.start() - 4), pattern.start());
      if (!before.endsWith("new ") && !before.endsWith(".")) {
        lintPattern(file, ruleName, pattern.group(1), text, new DrlText.Span(open + 1, close),
            findings);
      }
      // Patterns nested in this one's constraints (from, accumulate) are found from inside.
      searchFrom = open + 1;
    }
  }

  /**
   * The constraints of one pattern, the part of {@code text} that {@code constraints} spans
   * (between its parentheses), checked field by field.
   */
  private static void lintPattern(String file, String ruleName, String type, String text,
      DrlText.Span constraints, List<Finding> findings) {
    Map<String, FieldRange> fields = new LinkedHashMap<>();
    for (DrlText.Span part : DrlText.splitTopLevel(text, constraints.start(), constraints.end(),
        ",", "&&")) {
      String constraint = text.substring(part.start(), part.end());
      if (constraint.contains("||")) {
        continue;
      }
      Matcher m = COMPARISON.matcher(constraint);
      String field;
      String op;
      String literal;
      if (m.matches()) {
        field = m.group(1);
        op = m.group(2);
        literal = m.group(3);
      } else {
        Matcher reversed = REVERSED.matcher(constraint);
        if (!reversed.matches()) {
          continue;
        }
        field = reversed.group(3);
        op = flip(reversed.group(2));
        literal = reversed.group(1);
      }
      FieldRange range = fields.computeIfAbsent(field, f -> new FieldRange());
      String problem = range.add(op, literal, constraint.strip());
      if (problem != null) {
        findings.add(new Finding(file, DrlText.lineOf(text, part.start() + leading(constraint)),
            "rule \"" + ruleName + "\": " + type + "(" + problem + ") can never match: the "
                + "constraints on '" + field + "' contradict each other, so the rule never fires"));
      }
    }
  }

  /** What the constraints on one field allow so far. */
  private static final class FieldRange {
    BigDecimal low;
    boolean lowStrict;
    BigDecimal high;
    boolean highStrict;
    String equal;
    final List<String> notEqual = new ArrayList<>();
    final List<String> seen = new ArrayList<>();
    boolean reported;

    /** Adds a constraint; the constraints that contradict, if they now do and had not. */
    String add(String op, String literal, String constraint) {
      seen.add(constraint);
      boolean number = !literal.startsWith("\"");
      switch (op) {
        case "==" -> {
          if (equal != null && !equal.equals(literal)) {
            return report();
          }
          equal = literal;
        }
        case "!=" -> notEqual.add(literal);
        case ">", ">=" -> {
          if (!number) {
            return null;
          }
          BigDecimal value = new BigDecimal(literal);
          boolean strict = op.equals(">");
          if (low == null || value.compareTo(low) > 0 || value.compareTo(low) == 0 && strict) {
            low = value;
            lowStrict = strict;
          }
        }
        default -> {
          if (!number) {
            return null;
          }
          BigDecimal value = new BigDecimal(literal);
          boolean strict = op.equals("<");
          if (high == null || value.compareTo(high) < 0 || value.compareTo(high) == 0 && strict) {
            high = value;
            highStrict = strict;
          }
        }
      }
      if (equal != null && notEqual.contains(equal)) {
        return report();
      }
      if (low != null && high != null) {
        int c = low.compareTo(high);
        if (c > 0 || c == 0 && (lowStrict || highStrict)) {
          return report();
        }
      }
      if (equal != null && !equal.startsWith("\"")) {
        BigDecimal value = new BigDecimal(equal);
        if (low != null && (value.compareTo(low) < 0 || value.compareTo(low) == 0 && lowStrict)
            || high != null && (value.compareTo(high) > 0
                || value.compareTo(high) == 0 && highStrict)) {
          return report();
        }
      }
      return null;
    }

    private String report() {
      if (reported) {
        return null;
      }
      reported = true;
      return String.join(", ", seen);
    }
  }

  private static String flip(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }

  private static int leading(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * What every string literal in the comment-blanked text of {@code file} holds: from a quote to
   * the next unescaped quote on the same line.
   */
  static List<String> stringLiterals(RuleFile file) {
    return DrlText.stringLiterals(file.withoutComments());
  }
}
