package io.github.cdsengine.core.drl;

import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.problem.RuleProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the build checks from DRL text that compiled: the citation its header declares,
 * where each rule is, which value sets it names, which recommendations it withholds and whether
 * it inserts proposals. Comments are blanked first, so commented-out code is not read; the one
 * exception is the header, line comments {@code // @publisher("...")} before the first rule,
 * which Drools has no place for (DRL has no file-level annotations).
 */
public final class DrlScanner {

  /**
   * A rule or query declaration: its name, where it is, and its text with comments blanked.
   * {@code query} is true for a query; {@code fileCitation} is the citation its file's header
   * declares, or null.
   */
  public record Declaration(String name, Location location, String body, boolean query,
      Guideline fileCitation) {

    /** Whether {@code reference} is in this declaration's text. */
    public boolean encloses(Reference reference) {
      return location.encloses(reference);
    }

    /** Whether the body calls the query named {@code queryName}. */
    public boolean calls(String queryName) {
      return Pattern.compile("\\b" + Pattern.quote(queryName) + "\\s*\\(").matcher(body).find();
    }
  }

  /** Where a declaration is: its file, and its first and last lines (from 1). */
  public record Location(String file, int line, int endLine) {

    /** Whether {@code reference} is in this file, on one of these lines. */
    public boolean encloses(Reference reference) {
      return reference.file().equals(file) && reference.line() >= line
          && reference.line() <= endLine;
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
   * What one file declares, references and matches. {@code headerProblems} are what is wrong
   * with the citation its header declares.
   */
  public record Scan(List<Declaration> rules, List<Declaration> queries, References references,
      List<PatternUse> patterns, List<RuleProblem> headerProblems) {}

  /**
   * The arguments a file passes where the build checks them: the value sets it names, the
   * recommendations it withholds ({@code new Suppression("id", ...)}, {@code new
   * Contraindication("id", ...)}), the literal arguments of {@code units} comparisons, each as
   * {@code value|unit}, and, in {@code nonLiteral}, each of those calls whose argument is not a
   * string literal, so cannot be checked.
   */
  public record References(List<Reference> valueSets, List<Reference> withheld,
      List<Reference> thresholds, List<Reference> nonLiteral) {}

  /** The annotations of a citation, which a file's header declares. */
  private static final List<String> CITATION = List.of("publisher", "guideline", "version", "url");
  /** One entry of a file's header: {@code @name("value")}. */
  private static final Pattern HEADER_ENTRY =
      Pattern.compile("@(\\w+)\\s*\\(\\s*\"([^\"\\\\]*)\"\\s*\\)");
  /** The text of a line comment of a file's header: one or more entries. */
  private static final Pattern HEADER_LINE =
      Pattern.compile("(?:\\s*" + HEADER_ENTRY.pattern() + ")+\\s*");

  /** A call on the valueSets global that takes arguments ({@code all()} takes none). */
  private static final Pattern VALUE_SET_CALL =
      Pattern.compile("\\bvalueSets\\s*\\.\\s*\\w+\\s*\\((?!\\s*\\))\\s*(\"([^\"]*)\")?");
  private static final Pattern WITHHOLD =
      Pattern.compile("\\bnew\\s+(?:Suppression|Contraindication)\\s*\\(\\s*(\"([^\"]*)\")?");
  private static final Pattern PROPOSAL = Pattern.compile("\\bnew\\s+Proposal\\s*\\(");
  private static final Pattern THRESHOLD_CALL =
      Pattern.compile("\\bunits\\s*\\.\\s*value(?:Above|AtLeast|Below|AtMost)\\s*\\(");
  private static final Pattern STRING_LITERAL = Pattern.compile("\"([^\"\\\\]*)\"");
  private static final Pattern NEW_BEFORE = Pattern.compile("\\bnew\\s+$");
  private static final Pattern FROM_AFTER = Pattern.compile("\\s*from\\b");
  private static final Pattern VALUE_SET_TEST = Pattern.compile(
      "valueSets\\s*\\.\\s*includes\\s*\\(\\s*\"([^\"]+)\"\\s*,\\s*([a-z]\\w*)\\s*\\)");

  private DrlScanner() {}

  public static Scan scan(String fileName, String content) {
    String text = blankComments(content);
    List<DrlText.Block> ruleBlocks = DrlText.rules(text);
    List<RuleProblem> headerProblems = new ArrayList<>();
    Guideline citation = citation(fileName, content,
        ruleBlocks.isEmpty() ? text.length() : ruleBlocks.get(0).start(), headerProblems);
    List<Declaration> rules = declarations(ruleBlocks, text, fileName, false, citation);
    List<Declaration> queries =
        declarations(DrlText.queries(text), text, fileName, true, citation);
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
          parts(text, open + 1, DrlText.closingParenthesis(text, open), ",");
      Matcher value = arguments.size() > 1 ? STRING_LITERAL.matcher(arguments.get(1)) : null;
      Matcher unit = arguments.size() > 2 ? STRING_LITERAL.matcher(arguments.get(2)) : null;
      if (value != null && unit != null && value.matches() && unit.matches()) {
        thresholds.add(new Reference(value.group(1) + "|" + unit.group(1), fileName,
            DrlText.lineOf(text, call.start())));
      } else {
        nonLiteral.add(new Reference(call.group().strip() + "...)", fileName,
            DrlText.lineOf(text, call.start())));
      }
    }
    return new Scan(rules, queries, new References(valueSets, withheld, thresholds, nonLiteral),
        patterns(text), headerProblems);
  }

  /**
   * The citation that the line comments {@code // @name("value")} (one or more to a comment)
   * before {@code end} declare for every rule of the file, or null when they declare none; each
   * problem with them is added to {@code problems} (and then null is returned).
   */
  private static Guideline citation(String fileName, String drl, int end,
      List<RuleProblem> problems) {
    Map<String, String> values = new HashMap<>();
    int firstLine = 0;
    int found = problems.size();
    for (DrlText.Span comment : DrlText.lineComments(drl)) {
      String header = drl.substring(comment.start() + 2, comment.end()).strip();
      if (comment.start() >= end || !header.startsWith("@")) {
        continue;
      }
      int line = DrlText.lineOf(drl, comment.start());
      firstLine = firstLine == 0 ? line : firstLine;
      if (!HEADER_LINE.matcher(header).matches()) {
        problems.add(new RuleProblem(fileName, line, "header '" + header + "' must be "
            + "@name(\"value\"), each value a quoted string without quotes or backslashes in it"));
        continue;
      }
      Matcher annotation = HEADER_ENTRY.matcher(header);
      while (annotation.find()) {
        String key = annotation.group(1);
        if (!CITATION.contains(key)) {
          problems.add(new RuleProblem(fileName, line, "@" + key + " cannot be declared for "
              + "a whole file: its header declares the citation only (@publisher, @guideline, "
              + "@version, @url); declare @" + key + " on each rule"));
        } else if (values.putIfAbsent(key, annotation.group(2).strip()) != null) {
          problems.add(new RuleProblem(fileName, line, "@" + key
              + " is declared twice in the file's header"));
        }
      }
    }
    if (firstLine == 0) {
      return null;
    }
    TreeSet<String> missing = new TreeSet<>();
    CITATION.stream().filter(key -> !values.containsKey(key))
        .forEach(key -> missing.add("@" + key));
    if (!missing.isEmpty()) {
      problems.add(new RuleProblem(fileName, firstLine, "the file's header lacks "
          + String.join(", ", missing) + ": a header that cites the file's source declares all "
          + "of @publisher, @guideline, @version and @url"));
    }
    if (problems.size() > found) {
      return null;
    }
    try {
      return new Guideline(values.get("publisher"), values.get("guideline"),
          values.get("version"), values.get("url"));
    } catch (IllegalArgumentException e) {
      problems.add(new RuleProblem(fileName, firstLine, "the file's header: " + e.getMessage()));
      return null;
    }
  }

  private static List<Declaration> declarations(List<DrlText.Block> blocks, String text,
      String fileName, boolean query, Guideline fileCitation) {
    List<Declaration> declarations = new ArrayList<>();
    for (DrlText.Block block : blocks) {
      declarations.add(new Declaration(block.name(), new Location(fileName,
          DrlText.lineOf(text, block.start()), DrlText.lineOf(text, block.end())),
          text.substring(block.start(), block.end()), query, fileCitation));
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
    Matcher type = DrlText.TYPE_CALL.matcher(text);
    while (type.find()) {
      if (NEW_BEFORE.matcher(text.substring(Math.max(0, type.start() - 8), type.start())).find()) {
        continue;
      }
      int open = type.end() - 1;
      int close = DrlText.closingParenthesis(text, open);
      if (FROM_AFTER.matcher(text).region(Math.min(close + 1, text.length()), text.length())
          .lookingAt()) {
        continue; // Type(...) from expr matches what expr returns, not the session's facts
      }
      List<ValueSetTest> tests = List.of();
      for (String part : parts(text, open + 1, close, ",")) {
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
    for (String operand : parts(constraint, 0, constraint.length(), "||")) {
      ValueSetTest required = null;
      String conjunction = unparenthesized(operand);
      for (String conjunct : parts(conjunction, 0, conjunction.length(), "&&")) {
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
    while (stripped.startsWith("(")
        && DrlText.closingParenthesis(stripped, 0) == stripped.length() - 1) {
      stripped = stripped.substring(1, stripped.length() - 1).strip();
    }
    return stripped;
  }

  /** {@code text[from, to)} split at {@code separator} outside brackets and strings, stripped. */
  private static List<String> parts(String text, int from, int to, String separator) {
    return DrlText.splitTopLevel(text, from, to, separator).stream()
        .map(part -> text.substring(part.start(), part.end()).strip()).toList();
  }

  /** Whether a rule's text inserts a {@code Proposal}. */
  public static boolean insertsProposal(Declaration rule) {
    return PROPOSAL.matcher(rule.body()).find();
  }

  private static void collect(Pattern pattern, String text, String file, List<Reference> literal,
      List<Reference> nonLiteral) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int line = DrlText.lineOf(text, m.start());
      if (m.group(2) != null) {
        literal.add(new Reference(m.group(2), file, line));
      } else {
        nonLiteral.add(new Reference(m.group().strip(), file, line));
      }
    }
  }

  /** Replaces comments with spaces, keeping line breaks and string literals. */
  public static String blankComments(String drl) {
    return DrlText.blankComments(drl);
  }
}
