package io.github.cdsengine.core.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A concept given as one or more codes (often the same meaning in several code systems) and text.
 *
 * @param codings the codes; may be empty when only text was recorded
 * @param text free text as the clinician saw it, or {@code null}
 */
public record CodeableConcept(List<Code> codings, String text) {

  /**
   * Copies the codings into an unmodifiable list.
   *
   * @param codings the codes; may be empty when only text was recorded
   * @param text free text as the clinician saw it, or {@code null}
   * @throws NullPointerException if codings or any coding is null
   */
  public CodeableConcept {
    codings = List.copyOf(Objects.requireNonNull(codings, "codings"));
  }

  /**
   * A concept with the given codes and no text.
   *
   * @param codings the codings, in the order given; none gives a concept with no coding
   * @return the concept, with {@code null} text
   */
  public static CodeableConcept of(Code... codings) {
    return new CodeableConcept(List.of(codings), null);
  }

  /**
   * Returns whether any of this concept's codings equals {@code code}.
   *
   * @param code the system and code to look for; displays are ignored, as {@link Code#equals}
   *     ignores them
   * @return true when one of the codings has that system and code
   */
  public boolean hasCoding(Code code) {
    return codings.contains(code);
  }

  /**
   * Whether {@code other} has the same codes as this concept, in any order and ignoring displays
   * and text: the same medication ordered twice, as quality measures count distinct medications.
   * False when {@code other} is null.
   *
   * @param other the concept to compare, or {@code null}
   * @return true when both hold the same set of system and code pairs
   */
  public boolean sameCodes(CodeableConcept other) {
    return other != null && new HashSet<>(codings).equals(new HashSet<>(other.codings));
  }
}
