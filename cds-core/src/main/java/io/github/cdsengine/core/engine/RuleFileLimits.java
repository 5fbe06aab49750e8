package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.drl.DrlText;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.problem.RuleProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * The largest rule file an engine reads: its size in UTF-8 bytes, the length of its longest line
 * and the number of rules it declares. They are checked before anything parses a file (the rule
 * policy, the DRL scanner, Drools' parser), in that order and each only once the one before has
 * passed, so that the work of checking a file is bounded by the byte limit however large the
 * file is; an oversized file is a {@link RuleProblem} at the line where it passes the limit,
 * never an {@link OutOfMemoryError} or a compiler that does not return.
 *
 * @param maxBytes the most UTF-8 bytes in one rule file
 * @param maxLineLength the most characters (UTF-16 units, as {@link String#length()} counts
 *     them) on one line, its line break not counted
 * @param maxRules the most rules one file may declare: lines, outside comments, that begin with
 *     the keyword {@code rule}
 */
public record RuleFileLimits(int maxBytes, int maxLineLength, int maxRules) {

  public RuleFileLimits {
    positive("maxRuleFileBytes", maxBytes);
    positive("maxRuleFileLineLength", maxLineLength);
    positive("maxRulesPerFile", maxRules);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
  }

  /** The problems of every file past a limit, at most one per file: the first limit it passes. */
  public List<RuleProblem> check(List<RuleFile> files) {
    List<RuleProblem> problems = new ArrayList<>();
    for (RuleFile file : files) {
      RuleProblem problem = check(file);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  private RuleProblem check(RuleFile file) {
    String text = file.content();
    // Each char is at most three UTF-8 bytes (a surrogate pair, two chars, is four).
    if ((long) text.length() * 3 > maxBytes) {
      long bytes = 0;
      int line = 1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (bytes > maxBytes) {
          return new RuleProblem(file.name(), line, "the file is larger than " + maxBytes
              + " bytes, the limit for one rule file (maxRuleFileBytes), and passes it on this "
              + "line; split it, one file per guideline or measure");
        }
        if (c == '\n') {
          line++;
        }
      }
    }
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        int length = i - start - (i > start && text.charAt(i - 1) == '\r' ? 1 : 0);
        if (length > maxLineLength) {
          return new RuleProblem(file.name(), line, "the line is " + length
              + " characters long, longer than " + maxLineLength + ", the limit for one line of "
              + "a rule file (maxRuleFileLineLength)");
        }
        line++;
        start = i + 1;
      }
    }
    return tooManyRules(file.name(), DrlText.blankComments(text));
  }

  /** A problem at the first rule past the limit, with the file's count; null within it. */
  private RuleProblem tooManyRules(String name, String text) {
    int rules = 0;
    int firstOver = 0;
    int line = 1;
    for (int start = 0; start < text.length(); ) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      int i = start;
      while (i < end && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (text.startsWith("rule", i)
          && (i + 4 == end || Character.isWhitespace(text.charAt(i + 4))
              || text.charAt(i + 4) == '"')) {
        rules++;
        if (rules == maxRules + 1) {
          firstOver = line;
        }
      }
      line++;
      start = end + 1;
    }
    if (rules <= maxRules) {
      return null;
    }
    return new RuleProblem(name, firstOver, "the file declares " + rules + " rules, more than "
        + maxRules + ", the limit for one rule file (maxRulesPerFile); rule " + (maxRules + 1)
        + " begins on this line");
  }
}
