package io.github.cdsengine.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a single-fact constraint's expression and tells whether evaluating it can throw: it
 * cannot when it only compares the fact's own fields (record components, read by their accessors)
 * with literals, constants ({@code Type.NAME}) or each other, by {@code ==} and {@code !=}, or by
 * {@code <}, {@code <=}, {@code >}, {@code >=} between primitive numbers, joined by {@code &&},
 * {@code ||}, {@code !} and parentheses; a primitive boolean field may stand alone, and so may a
 * call of one of the fact's methods with string literals that the caller vouches for. Anything
 * else, another method call, a nested field, an operator not listed, is not safe.
 */
final class SafeConstraint {

  private static final Set<String> EQUALITY = Set.of("==", "!=");
  private static final Set<String> ORDER = Set.of("<", "<=", ">", ">=");
  /** The type of a {@code Type.NAME} constant. */
  private static final Class<?> CONSTANT = Enum.class;
  /** The type of the literal {@code null}. */
  private static final Class<?> NULL = Void.class;
  private static final Set<Class<?>> NUMBERS =
      Set.of(int.class, long.class, short.class, byte.class, double.class, float.class);

  /**
   * The methods of a fact that a constraint may call, by name: whether a call with these
   * string-literal arguments returns a boolean without throwing.
   */
  interface Calls {
    boolean safe(String method, List<String> arguments);
  }

  /** No method may be called. */
  static final Calls NO_CALLS = (method, arguments) -> false;

  private final List<String> tokens;
  private final Map<String, Class<?>> fields;
  private final Calls calls;
  private int next;

  private SafeConstraint(List<String> tokens, Map<String, Class<?>> fields, Calls calls) {
    this.tokens = tokens;
    this.fields = fields;
    this.calls = calls;
  }

  /**
   * Whether evaluating {@code expression} on a fact with these record {@code fields} cannot throw,
   * calling only methods of the fact that {@code calls} answers for.
   */
  static boolean safe(String expression, Map<String, Class<?>> fields, Calls calls) {
    List<String> tokens = tokens(expression);
    if (tokens == null || tokens.isEmpty()) {
      return false;
    }
    SafeConstraint reader = new SafeConstraint(tokens, fields, calls);
    return reader.disjunction() && reader.next == tokens.size();
  }

  /**
   * The inclusive range of {@code years} that {@code expression} allows when it is a single
   * comparison of the field {@code years} with an integer literal ({@code years >= 50}); null
   * otherwise.
   */
  static int[] yearsBound(String expression) {
    List<String> tokens = tokens(expression);
    if (tokens == null || tokens.size() != 3) {
      return null;
    }
    String operator = tokens.get(1);
    boolean yearsFirst = tokens.get(0).equals("years");
    if (!yearsFirst && !tokens.get(2).equals("years")) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(yearsFirst ? tokens.get(2) : tokens.get(0));
    } catch (NumberFormatException e) {
      return null;
    }
    if (value < Integer.MIN_VALUE + 1 || value > Integer.MAX_VALUE - 1) {
      return null;
    }
    int n = (int) value;
    if (!yearsFirst) {
      operator = switch (operator) {
        case "<" -> ">";
        case "<=" -> ">=";
        case ">" -> "<";
        case ">=" -> "<=";
        default -> operator;
      };
    }
    return switch (operator) {
      case ">=" -> new int[] {n, Integer.MAX_VALUE};
      case ">" -> new int[] {n + 1, Integer.MAX_VALUE};
      case "<=" -> new int[] {Integer.MIN_VALUE, n};
      case "<" -> new int[] {Integer.MIN_VALUE, n - 1};
      case "==" -> new int[] {n, n};
      default -> null;
    };
  }

  private boolean disjunction() {
    if (!conjunction()) {
      return false;
    }
    while (peek("||")) {
      next++;
      if (!conjunction()) {
        return false;
      }
    }
    return true;
  }

  private boolean conjunction() {
    if (!unary()) {
      return false;
    }
    while (peek("&&")) {
      next++;
      if (!unary()) {
        return false;
      }
    }
    return true;
  }

  private boolean unary() {
    if (peek("!")) {
      next++;
      return unary();
    }
    if (peek("(")) {
      next++;
      if (!disjunction() || !peek(")")) {
        return false;
      }
      next++;
      return true;
    }
    return comparison();
  }

  /** An operand, or two compared. */
  private boolean comparison() {
    Class<?> left = operand();
    if (left == null) {
      return false;
    }
    if (next < tokens.size() && (EQUALITY.contains(tokens.get(next))
        || ORDER.contains(tokens.get(next)))) {
      String operator = tokens.get(next++);
      Class<?> right = operand();
      if (right == null) {
        return false;
      }
      return EQUALITY.contains(operator) ? comparable(left, right)
          : number(left) && number(right);
    }
    return left == boolean.class;
  }

  /**
   * Whether {@code ==} between operands of these types is a plain comparison: numbers with
   * numbers, strings with strings, booleans with booleans, anything not primitive with null, and
   * anything with a constant or a field of the same type. A string compared with a date, say,
   * would be converted first, which can fail.
   */
  private static boolean comparable(Class<?> left, Class<?> right) {
    if (left == CONSTANT || right == CONSTANT || left == right) {
      return true;
    }
    if (left == NULL || right == NULL) {
      return !(left == NULL ? right : left).isPrimitive();
    }
    if (number(left) && number(right)) {
      return true;
    }
    boolean leftBoolean = left == boolean.class || left == Boolean.class;
    boolean rightBoolean = right == boolean.class || right == Boolean.class;
    return leftBoolean && rightBoolean;
  }

  private static boolean number(Class<?> type) {
    return NUMBERS.contains(type) || type == Number.class;
  }

  /**
   * The type of the operand at the cursor, moving past it: a field's type, {@code Number} for a
   * numeric literal, {@code String}, {@code boolean}, {@link #NULL} for the other literals and
   * {@link #CONSTANT} for a constant; null if it is none of these.
   */
  private Class<?> operand() {
    if (next >= tokens.size()) {
      return null;
    }
    String token = tokens.get(next++);
    if (token.startsWith("\"")) {
      return String.class;
    }
    if (Character.isDigit(token.charAt(0))) {
      return Number.class;
    }
    if (!Character.isJavaIdentifierStart(token.charAt(0))) {
      return null;
    }
    if (token.equals("null")) {
      return NULL;
    }
    if (token.equals("true") || token.equals("false")) {
      return boolean.class;
    }
    if (peek("(")) {
      return call(token);
    }
    if (peek(".")) {
      // A constant, Type.NAME: a class name and an upper-case name, no further dot or call.
      next++;
      if (next >= tokens.size() || !Character.isUpperCase(token.charAt(0))) {
        return null;
      }
      String name = tokens.get(next++);
      if (!name.equals(name.toUpperCase(java.util.Locale.ROOT))
          || !Character.isJavaIdentifierStart(name.charAt(0)) || peek(".") || peek("(")) {
        return null;
      }
      return CONSTANT;
    }
    return fields.get(token);
  }

  /**
   * A call of the fact's method {@code method} whose arguments are string literals, the cursor on
   * its opening parenthesis: boolean when {@link #calls} answers for it, else null.
   */
  private Class<?> call(String method) {
    next++;
    List<String> arguments = new ArrayList<>();
    while (next < tokens.size() && !peek(")")) {
      String argument = tokens.get(next++);
      if (!argument.startsWith("\"")) {
        return null;
      }
      arguments.add(argument.substring(1, argument.length() - 1));
      if (peek(",")) {
        next++;
        if (peek(")")) {
          return null;
        }
      } else if (!peek(")")) {
        return null;
      }
    }
    if (!peek(")")) {
      return null;
    }
    next++;
    return calls.safe(method, arguments) ? boolean.class : null;
  }

  private boolean peek(String token) {
    return next < tokens.size() && tokens.get(next).equals(token);
  }

  /** The expression's tokens, or null when it holds a character outside this small language. */
  private static List<String> tokens(String expression) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = expression.length();
    while (i < n) {
      char c = expression.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = i + 1;
        while (end < n && expression.charAt(end) != '"') {
          if (expression.charAt(end) == '\\') {
            return null;
          }
          end++;
        }
        if (end >= n) {
          return null;
        }
        tokens.add(expression.substring(i, end + 1));
        i = end + 1;
      } else if (Character.isDigit(c)) {
        int end = i;
        while (end < n && (Character.isDigit(expression.charAt(end))
            || expression.charAt(end) == '.')) {
          end++;
        }
        String number = expression.substring(i, end);
        if (number.chars().filter(ch -> ch == '.').count() > 1 || number.endsWith(".")) {
          return null;
        }
        tokens.add(number);
        i = end;
      } else if (Character.isJavaIdentifierStart(c) && c != '$') {
        int end = i;
        while (end < n && Character.isJavaIdentifierPart(expression.charAt(end))
            && expression.charAt(end) != '$') {
          end++;
        }
        tokens.add(expression.substring(i, end));
        i = end;
      } else {
        String two = i + 1 < n ? expression.substring(i, i + 2) : "";
        if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")
            || two.equals("&&") || two.equals("||")) {
          tokens.add(two);
          i += 2;
        } else if ("<>!().,".indexOf(c) >= 0) {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          return null;
        }
      }
    }
    return tokens;
  }
}
