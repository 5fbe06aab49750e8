package io.github.cdsengine.population;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.fhir.BulkAccount;
import io.github.cdsengine.core.fhir.BulkProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a population run writes where its input went: the errors output's lines and the summary's
 * accounting of a Bulk Data export, the same for both runners.
 */
public final class InputReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private InputReport() {}

  /**
   * One line of {@code errors.ndjson}: {@code {"source", "kind", "message"}}.
   *
   * @param problem the problem
   * @return the line, without its line break
   */
  public static String errorLine(BulkProblem problem) {
    return errorLine(problem.source(), problem.kind(), problem.message());
  }

  /**
   * One line of {@code errors.ndjson}: {@code {"source", "kind", "message"}}.
   *
   * @param source the file and line, or the file, or the patient's source
   * @param kind what happened, such as {@code malformed} or {@code evaluation-failed}
   * @param message what is wrong
   * @return the line, without its line break
   */
  public static String errorLine(String source, String kind, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("source", source);
    node.put("kind", kind);
    node.put("message", message);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The summary's {@code input} object for an export's account: every count, and whether they
   * reconcile.
   *
   * @param account where the export's lines went
   * @return the fields, in a fixed order
   */
  public static Map<String, Object> account(BulkAccount account) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("lines", account.lines());
    map.put("used", account.used());
    map.put("skipped", account.skipped());
    map.put("skippedTotal", account.skippedTotal());
    map.put("malformed", account.malformed());
    map.put("inFailedPatients", account.inFailedPatients());
    map.put("patients", account.patients());
    map.put("failedPatients", account.failedPatients());
    map.put("blank", account.blank());
    map.put("unreadableFiles", account.unreadableFiles());
    map.put("reconciles", account.reconciles());
    return map;
  }
}
