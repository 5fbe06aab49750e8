package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Quantity;
import java.util.Map;
import java.util.Optional;

/**
 * The opioid ingredient and strength of a few RxNorm clinical drugs (TTY SCD), for orders that
 * name their medication by code only, with no {@code Medication} resource to read strengths
 * from. Each entry is RxNorm's (U.S. National Library of Medicine), as compiled by RxNav into the
 * reference logic's drug table (cqframework/opioid-cds-r4, branch v2016, library OMTKData,
 * generated 2020-10-20). The table is deliberately small: a product not in it is reported as
 * unknown, never guessed.
 */
public final class OpioidProducts {

  private static final Quantity HOUR = Quantity.of("1", "h");
  private static final Quantity ML = Quantity.of("1", "mL");

  private static final Map<String, IngredientStrength> BY_RXNORM = Map.ofEntries(
      // 72 HR fentanyl 0.025 / 0.05 / 0.075 / 0.1 MG/HR Transdermal System
      patch("245134", Opioid.FENTANYL, "0.025"),
      patch("245135", Opioid.FENTANYL, "0.05"),
      patch("197696", Opioid.FENTANYL, "0.075"),
      patch("245136", Opioid.FENTANYL, "0.1"),
      // morphine sulfate 20 MG Extended Release Oral Capsule
      unit("892596", Opioid.MORPHINE, "20"),
      // morphine sulfate 15 MG Oral Tablet
      unit("892582", Opioid.MORPHINE, "15"),
      // morphine sulfate 2 MG/ML Oral Solution
      perMl("892589", Opioid.MORPHINE, "2"),
      // 12 HR oxycodone hydrochloride 10 MG Extended Release Oral Tablet
      unit("1049502", Opioid.OXYCODONE, "10"),
      // 12 HR oxycodone hydrochloride 60 MG Extended Release Oral Tablet
      unit("1049593", Opioid.OXYCODONE, "60"),
      // oxycodone hydrochloride 5 MG Oral Tablet
      unit("1049621", Opioid.OXYCODONE, "5"),
      // methadone hydrochloride 10 MG Oral Tablet
      unit("864706", Opioid.METHADONE, "10"),
      // methadone hydrochloride 1 MG/ML Oral Solution
      perMl("864761", Opioid.METHADONE, "1"),
      // hydromorphone hydrochloride 2 MG Oral Tablet
      unit("897696", Opioid.HYDROMORPHONE, "2"),
      // oxymorphone hydrochloride 5 MG Oral Tablet
      unit("977939", Opioid.OXYMORPHONE, "5"),
      // codeine sulfate 30 MG Oral Tablet
      unit("997287", Opioid.CODEINE, "30"),
      // acetaminophen 300 MG / hydrocodone bitartrate 5 MG Oral Tablet (opioid part only)
      unit("856987", Opioid.HYDROCODONE, "5"));

  private OpioidProducts() {}

  /**
   * The opioid strength of the RxNorm clinical drug {@code code}, if this table has it.
   *
   * @param code an RxNorm clinical drug (TTY SCD) code, e.g. {@code 1049621} for oxycodone
   *     hydrochloride 5 MG Oral Tablet
   * @return the opioid ingredient and its strength (per tablet or capsule, per mL, or per hour
   *     for a patch), or empty when the product is not in the table
   */
  public static Optional<IngredientStrength> byRxnorm(String code) {
    return Optional.ofNullable(BY_RXNORM.get(code));
  }

  private static Map.Entry<String, IngredientStrength> unit(String code, Opioid opioid,
      String mg) {
    return Map.entry(code, new IngredientStrength(opioid, Quantity.of(mg, "mg"), null, false,
        "RxNorm " + code));
  }

  private static Map.Entry<String, IngredientStrength> perMl(String code, Opioid opioid,
      String mg) {
    return Map.entry(code, new IngredientStrength(opioid, Quantity.of(mg, "mg"), ML, false,
        "RxNorm " + code));
  }

  private static Map.Entry<String, IngredientStrength> patch(String code, Opioid opioid,
      String mgPerHour) {
    return Map.entry(code, new IngredientStrength(opioid, Quantity.of(mgPerHour, "mg"), HOUR,
        true, "RxNorm " + code));
  }
}
