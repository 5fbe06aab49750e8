package io.github.cdsengine.core.model;

import java.util.Objects;

/**
 * A code from a code system, such as SNOMED CT {@code 73761001} (colonoscopy).
 *
 * <p>Two codes are equal when their system and code are equal; the display text is carried for
 * people and ignored by matching. A known alias of a code system (an OID, a short name, see
 * {@link CodeSystems}) is replaced by the system's canonical URI.
 *
 * @param system the code system's canonical URI, e.g. {@code http://snomed.info/sct}
 * @param code the code within that system
 * @param display a human-readable text for the code, or {@code null}
 */
public record Code(String system, String code, String display) {

  /**
   * Checks that system and code are present.
   *
   * @param system the code system's canonical URI, e.g. {@code http://snomed.info/sct}
   * @param code the code within that system
   * @param display a human-readable text for the code, or {@code null}
   * @throws NullPointerException if system or code is null
   * @throws IllegalArgumentException if system or code is blank
   */
  public Code {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(code, "code");
    if (system.isBlank()) {
      throw new IllegalArgumentException("code system must not be blank (code: '" + code + "')");
    }
    if (code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank (system: '" + system + "')");
    }
    system = CodeSystems.canonical(system);
  }

  /**
   * Creates a code with no display text.
   *
   * @param system the code system URI, e.g. {@code http://loinc.org}; never null
   * @param code the code within that system, e.g. {@code 4548-4}; never null
   * @return the code, with a {@code null} display
   */
  public static Code of(String system, String code) {
    return new Code(system, code, null);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Code that && system.equals(that.system) && code.equals(that.code);
  }

  @Override
  public int hashCode() {
    return 31 * system.hashCode() + code.hashCode();
  }

  @Override
  public String toString() {
    return system + "|" + code;
  }
}
