package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationIngredient;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out morphine milligram equivalents per day (MME) of opioid orders the way the CDC 2016
 * guideline describes (Dowell, Haegerich, Chou, MMWR Recomm Rep 2016;65(No. RR-1)): for each
 * opioid ingredient, its daily dose times its CDC conversion factor ({@link ConversionFactors}),
 * summed over ingredients and orders. The steps follow the reference logic (cqframework
 * opioid-cds-r4 branch v2016 and opioid-mme-r4, libraries MMECalculator and OMTKLogic):
 *
 * <ol>
 *   <li>Ingredients and strengths: from the order's {@code Medication} resource when it has
 *       ingredient strengths, otherwise from the first RxNorm code that {@link OpioidProducts}
 *       knows, otherwise from the normalized RxNorm name an RxNorm coding carries as its display
 *       ("Oxycodone Hydrochloride 5 MG Oral Tablet"; read strictly, see {@code RxNormNames}),
 *       otherwise from an RxNorm opioid ingredient code in the medication's codings (enough
 *       when the dose is in milligrams).
 *   <li>Doses per day: {@code frequencyMax} if given, else {@code frequency}, per {@code
 *       period} {@code periodUnit} (a month is 30 days, a year 365); with no frequency, the
 *       number of {@code timeOfDay} entries. Where the reference finds no figure and so no MME
 *       (a frequency without a period, a period without a frequency, or neither), this takes
 *       the frequency per day, once per period, or once a day, and a note says so. The most a
 *       patient may take counts, so an as-needed order counts in full and a dose range counts
 *       at its high end (the reference gives no MME for a dose range).
 *   <li>Daily dose: a dose in mg (or ug, g) times doses per day; a dose in mL times the
 *       strength per mL; a dose in units of the product (tablet, capsule, {@code 1}) times the
 *       strength per unit. A transdermal patch's daily dose is its delivery rate in mcg/hr times
 *       the patches worn, whatever the change interval, as the CDC factor is per mcg/hr.
 *   <li>MME: daily dose times factor, rounded to one decimal per ingredient as the reference
 *       does; methadone's factor depends on its daily dose.
 * </ol>
 *
 * <p>An order that cannot be worked out gives {@link OrderMme.NotComputed} naming the problem
 * and the element; it adds nothing to the total, and the total says it is incomplete.
 */
public final class MmeCalculator {

  /** RxNorm dose form "Transdermal System". */
  public static final String TRANSDERMAL_SYSTEM = "316987";

  private static final MathContext MATH = MathContext.DECIMAL64;

  private static final Map<String, BigDecimal> MG_PER_UNIT = Map.of(
      "mg", BigDecimal.ONE, "ug", new BigDecimal("0.001"), "mcg", new BigDecimal("0.001"),
      "g", new BigDecimal("1000"));

  private static final Map<String, BigDecimal> ML_PER_UNIT = Map.of(
      "mL", BigDecimal.ONE, "ml", BigDecimal.ONE, "L", new BigDecimal("1000"));

  private static final Map<String, BigDecimal> HOURS_PER_UNIT = Map.of(
      "h", BigDecimal.ONE, "min", BigDecimal.ONE.divide(new BigDecimal("60"), MATH),
      "d", new BigDecimal("24"));

  private static final Map<String, BigDecimal> DAYS_PER_UNIT = Map.of(
      "s", BigDecimal.ONE.divide(new BigDecimal("86400"), MATH),
      "min", BigDecimal.ONE.divide(new BigDecimal("1440"), MATH),
      "h", BigDecimal.ONE.divide(new BigDecimal("24"), MATH),
      "d", BigDecimal.ONE, "wk", new BigDecimal("7"), "mo", new BigDecimal("30"),
      "a", new BigDecimal("365"));

  /** Units of a product as recorded, beyond UCUM's {@code 1} and {annotations}. */
  private static final Set<String> PRODUCT_UNITS = Set.of("tablet", "tablets", "tab", "capsule",
      "capsules", "cap", "patch", "patches", "each", "ea", "actuation", "puff", "spray");

  private MmeCalculator() {}

  /**
   * The total MME per day of {@code orders}, every order's result kept.
   *
   * @param orders the opioid orders to add up; an empty list gives 0 {MME}/d, complete
   * @return the sum of the orders whose MME could be worked out, with each order's result;
   *     incomplete, a lower bound, when some could not
   */
  public static TotalMme total(List<MedicationRequest> orders) {
    List<OrderMme> results = orders.stream().map(MmeCalculator::order).toList();
    BigDecimal sum = results.stream().filter(OrderMme.Computed.class::isInstance)
        .map(r -> ((OrderMme.Computed) r).mme()).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new TotalMme(sum, results);
  }

  /**
   * The MME per day of one order, or why it cannot be worked out.
   *
   * @param order an opioid order; only one with exactly one dosage instruction can be computed
   * @return {@link OrderMme.Computed} with each ingredient's steps and the assumptions made, or
   *     {@link OrderMme.NotComputed} naming the problem and the element of the order
   */
  public static OrderMme order(MedicationRequest order) {
    String id = order.id();
    List<IngredientStrength> strengths = strengths(order);
    if (strengths.isEmpty()) {
      return new OrderMme.NotComputed(id, OrderMme.Problem.UNKNOWN_MEDICATION, "medication",
          "no opioid ingredient known to the calculator, by Medication ingredient, RxNorm"
              + " product or RxNorm ingredient code");
    }
    if (order.dosage().size() != 1) {
      return new OrderMme.NotComputed(id, OrderMme.Problem.DOSAGE_NOT_SINGLE,
          "dosageInstruction", order.dosage().size() + " dosage instructions; exactly one is"
              + " read");
    }
    Dosage dosage = order.dosage().get(0);
    List<String> notes = new ArrayList<>();
    Quantity dose = dosage.dose();
    if (dose == null && dosage.doseRangeHigh() != null) {
      dose = dosage.doseRangeHigh();
      notes.add("dose range: its high end counts");
    }
    if (dose == null) {
      return new OrderMme.NotComputed(id, OrderMme.Problem.MISSING_DOSE,
          "dosageInstruction[0].doseAndRate", "no dose quantity or dose range high");
    }
    BigDecimal perDay;
    try {
      perDay = dosesPerDay(dosage, notes);
    } catch (NotComputable e) {
      return new OrderMme.NotComputed(id, OrderMme.Problem.TIMING_NOT_CONVERTIBLE,
          "dosageInstruction[0].timing.repeat", e.getMessage());
    }
    boolean asNeeded = Boolean.TRUE.equals(dosage.asNeeded());
    if (asNeeded) {
      notes.add("as needed: counted at the most that may be taken");
    }
    List<IngredientMme> ingredients = new ArrayList<>();
    for (IngredientStrength strength : strengths) {
      try {
        ingredients.add(ingredient(strength, dose, perDay));
      } catch (NotComputable e) {
        return new OrderMme.NotComputed(id, e.problem, e.where, e.getMessage());
      }
    }
    BigDecimal sum = ingredients.stream().map(IngredientMme::mme)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    return new OrderMme.Computed(id, asNeeded, ingredients, sum, notes);
  }

  /**
   * Doses per day from the timing, as the reference's {@code ToDaily}, then the number of times
   * of day. Where the reference finds no figure (no frequency, or a frequency without a period)
   * this counts once per period, or per day, and notes the assumption: the reference gives no
   * MME for such an order.
   */
  static BigDecimal dosesPerDay(Dosage dosage, List<String> notes) {
    Integer frequency = dosage.frequencyMax() != null ? dosage.frequencyMax()
        : dosage.frequency();
    if (dosage.frequencyMax() != null && dosage.frequency() != null) {
      notes.add("frequencyMax counts, not frequency");
    }
    if (frequency == null && !dosage.timesOfDay().isEmpty()) {
      return new BigDecimal(dosage.timesOfDay().size());
    }
    if (frequency == null && dosage.period() == null) {
      notes.add("no frequency, period or time of day: once a day assumed (the reference"
          + " logic gives no MME here)");
      return BigDecimal.ONE;
    }
    if (frequency == null) {
      notes.add("no frequency: once per period assumed (the reference logic gives no MME"
          + " here)");
    } else if (dosage.period() == null) {
      notes.add("no period: the frequency taken per day (the reference logic gives no MME"
          + " here)");
    }
    BigDecimal period = dosage.period() == null ? BigDecimal.ONE : dosage.period();
    String unit = dosage.period() == null ? "d" : dosage.periodUnit();
    if (unit == null) {
      throw new NotComputable(OrderMme.Problem.TIMING_NOT_CONVERTIBLE, "timing",
          "a period with no periodUnit");
    }
    if (period.signum() <= 0) {
      throw new NotComputable(OrderMme.Problem.TIMING_NOT_CONVERTIBLE, "timing",
          "a period that is not positive");
    }
    BigDecimal times = new BigDecimal(frequency == null ? 1 : frequency);
    return times.divide(period.multiply(DAYS_PER_UNIT.get(unit), MATH), MATH);
  }

  /** Refuses a strength per a quantity of zero or less, which no division can use. */
  private static void requirePositivePer(IngredientStrength strength) {
    if (strength.per() != null && strength.per().value().signum() <= 0) {
      throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, "medication",
          strength.opioid().label() + " strength is per a quantity that is not positive");
    }
  }

  private static IngredientMme ingredient(IngredientStrength strength, Quantity dose,
      BigDecimal perDay) {
    Opioid opioid = strength.opioid();
    String where = "dosageInstruction[0].doseAndRate";
    requirePositivePer(strength);
    if (strength.transdermal()) {
      return patch(strength, dose, perDay, where);
    }
    BigDecimal mgPerDay;
    String steps;
    String source = null;
    BigDecimal doseMg = MG_PER_UNIT.get(dose.unit());
    if (doseMg != null) {
      mgPerDay = perDay.multiply(dose.value()).multiply(doseMg, MATH);
      steps = text(perDay) + "/d * " + text(dose) + " = " + text(mgPerDay) + " mg/d";
    } else {
      BigDecimal amountMg = amountMg(strength, where);
      source = strength.source();
      BigDecimal perAmount;
      if (ML_PER_UNIT.containsKey(dose.unit())) {
        if (strength.per() == null || !ML_PER_UNIT.containsKey(strength.per().unit())) {
          throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, where, "dose in '"
              + dose.unit() + "' but " + opioid.label() + " strength is not per volume");
        }
        perAmount = dose.value().multiply(ML_PER_UNIT.get(dose.unit()))
            .divide(strength.per().value().multiply(ML_PER_UNIT.get(strength.per().unit())),
                MATH);
      } else if (productUnit(dose.unit())) {
        if (strength.per() != null && !productUnit(strength.per().unit())) {
          throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, where, "dose in '"
              + dose.unit() + "' but " + opioid.label() + " strength is per '"
              + strength.per().unit() + "'");
        }
        BigDecimal per = strength.per() == null ? BigDecimal.ONE : strength.per().value();
        perAmount = dose.value().divide(per, MATH);
      } else {
        throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, where, "dose unit '"
            + dose.unit() + "' is neither a mass, a volume nor a unit of the product");
      }
      mgPerDay = perDay.multiply(perAmount).multiply(amountMg, MATH);
      steps = text(perDay) + "/d * " + text(dose) + " * " + strengthText(strength) + " = "
          + text(mgPerDay) + " mg/d";
    }
    ConversionFactors.Lookup lookup = ConversionFactors.perDay(opioid, mgPerDay);
    if (lookup instanceof ConversionFactors.Lookup.Missing missing) {
      throw new NotComputable(OrderMme.Problem.NO_CONVERSION_FACTOR, "medication",
          missing.reason());
    }
    ConversionFactor factor = ((ConversionFactors.Lookup.Found) lookup).factor();
    BigDecimal mme = mgPerDay.multiply(factor.value()).setScale(1, RoundingMode.HALF_UP);
    return new IngredientMme(opioid,
        new IngredientMme.DailyDose(new Quantity(mgPerDay, "mg/d"), perDay, source), factor,
        mme, opioid.label() + ": " + steps + "; factor " + text(factor.value()) + " per "
            + factor.doseUnit() + " (" + factor.basis() + ") -> " + text(mme) + " "
            + TotalMme.UNIT);
  }

  private static IngredientMme patch(IngredientStrength strength, Quantity dose,
      BigDecimal perDay, String where) {
    Opioid opioid = strength.opioid();
    if (!productUnit(dose.unit())) {
      throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, where, opioid.label()
          + " patch dose in '" + dose.unit() + "'; a number of patches is expected");
    }
    BigDecimal amountMg = amountMg(strength, where);
    BigDecimal hours = strength.per() == null ? null : HOURS_PER_UNIT.get(strength.per().unit());
    if (hours == null) {
      throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, "medication",
          opioid.label() + " patch strength is not per unit of time");
    }
    ConversionFactors.Lookup lookup = ConversionFactors.patch(opioid);
    if (lookup instanceof ConversionFactors.Lookup.Missing missing) {
      throw new NotComputable(OrderMme.Problem.NO_CONVERSION_FACTOR, "medication",
          missing.reason());
    }
    ConversionFactor factor = ((ConversionFactors.Lookup.Found) lookup).factor();
    BigDecimal mcgPerHour = dose.value().multiply(amountMg).multiply(new BigDecimal("1000"))
        .divide(strength.per().value().multiply(hours), MATH);
    BigDecimal mme = mcgPerHour.multiply(factor.value()).setScale(1, RoundingMode.HALF_UP);
    return new IngredientMme(opioid,
        new IngredientMme.DailyDose(new Quantity(mcgPerHour, "ug/h"), perDay, strength.source()),
        factor, mme, opioid.label() + " patch: " + text(dose) + " worn * "
            + strengthText(strength) + " = " + text(mcgPerHour) + " ug/h (changed "
            + text(perDay) + "/d); factor " + text(factor.value()) + " per ug/h ("
            + factor.basis() + ") -> " + text(mme) + " " + TotalMme.UNIT);
  }

  private static BigDecimal amountMg(IngredientStrength strength, String where) {
    if (strength.amount() == null) {
      throw new NotComputable(OrderMme.Problem.MISSING_STRENGTH, where, "dose is not in mg and"
          + " the strength of " + strength.opioid().label() + " is unknown");
    }
    BigDecimal mg = MG_PER_UNIT.get(strength.amount().unit());
    if (mg == null) {
      throw new NotComputable(OrderMme.Problem.UNIT_NOT_CONVERTIBLE, "medication",
          strength.opioid().label() + " strength in '" + strength.amount().unit()
              + "', not a mass");
    }
    return strength.amount().value().multiply(mg);
  }

  /** The opioid strengths of the order's product, best source first; empty if none known. */
  static List<IngredientStrength> strengths(MedicationRequest order) {
    List<IngredientStrength> found = new ArrayList<>();
    if (order.product() != null) {
      boolean transdermal = hasRxnorm(order.product().form(), TRANSDERMAL_SYSTEM);
      for (MedicationIngredient ingredient : order.product().ingredients()) {
        Optional<Opioid> opioid = rxnormCodes(ingredient.item()).stream()
            .map(Opioid::byRxnorm).flatMap(Optional::stream).findFirst();
        opioid.ifPresent(o -> found.add(new IngredientStrength(o, ingredient.strength(),
            ingredient.per(), transdermal || perTime(ingredient.per()),
            "Medication.ingredient")));
      }
      if (!found.isEmpty()) {
        return found;
      }
    }
    List<String> codes = rxnormCodes(order.medication());
    for (String code : codes) {
      Optional<IngredientStrength> product = OpioidProducts.byRxnorm(code);
      if (product.isPresent()) {
        return List.of(product.get());
      }
    }
    for (Code coding : order.medication().codings()) {
      if (Opioid.RXNORM.equals(coding.system())) {
        Optional<List<IngredientStrength>> named =
            RxNormNames.strengths(coding.code(), coding.display());
        if (named.isPresent()) {
          return named.get();
        }
      }
    }
    for (String code : codes) {
      Optional<Opioid> opioid = Opioid.byRxnorm(code);
      if (opioid.isPresent()) {
        return List.of(new IngredientStrength(opioid.get(), null, null, false,
            "RxNorm ingredient " + code));
      }
    }
    return found;
  }

  private static boolean perTime(Quantity per) {
    return per != null && HOURS_PER_UNIT.containsKey(per.unit());
  }

  private static boolean productUnit(String unit) {
    return unit.equals("1") || (unit.startsWith("{") && unit.endsWith("}"))
        || PRODUCT_UNITS.contains(unit.toLowerCase(java.util.Locale.ROOT));
  }

  private static List<String> rxnormCodes(CodeableConcept concept) {
    if (concept == null) {
      return List.of();
    }
    return concept.codings().stream().filter(c -> Opioid.RXNORM.equals(c.system()))
        .map(Code::code).toList();
  }

  private static boolean hasRxnorm(CodeableConcept concept, String code) {
    return rxnormCodes(concept).contains(code);
  }

  private static String strengthText(IngredientStrength strength) {
    String per = strength.per() == null ? "unit" : text(strength.per());
    return text(strength.amount()) + "/" + per;
  }

  private static String text(Quantity quantity) {
    return text(quantity.value()) + " " + quantity.unit();
  }

  private static String text(BigDecimal value) {
    BigDecimal shown = value.scale() > 4 ? value.setScale(4, RoundingMode.HALF_UP) : value;
    return shown.stripTrailingZeros().toPlainString();
  }

  /** An ingredient that cannot be worked out, with the problem and element. */
  private static final class NotComputable extends RuntimeException {
    private final OrderMme.Problem problem;
    private final String where;

    NotComputable(OrderMme.Problem problem, String where, String message) {
      super(message, null, false, false);
      this.problem = problem;
      this.where = where;
    }
  }
}
