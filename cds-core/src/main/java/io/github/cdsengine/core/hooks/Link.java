package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A link on a card (CDS Hooks {@code Link}): a reference to read, or a SMART app to launch.
 *
 * @param label what the link is, as shown
 * @param url the address
 * @param type {@code absolute} for a page, {@code smart} for a SMART app
 * @param appContext context a SMART app receives on launch, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"label", "url", "type", "appContext"})
public record Link(
    @JsonProperty("label") String label,
    @JsonProperty("url") String url,
    @JsonProperty("type") String type,
    @JsonProperty("appContext") String appContext) {

  /**
   * Checks the fields.
   *
   * @param label what the link is, as shown
   * @param url the address
   * @param type {@code absolute} for a page, {@code smart} for a SMART app
   * @param appContext context a SMART app receives on launch, or {@code null}
   * @throws NullPointerException if label, url or type is null
   * @throws IllegalArgumentException quoting the type when it is not absolute or smart
   */
  public Link {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(type, "type");
    if (!type.equals("absolute") && !type.equals("smart")) {
      throw new IllegalArgumentException("link type '" + type + "' must be absolute or smart");
    }
  }

  /**
   * A link to a page ({@code absolute}).
   *
   * @param label the link text shown to the clinician; never null
   * @param url the absolute address of the page; never null
   * @return a link of type {@code absolute} with no SMART app context
   */
  public static Link absolute(String label, String url) {
    return new Link(label, url, "absolute", null);
  }
}
