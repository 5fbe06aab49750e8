package io.github.cdsengine.core.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * A CDS Hooks service a rule pack offers: a hook, and the recommendations whose cards it
 * returns. A pack that declares none is offered as one service showing all its
 * recommendations.
 *
 * @param id the service id, the last segment of its URL ({@code {baseUrl}/cds-services/{id}})
 * @param hook the hook it answers, e.g. {@code order-sign} or {@code patient-view}
 * @param title a human-readable title
 * @param description what the service does
 * @param recommendations the recommendation ids whose cards it returns, in no particular order
 */
public record ServiceDefinition(String id, String hook, String title, String description,
    List<String> recommendations) {

  /**
   * Copies the list and checks the fields.
   *
   * @param id the service id, the last segment of its URL; never null
   * @param hook the hook it answers, e.g. {@code order-sign}; never null
   * @param title a human-readable title; never null
   * @param description what the service does; never null
   * @param recommendations the recommendation ids whose cards it returns; copied, at least one
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if no recommendation is listed
   */
  public ServiceDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    recommendations = List.copyOf(recommendations);
    if (recommendations.isEmpty()) {
      throw new IllegalArgumentException("service '" + id + "' lists no recommendation");
    }
  }
}
