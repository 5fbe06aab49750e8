package io.github.cdsengine.core.evaluation;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The published source of a rule: who published it, what it is called, which version, and where
 * to read it.
 *
 * @param publisher e.g. {@code U.S. Preventive Services Task Force}
 * @param title e.g. {@code Colorectal Cancer: Screening}
 * @param version the version or publication date, e.g. {@code 2021-05-18}
 * @param url an absolute http or https address of the guideline
 */
public record Guideline(String publisher, String title, String version, String url) {

  /**
   * Checks that every field is present and the URL is absolute http(s).
   *
   * @param publisher the organisation that published the guideline, e.g. {@code U.S. Preventive
   *     Services Task Force}; not blank
   * @param title the guideline's title, e.g. {@code Colorectal Cancer: Screening}; not blank
   * @param version the version or publication date, e.g. {@code 2021-05-18}; not blank
   * @param url an absolute http or https address of the guideline
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException if a field is blank or the URL is not absolute http(s)
   */
  public Guideline {
    requireText(publisher, "publisher");
    requireText(title, "title");
    requireText(version, "version");
    requireText(url, "url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("guideline url '" + url + "' is not a valid URI", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "guideline url '" + url + "' must be an absolute http(s) address with a host");
    }
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, () -> "guideline " + field);
    if (value.isBlank()) {
      throw new IllegalArgumentException("guideline " + field + " must not be blank");
    }
  }
}
