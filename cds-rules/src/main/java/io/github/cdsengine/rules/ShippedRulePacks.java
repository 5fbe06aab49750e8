package io.github.cdsengine.rules;

import io.github.cdsengine.core.RulePack;
import java.util.List;
import java.util.NoSuchElementException;

/** The guideline rule packs shipped in this jar. */
public final class ShippedRulePacks {

  /** The id of the USPSTF 2021 colorectal cancer screening pack. */
  public static final String USPSTF_COLORECTAL = "uspstf-colorectal-cancer-screening";

  private ShippedRulePacks() {}

  /** Every shipped pack, sorted by id. */
  public static List<RulePack> all() {
    return RulePack.discover(ShippedRulePacks.class.getClassLoader());
  }

  /**
   * The shipped pack with this id.
   *
   * @throws NoSuchElementException naming the id and the ids that exist
   */
  public static RulePack byId(String id) {
    List<RulePack> all = all();
    return all.stream().filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no shipped rule pack '" + id
            + "'; shipped: " + all.stream().map(RulePack::id).toList()));
  }
}
