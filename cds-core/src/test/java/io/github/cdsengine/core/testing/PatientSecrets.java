package io.github.cdsengine.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What identifies a patient or states their clinical data in FHIR JSON, and where such values
 * appear in log output: the no-patient-data-in-logs tests of the command line and the service.
 *
 * <p>Log output is cut into tokens at every character that cannot be part of an identifier, a
 * date or a number; a secret is found when it is a whole token, or, for secrets with a space in
 * them (address lines, city names), anywhere in the output.
 */
public final class PatientSecrets {

  /** A full date, or a date-time from its day on. */
  public static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");
  /** A decimal number. */
  public static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
  /** Characters that end a token: anything not in an id, a name, a date or a number. */
  static final Pattern TOKEN_BREAK = Pattern.compile("[^\\p{L}\\p{N}.\\-:+_']+");
  /** Resource types the reader reads as clinical facts (a MeasureReport is the deck's answer). */
  static final Set<String> SKIPPED_TYPES = Set.of("MeasureReport", "Bundle");

  private PatientSecrets() {}

  /** The secrets that appear in {@code log}: as a whole token, or anywhere when they hold a space. */
  public static Set<String> found(String log, Set<String> secrets) {
    Set<String> tokens = new HashSet<>();
    for (String token : TOKEN_BREAK.split(log)) {
      String trimmed = token.replaceAll("^[.\\-:+_']+|[.\\-:+_']+$", "");
      tokens.add(trimmed);
      if (DATE.matcher(trimmed).matches()) {
        tokens.add(trimmed.substring(0, 10));
      }
      if (DECIMAL.matcher(trimmed).matches()) {
        tokens.add(normalized(trimmed));
      }
    }
    Set<String> found = new TreeSet<>();
    for (String secret : secrets) {
      if (secret.contains(" ") ? log.contains(secret) : tokens.contains(secret)) {
        found.add(secret);
      }
    }
    return found;
  }

  /** The first log line that contains {@code secret}, to say where a leak is (synthetic data). */
  public static String lineWith(String log, String secret) {
    int at = log.indexOf(secret);
    int start = log.lastIndexOf('\n', at) + 1;
    int end = log.indexOf('\n', at);
    return log.substring(start, end < 0 ? log.length() : end);
  }

  /**
   * Adds to {@code secrets} what identifies a patient or states their clinical data, from every
   * resource in {@code json} (a Bundle, a CDS Hooks request or one resource): the Patient's id,
   * identifiers, names, birth date, addresses and telecoms; every resource's full dates and
   * decimal measured values.
   */
  public static void secretsOf(JsonNode json, Set<String> secrets) {
    if (json.has("resourceType")) {
      if (!SKIPPED_TYPES.contains(json.path("resourceType").asText())) {
        resourceSecrets(json, secrets);
      }
    }
    if (json.has("prefetch")) {
      json.path("prefetch").forEach(item -> secretsOf(item, secrets));
      secretsOf(json.path("context").path("draftOrders"), secrets);
    }
    json.path("entry").forEach(entry -> secretsOf(entry.path("resource"), secrets));
  }

  public static void resourceSecrets(JsonNode resource, Set<String> secrets) {
    if (resource.path("resourceType").asText().equals("Patient")) {
      secrets.add(resource.path("id").asText());
      secrets.add(resource.path("birthDate").asText());
      resource.path("identifier").forEach(id -> secrets.add(id.path("value").asText()));
      resource.path("telecom").forEach(t -> secrets.add(t.path("value").asText()));
      resource.path("name").forEach(name -> {
        secrets.add(name.path("family").asText());
        secrets.add(name.path("text").asText());
        name.path("given").forEach(given -> secrets.add(given.asText()));
      });
      resource.path("address").forEach(address -> {
        address.path("line").forEach(line -> secrets.add(line.asText()));
        secrets.add(address.path("city").asText());
        secrets.add(address.path("postalCode").asText());
      });
    }
    valuesAndDates(resource, secrets);
  }

  /** Every full date (a date-time's day) and every decimal number in the resource. */
  public static void valuesAndDates(JsonNode node, Set<String> secrets) {
    if (node.isTextual() && DATE.matcher(node.asText()).matches()) {
      secrets.add(node.asText().substring(0, 10));
    } else if (node.isNumber() && !node.isIntegralNumber()) {
      String value = normalized(node.decimalValue().toPlainString());
      if (value.contains(".")) { // 120.0 is the integer 120: see the class comment
        secrets.add(value);
      }
    } else if (node.isContainerNode()) {
      if (node.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (!field.getKey().equals("text")) { // narrative XHTML: not read by the engine
            valuesAndDates(field.getValue(), secrets);
          }
        }
      } else {
        node.forEach(child -> valuesAndDates(child, secrets));
      }
    }
  }

  /** A decimal as its plain digits without trailing zeros: {@code 7.20} is {@code 7.2}. */
  public static String normalized(String decimal) {
    return new BigDecimal(decimal).stripTrailingZeros().toPlainString();
  }

}
