package io.github.cdsengine.core.evaluation;

import java.util.Objects;

/**
 * One rule in an engine, with where it is defined and what it recommends.
 *
 * @param name the rule's name
 * @param file the DRL file it is in
 * @param line the line its {@code rule} keyword is on
 * @param recommendationId its {@code @recommendation}, or {@code null} for a supporting rule
 * @param guideline its published source
 */
public record RuleInfo(String name, String file, int line, String recommendationId,
    Guideline guideline) {

  /**
   * Checks the fields.
   *
   * @param name the rule's name; never null
   * @param file the DRL file it is in; never null
   * @param line the 1-based line its {@code rule} keyword is on
   * @param recommendationId its {@code @recommendation}, or {@code null} for a supporting rule
   * @param guideline its published source; never null
   * @throws NullPointerException if name, file or guideline is null
   */
  public RuleInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(guideline, "guideline");
  }
}
