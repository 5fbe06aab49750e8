package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a prefetch template into the relative FHIR request a client would make for it, as CDS
 * Hooks 2.0 defines prefetch tokens: {@code {{context.name}}} is the request's root-level context
 * field of that name (a string, number or boolean; {@code context.patientId} without a {@code
 * Patient/} prefix), and {@code {{userPractitionerId}}}, {@code {{userPractitionerRoleId}}},
 * {@code {{userPatientId}}}, {@code {{userRelatedPersonId}}} are the id of {@code
 * context.userId} when it names a resource of that type ({@code Practitioner/123} gives {@code
 * userPractitionerId} 123).
 *
 * <p>A token whose value the request does not give (no {@code context.encounterId}, a user who is
 * no Practitioner) leaves the template with no data, as a client with nothing to fill it with
 * would. A value is put in the query only when it is a FHIR id (letters, digits, {@code -} and
 * {@code .}, at most 64) or a reference {@code Type/id}, so that no value can change the query's
 * meaning.
 */
final class PrefetchTemplates {

  private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
  /**
   * A FHIR id, or a reference {@code Type/id} (as {@code context.userId} gives one); never
   * {@code .} or {@code ..}, which a URL would read as a path step.
   */
  private static final Pattern FHIR_ID =
      Pattern.compile("(?:[A-Z][A-Za-z]{1,63}/)?(?!\\.{1,2}$)[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern CONTEXT_FIELD = Pattern.compile("context\\.([A-Za-z0-9_]+)");

  /** The user tokens, by the resource type of {@code context.userId} that gives each. */
  private static final Map<String, String> USER_TOKENS = Map.of(
      "userPractitionerId", "Practitioner",
      "userPractitionerRoleId", "PractitionerRole",
      "userPatientId", "Patient",
      "userRelatedPersonId", "RelatedPerson");

  private PrefetchTemplates() {}

  /** What a template became for one request. */
  sealed interface Expansion {}

  /** The relative FHIR request, e.g. {@code Condition?patient=123}. */
  record Query(String relative) implements Expansion {}

  /** A token the request gives no value for: the template has no data for this request. */
  record NoData(String token) implements Expansion {}

  /** A token that is not a prefetch token, or a value that is not a FHIR id. */
  record Unusable(String reason) implements Expansion {}

  /**
   * The template with its tokens replaced from the request.
   *
   * @param template the prefetch template, e.g. {@code Observation?patient={{context.patientId}}}
   * @param context the request's {@code context} object as posted
   * @param patientId the request's patient, without a {@code Patient/} prefix
   */
  static Expansion expand(String template, JsonNode context, String patientId) {
    Matcher token = TOKEN.matcher(template);
    StringBuilder query = new StringBuilder(template.length() + 32);
    int end = 0;
    while (token.find()) {
      String name = token.group(1);
      String value;
      Matcher field = CONTEXT_FIELD.matcher(name);
      if (name.equals("context.patientId")) {
        value = patientId;
      } else if (field.matches()) {
        JsonNode node = context.path(field.group(1));
        value = node.isTextual() || node.isNumber() || node.isBoolean() ? node.asText() : null;
      } else if (USER_TOKENS.containsKey(name)) {
        value = userId(context.path("userId").asText(""), USER_TOKENS.get(name));
      } else {
        return new Unusable("the template's token {{" + name + "}} is not a prefetch token");
      }
      if (value == null) {
        return new NoData(name);
      }
      if (!FHIR_ID.matcher(value).matches()) {
        return new Unusable("the value of {{" + name + "}} is not a FHIR id, so it is not put "
            + "in a query");
      }
      query.append(template, end, token.start()).append(value);
      end = token.end();
    }
    query.append(template, end, template.length());
    String relative = query.toString().strip();
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    return new Query(relative);
  }

  /** The id of {@code userId} ({@code Type/id}) when its type is {@code type}, else null. */
  private static String userId(String userId, String type) {
    String prefix = type + "/";
    return userId.startsWith(prefix) ? userId.substring(prefix.length()) : null;
  }

  /**
   * Whether the query asks for a number of results itself ({@code _count}): the first page is
   * then its whole result, as the template's author meant (the most recent one, say), and its
   * {@code next} link is not followed.
   */
  static boolean countsItself(String relative) {
    int question = relative.indexOf('?');
    if (question < 0) {
      return false;
    }
    for (String parameter : relative.substring(question + 1).split("&")) {
      if (parameter.equals("_count") || parameter.startsWith("_count=")) {
        return true;
      }
    }
    return false;
  }
}
