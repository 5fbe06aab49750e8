package io.github.cdsengine.core.evaluation;

import java.util.Comparator;
import java.util.Objects;

/**
 * A fact a rule matched, as it appears in a recommendation's rationale.
 *
 * @param type the resource type ({@code Procedure}) or derived fact type ({@code PatientAge})
 * @param id the fact's id; for a derived fact, the id of the patient it was derived for
 * @param summary what a derived fact said, e.g. {@code 52 years}; {@code null} for record facts,
 *     which the host can look up by type and id
 */
public record MatchedFact(String type, String id, String summary) {

  /** Orders by type, then id, then summary. */
  public static final Comparator<MatchedFact> ORDER = Comparator.comparing(MatchedFact::type)
      .thenComparing(MatchedFact::id)
      .thenComparing(MatchedFact::summary, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * Checks type and id.
   *
   * @param type the resource type ({@code Procedure}) or derived fact type ({@code PatientAge});
   *     never null
   * @param id the fact's id, or for a derived fact the id of the patient it was derived for; never
   *     null
   * @param summary what a derived fact said, e.g. {@code 52 years}, or {@code null} for a record
   *     fact
   * @throws NullPointerException if type or id is null
   */
  public MatchedFact {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return summary == null ? type + "/" + id : type + "/" + id + " (" + summary + ")";
  }
}
