package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.PatientAge;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that the plain-Java floor gives the engine's answer for every patient of a pool, and
 * that the pool exercises every rule, so that the floor compared in the benchmarks is honest.
 */
public final class FloorCheck {

  /**
   * What a pool of patients exercised.
   *
   * @param patients patients evaluated
   * @param facts clinical facts in all, the patients included
   * @param outcomes how many patients ended each way
   * @param rulesSeen the rules that proposed or withheld a recommendation, or reported a result
   *     the pack cannot read, for some patient
   */
  public record Coverage(int patients, long facts, Outcomes outcomes, Set<String> rulesSeen) {}

  /**
   * How the patients of a pool ended, each patient counted once, in the first of these that
   * applies.
   *
   * @param shown patients with a recommendation shown
   * @param withheld patients with a recommendation withheld
   * @param upToDate patients aged 45 to 85 with screening up to date, so nothing proposed
   * @param outsideAgeBands patients with no known age or an age outside 45 to 85
   */
  public record Outcomes(int shown, int withheld, int upToDate, int outsideAgeBands) {}

  private FloorCheck() {}

  /**
   * Evaluates every patient with both and compares the shown and withheld recommendation ids
   * and the results reported as unreadable.
   *
   * @throws IllegalStateException naming the first patient where the two differ or the engine
   *     reports a failure, or the rule or branch that no patient exercised
   */
  public static Coverage verify(CdsEngine engine, PlainJavaColorectalScreening floor,
      List<PatientRecord> patients, EvaluationContext context) {
    long facts = 0;
    int shown = 0;
    int withheld = 0;
    int upToDate = 0;
    int outsideAgeBands = 0;
    Set<String> rulesSeen = new TreeSet<>();
    for (PatientRecord record : patients) {
      EvaluationResult result = engine.evaluate(record, context);
      String patient = record.patient().id();
      if (!result.complete()) {
        throw new IllegalStateException("engine failed for " + patient + ": " + result.failures());
      }
      List<String> unreadable = result.warnings().stream()
          .filter(w -> w.message().contains(PlainJavaColorectalScreening.UNREADABLE_RESULT_WARNING))
          .map(DataWarning::id).sorted().toList();
      PlainJavaColorectalScreening.Outcome byEngine = new PlainJavaColorectalScreening.Outcome(
          result.recommendations().stream().map(Recommendation::id).toList(),
          result.withheld().stream().map(w -> w.recommendation().id()).toList(), unreadable);
      PlainJavaColorectalScreening.Outcome byHand = floor.evaluate(record, context);
      if (!byEngine.equals(byHand)) {
        throw new IllegalStateException("the plain-Java floor disagrees with the engine for "
            + patient + ": engine " + byEngine + ", plain Java " + byHand
            + "; the floor must decide what every shipped rule decides");
      }
      facts += record.size();
      result.recommendations().forEach(r -> rulesSeen.addAll(r.rules()));
      if (!unreadable.isEmpty()) {
        rulesSeen.add(PlainJavaColorectalScreening.UNREADABLE_RESULT_RULE);
      }
      for (WithheldRecommendation w : result.withheld()) {
        rulesSeen.addAll(w.recommendation().rules());
        w.reasons().forEach(reason -> rulesSeen.add(reason.rule()));
      }
      if (!result.recommendations().isEmpty()) {
        shown++;
      } else if (!result.withheld().isEmpty()) {
        withheld++;
      } else if (inAgeBands(record, context)) {
        upToDate++;
      } else {
        outsideAgeBands++;
      }
    }
    for (RuleInfo rule : engine.rules()) {
      if (!rulesSeen.contains(rule.name())) {
        throw new IllegalStateException("no patient in the pool exercises rule \"" + rule.name()
            + "\"; change the pool so that the benchmark covers it");
      }
    }
    if (upToDate == 0 || outsideAgeBands == 0) {
      throw new IllegalStateException("the pool needs patients up to date with screening and "
          + "patients outside the age bands: " + upToDate + " and " + outsideAgeBands);
    }
    return new Coverage(patients.size(), facts,
        new Outcomes(shown, withheld, upToDate, outsideAgeBands), rulesSeen);
  }

  private static boolean inAgeBands(PatientRecord record, EvaluationContext context) {
    LocalDate birthDate = record.patient().birthDate();
    if (birthDate == null || birthDate.isAfter(context.date())) {
      return false;
    }
    int years = PatientAge.of(record.patient(), context.date()).years();
    return years >= 45 && years <= 85;
  }
}
