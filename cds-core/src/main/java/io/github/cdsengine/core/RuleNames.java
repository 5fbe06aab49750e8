package io.github.cdsengine.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the rule a rule-runtime exception is about, from its message. */
final class RuleNames {

  private static final Pattern RULE_IN_MESSAGE =
      Pattern.compile("[Rr]ule[ :]*\\[?\\s*(?:name=)?\"?([^\"\\],]+)\"?");

  private RuleNames() {}

  /** The rule named in the messages of {@code error} or its causes, or {@code (engine)}. */
  static String fromMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = RULE_IN_MESSAGE.matcher(t.getMessage());
        if (m.find()) {
          return m.group(1).strip();
        }
      }
    }
    return "(engine)";
  }
}
