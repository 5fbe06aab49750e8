package io.github.cdsengine.rules.cdc.opioids2016;

import java.util.Arrays;
import java.util.Optional;

/**
 * The opioid ingredients the calculator recognises, by RxNorm ingredient (TTY IN) code: those
 * the CDC 2016 conversion table lists, and buprenorphine, which it recognises in order to say
 * that it has no factor.
 */
public enum Opioid {
  /** Codeine, RxNorm 2670. */
  CODEINE("2670", "codeine"),
  /** Fentanyl, RxNorm 4337. */
  FENTANYL("4337", "fentanyl"),
  /** Hydrocodone, RxNorm 5489. */
  HYDROCODONE("5489", "hydrocodone"),
  /** Hydromorphone, RxNorm 3423. */
  HYDROMORPHONE("3423", "hydromorphone"),
  /** Methadone, RxNorm 6813. */
  METHADONE("6813", "methadone"),
  /** Morphine, RxNorm 7052. */
  MORPHINE("7052", "morphine"),
  /** Oxycodone, RxNorm 7804. */
  OXYCODONE("7804", "oxycodone"),
  /** Oxymorphone, RxNorm 7814. */
  OXYMORPHONE("7814", "oxymorphone"),
  /** Buprenorphine, RxNorm 1819: no conversion factor in the CDC 2016 table. */
  BUPRENORPHINE("1819", "buprenorphine");

  /** The RxNorm code system. */
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  private final String rxnorm;
  private final String label;

  Opioid(String rxnorm, String label) {
    this.rxnorm = rxnorm;
    this.label = label;
  }

  /**
   * The RxNorm ingredient code.
   *
   * @return the code of the ingredient (TTY IN) in {@link #RXNORM}, e.g. {@code 7804} for
   *     oxycodone
   */
  public String rxnorm() {
    return rxnorm;
  }

  /**
   * The ingredient's name in lower case, for explanations.
   *
   * @return the name, e.g. {@code oxycodone}, as MME steps and card text show it
   */
  public String label() {
    return label;
  }

  /**
   * The opioid with this RxNorm ingredient code, if the calculator knows it.
   *
   * @param code an RxNorm ingredient (TTY IN) code, e.g. {@code 7804}; a product code (TTY SCD)
   *     is not an ingredient and finds nothing
   * @return the opioid, or empty when {@code code} is none of the ingredients listed here
   */
  public static Optional<Opioid> byRxnorm(String code) {
    return Arrays.stream(values()).filter(o -> o.rxnorm.equals(code)).findFirst();
  }
}
