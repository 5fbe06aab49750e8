package io.github.cdsengine.core.evaluation;

/** How urgently a recommendation needs attention, on the scale of CDS Hooks card indicators. */
public enum Severity {
  /** For information; no action needed now. */
  INFO("info"),
  /** Needs attention: an overdue screening, a risky order. */
  WARNING("warning"),
  /** Needs action before going on: a dangerous interaction, an acute finding. */
  CRITICAL("critical");

  private final String code;

  Severity(String code) {
    this.code = code;
  }

  /**
   * The CDS Hooks indicator, e.g. {@code warning}.
   *
   * @return {@code info}, {@code warning} or {@code critical}
   */
  public String code() {
    return code;
  }

  /**
   * The severity for a CDS Hooks indicator.
   *
   * @param code a CDS Hooks indicator or {@code @severity} value; matched exactly, lower case
   * @return the severity with that indicator
   * @throws IllegalArgumentException quoting the value when it is not info, warning or critical
   */
  public static Severity fromCode(String code) {
    for (Severity severity : values()) {
      if (severity.code.equals(code)) {
        return severity;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + code + "'; expected info, warning or critical");
  }
}
