package io.github.cdsengine.core.evaluation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One recommendation for the patient, with where it comes from and why.
 *
 * <p>When several rules propose the same recommendation id, they are merged into one: the
 * severity and evidence grade are the highest of theirs, the detail is that of the leading rule
 * (highest severity, then strongest evidence, then rule name), and the rules and rationale are
 * the union of theirs.
 *
 * @param id the stable recommendation id, e.g. {@code uspstf-crc-screening}
 * @param title a short title for a list or a card summary: the rule's {@code @title}, or the
 *     title its proposal gives where a pack setting words it
 * @param detail a clinician-readable explanation for this patient
 * @param severity how urgently it needs attention
 * @param category the kind of care it is about
 * @param evidenceGrade the grade in the guideline's own scale
 * @param guideline the published source
 * @param rules the names of the rules that proposed it, sorted
 * @param rationale the facts those rules matched, sorted by type and id: the facts bound by the
 *     rules' own patterns; facts matched only inside {@code not}, {@code exists},
 *     {@code accumulate}, {@code collect} or a query are not listed
 * @param valueSets the value sets those rules use, as FHIR canonical references
 *     {@code url|version}, sorted: the code lists the decision rests on
 * @param note what the rule authors flag about the source (an ambiguity, a choice made), or
 *     {@code null}
 * @param rankReason why it ranks where it does, e.g. {@code severity warning, evidence USPSTF:A
 *     (strong), category screening}
 */
public record Recommendation(
    String id,
    String title,
    String detail,
    Severity severity,
    Category category,
    EvidenceGrade evidenceGrade,
    Guideline guideline,
    List<String> rules,
    List<MatchedFact> rationale,
    List<String> valueSets,
    String note,
    String rankReason) {

  /**
   * How the {@link #rankReason()} of a recommendation an interruptive-alert budget demoted to
   * {@code info} begins, followed by the severity it had and a closing parenthesis: {@code
   * severity info (demoted from warning)}. See {@link #demotedFrom()}.
   */
  public static final String DEMOTED_FROM = "severity info (demoted from ";

  /**
   * Copies the lists and checks required fields.
   *
   * @param id the stable recommendation id, e.g. {@code uspstf-crc-screening}; never null
   * @param title a short title for a list or a card summary; never null
   * @param detail a clinician-readable explanation for this patient; never null
   * @param severity how urgently it needs attention; never null
   * @param category the kind of care it is about; never null
   * @param evidenceGrade the grade in the guideline's own scale; never null
   * @param guideline the published source; never null
   * @param rules the names of the rules that proposed it, sorted; copied, never null
   * @param rationale the facts those rules matched, sorted by type and id; copied, never null
   * @param valueSets the value sets those rules use as {@code url|version}, sorted; copied, never
   *     null
   * @param note what the rule authors flag about the source, or {@code null} for none
   * @param rankReason why it ranks where it does; never null
   * @throws NullPointerException if any field but note is null
   */
  public Recommendation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(evidenceGrade, "evidenceGrade");
    Objects.requireNonNull(guideline, "guideline");
    rules = List.copyOf(rules);
    rationale = List.copyOf(rationale);
    valueSets = List.copyOf(valueSets);
    Objects.requireNonNull(rankReason, "rankReason");
  }
  /**
   * The severity the rules gave this recommendation, when an interruptive-alert budget ({@link
   * InterruptiveBudget}) shows it as {@code info} instead: read from the start of its {@link
   * #rankReason()}, {@code severity info (demoted from critical)}. A host that decides by
   * severity what a clinician may do with a card (such as snoozing a critical one) asks this.
   *
   * @return the severity before the demotion; empty when the recommendation was not demoted
   */
  public Optional<Severity> demotedFrom() {
    if (severity != Severity.INFO || !rankReason.startsWith(DEMOTED_FROM)) {
      return Optional.empty();
    }
    for (Severity before : Severity.values()) {
      if (rankReason.startsWith(DEMOTED_FROM + before.code() + ")")) {
        return Optional.of(before);
      }
    }
    return Optional.empty();
  }

}
