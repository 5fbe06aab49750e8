package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A CDS Hooks Coding: a code in a code system, as used for a card's override reasons and a
 * source's topic.
 *
 * <p>{@code system} and {@code code} are required: empty or blank is an error. {@code display}
 * is conditional (required on an override reason, which {@link Card} checks; optional on a
 * topic): empty or blank is taken as absent ({@code null}) and left out.
 *
 * @param system the code system's URI
 * @param code the code
 * @param display what a clinician reads, or {@code null}; required for an override reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"system", "code", "display"})
public record Coding(
    @JsonProperty("system") String system,
    @JsonProperty("code") String code,
    @JsonProperty("display") String display) {

  /**
   * Checks system and code.
   *
   * @param system the code system's URI; not blank
   * @param code the code; not blank
   * @param display what a clinician reads, or {@code null}; empty or blank is taken as {@code
   *     null}
   * @throws NullPointerException if system or code is null
   * @throws IllegalArgumentException if system or code is empty or blank
   */
  public Coding {
    Attributes.required(system, "coding system");
    Attributes.required(code, "coding code");
    display = Attributes.optional(display);
  }
}
