package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.model.Code;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shipped USPSTF 2021 colorectal screening pack written by hand in plain Java: the floor
 * the engine is measured against.
 *
 * <p>It decides what {@code colorectal-cancer-screening.drl} decides, with the same value sets
 * and the same lookbacks ({@link Now#withinYears}): screening is due at 45 to 49 (grade B) and 50
 * to 75 (grade A), offered selectively at 76 to 85 (grade C), unless a screening test is on
 * record within its interval (a result counts when it reads negative, is a quantity with no
 * abnormal flag, or cannot be read; not when it has no value or the laboratory could not result
 * it); a positive or abnormal stool test or CT colonography within 10 years with no colonoscopy
 * on its day or later makes a follow-up colonoscopy due instead, at 45 to 85; each is withheld for colorectal cancer, a high-risk condition or a total colectomy.
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
   * The pack's rule that reports a result it cannot read, a data warning and no recommendation.
   */
  public static final String UNREADABLE_RESULT_RULE =
      "Colorectal cancer screening result that the pack cannot read";

  /** Words of that rule's warning, which tell it from the engine's own data warnings. */
  public static final String UNREADABLE_RESULT_WARNING =
      "could not be read as positive or negative";

  /**
   * The recommendation ids for one patient, each list in the engine's ranking order, and the
   * results the pack reports as unreadable.
   *
   * @param shown the recommendations shown
   * @param withheld the recommendations proposed but suppressed
   * @param unreadableResults the ids of the observations reported as unreadable, sorted
   */
  public record Outcome(List<String> shown, List<String> withheld,
      List<String> unreadableResults) {

    private static final Outcome NONE = new Outcome(List.of(), List.of(), List.of());

    /** An outcome with no result reported as unreadable. */
    public Outcome(List<String> shown, List<String> withheld) {
      this(shown, withheld, List.of());
    }
  }

  /** A screening test and how many years it keeps a patient up to date (statement, Table 1). */
  private record ScreeningTest(ValueSet valueSet, int years) {}

  /** The pack's readings of a stool test's or CT colonography's result. */
  private enum Reading { POSITIVE, NEGATIVE, UNREADABLE, UNUSABLE, NO_RESULT }

  /** Texts that say the laboratory could not result the test: no screening. */
  private static final List<String> UNUSABLE = List.of("specimen rejected", "rejected",
      "specimen unsatisfactory", "unsatisfactory", "invalid", "insufficient",
      "quantity not sufficient", "qns", "cancelled", "canceled", "not performed");

  private static final List<String> POSITIVE = List.of("pos", "detected", "abnormal");

  private static final List<String> NEGATIVE = List.of("neg", "not detected", "normal");

  private final List<ScreeningTest> procedureTests;
  private final List<ScreeningTest> observationTests;
  private final ValueSet colonoscopy;
  private final ValueSet abnormalResult;
  private final ValueSet normalResult;
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
    this.normalResult = find(valueSets, "crc-normal-result");
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
    List<String> unreadable = unreadableResults(record, now);
    if (awaitingColonoscopy(record, now)) {
      recommendation = FOLLOW_UP_COLONOSCOPY;
    } else if (upToDate(record, now)) {
      return new Outcome(List.of(), List.of(), unreadable);
    }
    return withheld(record, now)
        ? new Outcome(List.of(), List.of(recommendation), unreadable)
        : new Outcome(List.of(recommendation), List.of(), unreadable);
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
      if (observation.isResult() && countsAsScreening(reading(observation))
          && within(observationTests, observation.code(), observation.effective(), now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A positive or abnormal result within 10 years (the statement's colonoscopy interval; its
   * follow-up has no expiry of its own) with no completed colonoscopy, already happened, on the
   * result's latest possible day or later.
   */
  private boolean awaitingColonoscopy(PatientRecord record, Now now) {
    for (Observation observation : record.observations()) {
      if (observation.isResult() && reading(observation) == Reading.POSITIVE
          && observationTest(observation.code()) && now.withinYears(observation.effective(), 10)
          && !colonoscopySince(record, observation.effective(), now)) {
        return true;
      }
    }
    return false;
  }

  /** The results within their test's interval that the pack cannot read, by id, sorted. */
  private List<String> unreadableResults(PatientRecord record, Now now) {
    List<String> ids = new ArrayList<>();
    for (Observation observation : record.observations()) {
      if (observation.isResult() && reading(observation) == Reading.UNREADABLE
          && within(observationTests, observation.code(), observation.effective(), now)) {
        ids.add(observation.id());
      }
    }
    ids.sort(null);
    return List.copyOf(ids);
  }

  private boolean observationTest(CodeableConcept code) {
    for (ScreeningTest test : observationTests) {
      if (test.valueSet().containsAny(code)) {
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

  private static boolean countsAsScreening(Reading reading) {
    return reading == Reading.NEGATIVE || reading == Reading.UNREADABLE;
  }

  /**
   * The pack's reading of a result: the laboratory's abnormal flag; no value; an unusable text;
   * a positive text, code or yes; a negative text, code or no; a quantity; the laboratory's
   * normal flag; otherwise unreadable.
   */
  private Reading reading(Observation observation) {
    CodeableConcept flag = observation.interpretation();
    if (flag != null && abnormalResult.containsAny(flag)) {
      return Reading.POSITIVE;
    }
    if (!observation.hasValue()) {
      return Reading.NO_RESULT;
    }
    CodeableConcept concept = observation.valueConcept();
    List<String> texts = new ArrayList<>();
    if (observation.valueString() != null) {
      texts.add(observation.valueString());
    }
    if (concept != null) {
      if (concept.text() != null) {
        texts.add(concept.text());
      }
      for (Code coding : concept.codings()) {
        if (coding.display() != null) {
          texts.add(coding.display());
        }
      }
    }
    boolean readsPositive = false;
    boolean readsNegative = false;
    for (String text : texts) {
      String written = text.strip();
      if (startsWithAny(written, UNUSABLE)) {
        return Reading.UNUSABLE;
      }
      if (startsWithAny(written, POSITIVE)) {
        readsPositive = true;
      } else if (startsWithAny(written, NEGATIVE)) {
        readsNegative = true;
      }
    }
    if (readsPositive || abnormalResult.containsAny(concept)) {
      return Reading.POSITIVE;
    }
    if (readsNegative || normalResult.containsAny(concept)) {
      return Reading.NEGATIVE;
    }
    if (observation.valueBoolean() != null) {
      return observation.valueBoolean() ? Reading.POSITIVE : Reading.NEGATIVE;
    }
    if (observation.valueQuantity() != null) {
      return Reading.NEGATIVE;
    }
    return flag != null && normalResult.containsAny(flag) ? Reading.NEGATIVE : Reading.UNREADABLE;
  }

  private static boolean startsWithAny(String text, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (text.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
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
