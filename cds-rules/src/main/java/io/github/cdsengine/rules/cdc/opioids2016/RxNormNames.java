package io.github.cdsengine.rules.cdc.opioids2016;

import io.github.cdsengine.core.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opioid strengths read from an RxNorm clinical or branded drug's normalized name, such as
 * "Acetaminophen 325 MG / Hydrocodone Bitartrate 10 MG Oral Tablet" or "72 HR Fentanyl 0.025
 * MG/HR Transdermal System": RxNorm names these drugs as ingredient, strength and dose form
 * (U.S. National Library of Medicine, RxNorm Technical Documentation, "Normalized names"), so
 * the name an order carries with its code states the strength.
 *
 * <p>Read strictly: every ingredient part must have the form {@code [NN HR ]Ingredient number
 * MG|MCG[/ML|/HR]}, or nothing is read. Used when neither the order's Medication resource nor
 * {@link OpioidProducts} gives the strength; the result names the text it was read from.
 */
final class RxNormNames {

  private static final Pattern PART = Pattern.compile(
      "^(?:\\d+ HR )?(?<ingredient>[A-Za-z][A-Za-z ,.()-]*?) (?<amount>\\d+(?:\\.\\d+)?) "
          + "(?<unit>MG|MCG)(?:/(?<per>ML|HR))?(?<rest>(?: .*)?)$");

  private RxNormNames() {}

  /** The opioid strengths {@code name} states, or empty when it is not read as a drug name. */
  static Optional<List<IngredientStrength>> strengths(String code, String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String[] parts = name.strip().split(" / ");
    String last = parts[parts.length - 1];
    boolean transdermal = last.toLowerCase(Locale.ROOT).contains("transdermal");
    List<IngredientStrength> found = new ArrayList<>();
    for (String part : parts) {
      Matcher m = PART.matcher(part.strip());
      if (!m.matches()) {
        return Optional.empty();
      }
      Optional<Opioid> opioid = opioid(m.group("ingredient"));
      if (opioid.isEmpty()) {
        continue;
      }
      String amount = m.group("amount");
      Quantity strength = m.group("unit").equals("MG") ? Quantity.of(amount, "mg")
          : Quantity.of(amount, "ug");
      String per = m.group("per");
      Quantity of = per == null ? null
          : per.equals("ML") ? Quantity.of("1", "mL") : Quantity.of("1", "h");
      found.add(new IngredientStrength(opioid.get(), strength, of,
          transdermal || "HR".equals(per),
          "RxNorm " + code + " by its name '" + name.strip() + "'"));
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(found));
  }

  private static Optional<Opioid> opioid(String ingredient) {
    String first = ingredient.strip().toLowerCase(Locale.ROOT).split("[ ,]")[0];
    for (Opioid opioid : Opioid.values()) {
      if (opioid.label().equals(first)) {
        return Optional.of(opioid);
      }
    }
    return Optional.empty();
  }
}
