package io.github.cdsengine.core.hooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * The CDS Hooks rules for attribute values that every record of this package applies: "JSON
 * attribute values SHALL NOT be null or empty", and an OPTIONAL attribute without a value is
 * omitted. So a required string that is empty or blank is an error, and an optional one becomes
 * {@code null}, which the JSON writer leaves out.
 */
final class Attributes {

  private Attributes() {}

  /**
   * {@code value}, a required string.
   *
   * @param value the value given
   * @param what what it is, for the message, e.g. {@code card summary}
   * @return the value, unchanged
   * @throws NullPointerException naming {@code what} if value is null
   * @throws IllegalArgumentException quoting the value if it is empty or blank
   */
  static String required(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " '" + value + "' is empty; CDS Hooks requires "
          + "a value");
    }
    return value;
  }

  /**
   * {@code value}, an optional string: {@code null} when it is null, empty or blank, so that
   * it is omitted as the specification requires.
   *
   * @param value the value given, or null
   * @return the value, or null for none
   */
  static String optional(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Checks that {@code url} is an absolute URL: it parses as a URI and has a scheme.
   *
   * @param url the address
   * @param what what it is, for the message, e.g. {@code source icon}
   * @return the address, unchanged
   * @throws IllegalArgumentException quoting the address if it is not a URI or is relative
   */
  static String absoluteUrl(String url, String what) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " '" + url + "' is not a URL: "
          + e.getReason(), e);
    }
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException(what + " '" + url + "' is a relative URL; CDS Hooks "
          + "requires an absolute one, with a scheme such as https:");
    }
    return url;
  }
}
