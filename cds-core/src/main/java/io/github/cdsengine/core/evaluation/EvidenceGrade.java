package io.github.cdsengine.core.evaluation;

import java.util.Objects;
import java.util.Set;

/**
 * A recommendation's grade in its guideline's own scale, such as USPSTF grade A, with the common
 * strength it maps to for ranking.
 *
 * <p>Written in rule metadata as {@code SCALE:GRADE}. Supported scales and how each grade maps:
 *
 * <ul>
 *   <li>{@code USPSTF:A} strong; {@code B} moderate; {@code D} (recommend against, moderate or
 *       high certainty) moderate; {@code C} (selectively offer) weak; {@code I} insufficient.
 *   <li>{@code GRADE:strong} strong; {@code GRADE:conditional} or {@code GRADE:weak} weak; an
 *       optional certainty of evidence may follow, {@code GRADE:strong/moderate}.
 *   <li>{@code CDC:A} (applies to all persons) strong; {@code CDC:B} (individual decision) weak;
 *       an optional evidence type 1 to 4 may follow, {@code CDC:A/3}. This is the scale of the
 *       CDC opioid prescribing guideline (2016) and of ACIP recommendations.
 *   <li>{@code ADA:A} strong; {@code B} moderate; {@code C} weak; {@code E} (expert consensus)
 *       insufficient. The evidence levels of the American Diabetes Association's Standards of
 *       Care.
 *   <li>{@code ACC/AHA:I} strong; {@code IIa} moderate; {@code IIb} weak; {@code III} (no benefit
 *       or harm: recommend against) strong; an optional level of evidence may follow, {@code
 *       ACC/AHA:I/A} ({@code A}, {@code B-R}, {@code B-NR}, {@code C-LD}, {@code C-EO}). The
 *       classes of recommendation of the ACC/AHA guidelines.
 *   <li>{@code KDIGO:1A} to {@code KDIGO:2D}: level 1 ("we recommend") strong, level 2 ("we
 *       suggest") weak, then the quality of evidence A to D.
 *   <li>{@code SORT:A} strong; {@code B} moderate; {@code C} weak. The Strength of
 *       Recommendation Taxonomy (Ebell et al., Am Fam Physician 2004) that American Family
 *       Physician grades its recommendations with: A, consistent good-quality patient-oriented
 *       evidence; B, inconsistent or limited; C, consensus, usual practice, opinion or
 *       disease-oriented evidence.
 * </ul>
 *
 * @param scale the grading scale: {@code USPSTF}, {@code GRADE} or {@code CDC}
 * @param grade the grade as the guideline states it, e.g. {@code A} or {@code strong/moderate}
 * @param strength the common strength used for ranking
 */
public record EvidenceGrade(String scale, String grade, Strength strength) {

  /** The strength of a recommendation on one scale for all guidelines, strongest first. */
  public enum Strength {
    /** Strong recommendation, high certainty of substantial net benefit. */
    STRONG,
    /** Moderate: a recommendation with moderate net benefit or certainty. */
    MODERATE,
    /** Weak: offer selectively, or an individual decision. */
    WEAK,
    /** The evidence is insufficient to recommend for or against. */
    INSUFFICIENT
  }

  private static final Set<String> GRADE_CERTAINTY = Set.of("high", "moderate", "low", "very-low");

  /**
   * Checks the fields.
   *
   * @param scale the grading scale, e.g. {@code USPSTF}; never null
   * @param grade the grade as the guideline states it, e.g. {@code A}; never null
   * @param strength the common strength used for ranking; never null
   * @throws NullPointerException if any field is null
   */
  public EvidenceGrade {
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(grade, "grade");
    Objects.requireNonNull(strength, "strength");
  }

  /**
   * Parses {@code SCALE:GRADE}, e.g. {@code USPSTF:A}.
   *
   * @param text the grade as written in {@code @evidence}, the scale and grade separated by a
   *     colon; blanks around either part are ignored
   * @return the grade with the common strength its scale maps it to
   * @throws IllegalArgumentException quoting the text and saying what is accepted
   */
  public static EvidenceGrade parse(String text) {
    Objects.requireNonNull(text, "evidence grade");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("evidence grade '" + text
          + "' must be SCALE:GRADE, e.g. USPSTF:A, GRADE:strong/moderate or CDC:A/3");
    }
    String scale = text.substring(0, colon).trim();
    String grade = text.substring(colon + 1).trim();
    Strength strength = switch (scale) {
      case "USPSTF" -> uspstf(grade, text);
      case "GRADE" -> gradeScale(grade, text);
      case "CDC" -> cdc(grade, text);
      case "ADA" -> ada(grade, text);
      case "ACC/AHA" -> accAha(grade, text);
      case "KDIGO" -> kdigo(grade, text);
      case "SORT" -> sort(grade, text);
      default -> throw new IllegalArgumentException("evidence grade '" + text
          + "' has unknown scale '" + scale
          + "'; expected USPSTF, GRADE, CDC, ADA, ACC/AHA, KDIGO or SORT");
    };
    return new EvidenceGrade(scale, grade, strength);
  }

  private static Strength uspstf(String grade, String text) {
    return switch (grade) {
      case "A" -> Strength.STRONG;
      case "B", "D" -> Strength.MODERATE;
      case "C" -> Strength.WEAK;
      case "I" -> Strength.INSUFFICIENT;
      default -> throw new IllegalArgumentException(
          "evidence grade '" + text + "': USPSTF grades are A, B, C, D and I");
    };
  }

  private static Strength gradeScale(String grade, String text) {
    String[] parts = grade.split("/", -1);
    if (parts.length > 2 || (parts.length == 2 && !GRADE_CERTAINTY.contains(parts[1]))) {
      throw new IllegalArgumentException("evidence grade '" + text
          + "': GRADE certainty must be high, moderate, low or very-low");
    }
    return switch (parts[0]) {
      case "strong" -> Strength.STRONG;
      case "conditional", "weak" -> Strength.WEAK;
      default -> throw new IllegalArgumentException("evidence grade '" + text
          + "': GRADE strength must be strong, conditional or weak");
    };
  }

  private static Strength cdc(String grade, String text) {
    String[] parts = grade.split("/", -1);
    if (parts.length > 2 || (parts.length == 2 && !parts[1].matches("[1-4]"))) {
      throw new IllegalArgumentException(
          "evidence grade '" + text + "': CDC evidence type must be 1, 2, 3 or 4");
    }
    return switch (parts[0]) {
      case "A" -> Strength.STRONG;
      case "B" -> Strength.WEAK;
      default -> throw new IllegalArgumentException(
          "evidence grade '" + text + "': CDC recommendation categories are A and B");
    };
  }

  private static Strength ada(String grade, String text) {
    return switch (grade) {
      case "A" -> Strength.STRONG;
      case "B" -> Strength.MODERATE;
      case "C" -> Strength.WEAK;
      case "E" -> Strength.INSUFFICIENT;
      default -> throw new IllegalArgumentException(
          "evidence grade '" + text + "': ADA evidence levels are A, B, C and E");
    };
  }

  private static Strength accAha(String grade, String text) {
    String[] parts = grade.split("/", -1);
    if (parts.length > 2 || (parts.length == 2
        && !Set.of("A", "B-R", "B-NR", "C-LD", "C-EO").contains(parts[1]))) {
      throw new IllegalArgumentException("evidence grade '" + text
          + "': ACC/AHA levels of evidence are A, B-R, B-NR, C-LD and C-EO");
    }
    return switch (parts[0]) {
      case "I", "III" -> Strength.STRONG;
      case "IIa" -> Strength.MODERATE;
      case "IIb" -> Strength.WEAK;
      default -> throw new IllegalArgumentException("evidence grade '" + text
          + "': ACC/AHA classes of recommendation are I, IIa, IIb and III");
    };
  }

  private static Strength sort(String grade, String text) {
    return switch (grade) {
      case "A" -> Strength.STRONG;
      case "B" -> Strength.MODERATE;
      case "C" -> Strength.WEAK;
      default -> throw new IllegalArgumentException(
          "evidence grade '" + text + "': SORT strengths of recommendation are A, B and C");
    };
  }

  private static Strength kdigo(String grade, String text) {
    if (!grade.matches("[12][A-D]")) {
      throw new IllegalArgumentException("evidence grade '" + text
          + "': KDIGO grades are a level 1 or 2 and a quality A to D, e.g. 1B");
    }
    return grade.charAt(0) == '1' ? Strength.STRONG : Strength.WEAK;
  }

  @Override
  public String toString() {
    return scale + ":" + grade;
  }
}
