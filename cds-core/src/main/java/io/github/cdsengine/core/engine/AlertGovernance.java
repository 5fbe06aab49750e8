package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.evaluation.Acknowledgement;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.InterruptiveBudget;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.Snooze;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Disposition;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Reason;
import io.github.cdsengine.core.problem.DataWarning;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What clinicians' responses do to an assembled result, after the rules: active snoozes withhold
 * their recommendations, then the interruptive-alert budget demotes what exceeds it to {@code
 * info}. The one place both are decided (see {@link Snooze} and {@link InterruptiveBudget}).
 */
final class AlertGovernance {

  /** The type of the data warning about a snooze that was not applied. */
  static final String SNOOZE_WARNING_TYPE = "Snooze";

  private AlertGovernance() {}

  /**
   * The result with {@code context}'s snoozes and budget applied; the same object when the
   * context has neither.
   *
   * @param criticalSnoozeAllowed whether a critical recommendation's packs allow it to be snoozed
   * @param warnings where a snooze that was not applied is reported
   */
  static ResultAssembler.Assembled apply(ResultAssembler.Assembled assembled,
      EvaluationContext context, Predicate<Recommendation> criticalSnoozeAllowed,
      List<DataWarning> warnings) {
    ResultAssembler.Assembled result = assembled;
    if (!context.snoozes().isEmpty() && !result.shown().isEmpty()) {
      result = snooze(result, context, criticalSnoozeAllowed, warnings);
    }
    if (!context.interruptiveBudget().off() && !result.shown().isEmpty()) {
      result = new ResultAssembler.Assembled(budget(result.shown(), context), result.withheld());
    }
    return result;
  }

  private static ResultAssembler.Assembled snooze(ResultAssembler.Assembled assembled,
      EvaluationContext context, Predicate<Recommendation> criticalSnoozeAllowed,
      List<DataWarning> warnings) {
    Instant now = context.instant();
    // The active snooze of each recommendation that ends last.
    Map<String, Snooze> active = new HashMap<>();
    for (Snooze snooze : context.snoozes()) {
      if (snooze.activeAt(now)) {
        active.merge(snooze.recommendationId(), snooze,
            (a, b) -> a.until().isAfter(b.until()) ? a : b);
      }
    }
    if (active.isEmpty()) {
      return assembled;
    }
    List<Recommendation> shown = new ArrayList<>();
    List<WithheldRecommendation> withheld = new ArrayList<>(assembled.withheld());
    for (Recommendation recommendation : assembled.shown()) {
      Snooze snooze = active.get(recommendation.id());
      if (snooze == null) {
        shown.add(recommendation);
      } else if (recommendation.severity() == Severity.CRITICAL
          && !criticalSnoozeAllowed.test(recommendation)) {
        shown.add(recommendation);
        warnings.add(new DataWarning(SNOOZE_WARNING_TYPE, recommendation.id(), "the snooze of "
            + recommendation.id() + " until " + format(snooze.until(), context.zone())
            + " was not applied: the recommendation is critical and its rule pack does not "
            + "allow critical recommendations to be snoozed (allowCriticalSnooze in pack.json)"));
      } else {
        withheld.add(new WithheldRecommendation(recommendation, Disposition.SNOOZED,
            List.of(new Reason(Disposition.SNOOZED, Disposition.SNOOZE_RULE,
                "snoozed by a clinician until " + format(snooze.until(), context.zone()),
                List.of()))));
      }
    }
    withheld.sort(Comparator.comparing(WithheldRecommendation::recommendation,
        ResultAssembler.RANKING));
    return new ResultAssembler.Assembled(shown, withheld);
  }

  /** The shown recommendations with those over the budget demoted, ranked again. */
  private static List<Recommendation> budget(List<Recommendation> ranked,
      EvaluationContext context) {
    InterruptiveBudget budget = context.interruptiveBudget();
    Instant now = context.instant();
    Map<String, Instant> acknowledged = new HashMap<>();
    if (!budget.repeatWindow().isZero()) {
      for (Acknowledgement acknowledgement : context.acknowledgements()) {
        if (!acknowledgement.at().isAfter(now)) {
          acknowledged.merge(acknowledgement.recommendationId(), acknowledgement.at(),
              (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    List<Recommendation> shown = new ArrayList<>(ranked.size());
    int interrupting = 0;
    boolean demoted = false;
    for (Recommendation recommendation : ranked) {
      if (recommendation.severity() == Severity.INFO || !budget.covers(recommendation.id())) {
        shown.add(recommendation);
        continue;
      }
      Instant at = acknowledged.get(recommendation.id());
      if (at != null && now.isBefore(at.plus(budget.repeatWindow()))) {
        shown.add(demote(recommendation, "it was acknowledged for this patient at "
            + format(at, context.zone()) + " and interrupts again from "
            + format(at.plus(budget.repeatWindow()), context.zone())));
        demoted = true;
      } else if (interrupting < budget.maxInterruptive()) {
        shown.add(recommendation);
        interrupting++;
      } else {
        shown.add(demote(recommendation, "the interruptive-alert budget of "
            + budget.maxInterruptive() + (budget.maxInterruptive() == 1 ? " card" : " cards")
            + " per call was taken by recommendations ranked above it"));
        demoted = true;
      }
    }
    if (demoted) {
      shown.sort(ResultAssembler.RANKING);
    }
    return shown;
  }

  private static Recommendation demote(Recommendation recommendation, String why) {
    String was = recommendation.severity().code();
    String rankReason = recommendation.rankReason().startsWith("severity " + was)
        ? Recommendation.DEMOTED_FROM + was + ")"
            + recommendation.rankReason().substring(("severity " + was).length())
        : recommendation.rankReason();
    return new Recommendation(recommendation.id(), recommendation.title(),
        recommendation.detail() + " Shown as info, not " + was + ": " + why + ".",
        Severity.INFO, recommendation.category(), recommendation.evidenceGrade(),
        recommendation.guideline(), recommendation.rules(), recommendation.rationale(),
        recommendation.valueSets(), recommendation.note(), rankReason);
  }

  /**
   * An instant in the clinic's offset, ISO 8601: {@code 2026-12-07T09:30:00-05:00}, with a
   * fraction of a second only when it has one.
   */
  static String format(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
  }
}
