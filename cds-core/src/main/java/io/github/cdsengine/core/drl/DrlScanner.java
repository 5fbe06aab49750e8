package io.github.cdsengine.core.drl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the build checks from DRL text that compiled: where each rule is, which value sets
 * it names, which recommendations it withholds and whether it inserts proposals. Comments are
 * blanked first, so commented-out code is not read.
 */
public final class DrlScanner {

  /**
   * A rule or query declaration: its name, its lines, and its text with comments blanked.
   * {@code query} is true for a query.
   */
  public record Declaration(String name, String file, int line, int endLine, String body,
      boolean query) {

    public boolean encloses(Reference reference) {
      return reference.file().equals(file) && reference.line() >= line
          && reference.line() <= endLine;
    }

    /** Whether the body calls the query named {@code queryName}. */
    public boolean calls(String queryName) {
      return Pattern.compile("\\b" + Pattern.quote(queryName) + "\\s*\\(").matcher(body).find();
    }
  }

  /** A string argument found in the text, with the line it is on. */
  public record Reference(String value, String file, int line) {}

  /**
   * A pattern on a type, {@code Type(...)}, and the value-set tests one of which every fact it
   * matches must pass, if its top-level constraints require any: a {@code
   * valueSets.includes("valueSetId", field)} constraint, or an {@code ||} of constraints that
   * each require one ({@code valueSets.includes("a", code) || valueSets.includes("b", code)}).
   * A pattern with such tests can only match facts that pass one of them.
   */
  public record PatternUse(String type, List<ValueSetTest> tests) {

    public PatternUse {
      tests = List.copyOf(tests);
    }

    public boolean filtered() {
      return !tests.isEmpty();
    }
  }

  /** A test {@code valueSets.includes("valueSetId", field)}. */
  public record ValueSetTest(String valueSetId, String field) {}

  /**
   * What one file declares, references and matches. {@code thresholds} are the literal
   * arguments of {@code units} comparisons, each as {@code value|unit}.
   */
  public record Scan(List<Declaration> rules, List<Declaration> queries, List<Reference> valueSets,
      List<Reference> withheld, List<Reference> nonLiteral, List<PatternUse> patterns,
      List<Reference> thresholds) {}

  private static final Pattern RULE = Pattern.compile(
      "(?m)^[ \\t]*rule[ \\t]+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([\\w$]+))");
  private static final Pattern QUERY = Pattern.compile(
      "(?m)^[ \\t]*query[ \\t]+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([\\w$]+))");
  /** {@code end} closing a rule: last on its line, and not a field such as {@code $mp.end}. */
  private static final Pattern END =
      Pattern.compile("(?m)(?:^|(?<=[\\s;)}]))end[ \\t]*;?[ \\t]*$");
  /** A call on the valueSets global that takes arguments ({@code all()} takes none). */
  private static final Pattern VALUE_SET_CALL =
      Pattern.compile("\\bvalueSets\\s*\\.\\s*\\w+\\s*\\((?!\\s*\\))\\s*(\"([^\"]*)\")?");
  private static final Pattern WITHHOLD =
      Pattern.compile("\\bnew\\s+(?:Suppression|Contraindication)\\s*\\(\\s*(\"([^\"]*)\")?");
  private static final Pattern PROPOSAL = Pattern.compile("\\bnew\\s+Proposal\\s*\\(");
  private static final Pattern THRESHOLD_CALL =
      Pattern.compile("\\bunits\\s*\\.\\s*value(?:Above|AtLeast|Below|AtMost)\\s*\\(");
  private static final Pattern STRING_LITERAL = Pattern.compile("\"([^\"\\\\]*)\"");
  private static final Pattern PATTERN_TYPE = Pattern.compile("\\b([A-Z][\\w$]*)\\s*\\(");
  private static final Pattern NEW_BEFORE = Pattern.compile("\\bnew\\s+$");
  private static final Pattern FROM_AFTER = Pattern.compile("\\s*from\\b");
  private static final Pattern VALUE_SET_TEST = Pattern.compile(
      "valueSets\\s*\\.\\s*includes\\s*\\(\\s*\"([^\"]+)\"\\s*,\\s*([a-z]\\w*)\\s*\\)");

  private DrlScanner() {}

  public static Scan scan(String fileName, String content) {
    String text = blankComments(content);
    List<Declaration> rules = declarations(RULE, text, fileName, false);
    List<Declaration> queries = declarations(QUERY, text, fileName, true);
    List<Reference> valueSets = new ArrayList<>();
    List<Reference> withheld = new ArrayList<>();
    List<Reference> nonLiteral = new ArrayList<>();
    collect(VALUE_SET_CALL, text, fileName, valueSets, nonLiteral);
    collect(WITHHOLD, text, fileName, withheld, nonLiteral);
    List<Reference> thresholds = new ArrayList<>();
    Matcher call = THRESHOLD_CALL.matcher(text);
    while (call.find()) {
      int open = call.end() - 1;
      List<String> arguments =
          splitTopLevel(text.substring(open + 1, closingParenthesis(text, open)), ",");
      Matcher value = arguments.size() > 1 ? STRING_LITERAL.matcher(arguments.get(1)) : null;
      Matcher unit = arguments.size() > 2 ? STRING_LITERAL.matcher(arguments.get(2)) : null;
      if (value != null && unit != null && value.matches() && unit.matches()) {
        thresholds.add(new Reference(value.group(1) + "|" + unit.group(1), fileName,
            lineOf(text, call.start())));
      } else {
        nonLiteral.add(new Reference(call.group().strip() + "...)", fileName,
            lineOf(text, call.start())));
      }
    }
    return new Scan(rules, queries, valueSets, withheld, nonLiteral, patterns(text), thresholds);
  }

  private static List<Declaration> declarations(Pattern keyword, String text, String fileName,
      boolean query) {
    List<Declaration> declarations = new ArrayList<>();
    Matcher rule = keyword.matcher(text);
    while (rule.find()) {
      String name = rule.group(1) != null ? unescape(rule.group(1))
          : rule.group(2) != null ? rule.group(2) : rule.group(3);
      Matcher end = END.matcher(text);
      int endOffset = end.find(rule.end()) ? end.end() : text.length();
      declarations.add(new Declaration(name, fileName, lineOf(text, rule.start()),
          lineOf(text, endOffset), text.substring(rule.start(), endOffset), query));
    }
    return declarations;
  }

  /**
   * Every {@code Type(...)} in the text that is not a constructor call nor followed by {@code
   * from} (such a pattern matches what its source returns, not the session's facts), with its
   * value-set tests.
   * Over-inclusive on purpose (a method call such as {@code Code.of(...)} is listed too): the
   * list is only used to decide which facts can be left out, and listing more leaves out less.
   */
  private static List<PatternUse> patterns(String text) {
    List<PatternUse> patterns = new ArrayList<>();
    Matcher type = PATTERN_TYPE.matcher(text);
    while (type.find()) {
      if (NEW_BEFORE.matcher(text.substring(Math.max(0, type.start() - 8), type.start())).find()) {
        continue;
      }
      int open = type.end() - 1;
      int close = closingParenthesis(text, open);
      if (FROM_AFTER.matcher(text).region(Math.min(close + 1, text.length()), text.length())
          .lookingAt()) {
        continue; // Type(...) from expr matches what expr returns, not the session's facts
      }
      List<ValueSetTest> tests = List.of();
      for (String part : splitTopLevel(text.substring(open + 1, close), ",")) {
        tests = requiredTests(part);
        if (!tests.isEmpty()) {
          break;
        }
      }
      patterns.add(new PatternUse(type.group(1), tests));
    }
    return patterns;
  }

  /**
   * The value-set tests one of which a constraint requires: for each top-level {@code ||}
   * operand, a value-set test among its top-level {@code &&} conjuncts. Empty when some operand
   * requires none, since that operand can hold for any fact.
   */
  private static List<ValueSetTest> requiredTests(String constraint) {
    List<ValueSetTest> tests = new ArrayList<>();
    for (String operand : splitTopLevel(constraint, "||")) {
      ValueSetTest required = null;
      for (String conjunct : splitTopLevel(unparenthesized(operand), "&&")) {
        Matcher test = VALUE_SET_TEST.matcher(conjunct);
        if (test.matches()) {
          required = new ValueSetTest(test.group(1), test.group(2));
          break;
        }
      }
      if (required == null) {
        return List.of();
      }
      tests.add(required);
    }
    return tests;
  }

  /** {@code text} without parentheses enclosing the whole of it. */
  private static String unparenthesized(String text) {
    String stripped = text.strip();
    while (stripped.startsWith("(") && closingParenthesis(stripped, 0) == stripped.length() - 1) {
      stripped = stripped.substring(1, stripped.length() - 1).strip();
    }
    return stripped;
  }

  /** The offset of the parenthesis closing the one at {@code open}, or the end of the text. */
  private static int closingParenthesis(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfString(text, i);
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return text.length();
  }


  /** {@code text} split at {@code separator} where it is outside brackets and strings. */
  private static List<String> splitTopLevel(String text, String separator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfString(text, i);
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (depth == 0 && text.startsWith(separator, i)) {
        parts.add(text.substring(start, i).strip());
        start = i + separator.length();
        i = start - 1;
      }
    }
    parts.add(text.substring(start).strip());
    return parts;
  }

  /** The offset of the quote closing the string literal that opens at {@code quote}. */
  private static int endOfString(String text, int quote) {
    char delimiter = text.charAt(quote);
    int i = quote + 1;
    while (i < text.length() && text.charAt(i) != delimiter) {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }

  /** Whether a rule's text inserts a {@code Proposal}. */
  public static boolean insertsProposal(Declaration rule) {
    return PROPOSAL.matcher(rule.body()).find();
  }

  private static void collect(Pattern pattern, String text, String file, List<Reference> literal,
      List<Reference> nonLiteral) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int line = lineOf(text, m.start());
      if (m.group(2) != null) {
        literal.add(new Reference(m.group(2), file, line));
      } else {
        nonLiteral.add(new Reference(m.group().strip(), file, line));
      }
    }
  }

  /** A quoted rule name as Drools reads it: {@code \\"} is a quote, {@code \\t} a tab. */
  private static String unescape(String quoted) {
    StringBuilder name = new StringBuilder(quoted.length());
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        char next = quoted.charAt(++i);
        name.append(switch (next) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case 'r' -> '\r';
          default -> next;
        });
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }

  /** The 1-based line of {@code text} on which {@code offset} falls. */
  public static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Replaces comments with spaces, keeping line breaks and string literals. */
  public static String blankComments(String drl) {
    StringBuilder out = new StringBuilder(drl.length());
    int i = 0;
    while (i < drl.length()) {
      char c = drl.charAt(i);
      char next = i + 1 < drl.length() ? drl.charAt(i + 1) : '\0';
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < drl.length() && drl.charAt(end) != c && drl.charAt(end) != '\n') {
          end += drl.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, drl.length());
        out.append(drl, i, end);
        i = end;
      } else if (c == '/' && next == '/') {
        while (i < drl.length() && drl.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && next == '*') {
        int end = drl.indexOf("*/", i + 2);
        end = end < 0 ? drl.length() : end + 2;
        for (; i < end; i++) {
          out.append(drl.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
