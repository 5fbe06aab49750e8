package io.github.cdsengine.core.drl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits DRL text (with comments already blanked) into the tokens {@link io.github.cdsengine.core.policy.RulePolicy} reads:
 * identifiers, string and character literals (where {@link DrlText} ends them), numbers and
 * single punctuation marks ({@code ::} is one token). Whitespace between tokens is dropped, so {@code java . lang . System} reads as
 * the same chain as {@code java.lang.System}.
 */
public final class DrlTokens {

  /** What a token is. */
  public enum Kind { IDENTIFIER, STRING, NUMBER, SYMBOL }

  /** One token and the 1-based line it starts on. */
  public record Token(Kind kind, String text, int line) {

    public boolean is(String symbolOrWord) {
      return kind != Kind.STRING && text.equals(symbolOrWord);
    }

    public boolean identifier() {
      return kind == Kind.IDENTIFIER;
    }
  }

  private DrlTokens() {}

  /** The tokens of {@code text}, whose comments must already be blanked. */
  public static List<Token> of(String text) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'') {
        i = DrlText.endOfLiteral(text, i);
        String literal = text.substring(start, Math.min(i, text.length()));
        tokens.add(new Token(Kind.STRING, literal, line));
        line += (int) literal.chars().filter(ch -> ch == '\n').count();
      } else if (Character.isJavaIdentifierStart(c)) {
        while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, text.substring(start, i), line));
      } else if (Character.isDigit(c)) {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '_' || text.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(start, i), line));
      } else if (c == ':' && text.startsWith("::", i)) {
        i += 2;
        tokens.add(new Token(Kind.SYMBOL, "::", line));
      } else {
        i++;
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), line));
      }
    }
    return tokens;
  }
}
