package io.github.cdsengine.core.scenario;

import java.util.List;

/**
 * What a scenario expects of an evaluation. Every list is optional.
 *
 * @param shown recommendation ids that must be shown
 * @param absent recommendation ids that must be neither shown nor withheld
 * @param withheld recommendation ids that must be withheld (suppressed or contraindicated)
 * @param order recommendation ids that must be shown in exactly this relative order
 */
public record Expectations(List<String> shown, List<String> absent, List<String> withheld,
    List<String> order) {

  /**
   * Copies the lists; a missing list reads as empty.
   *
   * @param shown recommendation ids that must be shown
   * @param absent recommendation ids that must be neither shown nor withheld
   * @param withheld recommendation ids that must be withheld (suppressed or contraindicated)
   * @param order recommendation ids that must be shown in exactly this relative order
   */
  public Expectations {
    shown = shown == null ? List.of() : List.copyOf(shown);
    absent = absent == null ? List.of() : List.copyOf(absent);
    withheld = withheld == null ? List.of() : List.copyOf(withheld);
    order = order == null ? List.of() : List.copyOf(order);
  }
}
