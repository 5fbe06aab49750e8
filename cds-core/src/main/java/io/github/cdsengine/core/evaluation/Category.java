package io.github.cdsengine.core.evaluation;

/**
 * The kind of care a recommendation is about. Declared in ranking order: when severity and
 * evidence strength tie, the more time-critical kind ranks first.
 */
public enum Category {
  /** An acute finding that needs attention in this encounter. */
  ACUTE_ALERT("acute-alert"),
  /** A risk from a medication being ordered or taken. */
  MEDICATION_SAFETY("medication-safety"),
  /** Monitoring or control of a known chronic disease. */
  CHRONIC_DISEASE_MONITORING("chronic-disease-monitoring"),
  /** A vaccine that is due. */
  IMMUNIZATION("immunization"),
  /** A screening test that is due. */
  SCREENING("screening");

  private final String code;

  Category(String code) {
    this.code = code;
  }

  /**
   * The code used in rule metadata, e.g. {@code medication-safety}.
   *
   * @return the lower-case, hyphenated code rule authors write in {@code @category}
   */
  public String code() {
    return code;
  }

  /**
   * The category for a metadata code.
   *
   * @param code a code as written in rule metadata, e.g. {@code screening}; matched exactly
   * @return the category with that code
   * @throws IllegalArgumentException quoting the value and listing the allowed codes
   */
  public static Category fromCode(String code) {
    for (Category category : values()) {
      if (category.code.equals(code)) {
        return category;
      }
    }
    throw new IllegalArgumentException("unknown category '" + code + "'; expected one of: "
        + "acute-alert, medication-safety, chronic-disease-monitoring, immunization, screening");
  }
}
