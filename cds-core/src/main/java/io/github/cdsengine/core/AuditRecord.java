package io.github.cdsengine.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.terminology.ValueSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;

/**
 * What an evaluation decided and on what grounds, without the chart: enough to answer later "why
 * did this patient get this alert on that day". The patient appears only as a keyed hash
 * (HMAC-SHA256 of the patient id under a key the host keeps), so the record can be stored and
 * shared where the chart may not; whoever holds the key can find a patient's records by hashing
 * the id again.
 *
 * <p>{@link #toJson()} is canonical: fields in a fixed order, lists in the order stated below, no
 * white space, so the same evaluation always gives the same bytes (to sign or to compare).
 *
 * @param patientHash HMAC-SHA256 of the patient id (UTF-8) under the host's key, lower-case hex
 * @param instant the evaluation instant
 * @param ruleSets the engine's rule packs as {@code id@version}, sorted
 * @param valueSets every value set loaded in the engine as {@code url|version} ({@code url} alone
 *     when the source gave no version), sorted
 * @param decisions the recommendations shown, in ranking order, then those withheld, in ranking
 *     order
 * @param failedRules the rules that did not complete, sorted; when not empty the result was
 *     incomplete
 */
public record AuditRecord(
    String patientHash,
    Instant instant,
    List<String> ruleSets,
    List<String> valueSets,
    List<Decision> decisions,
    List<String> failedRules) {

  /** The shortest key accepted, in bytes: the output size of SHA-256, as RFC 2104 advises. */
  public static final int MIN_KEY_BYTES = 32;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one recommendation. */
  public enum Disposition {
    /** Shown to the clinician. */
    SHOWN,
    /** Withheld: acting on it could harm this patient. */
    CONTRAINDICATED,
    /** Withheld: it does not apply to this patient. */
    SUPPRESSED,
    /** Withheld: a clinician snoozed it for this patient. */
    SNOOZED
  }

  /**
   * One recommendation and the rules behind it.
   *
   * @param recommendation the recommendation id
   * @param disposition shown, or why it was withheld
   * @param rules the rules that proposed it, then (when withheld) the rules that withheld it,
   *     each list sorted
   */
  public record Decision(String recommendation, Disposition disposition, List<String> rules) {

    /**
     * Copies the rules.
     *
     * @param recommendation the recommendation's id, as in {@link Recommendation#id()}; never null
     * @param disposition whether it was shown or why it was withheld; never null
     * @param rules the ids of the rules that proposed it, then, when withheld, of those that
     *     withheld it; copied, never null, elements not null
     * @throws NullPointerException if any field is null
     */
    public Decision {
      Objects.requireNonNull(recommendation, "recommendation");
      Objects.requireNonNull(disposition, "disposition");
      rules = List.copyOf(rules);
    }
  }

  /**
   * Copies the lists and checks the hash.
   *
   * @param patientHash the keyed hash of the patient id, as {@link #patientHash(String, byte[])}
   *     computes it: exactly 64 lower-case hex digits
   * @param instant the evaluation instant, in UTC; never null
   * @param ruleSets the rule packs as {@code id@version}; copied, never null
   * @param valueSets the loaded value sets as {@code url|version} or {@code url}; copied, never
   *     null
   * @param decisions the recommendations shown, then those withheld; copied, never null (empty when
   *     nothing was proposed)
   * @param failedRules the ids of the rules that did not complete; copied, never null, empty when
   *     every rule completed
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException if patientHash is not 64 lower-case hex digits
   */
  public AuditRecord {
    Objects.requireNonNull(patientHash, "patientHash");
    if (!patientHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "patientHash must be 64 lower-case hex digits (HMAC-SHA256): " + patientHash);
    }
    Objects.requireNonNull(instant, "instant");
    ruleSets = List.copyOf(ruleSets);
    valueSets = List.copyOf(valueSets);
    decisions = List.copyOf(decisions);
    failedRules = List.copyOf(failedRules);
  }

  /**
   * The audit record of {@code result}, which {@code engine} produced, with the patient id hashed
   * under {@code key}.
   *
   * @param result the result to record; never null
   * @param engine the engine that produced {@code result}, whose rule packs and value sets are
   *     listed; never null
   * @param key the host's secret key for HMAC-SHA256, at least {@link #MIN_KEY_BYTES} bytes; the
   *     same key must be used for all records that are to be matched to one patient
   * @return the record, whose decisions follow the result's ranking
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key is shorter than {@link #MIN_KEY_BYTES} bytes
   */
  public static AuditRecord of(EvaluationResult result, CdsEngine engine, byte[] key) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(engine, "engine");
    List<Decision> decisions = new ArrayList<>();
    for (Recommendation shown : result.recommendations()) {
      decisions.add(new Decision(shown.id(), Disposition.SHOWN, sorted(shown.rules())));
    }
    for (WithheldRecommendation withheld : result.withheld()) {
      List<String> rules = new ArrayList<>(sorted(withheld.recommendation().rules()));
      rules.addAll(sorted(withheld.reasons().stream().map(WithheldRecommendation.Reason::rule)
          .distinct().toList()));
      decisions.add(new Decision(withheld.recommendation().id(),
          switch (withheld.disposition()) {
            case CONTRAINDICATED -> Disposition.CONTRAINDICATED;
            case SUPPRESSED -> Disposition.SUPPRESSED;
            case SNOOZED -> Disposition.SNOOZED;
          },
          rules));
    }
    return new AuditRecord(
        patientHash(result.patientId(), key),
        result.instant(),
        sorted(engine.packs()),
        sorted(engine.valueSets().all().stream()
            .map(AuditRecord::reference).distinct().toList()),
        decisions,
        sorted(result.failures().stream().map(RuleFailure::rule).distinct().toList()));
  }

  /**
   * HMAC-SHA256 of {@code patientId} (UTF-8) under {@code key}, as lower-case hex: what a host
   * computes to find the records of one patient.
   *
   * @param patientId the patient's id as the host knows it ({@link EvaluationResult#patientId()});
   *     never null
   * @param key the host's secret key, at least {@link #MIN_KEY_BYTES} bytes; never null
   * @return 64 lower-case hex digits
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key is shorter than {@link #MIN_KEY_BYTES} bytes
   */
  public static String patientHash(String patientId, byte[] key) {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the audit key must have at least " + MIN_KEY_BYTES
          + " bytes, not " + key.length);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(patientId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256 (Mac's documentation).
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * The canonical JSON form: fields in the order of this record's components, no white space.
   *
   * @return the record as one line of JSON, the same bytes for equal records
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("patientHash", patientHash);
    root.put("instant", instant.toString());
    strings(root.putArray("ruleSets"), ruleSets);
    strings(root.putArray("valueSets"), valueSets);
    ArrayNode decisionArray = root.putArray("decisions");
    for (Decision decision : decisions) {
      ObjectNode node = decisionArray.addObject();
      node.put("recommendation", decision.recommendation());
      node.put("disposition", decision.disposition().name());
      strings(node.putArray("rules"), decision.rules());
    }
    strings(root.putArray("failedRules"), failedRules);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings could not be written", e);
    }
  }

  /**
   * Reads the JSON form {@link #toJson()} writes.
   *
   * @param json the text {@link #toJson()} wrote; white space between tokens is allowed
   * @return the record it describes
   * @throws NullPointerException if json is null
   * @throws IllegalArgumentException if it is not that form, naming the field
   */
  public static AuditRecord fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an audit record: " + e.getOriginalMessage(), e);
    }
    List<Decision> decisions = new ArrayList<>();
    for (JsonNode node : array(root, "decisions")) {
      String disposition = text(node, "disposition");
      try {
        decisions.add(new Decision(text(node, "recommendation"),
            Disposition.valueOf(disposition), strings(node, "rules")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("audit record: unknown disposition " + disposition, e);
      }
    }
    Instant instant;
    try {
      instant = Instant.parse(text(root, "instant"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("audit record: bad instant " + text(root, "instant"), e);
    }
    return new AuditRecord(text(root, "patientHash"), instant, strings(root, "ruleSets"),
        strings(root, "valueSets"), decisions, strings(root, "failedRules"));
  }

  private static String reference(ValueSet valueSet) {
    return valueSet.url() + (valueSet.version() == null ? "" : "|" + valueSet.version());
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().sorted(Comparator.naturalOrder()).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static JsonNode array(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("audit record: " + field + " must be an array");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("audit record: " + field + " must be a string");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array(node, field)) {
      if (!value.isTextual()) {
        throw new IllegalArgumentException("audit record: " + field + " must hold strings");
      }
      values.add(value.asText());
    }
    return values;
  }
}
