package io.github.cdsengine.rules;

import io.github.cdsengine.core.pack.RulePack;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rule packs shipped in this jar: guideline packs, which carry their own value sets, and
 * quality-measure packs, which name the VSAC value sets their measures specify and need their
 * expansions loaded beside them (see {@link #measures()}).
 */
public final class ShippedRulePacks {

  /** The id of the USPSTF 2021 colorectal cancer screening pack. */
  public static final String USPSTF_COLORECTAL = "uspstf-colorectal-cancer-screening";

  /**
   * The id of the CDC 2016 opioid prescribing pack: CDS Hooks services for the guideline's
   * recommendations 1 to 12, with the reference implementation's value sets named, not shipped.
   */
  public static final String CDC_OPIOIDS_2016 = "cdc-opioids-2016";

  private ShippedRulePacks() {}

  /**
   * Every shipped pack, guideline and measure packs, sorted by id.
   *
   * @return the packs, sorted by id
   */
  public static List<RulePack> all() {
    return RulePack.discover(ShippedRulePacks.class.getClassLoader());
  }

  /**
   * The guideline packs that ship every value set they use, so they build on their own.
   *
   * @return those packs, sorted by id
   */
  public static List<RulePack> guidelines() {
    return all().stream().filter(p -> p.measures().isEmpty() && p.valueSetNames().isEmpty())
        .toList();
  }

  /**
   * The packs whose value sets must be loaded beside them with {@code
   * CdsEngine.Builder.addValueSets(directory)}: the quality-measure packs and the CDC opioid
   * pack (whose value sets the reference implementation publishes, cqframework opioid-cds-r4).
   *
   * @return those packs, sorted by id
   */
  public static List<RulePack> needingValueSets() {
    return all().stream().filter(p -> !p.measures().isEmpty() || !p.valueSetNames().isEmpty())
        .toList();
  }

  /**
   * The quality-measure packs, one per measure. Their rules name the measures' value sets (for
   * CMS measures, VSAC value sets, which VSAC licenses to its users and the packs therefore do not
   * ship): load the expansions with {@code CdsEngine.Builder.addValueSets(directory)}, or the
   * build fails naming each one missing. Build with a measurement period in the evaluation
   * context to get population results.
   *
   * @return the measure packs, sorted by id
   */
  public static List<RulePack> measures() {
    return all().stream().filter(p -> !p.measures().isEmpty()).toList();
  }

  /**
   * The shipped pack with this id.
   *
   * @param id a pack's id, such as {@link #USPSTF_COLORECTAL}
   * @return the pack
   * @throws NoSuchElementException naming the id and the ids that exist
   */
  public static RulePack byId(String id) {
    List<RulePack> all = all();
    return all.stream().filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no shipped rule pack '" + id
            + "'; shipped: " + all.stream().map(RulePack::id).toList()));
  }
}
