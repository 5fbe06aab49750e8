package io.github.cdsengine.core.engine;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * Finds which rule a rule-runtime exception is about. Only the name of a rule in the engine is
 * ever returned, since what it returns is logged: exception messages may quote patient data.
 */
final class RuleNames {

  /** What a failure names when no single rule can be named. */
  static final String ENGINE = "(engine)";

  /** The rule in a Drools constraint-evaluation message: {@code ... in [Rule "name" in file]}. */
  private static final Pattern CONSTRAINT_RULE = Pattern.compile("\\[Rule \"([^\"]+)\" in ");

  private RuleNames() {}

  /**
   * The rule {@code error} or one of its causes names: a consequence exception's match, or the
   * rule of a constraint-evaluation exception; {@link #ENGINE} when neither names a rule of
   * {@code ruleNames}.
   */
  static String of(Throwable error, Set<String> ruleNames) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConsequenceException consequence && consequence.getMatch() != null) {
        String name = consequence.getMatch().getRule().getName();
        if (ruleNames.contains(name)) {
          return name;
        }
      }
      if (t.getClass().getSimpleName().equals("ConstraintEvaluationException")
          && t.getMessage() != null) {
        Matcher m = CONSTRAINT_RULE.matcher(t.getMessage());
        while (m.find()) {
          if (ruleNames.contains(m.group(1))) {
            return m.group(1);
          }
        }
      }
    }
    return ENGINE;
  }
}
