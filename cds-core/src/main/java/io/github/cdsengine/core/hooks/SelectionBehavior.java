package io.github.cdsengine.core.hooks;

/**
 * How many of a card's suggestions a clinician may accept (CDS Hooks {@code selectionBehavior}).
 */
public enum SelectionBehavior {

  /** None or one; at most one suggestion may then be {@code isRecommended}. */
  AT_MOST_ONE("at-most-one"),

  /** Any number, none or all of them; several may be {@code isRecommended}. */
  ANY("any");

  private final String code;

  SelectionBehavior(String code) {
    this.code = code;
  }

  /**
   * The value as a card carries it.
   *
   * @return {@code at-most-one} or {@code any}
   */
  public String code() {
    return code;
  }

  /**
   * The behaviour whose code is {@code code}.
   *
   * @param code {@code at-most-one} or {@code any}
   * @return the behaviour
   * @throws NullPointerException if code is null
   * @throws IllegalArgumentException quoting the code when it is neither
   */
  public static SelectionBehavior fromCode(String code) {
    java.util.Objects.requireNonNull(code, "code");
    for (SelectionBehavior behavior : values()) {
      if (behavior.code.equals(code)) {
        return behavior;
      }
    }
    throw new IllegalArgumentException(
        "selectionBehavior '" + code + "' must be at-most-one or any");
  }
}
