package io.github.cdsengine.core.units;

import java.math.BigDecimal;

/**
 * A substance whose molar mass lets a rule compare a mass concentration with a substance
 * concentration, such as glucose in mg/dL with glucose in mmol/L.
 *
 * <p>UCUM alone never converts between mass and amount of substance: that needs the molar mass
 * of what was measured, which only the rule knows. A rule states it by passing an analyte:
 * {@code units.valueAtLeast(this, "7.0", "mmol/L", Analyte.GLUCOSE)}.
 *
 * <p>Each molar mass is the sum of the IUPAC standard atomic weights over the molecular formula,
 * using the abridged values of the IUPAC Commission on Isotopic Abundances and Atomic Weights
 * (CIAAW), "Atomic weights of the elements 2013", Pure Appl. Chem. 2016;88(3):265-291,
 * doi:10.1515/pac-2015-0305: H 1.0080, C 12.011, N 14.007, O 15.999. Each constant names the
 * PubChem compound record whose computed molecular weight agrees with it.
 */
public enum Analyte {

  /**
   * Glucose, C6H12O6: 180.156 g/mol (6 x 12.011 + 12 x 1.0080 + 6 x 15.999, CIAAW 2013
   * abridged atomic weights); PubChem CID 5793 (D-Glucose) gives 180.16 g/mol.
   */
  GLUCOSE("180.156"),

  /**
   * Creatinine, C4H7N3O: 113.120 g/mol (4 x 12.011 + 7 x 1.0080 + 3 x 14.007 + 15.999, CIAAW
   * 2013 abridged atomic weights); PubChem CID 588 (Creatinine) gives 113.12 g/mol.
   */
  CREATININE("113.120");

  private final BigDecimal molarMass;

  Analyte(String molarMass) {
    this.molarMass = new BigDecimal(molarMass);
  }

  /**
   * The molar mass in grams per mole ({@code g/mol}).
   *
   * @return the molar mass in g/mol, a positive number
   */
  public BigDecimal molarMass() {
    return molarMass;
  }
}
