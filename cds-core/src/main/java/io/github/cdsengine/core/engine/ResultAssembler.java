package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.engine.FiringCollector.Emission;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Disposition;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Reason;
import io.github.cdsengine.core.evaluation.WithheldRecommendation.Reason;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.rule.Contraindication;
import io.github.cdsengine.core.rule.PatientAge;
import io.github.cdsengine.core.rule.PopulationCriterion;
import io.github.cdsengine.core.rule.Proposal;
import io.github.cdsengine.core.rule.Suppression;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.EvidenceGrade;
import io.github.cdsengine.core.evaluation.Category;
import io.github.cdsengine.core.evaluation.MeasureDefinition;

/**
 * Turns what rules inserted into the result: merges proposals of the same recommendation,
 * withholds the suppressed and contraindicated ones, and ranks the rest. This is the one place
 * where ranking is decided (see {@link io.github.cdsengine.core.CdsEngine}).
 */
final class ResultAssembler {

  /** The ranking: severity, evidence strength, category, id. */
  static final Comparator<Recommendation> RANKING =
      Comparator.comparing(Recommendation::severity, Comparator.reverseOrder())
          .thenComparing(r -> r.evidenceGrade().strength())
          .thenComparing(Recommendation::category)
          .thenComparing(Recommendation::id);

  /** Which proposal leads a merge: highest severity, strongest evidence, rule name, detail. */
  private static final Comparator<Proposed> LEAD =
      Comparator.comparing((Proposed p) -> p.definition().severity(), Comparator.reverseOrder())
          .thenComparing(p -> p.definition().evidenceGrade().strength())
          .thenComparing(p -> p.definition().name())
          .thenComparing(p -> p.proposal().detail());

  private record Proposed(RuleDefinition definition, Proposal proposal, List<Object> matched) {}

  record Assembled(List<Recommendation> shown, List<WithheldRecommendation> withheld) {}

  private ResultAssembler() {}

  static Assembled assemble(List<Emission> emissions, Map<String, RuleDefinition> definitions,
      List<RuleFailure> failures) {
    if (emissions.isEmpty()) {
      return new Assembled(List.of(), List.of());
    }
    Map<String, List<Proposed>> proposals = new TreeMap<>();
    Map<String, List<Reason>> reasons = new TreeMap<>();
    for (Emission emission : emissions) {
      RuleDefinition definition = definitions.get(emission.rule());
      if (emission.fact() instanceof Proposal proposal) {
        if (definition == null || !definition.recommends()) {
          failures.add(new RuleFailure(emission.rule(),
              "inserted a Proposal but declares no @recommendation; the proposal was discarded"));
          continue;
        }
        proposals.computeIfAbsent(definition.recommendationId(), id -> new ArrayList<>())
            .add(new Proposed(definition, proposal, emission.matched()));
      } else if (emission.fact() instanceof Suppression s) {
        reasons.computeIfAbsent(s.recommendationId(), id -> new ArrayList<>()).add(new Reason(
            Disposition.SUPPRESSED, emission.rule(), s.reason(), rationale(emission.matched())));
      } else if (emission.fact() instanceof Contraindication c) {
        reasons.computeIfAbsent(c.recommendationId(), id -> new ArrayList<>()).add(new Reason(
            Disposition.CONTRAINDICATED, emission.rule(), c.reason(),
            rationale(emission.matched())));
      }
    }

    List<Recommendation> shown = new ArrayList<>();
    List<WithheldRecommendation> withheld = new ArrayList<>();
    for (Map.Entry<String, List<Proposed>> entry : proposals.entrySet()) {
      Recommendation recommendation = merge(entry.getKey(), entry.getValue());
      List<Reason> against = reasons.get(entry.getKey());
      if (against == null) {
        shown.add(recommendation);
      } else {
        List<Reason> sorted = against.stream().distinct()
            .sorted(Comparator.comparing(Reason::rule).thenComparing(Reason::text)
                .thenComparing(r -> r.rationale().toString()))
            .toList();
        boolean contraindicated =
            sorted.stream().anyMatch(r -> r.disposition() == Disposition.CONTRAINDICATED);
        withheld.add(new WithheldRecommendation(recommendation,
            contraindicated ? Disposition.CONTRAINDICATED : Disposition.SUPPRESSED, sorted));
      }
    }
    shown.sort(RANKING);
    withheld.sort(Comparator.comparing(WithheldRecommendation::recommendation, RANKING));
    return new Assembled(shown, withheld);
  }

  /**
   * Each group of each measure's result from the population criteria rules inserted. A criterion
   * for a measure or group no pack declares is reported as a failure of the rule that inserted
   * it.
   */
  static List<MeasureResult> measures(List<Emission> emissions, List<MeasureDefinition> measures,
      List<RuleFailure> failures) {
    List<PopulationCriterion> criteria = new ArrayList<>();
    for (Emission emission : emissions) {
      if (emission.fact() instanceof PopulationCriterion criterion) {
        if (declares(measures, criterion)) {
          criteria.add(criterion);
        } else {
          failures.add(new RuleFailure(emission.rule(), "inserted a population criterion for "
              + criterion.measure() + " group " + criterion.group()
              + ", which no loaded rule pack declares; it was not counted"));
        }
      }
    }
    List<MeasureResult> results = new ArrayList<>();
    for (MeasureDefinition measure : measures) {
      for (int group = 1; group <= measure.groups(); group++) {
        results.add(MeasureResult.of(measure, group, criteria));
      }
    }
    return results;
  }

  private static boolean declares(List<MeasureDefinition> measures, PopulationCriterion criterion) {
    for (MeasureDefinition measure : measures) {
      if (measure.id().equals(criterion.measure()) && criterion.group() <= measure.groups()) {
        return true;
      }
    }
    return false;
  }

  private static Recommendation merge(String id, List<Proposed> proposals) {
    if (proposals.size() == 1) {
      // The usual case, spared the sets and streams below; the result is the same.
      Proposed only = proposals.get(0);
      RuleDefinition definition = only.definition();
      return new Recommendation(id, title(only), only.proposal().detail(),
          definition.severity(), definition.category(), definition.evidenceGrade(),
          definition.guideline(), List.of(definition.name()), rationale(only.matched()),
          definition.valueSets(), definition.note(),
          rankReason(definition.severity(), definition.evidenceGrade(), definition.category()));
    }
    Proposed lead = proposals.stream().min(LEAD).orElseThrow();
    RuleDefinition definition = lead.definition();
    Set<String> rules = new TreeSet<>();
    Set<MatchedFact> rationale = new TreeSet<>(MatchedFact.ORDER);
    Set<String> notes = new TreeSet<>();
    Set<String> valueSets = new TreeSet<>();
    for (Proposed proposed : proposals) {
      rules.add(proposed.definition().name());
      valueSets.addAll(proposed.definition().valueSets());
      rationale.addAll(rationale(proposed.matched()));
      if (proposed.definition().note() != null) {
        notes.add(proposed.definition().note());
      }
    }
    Severity severity = proposals.stream().map(p -> p.definition().severity())
        .max(Comparator.naturalOrder()).orElseThrow();
    EvidenceGrade grade = proposals.stream().map(p -> p.definition())
        .min(Comparator.comparing((RuleDefinition d) -> d.evidenceGrade().strength())
            .thenComparing(RuleDefinition::name))
        .orElseThrow().evidenceGrade();
    return new Recommendation(id, title(lead), lead.proposal().detail(),
        severity, definition.category(), grade,
        definition.guideline(), List.copyOf(rules), List.copyOf(rationale),
        List.copyOf(valueSets), notes.isEmpty() ? null : String.join(" ", notes),
        rankReason(severity, grade, definition.category()));
  }

  /** The proposal's own title where it gives one, else its rule's {@code @title}. */
  private static String title(Proposed proposed) {
    return proposed.proposal().title() != null ? proposed.proposal().title()
        : proposed.definition().title();
  }

  private static String rankReason(Severity severity, EvidenceGrade grade, Category category) {
    return "severity " + severity.code()
        + ", evidence " + grade + " (" + grade.strength().name().toLowerCase(Locale.ROOT) + ")"
        + ", category " + category.code() + ", then id";
  }

  /** The facts of a firing that a clinician can look up, in a stable order, each once. */
  static List<MatchedFact> rationale(List<Object> matched) {
    List<MatchedFact> facts = new ArrayList<>(matched.size());
    for (Object fact : matched) {
      MatchedFact lookUp = toMatchedFact(fact);
      if (lookUp != null && !facts.contains(lookUp)) {
        facts.add(lookUp);
      }
    }
    facts.sort(MatchedFact.ORDER);
    return facts;
  }

  private static MatchedFact toMatchedFact(Object fact) {
    if (fact instanceof ClinicalFact clinical) {
      return new MatchedFact(clinical.resourceType(), clinical.id(), null);
    }
    if (fact instanceof PatientAge age) {
      return new MatchedFact("PatientAge", age.patientId(), age.years() + " years");
    }
    return null;
  }
}
