package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a card's information comes from (CDS Hooks {@code source}).
 *
 * <p>{@code label} is required: empty or blank is an error. {@code url} and {@code icon} are
 * optional: empty or blank is taken as absent ({@code null}) and left out, and a value must be an
 * absolute URL, as the specification says of both.
 *
 * @param label a short label for the source, e.g. the guideline's publisher
 * @param url an absolute URL where to read more about the source, or {@code null}
 * @param icon an absolute URL of a 100×100 PNG icon, or {@code null}
 * @param topic a coded topic for analytics, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"label", "url", "icon", "topic"})
public record Source(
    @JsonProperty("label") String label,
    @JsonProperty("url") String url,
    @JsonProperty("icon") String icon,
    @JsonProperty("topic") Coding topic) {

  /**
   * Checks the label and the addresses.
   *
   * @param label a short label for the source, e.g. the guideline's publisher; not blank
   * @param url an absolute URL where to read more about the source, or {@code null}; empty or
   *     blank is taken as {@code null}
   * @param icon an absolute URL of a 100×100 PNG icon, or {@code null}; empty or blank is taken
   *     as {@code null}
   * @param topic a coded topic for analytics, or {@code null}
   * @throws NullPointerException if label is null
   * @throws IllegalArgumentException if label is empty or blank, or quoting url or icon when it
   *     is not an absolute URL
   */
  public Source {
    Attributes.required(label, "source label");
    url = Attributes.optional(url);
    icon = Attributes.optional(icon);
    if (url != null) {
      Attributes.absoluteUrl(url, "source url");
    }
    if (icon != null) {
      Attributes.absoluteUrl(icon, "source icon");
    }
  }

  /**
   * A source with a label and a URL only.
   *
   * @param label a short label for the source, e.g. the guideline's publisher; not blank
   * @param url an absolute URL where to read more about the source, or {@code null}
   * @throws NullPointerException if label is null
   * @throws IllegalArgumentException as the canonical constructor
   */
  public Source(String label, String url) {
    this(label, url, null, null);
  }
}
