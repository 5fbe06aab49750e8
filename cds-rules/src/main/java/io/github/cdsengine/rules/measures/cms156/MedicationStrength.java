package io.github.cdsengine.rules.measures.cms156;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Quantity;
import java.util.Map;

/**
 * The strength per unit of the digoxin and doxepin products whose average daily dose CMS156
 * limits, exactly as the measure's function {@code MedicationStrengthPerUnit} lists them
 * (UseofHighRiskMedicationsintheElderlyFHIR 0.2.001,
 * https://github.com/cqframework/ecqm-content-qicore-2024, input/cql/
 * UseofHighRiskMedicationsintheElderlyFHIR.cql). Any other product has no strength here, and its
 * average daily dose is unknown, as in the measure.
 */
public final class MedicationStrength {

  /** The RxNorm code system. */
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  private static final Map<String, Quantity> PER_UNIT = Map.ofEntries(
      Map.entry("393245", Quantity.of("0.05", "mg/mL")), // digoxin 0.05 MG/ML Oral Solution
      Map.entry("245273", Quantity.of("0.0625", "mg")), // digoxin 0.0625 MG Oral Tablet
      Map.entry("204504", Quantity.of("0.1", "mg/mL")), // 1 ML digoxin 0.1 MG/ML Injection
      Map.entry("197604", Quantity.of("0.125", "mg")), // digoxin 0.125 MG Oral Tablet
      Map.entry("197606", Quantity.of("0.25", "mg")), // digoxin 0.25 MG Oral Tablet
      Map.entry("104208", Quantity.of("0.25", "mg/mL")), // 2 ML digoxin 0.25 MG/ML Injection
      Map.entry("966787", Quantity.of("3", "mg")), // doxepin 3 MG Oral Tablet
      Map.entry("966793", Quantity.of("6", "mg")), // doxepin 6 MG Oral Tablet
      Map.entry("1000048", Quantity.of("10", "mg")), // doxepin 10 MG Oral Capsule
      Map.entry("1000054", Quantity.of("10", "mg/mL")), // doxepin 10 MG/ML Oral Solution
      Map.entry("1000070", Quantity.of("25", "mg")), // doxepin 25 MG Oral Capsule
      Map.entry("1000076", Quantity.of("50", "mg")), // doxepin 50 MG Oral Capsule
      Map.entry("1000097", Quantity.of("75", "mg")), // doxepin 75 MG Oral Capsule
      Map.entry("1000058", Quantity.of("100", "mg")), // doxepin 100 MG Oral Capsule
      Map.entry("1000064", Quantity.of("150", "mg"))); // doxepin 150 MG Oral Capsule

  private MedicationStrength() {}

  /**
   * The strength per unit of the medication (in {@code mg} or {@code mg/mL}), from its first
   * RxNorm coding listed in the measure's table, or {@code null} when none is.
   *
   * @param medication the order's {@code medicationCodeableConcept}; may be {@code null}
   * @return the strength of one tablet or capsule in {@code mg}, or of a solution in {@code
   *     mg/mL}, as {@code MedicationPeriod.averageDailyDose} takes it; {@code null} when the
   *     medication is {@code null} or no coding is a digoxin or doxepin product of the table,
   *     and then the average daily dose is unknown
   */
  public static Quantity perUnit(CodeableConcept medication) {
    if (medication == null) {
      return null;
    }
    for (Code code : medication.codings()) {
      if (RXNORM.equals(code.system()) && PER_UNIT.containsKey(code.code())) {
        return PER_UNIT.get(code.code());
      }
    }
    return null;
  }
}
