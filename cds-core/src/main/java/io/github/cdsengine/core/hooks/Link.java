package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A link on a card (CDS Hooks {@code Link}): a page to read ({@code absolute}), or a SMART app
 * to launch ({@code smart}).
 *
 * <p>{@code label}, {@code url} and {@code type} are required: empty or blank is an error. An
 * {@code absolute} link's URL must be absolute, and it carries neither {@code appContext} nor
 * {@code autolaunchable}, which the specification gives SMART links only. {@code appContext} is
 * optional: empty or blank is taken as absent ({@code null}) and left out.
 *
 * @param label what the link is, as shown
 * @param url the address
 * @param type {@code absolute} for a page, {@code smart} for a SMART app
 * @param appContext context a SMART app receives on launch, or {@code null}
 * @param autolaunchable a hint that the client may launch the SMART app at once, without
 *     showing the card, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"label", "url", "type", "appContext", "autolaunchable"})
public record Link(
    @JsonProperty("label") String label,
    @JsonProperty("url") String url,
    @JsonProperty("type") String type,
    @JsonProperty("appContext") String appContext,
    @JsonProperty("autolaunchable") Boolean autolaunchable) {

  /**
   * Checks the fields.
   *
   * @param label what the link is, as shown; not blank
   * @param url the address; absolute for an {@code absolute} link
   * @param type {@code absolute} for a page, {@code smart} for a SMART app
   * @param appContext context a SMART app receives on launch, or {@code null}; empty or blank
   *     is taken as {@code null}
   * @param autolaunchable a hint that the client may launch the SMART app at once, or {@code
   *     null}
   * @throws NullPointerException if label, url or type is null
   * @throws IllegalArgumentException quoting the value, when label or url is empty or blank, the
   *     type is not absolute or smart, or an absolute link has a relative URL, an appContext or
   *     autolaunchable
   */
  public Link {
    Attributes.required(label, "link label");
    Attributes.required(url, "link url");
    Objects.requireNonNull(type, "type");
    appContext = Attributes.optional(appContext);
    if (!type.equals("absolute") && !type.equals("smart")) {
      throw new IllegalArgumentException("link type '" + type + "' must be absolute or smart");
    }
    if (type.equals("absolute")) {
      Attributes.absoluteUrl(url, "absolute link url");
      if (appContext != null) {
        throw new IllegalArgumentException("the absolute link '" + url + "' has the appContext '"
            + appContext + "'; only a smart link carries one");
      }
      if (autolaunchable != null) {
        throw new IllegalArgumentException("the absolute link '" + url + "' has autolaunchable "
            + autolaunchable + "; only a smart link carries it");
      }
    }
  }

  /**
   * A link without {@code autolaunchable}.
   *
   * @param label what the link is, as shown; not blank
   * @param url the address; absolute for an {@code absolute} link
   * @param type {@code absolute} for a page, {@code smart} for a SMART app
   * @param appContext context a SMART app receives on launch, or {@code null}
   * @throws NullPointerException if label, url or type is null
   * @throws IllegalArgumentException as the canonical constructor
   */
  public Link(String label, String url, String type, String appContext) {
    this(label, url, type, appContext, null);
  }

  /**
   * A link to a page ({@code absolute}).
   *
   * @param label the link text shown to the clinician; not blank
   * @param url the absolute address of the page
   * @return a link of type {@code absolute}
   * @throws NullPointerException if label or url is null
   * @throws IllegalArgumentException if label or url is blank or the url is relative
   */
  public static Link absolute(String label, String url) {
    return new Link(label, url, "absolute", null, null);
  }

  /**
   * A link that launches a SMART app ({@code smart}).
   *
   * @param label the link text shown to the clinician; not blank
   * @param url the app's SMART launch URL
   * @param appContext context the app receives on launch, or {@code null}
   * @param autolaunchable whether the client may launch the app at once, or {@code null} to
   *     leave it out
   * @return a link of type {@code smart}
   * @throws NullPointerException if label or url is null
   * @throws IllegalArgumentException if label or url is blank
   */
  public static Link smart(String label, String url, String appContext,
      Boolean autolaunchable) {
    return new Link(label, url, "smart", appContext, autolaunchable);
  }
}
