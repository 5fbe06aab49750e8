package io.github.cdsengine.core.drl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DRL text: comments, string literals, brackets, and where each rule and query is. The
 * engine build's scanner, the rule policy's tokens and the command line's lint all read DRL
 * through it, so they agree on what is code. Not an API.
 *
 * <p>A string literal opens with {@code "} or {@code '} and ends at the same quote or at the end
 * of its line; a backslash escapes the character after it. Offsets are into the text given;
 * lines count from 1.
 */
public final class DrlText {

  /**
   * A rule or query: its name as Drools reads it, and the offsets of its text, from its keyword
   * to the end of its {@code end} (or of the text, when it has none).
   */
  public record Block(String name, int start, int end) {}

  /** The text from {@code start} (included) to {@code end} (excluded). */
  public record Span(int start, int end) {}

  /**
   * {@code Type(}: a pattern on a fact type, and also a constructor or static call, which the
   * reader tells apart from what comes before it.
   */
  public static final Pattern TYPE_CALL = Pattern.compile("\\b([A-Z][\\w$]*)\\s*\\(");

  private static final Pattern RULE = Pattern.compile(
      "(?m)^[ \\t]*rule[ \\t]+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([\\w$]+))");
  private static final Pattern QUERY = Pattern.compile(
      "(?m)^[ \\t]*query[ \\t]+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([\\w$]+))");
  /** {@code end} closing a rule: last on its line, and not a field such as {@code $mp.end}. */
  private static final Pattern END =
      Pattern.compile("(?m)(?:^|(?<=[\\s;)}]))end[ \\t]*;?[ \\t]*$");

  private DrlText() {}

  /** Replaces comments with spaces, keeping line breaks and string literals. */
  public static String blankComments(String drl) {
    char[] blanked = drl.toCharArray();
    for (Comment comment : comments(drl)) {
      for (int i = comment.start(); i < comment.end(); i++) {
        if (blanked[i] != '\n') {
          blanked[i] = ' ';
        }
      }
    }
    return new String(blanked);
  }

  /** Every {@code //} comment: from its slashes to its line's end, the line break excluded. */
  public static List<Span> lineComments(String drl) {
    return comments(drl).stream().filter(Comment::line)
        .map(comment -> new Span(comment.start(), comment.end())).toList();
  }

  /** A comment of either kind: {@code //} to the line's end, or a block comment. */
  private record Comment(int start, int end, boolean line) {}

  /** Every comment outside string literals, in text order; an unclosed block runs to the end. */
  private static List<Comment> comments(String drl) {
    List<Comment> comments = new ArrayList<>();
    int i = 0;
    while (i < drl.length()) {
      char c = drl.charAt(i);
      char next = i + 1 < drl.length() ? drl.charAt(i + 1) : '\0';
      if (c == '"' || c == '\'') {
        i = endOfLiteral(drl, i);
      } else if (c == '/' && next == '/') {
        int end = drl.indexOf('\n', i);
        end = end < 0 ? drl.length() : end;
        comments.add(new Comment(i, end, true));
        i = end;
      } else if (c == '/' && next == '*') {
        int end = drl.indexOf("*/", i + 2);
        end = end < 0 ? drl.length() : end + 2;
        comments.add(new Comment(i, end, false));
        i = end;
      } else {
        i++;
      }
    }
    return comments;
  }

  /** The line of {@code text} on which {@code offset} falls. */
  public static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * The offset just after the string literal whose quote is at {@code quote}: after its closing
   * quote, or after the line break or text that ends it unclosed.
   */
  public static int endOfLiteral(String text, int quote) {
    return Math.min(stop(text, quote) + 1, text.length());
  }

  /** Where a literal's scan stops: its closing quote, a line break, or past the text's end. */
  private static int stop(String text, int quote) {
    char delimiter = text.charAt(quote);
    int i = quote + 1;
    while (i < text.length() && text.charAt(i) != delimiter && text.charAt(i) != '\n') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }

  /**
   * What every closed {@code "} string literal of {@code text} holds, escapes as written, in text
   * order. The comments of {@code text} must already be blanked.
   */
  public static List<String> stringLiterals(String text) {
    List<String> literals = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int stop = stop(text, i);
        if (c == '"' && stop < text.length() && text.charAt(stop) == '"') {
          literals.add(text.substring(i + 1, stop));
        }
        i = Math.min(stop, text.length() - 1);
      }
    }
    return literals;
  }

  /**
   * The offset of the parenthesis closing the one at {@code open}, skipping string literals, or
   * the text's length when none does.
   */
  public static int closingParenthesis(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfLiteral(text, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return text.length();
  }

  /**
   * {@code text[from, to)} split at each of {@code separators} that is outside brackets and
   * string literals; the parts are not stripped.
   */
  public static List<Span> splitTopLevel(String text, int from, int to, String... separators) {
    List<Span> parts = new ArrayList<>();
    int depth = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfLiteral(text, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (depth == 0) {
        for (String separator : separators) {
          if (i + separator.length() <= to && text.startsWith(separator, i)) {
            parts.add(new Span(start, i));
            start = i + separator.length();
            i = start - 1;
            break;
          }
        }
      }
    }
    parts.add(new Span(start, to));
    return parts;
  }

  /** Every rule of {@code text}, whose comments must already be blanked, in text order. */
  public static List<Block> rules(String text) {
    return blocks(RULE, text);
  }

  /** Every query of {@code text}, whose comments must already be blanked, in text order. */
  public static List<Block> queries(String text) {
    return blocks(QUERY, text);
  }

  private static List<Block> blocks(Pattern keyword, String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher declaration = keyword.matcher(text);
    while (declaration.find()) {
      String name = declaration.group(1) != null ? unescape(declaration.group(1))
          : declaration.group(2) != null ? declaration.group(2) : declaration.group(3);
      Matcher end = END.matcher(text);
      int endOffset = end.find(declaration.end()) ? end.end() : text.length();
      blocks.add(new Block(name, declaration.start(), endOffset));
    }
    return blocks;
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
}
