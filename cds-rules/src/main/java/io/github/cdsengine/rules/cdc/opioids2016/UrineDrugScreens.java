package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a urine drug screen's result is positive or negative, as text or coded, and the codes
 * that say so: the one place the CDC opioid pack keeps them.
 *
 * <p>The reference logic (cqframework opioid-cds-r4, branch v2016, OpioidCDSREC10Common
 * "Positive Opiate Screenings" and its siblings) reads the value as a string only, positive when
 * it starts with {@code pos} and negative when it starts with {@code neg}, in any case. A
 * laboratory may send the same finding coded instead, so a result also counts when its {@code
 * valueCodeableConcept} or its {@code interpretation} carries one of the codes below, or a
 * coded value's text reads as the string would. A result both positive and negative (a text
 * value "NEG" with the interpretation {@code POS}) counts as positive: the card it raises asks
 * the clinician to confirm before acting, whereas missing a positive screen hides it.
 */
public final class UrineDrugScreens {

  /**
   * Codes of a positive finding: SNOMED CT 10828004 |Positive (qualifier value)| and 260373001
   * |Detected (qualifier value)|; HL7 v3 ObservationInterpretation ({@link
   * CodeSystems#V3_OBSERVATION_INTERPRETATION}, THO) {@code POS} (Positive) and {@code DET}
   * (Detected); LOINC answer codes ({@link CodeSystems#LOINC}, the LA codes of LOINC's answer
   * lists, which laboratories send as the value of a qualitative test) LA6576-8 Positive and
   * LA11882-0 Detected.
   */
  public static final Set<Code> POSITIVE = Set.of(
      new Code(CodeSystems.SNOMED_CT, "10828004", "Positive"),
      new Code(CodeSystems.SNOMED_CT, "260373001", "Detected"),
      new Code(CodeSystems.LOINC, "LA6576-8", "Positive"),
      new Code(CodeSystems.LOINC, "LA11882-0", "Detected"),
      new Code(CodeSystems.V3_OBSERVATION_INTERPRETATION, "POS", "Positive"),
      new Code(CodeSystems.V3_OBSERVATION_INTERPRETATION, "DET", "Detected"));

  /**
   * Codes of a negative finding: SNOMED CT 260385009 |Negative (qualifier value)| and 260415000
   * |Not detected (qualifier value)|; HL7 v3 ObservationInterpretation {@code NEG} (Negative) and
   * {@code ND} (Not detected); LOINC answers LA6577-6 Negative and LA11883-8 Not detected.
   */
  public static final Set<Code> NEGATIVE = Set.of(
      new Code(CodeSystems.SNOMED_CT, "260385009", "Negative"),
      new Code(CodeSystems.SNOMED_CT, "260415000", "Not detected"),
      new Code(CodeSystems.LOINC, "LA6577-6", "Negative"),
      new Code(CodeSystems.LOINC, "LA11883-8", "Not detected"),
      new Code(CodeSystems.V3_OBSERVATION_INTERPRETATION, "NEG", "Negative"),
      new Code(CodeSystems.V3_OBSERVATION_INTERPRETATION, "ND", "Not detected"));

  private UrineDrugScreens() {}

  /**
   * Whether a screen's result is positive: a text value starting {@code pos} in any case, or a
   * coded value or interpretation with a {@link #POSITIVE} code (or a coded value whose text
   * starts {@code pos}).
   *
   * @param screen a urine drug screen result (the caller checks its code)
   * @return {@code true} when any of these reads positive; {@code false} when the result has no
   *     value or interpretation
   */
  public static boolean positive(Observation screen) {
    return reads(screen, "pos", POSITIVE);
  }

  /**
   * Whether a screen's result is negative, read as {@link #positive} reads a positive one
   * ({@code neg}, {@link #NEGATIVE}), and it is not also positive.
   *
   * @param screen a urine drug screen result (the caller checks its code)
   * @return {@code true} when it reads negative and not positive; a result with no value is
   *     neither positive nor negative
   */
  public static boolean negative(Observation screen) {
    return reads(screen, "neg", NEGATIVE) && !positive(screen);
  }

  /**
   * Whether any of {@code screens} is a positive urine drug screen ({@link #positive}).
   *
   * @param screens the urine drug screens of interest (e.g. of the past year for one drug
   *     class); objects other than {@link Observation} are ignored
   * @return {@code true} when at least one is positive; {@code false} for an empty collection
   */
  public static boolean anyPositive(Collection<?> screens) {
    for (Object screen : screens) {
      if (screen instanceof Observation observation && positive(observation)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The positive results among {@code screens} as a card shows them, as OpioidCDSREC10Common
   * "Cocaine Summary" and its siblings do: their dates in {@code zone}, oldest first, then how
   * many negative results came after the latest positive one, e.g. {@code 2021-10-23, 2022-05-09
   * (1 negative since)}. A screen dated by a period counts by its start.
   *
   * @param screens the urine drug screens of interest; objects other than {@link Observation},
   *     and results with no effective time, are ignored
   * @param zone the evaluation's time zone, on whose calendar an instant falls on a day
   * @return the dates, each once; empty when none is positive
   */
  public static String positiveDates(Collection<?> screens, ZoneId zone) {
    List<ClinicalTime> positives = new ArrayList<>();
    List<ClinicalTime> negatives = new ArrayList<>();
    for (Object screen : screens) {
      if (screen instanceof Observation observation && observation.effective() != null
          && observation.effective().start() != null) {
        if (positive(observation)) {
          positives.add(observation.effective().start());
        } else if (negative(observation)) {
          negatives.add(observation.effective().start());
        }
      }
    }
    if (positives.isEmpty()) {
      return "";
    }
    positives.sort(null);
    ClinicalTime latest = positives.get(positives.size() - 1);
    long since = negatives.stream().filter(n -> n.compareTo(latest) > 0).count();
    StringBuilder text = new StringBuilder();
    for (ClinicalTime time : positives) {
      String date = time.dateIn(zone).toString();
      if (text.indexOf(date) < 0) {
        text.append(text.length() == 0 ? "" : ", ").append(date);
      }
    }
    return since == 0 ? text.toString() : text + " (" + since + " negative since)";
  }

  /**
   * The tests among {@code screens} whose result is positive, as a card names them: each test's
   * first coding's display, else the concept's text, else its code ({@code LOINC 11235-9}),
   * once each, in the order given, comma-separated.
   *
   * @param screens the urine drug screens of interest; objects other than {@link Observation}
   *     are ignored
   * @return the names, e.g. {@code Cocaine [Presence] in Urine}; a test with neither code nor
   *     name reads {@code unnamed test}; empty when none is positive
   */
  public static String positiveTests(Collection<?> screens) {
    List<String> names = new ArrayList<>();
    for (Object screen : screens) {
      if (screen instanceof Observation observation && positive(observation)) {
        String name = testName(observation.code());
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return String.join(", ", names);
  }

  private static String testName(CodeableConcept test) {
    if (test == null) {
      return "unnamed test";
    }
    for (Code coding : test.codings()) {
      if (coding.display() != null && !coding.display().isBlank()) {
        return coding.display();
      }
    }
    if (test.text() != null && !test.text().isBlank()) {
      return test.text();
    }
    if (test.codings().isEmpty()) {
      return "unnamed test";
    }
    Code first = test.codings().get(0);
    return (first.system().equals(CodeSystems.LOINC) ? "LOINC " : first.system() + " ")
        + first.code();
  }

  private static boolean reads(Observation screen, String prefix, Set<Code> codes) {
    return startsWith(screen.valueString(), prefix)
        || coded(screen.valueConcept(), codes)
        || (screen.valueConcept() != null && startsWith(screen.valueConcept().text(), prefix))
        || coded(screen.interpretation(), codes);
  }

  private static boolean startsWith(String text, String prefix) {
    return text != null && text.strip().toLowerCase(Locale.ROOT).startsWith(prefix);
  }

  private static boolean coded(CodeableConcept concept, Set<Code> codes) {
    if (concept == null) {
      return false;
    }
    for (Code coding : concept.codings()) {
      if (codes.contains(coding)) {
        return true;
      }
    }
    return false;
  }
}
