package io.github.cdsengine.cli;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A result as text for a terminal 100 columns wide: a table of the ranked recommendations, then
 * the withheld ones, the measure populations the patient is in, data warnings and failed rules; with {@code explain},
 * each recommendation's matched facts, rules and why it ranks where it does.
 */
final class ResultText {

  /** The width every line fits in. */
  static final int WIDTH = 100;

  private ResultText() {}

  static void print(Subject subject, EvaluationContext context, EvaluationResult result,
      boolean explain, PrintWriter out) {
    wrapped(out, "", "Patient " + result.patientId());
    wrapped(out, "  ", "from " + subject.source());
    wrapped(out, "  ", "at " + context.instant() + " in " + context.zone()
        + (context.measurementPeriod() == null ? "" : ", measurement period "
            + context.measurementPeriod().start() + " to " + context.measurementPeriod().end()));
    if (result.recommendations().isEmpty()) {
      out.println("  No recommendations.");
    } else {
      TextTable table = new TextTable(3, 8, 30, 32, 22);
      table.row("#", "SEVERITY", "RECOMMENDATION", "TITLE", "GUIDELINE");
      int rank = 1;
      for (Recommendation r : result.recommendations()) {
        table.row(String.valueOf(rank++), r.severity().code(), r.id(), r.title(),
            guideline(r.guideline()));
      }
      table.lines().forEach(out::println);
    }
    for (WithheldRecommendation w : result.withheld()) {
      wrapped(out, "  ", "Withheld (" + w.disposition().name().toLowerCase(Locale.ROOT) + "): "
          + w.recommendation().id() + ": " + w.reasons().stream()
              .map(WithheldRecommendation.Reason::text).collect(Collectors.joining(" ")));
      if (explain) {
        for (WithheldRecommendation.Reason reason : w.reasons()) {
          wrapped(out, "      ", "because (" + reason.rule() + "): " + facts(reason.rationale()));
        }
      }
    }
    int outside = 0;
    for (MeasureResult measure : result.measures()) {
      if (measure.populations().isEmpty()) {
        outside++;
        continue;
      }
      out.println("  Measure " + measure.measure() + " group " + measure.group() + ": "
          + measure.populations().stream().map(p -> p.code()).collect(Collectors.joining(", "))
          + (measure.careGap() ? " (care gap)" : ""));
    }
    if (outside > 0) {
      out.println("  Not in the initial population of " + outside + " other measure "
          + (outside == 1 ? "group." : "groups."));
    }
    // The result's warnings start with the reader's, which the record carries.
    int reading = subject.record().warnings().size();
    for (int i = 0; i < result.warnings().size(); i++) {
      wrapped(out, "  ", (i < reading ? "Data warning (reading): " : "Data warning: ")
          + result.warnings().get(i));
    }
    result.failures().forEach(f -> wrapped(out, "  ", "RULE FAILED, the result is incomplete: "
        + f));
    if (explain) {
      explain(result.recommendations(), out);
    }
    out.println();
  }

  private static void explain(List<Recommendation> recommendations, PrintWriter out) {
    for (int i = 0; i < recommendations.size(); i++) {
      Recommendation r = recommendations.get(i);
      out.println();
      wrapped(out, "  ", (i + 1) + ". " + r.id() + ": " + r.title());
      wrapped(out, "       ", "ranked: " + r.rankReason() + rankedAbove(r,
          i + 1 < recommendations.size() ? recommendations.get(i + 1) : null, i + 2));
      wrapped(out, "       ", "facts: " + facts(r.rationale()));
      wrapped(out, "       ", "rules: " + String.join("; ", r.rules()));
      wrapped(out, "       ", "detail: " + r.detail());
      if (r.note() != null) {
        wrapped(out, "       ", "note: " + r.note());
      }
      Guideline g = r.guideline();
      wrapped(out, "       ", "source: " + g.publisher() + ", " + g.title() + " ("
          + g.version() + ") " + g.url());
    }
  }

  /** Which ranking key puts {@code r} above {@code next}: the first on which they differ. */
  static String rankedAbove(Recommendation r, Recommendation next, int nextRank) {
    if (next == null) {
      return "";
    }
    String key;
    if (r.severity() != next.severity()) {
      key = "severity (" + r.severity().code() + " before " + next.severity().code() + ")";
    } else if (r.evidenceGrade().strength() != next.evidenceGrade().strength()) {
      key = "evidence strength (" + strength(r) + " before " + strength(next) + ")";
    } else if (r.category() != next.category()) {
      key = "category (" + r.category().code() + " before " + next.category().code() + ")";
    } else {
      key = "id, all else being equal";
    }
    return "; above #" + nextRank + " by " + key;
  }

  private static String strength(Recommendation r) {
    return r.evidenceGrade().strength().name().toLowerCase(Locale.ROOT);
  }

  static String guideline(Guideline g) {
    return g.title() + " (" + g.version() + ")";
  }

  static String facts(List<MatchedFact> facts) {
    return facts.isEmpty() ? "(none listed)"
        : facts.stream().map(MatchedFact::toString).collect(Collectors.joining(", "));
  }

  /** {@code text} wrapped to the width, continuation lines indented two more. */
  static void wrapped(PrintWriter out, String indent, String text) {
    List<String> lines = TextTable.wrap(text, WIDTH - indent.length() - 2);
    out.println(indent + lines.get(0));
    lines.subList(1, lines.size()).forEach(line -> out.println(indent + "  " + line));
  }
}
