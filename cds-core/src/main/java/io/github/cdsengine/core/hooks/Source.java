package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Where a card's information comes from (CDS Hooks {@code source}).
 *
 * @param label a short label for the source, e.g. the guideline's publisher
 * @param url where to read more about the source, or {@code null}
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
   * Checks the label.
   *
   * @param label a short label for the source, e.g. the guideline's publisher
   * @param url where to read more about the source, or {@code null}
   * @param icon an absolute URL of a 100×100 PNG icon, or {@code null}
   * @param topic a coded topic for analytics, or {@code null}
   * @throws NullPointerException if label is null
   */
  public Source {
    Objects.requireNonNull(label, "label");
  }

  /**
   * A source with a label and a URL only.
   *
   * @param label a short label for the source, e.g. the guideline's publisher
   * @param url where to read more about the source, or {@code null}
   */
  public Source(String label, String url) {
    this(label, url, null, null);
  }
}
