package io.github.cdsengine.core.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CDS Hooks service a rule pack offers: a hook, the recommendations whose cards it returns, and
 * the prefetch templates its rules need beyond the standard ones. A pack that declares none is
 * offered as one service showing all its recommendations.
 *
 * <p>A host's discovery document asks every service for a standard set of templates (the patient,
 * and each resource type the reader uses searched by patient). A service's own {@link #prefetch}
 * templates are meant to be asked for too, one under a key the standard set also has replacing
 * that template (the discovery document of {@code CdsServices.fromPacks} lists them so): the
 * CDC opioid pack's services, for instance, search {@code MedicationRequest} with
 * {@code _include=MedicationRequest:medication}, so that an order naming its drug by {@code
 * medicationReference} comes with the Medication.
 *
 * <p>A template's prefetch tokens must be those CDS Hooks 2.0 allows: a root-level field of the
 * hook's context ({@code {{context.patientId}}}) or one of {@code {{userPractitionerId}}}, {@code
 * {{userPractitionerRoleId}}}, {@code {{userPatientId}}} and {@code {{userRelatedPersonId}}}. A
 * path into a context field, such as {@code {{context.draftOrders.MedicationRequest.id}}}, is
 * refused: CDS Hooks clients need not fill it in.
 *
 * @param id the service id, the last segment of its URL ({@code {baseUrl}/cds-services/{id}})
 * @param hook the hook it answers, e.g. {@code order-sign} or {@code patient-view}
 * @param title a human-readable title
 * @param description what the service does
 * @param recommendations the recommendation ids whose cards it returns, in no particular order
 * @param prefetch the prefetch templates its rules need beyond the standard ones, by key, in the
 *     order given; may be empty
 */
public record ServiceDefinition(String id, String hook, String title, String description,
    List<String> recommendations, Map<String, String> prefetch) {

  /** A prefetch token, with what stands between its braces. */
  private static final Pattern TOKEN = Pattern.compile("\\{\\{(.*?)}}");

  /** What may stand between a token's braces: a root-level context field, or a user id. */
  private static final Pattern ALLOWED_TOKEN = Pattern.compile("context\\.[A-Za-z][A-Za-z0-9_]*");

  private static final Set<String> USER_TOKENS = Set.of("userPractitionerId",
      "userPractitionerRoleId", "userPatientId", "userRelatedPersonId");

  /**
   * Copies the list and the templates, keeping their order, and checks the fields.
   *
   * @param id the service id, the last segment of its URL; never null
   * @param hook the hook it answers, e.g. {@code order-sign}; never null
   * @param title a human-readable title; never null
   * @param description what the service does; never null
   * @param recommendations the recommendation ids whose cards it returns; copied, at least one
   * @param prefetch the prefetch templates its rules need beyond the standard ones, by key; may
   *     be empty, never null
   * @throws NullPointerException if a field, a prefetch key or a template is null
   * @throws IllegalArgumentException if no recommendation is listed, or quoting a blank prefetch
   *     key or template, or a prefetch token CDS Hooks does not allow
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
    Map<String, String> templates = new LinkedHashMap<>();
    Objects.requireNonNull(prefetch, "prefetch").forEach((key, template) -> {
      Objects.requireNonNull(key, "prefetch key");
      Objects.requireNonNull(template, () -> "prefetch template '" + key + "'");
      if (key.isBlank() || template.isBlank()) {
        throw new IllegalArgumentException("service '" + id + "' has a blank prefetch key or "
            + "template: '" + key + "': '" + template + "'");
      }
      checkTokens(id, key, template);
      templates.put(key, template);
    });
    prefetch = Collections.unmodifiableMap(templates);
  }

  /**
   * A service that needs only the standard prefetch templates.
   *
   * @param id the service id, the last segment of its URL; never null
   * @param hook the hook it answers, e.g. {@code order-sign}; never null
   * @param title a human-readable title; never null
   * @param description what the service does; never null
   * @param recommendations the recommendation ids whose cards it returns; copied, at least one
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if no recommendation is listed
   */
  public ServiceDefinition(String id, String hook, String title, String description,
      List<String> recommendations) {
    this(id, hook, title, description, recommendations, Map.of());
  }

  private static void checkTokens(String id, String key, String template) {
    Matcher token = TOKEN.matcher(template);
    while (token.find()) {
      String name = token.group(1);
      if (!ALLOWED_TOKEN.matcher(name).matches() && !USER_TOKENS.contains(name)) {
        throw new IllegalArgumentException("service '" + id + "' prefetch template '" + key
            + "' has the token '" + token.group() + "'; CDS Hooks allows only a root-level "
            + "context field such as {{context.patientId}}, or {{userPractitionerId}}, "
            + "{{userPractitionerRoleId}}, {{userPatientId}} or {{userRelatedPersonId}}");
      }
    }
    String rest = token.replaceAll("");
    if (rest.contains("{{") || rest.contains("}}")) {
      throw new IllegalArgumentException("service '" + id + "' prefetch template '" + key
          + "' has a token that is not closed or not opened: '" + template + "'");
    }
  }
}
