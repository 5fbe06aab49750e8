package io.github.cdsengine.rules.cdc.opioids2016;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The MME conversion factors of the CDC 2016 opioid prescribing guideline.
 *
 * <p>Every value here is the CDC's, as published in the guideline's companion table (CDC,
 * "Calculating Total Daily Dose of Opioids for Safer Dosage",
 * https://www.cdc.gov/drugoverdose/pdf/calculating_total_daily_dose-a.pdf, the table the
 * guideline refers clinicians to: Dowell D, Haegerich TM, Chou R. CDC Guideline for Prescribing
 * Opioids for Chronic Pain, United States, 2016. MMWR Recomm Rep 2016;65(No. RR-1):1-49), and the
 * same values the 2016 reference logic uses (cqframework/opioid-cds-r4, branch v2016, library
 * ConversionFactors, function GetConversionFactor):
 *
 * <pre>
 * codeine                            0.15 per mg/d
 * fentanyl, transdermal patch        2.4  per mcg/hr
 * hydrocodone                        1    per mg/d
 * hydromorphone                      4    per mg/d
 * methadone   1-20 mg/d              4
 *             21-40 mg/d             8
 *             41-60 mg/d            10
 *             61-80+ mg/d           12
 * morphine                           1    per mg/d
 * oxycodone                          1.5  per mg/d
 * oxymorphone                        3    per mg/d
 * </pre>
 *
 * <p>The table gives methadone tiers in whole milligrams; a fractional daily dose between two
 * tiers (say 20.5 mg/d) is put in the higher tier, the more cautious reading, where the reference
 * CQL, testing {@code between 1 and 20} then {@code between 21 and 40}, finds no factor. Below
 * 1 mg/d the table has no methadone tier and none is given. Buprenorphine, tramadol, tapentadol
 * and fentanyl other than patches have no factor in this table.
 *
 * <p>The later CDC conversion table (2022 guideline; the CodeSystem shipped with
 * cqframework/opioid-mme-r4) changed hydromorphone to 5, methadone to a single 4.7 and added
 * tramadol and tapentadol; this class follows 2016.
 */
public final class ConversionFactors {

  /** Where the factors come from, quoted in every {@link ConversionFactor}. */
  public static final String SOURCE = "CDC 2016 opioid guideline (Dowell, Haegerich, Chou, MMWR"
      + " Recomm Rep 2016;65(No. RR-1)); CDC conversion table, calculating_total_daily_dose-a.pdf";

  /** Fentanyl transdermal patch: 2.4 MME per day for each mcg/hr delivered (CDC 2016 table). */
  public static final BigDecimal FENTANYL_PATCH_PER_MCG_PER_HOUR = new BigDecimal("2.4");

  /** One methadone tier: daily doses above {@code above} and up to {@code upTo} mg/d. */
  public record MethadoneTier(BigDecimal above, BigDecimal upTo, BigDecimal factor,
      String label) {}

  /** The methadone tiers of the CDC 2016 table, lowest first; the last has no upper end. */
  public static final List<MethadoneTier> METHADONE_TIERS = List.of(
      new MethadoneTier(null, new BigDecimal("20"), new BigDecimal("4"), "1-20 mg/d"),
      new MethadoneTier(new BigDecimal("20"), new BigDecimal("40"), new BigDecimal("8"),
          "21-40 mg/d"),
      new MethadoneTier(new BigDecimal("40"), new BigDecimal("60"), new BigDecimal("10"),
          "41-60 mg/d"),
      new MethadoneTier(new BigDecimal("60"), null, new BigDecimal("12"), "61-80+ mg/d"));

  /** The lowest methadone daily dose the table has a tier for: 1 mg/d. */
  public static final BigDecimal METHADONE_LOWEST = BigDecimal.ONE;

  private static final Map<Opioid, BigDecimal> PER_MG = new EnumMap<>(Map.of(
      Opioid.CODEINE, new BigDecimal("0.15"),
      Opioid.HYDROCODONE, new BigDecimal("1"),
      Opioid.HYDROMORPHONE, new BigDecimal("4"),
      Opioid.MORPHINE, new BigDecimal("1"),
      Opioid.OXYCODONE, new BigDecimal("1.5"),
      Opioid.OXYMORPHONE, new BigDecimal("3")));

  private ConversionFactors() {}

  /**
   * The ingredients whose factor is one number per mg/d, whatever the dose or form.
   *
   * @return codeine, hydrocodone, hydromorphone, morphine, oxycodone and oxymorphone with their
   *     CDC 2016 factors in MME per mg/d; methadone (tiered) and fentanyl (patches only) are
   *     not among them
   */
  public static Map<Opioid, BigDecimal> perMilligram() {
    return Map.copyOf(PER_MG);
  }

  /** The result of looking a factor up: found, or missing with the reason. */
  public sealed interface Lookup {
    /** A factor applies. */
    record Found(ConversionFactor factor) implements Lookup {}

    /** No factor applies; {@code reason} says why, naming the ingredient. */
    record Missing(String reason) implements Lookup {}
  }

  /**
   * The factor for a daily dose of {@code opioid} in mg/d, taken by any route but a patch.
   *
   * @param opioid the ingredient
   * @param milligramsPerDay the ingredient's daily dose in mg; needed for methadone's tiers,
   *     ignored for the others; {@code null} when unknown
   * @return the factor per mg/d, or why there is none: fentanyl other than a patch,
   *     buprenorphine, or methadone below 1 mg/d or of unknown dose
   */
  public static Lookup perDay(Opioid opioid, BigDecimal milligramsPerDay) {
    BigDecimal single = PER_MG.get(opioid);
    if (single != null) {
      return new Lookup.Found(new ConversionFactor(single, "mg/d", opioid.label(), SOURCE));
    }
    return switch (opioid) {
      case METHADONE -> methadone(milligramsPerDay);
      case FENTANYL -> new Lookup.Missing("the CDC 2016 table has a fentanyl factor for"
          + " transdermal patches (mcg/hr) only");
      default -> new Lookup.Missing("the CDC 2016 table has no conversion factor for "
          + opioid.label());
    };
  }

  /**
   * The factor for a transdermal patch of {@code opioid}, per mcg/hr delivered.
   *
   * @param opioid the patch's ingredient
   * @return {@link #FENTANYL_PATCH_PER_MCG_PER_HOUR} for fentanyl; for any other ingredient,
   *     why there is none (the CDC 2016 table has a factor for fentanyl patches only)
   */
  public static Lookup patch(Opioid opioid) {
    if (opioid == Opioid.FENTANYL) {
      return new Lookup.Found(new ConversionFactor(FENTANYL_PATCH_PER_MCG_PER_HOUR, "ug/h",
          "fentanyl transdermal patch", SOURCE));
    }
    return new Lookup.Missing("the CDC 2016 table has no conversion factor for "
        + opioid.label() + " patches");
  }

  private static Lookup methadone(BigDecimal milligramsPerDay) {
    if (milligramsPerDay == null) {
      return new Lookup.Missing("methadone's factor depends on its daily dose in mg, unknown");
    }
    if (milligramsPerDay.compareTo(METHADONE_LOWEST) < 0) {
      return new Lookup.Missing("methadone daily dose below 1 mg/d, the CDC table's lowest"
          + " tier");
    }
    for (MethadoneTier tier : METHADONE_TIERS) {
      if (tier.upTo() == null || milligramsPerDay.compareTo(tier.upTo()) <= 0) {
        return new Lookup.Found(new ConversionFactor(tier.factor(), "mg/d",
            "methadone " + tier.label(), SOURCE));
      }
    }
    throw new IllegalStateException("the last methadone tier has no upper end");
  }
}
