package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.rule.PackSettings;
import java.util.List;
import java.util.Objects;

/**
 * What a rule set is known by.
 *
 * @param packs the packs' ids and versions, {@code id@version}
 * @param name the rule set's identity, carried by every result
 * @param settings the packs' settings with their values
 */
public record RuleSetIdentity(List<String> packs, String name, PackSettings settings) {

  public RuleSetIdentity {
    packs = List.copyOf(packs);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
  }
}
