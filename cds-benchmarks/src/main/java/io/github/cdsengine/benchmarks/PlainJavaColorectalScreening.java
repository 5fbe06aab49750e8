package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.EvaluationContext;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSets;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The shipped USPSTF 2021 colorectal screening pack written by hand in plain Java: the floor
 * the engine is measured against.
 *
 * <p>It decides what {@code colorectal-cancer-screening.drl} decides, with the same value sets
 * and the same lookbacks ({@link Now#withinYears}): screening is due at 45 to 49 (grade B) and 50
 * to 75 (grade A), offered selectively at 76 to 85 (grade C), unless a screening test is on
 * record within its interval; a positive or abnormal stool test or CT colonography within its
 * interval with no colonoscopy on its day or later makes a follow-up colonoscopy due instead, at
 * 45 to 85; each is withheld for colorectal cancer, a high-risk condition or a total colectomy.
 * It returns recommendation ids only, with none of the engine's explanation. Thread-safe.
 */
public final class PlainJavaColorectalScreening {

  /** The recommendation for adults 45 to 75. */
  public static final String SCREENING = "uspstf-crc-screening";

  /** The selective offer for adults 76 to 85. */
  public static final String SELECTIVE_SCREENING = "uspstf-crc-screening-selective";

  /** The follow-up colonoscopy after a positive or abnormal result, adults 45 to 85. */
  public static final String FOLLOW_UP_COLONOSCOPY = "uspstf-crc-follow-up-colonoscopy";

  /**
   * The recommendation ids for one patient, each list in the engine's ranking order.
   *
   * @param shown the recommendations shown
   * @param withheld the recommendations proposed but suppressed
   */
  public record Outcome(List<String> shown, List<String> withheld) {

    private static final Outcome NONE = new Outcome(List.of(), List.of());
  }

  /** A screening test and how many years it keeps a patient up to date (statement, Table 1). */
  private record ScreeningTest(ValueSet valueSet, int years) {}

  private final List<ScreeningTest> procedureTests;
  private final List<ScreeningTest> observationTests;
  private final ValueSet colonoscopy;
  private final ValueSet abnormalResult;
  private final ValueSet colorectalCancer;
  private final ValueSet highRiskConditions;
  private final ValueSet totalColectomy;

  /**
   * Looks up the pack's value sets in {@code valueSets}, normally the engine's.
   *
   * @throws IllegalArgumentException naming a value set of the pack that is not loaded
   */
  public PlainJavaColorectalScreening(ValueSets valueSets) {
    Objects.requireNonNull(valueSets, "valueSets");
    ValueSet colonoscopy = find(valueSets, "crc-colonoscopy");
    ValueSet ctColonography = find(valueSets, "crc-ct-colonography");
    ValueSet flexibleSigmoidoscopy = find(valueSets, "crc-flexible-sigmoidoscopy");
    ValueSet stoolDnaFit = find(valueSets, "crc-stool-dna-fit");
    ValueSet fecalOccultBlood = find(valueSets, "crc-fecal-occult-blood");
    this.procedureTests = List.of(new ScreeningTest(colonoscopy, 10),
        new ScreeningTest(ctColonography, 5), new ScreeningTest(flexibleSigmoidoscopy, 5),
        new ScreeningTest(stoolDnaFit, 3), new ScreeningTest(fecalOccultBlood, 1));
    this.observationTests = List.of(new ScreeningTest(ctColonography, 5),
        new ScreeningTest(stoolDnaFit, 3), new ScreeningTest(fecalOccultBlood, 1));
    this.colonoscopy = colonoscopy;
    this.abnormalResult = find(valueSets, "crc-abnormal-result");
    this.colorectalCancer = find(valueSets, "crc-colorectal-cancer");
    this.highRiskConditions = find(valueSets, "crc-high-risk-conditions");
    this.totalColectomy = find(valueSets, "crc-total-colectomy");
  }

  /**
   * Decides the colorectal screening recommendation for {@code record} at the context's instant.
   *
   * @throws NullPointerException if an argument is null
   */
  public Outcome evaluate(PatientRecord record, EvaluationContext context) {
    Now now = Now.of(context.instant(), context.zone());
    String recommendation = recommendationForAge(record.patient(), now.today());
    if (recommendation == null) {
      return Outcome.NONE;
    }
    if (awaitingColonoscopy(record, now)) {
      recommendation = FOLLOW_UP_COLONOSCOPY;
    } else if (upToDate(record, now)) {
      return Outcome.NONE;
    }
    return withheld(record, now)
        ? new Outcome(List.of(), List.of(recommendation))
        : new Outcome(List.of(recommendation), List.of());
  }

  private static String recommendationForAge(Patient patient, LocalDate today) {
    if (patient.birthDate() == null || patient.birthDate().isAfter(today)) {
      return null;
    }
    int years = PatientAge.of(patient, today).years();
    if (years >= 45 && years <= 75) {
      return SCREENING;
    }
    return years >= 76 && years <= 85 ? SELECTIVE_SCREENING : null;
  }

  private boolean upToDate(PatientRecord record, Now now) {
    for (Procedure procedure : record.procedures()) {
      if (procedure.isCompleted() && within(procedureTests, procedure.code(),
          procedure.performed(), now)) {
        return true;
      }
    }
    for (Observation observation : record.observations()) {
      if (observation.isResult()
          && (observation.hasValue() || observation.valueString() != null)
          && !positive(observation)
          && within(observationTests, observation.code(), observation.effective(), now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A positive or abnormal result within its test's interval with no completed colonoscopy,
   * already happened, on the result's latest possible day or later.
   */
  private boolean awaitingColonoscopy(PatientRecord record, Now now) {
    for (Observation observation : record.observations()) {
      if (observation.isResult() && positive(observation)
          && within(observationTests, observation.code(), observation.effective(), now)
          && !colonoscopySince(record, observation.effective(), now)) {
        return true;
      }
    }
    return false;
  }

  private boolean colonoscopySince(PatientRecord record, Period tested, Now now) {
    LocalDate testDay = tested.latest().latestDate(now.zone());
    for (Procedure procedure : record.procedures()) {
      if (procedure.isCompleted() && colonoscopy.containsAny(procedure.code())
          && procedure.performed() != null && now.hasHappened(procedure.performed().latest())
          && !procedure.performed().earliest().earliestDate(now.zone()).isBefore(testDay)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pack's reading of a positive or abnormal result: the laboratory's interpretation, or the
   * value, coded, yes/no or text.
   */
  private boolean positive(Observation observation) {
    if (observation.interpretation() != null
        && abnormalResult.containsAny(observation.interpretation())) {
      return true;
    }
    if (observation.valueConcept() != null) {
      return abnormalResult.containsAny(observation.valueConcept());
    }
    if (observation.valueBoolean() != null) {
      return observation.valueBoolean();
    }
    if (observation.valueString() != null) {
      String text = observation.valueString().strip();
      return text.regionMatches(true, 0, "pos", 0, 3)
          || text.regionMatches(true, 0, "detected", 0, 8)
          || text.regionMatches(true, 0, "abnormal", 0, 8);
    }
    return false;
  }

  private static boolean within(List<ScreeningTest> tests, CodeableConcept code, Period when,
      Now now) {
    for (ScreeningTest test : tests) {
      if (test.valueSet().containsAny(code) && now.withinYears(when, test.years())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Colorectal cancer or a high-risk condition not refuted, or a completed total colectomy that
   * has happened (or has no date).
   */
  private boolean withheld(PatientRecord record, Now now) {
    for (Condition condition : record.conditions()) {
      if (!condition.enteredInError()
          && condition.verificationStatus() != VerificationStatus.REFUTED
          && (colorectalCancer.containsAny(condition.code())
              || highRiskConditions.containsAny(condition.code()))) {
        return true;
      }
    }
    for (Procedure procedure : record.procedures()) {
      if (procedure.isCompleted() && totalColectomy.containsAny(procedure.code())
          && (procedure.performed() == null || now.hasHappened(procedure.performed().earliest()))) {
        return true;
      }
    }
    return false;
  }

  private static ValueSet find(ValueSets valueSets, String id) {
    return valueSets.find(id).orElseThrow(() -> new IllegalArgumentException(
        "value set '" + id + "' of the colorectal pack is not loaded"));
  }
}
