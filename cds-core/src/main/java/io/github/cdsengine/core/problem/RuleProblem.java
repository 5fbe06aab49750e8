package io.github.cdsengine.core.problem;

import java.io.Serializable;
import java.util.Objects;

/**
 * One problem found in a rule set while building an engine: a DRL compile error, invalid rule
 * metadata, or a reference to something that is not loaded.
 *
 * @param file the DRL file (or value set source) it is in
 * @param line the 1-based line, or 0 when the problem has no single line
 * @param message what is wrong and, where it can, how to fix it
 * @serial exclude
 */
public record RuleProblem(String file, int line, String message) implements Serializable {

  /**
   * Checks the fields.
   *
   * @param file the DRL file or value set source the problem is in; never null
   * @param line the 1-based line in {@code file}, or 0 when the problem has no single line
   * @param message what is wrong and, where possible, how to fix it; never null
   * @throws NullPointerException if file or message is null
   */
  public RuleProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line: message}, the form editors and CI logs link to. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
