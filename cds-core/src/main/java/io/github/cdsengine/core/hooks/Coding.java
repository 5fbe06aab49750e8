package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A CDS Hooks Coding: a code in a code system, as used for a card's override reasons and a
 * source's topic.
 *
 * @param system the code system's URI
 * @param code the code
 * @param display what a clinician reads, or {@code null}
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
   * @param system the code system's URI
   * @param code the code
   * @param display what a clinician reads, or {@code null}
   * @throws NullPointerException if system or code is null
   */
  public Coding {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(code, "code");
  }
}
