package io.github.cdsengine.core.evaluation;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A switch a rule pack declares in its manifest, such as the reference logic's configuration
 * settings: rules read its value through the {@link io.github.cdsengine.core.rule.PackSettings}
 * fact, and a host may override its default with {@link io.github.cdsengine.core.CdsEngine.Builder#packSetting}.
 *
 * @param name the setting's name within its pack, in kebab case, e.g. {@code
 *     opiate-urine-screening-check}
 * @param defaultValue its value unless the host overrides it
 * @param description what it changes, for the people who configure an engine
 * @param source where the setting and its default come from (publisher, library, define name)
 */
public record SettingDefinition(String name, boolean defaultValue, String description,
    String source) {

  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /**
   * Checks the fields.
   *
   * @param name the setting's name within its pack, in kebab case (a-z, 0-9 and {@code -})
   * @param defaultValue whether the setting is on unless the host overrides it
   * @param description what it changes, for the people who configure an engine; not blank
   * @param source where the setting and its default come from; not blank
   * @throws NullPointerException if a text field is null
   * @throws IllegalArgumentException if the name is not kebab case or the description or source
   *     is blank
   */
  public SettingDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(source, "source");
    if (!KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("a setting name is kebab case (a-z, 0-9 and '-'): '"
          + name + "'");
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException("setting '" + name + "' needs a description");
    }
    if (source.isBlank()) {
      throw new IllegalArgumentException("setting '" + name + "' needs a source");
    }
  }
}
