package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.hooks.PrefetchStatus;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CDS Hooks request's {@code prefetch} into the input's resources, key by key, and says
 * what each key held (a {@link PrefetchStatus}). A key's value may be:
 *
 * <ul>
 *   <li>a resource or a Bundle: read, {@code PRESENT}; a Bundle with a {@code next} link is read
 *       too, but {@code INCOMPLETE}, with a data warning;
 *   <li>{@code null}: the client has no data for the template, {@code EMPTY};
 *   <li>an OperationOutcome: the client failed to fetch it, {@code FAILED}, with a data warning;
 *   <li>CDS Hooks 1.0's wrapped form {@code {"response": {"status": "200 OK"}, "resource":
 *       ...}}: the {@code resource} is read as above when the status is 2xx (or absent), and a
 *       missing or null one is {@code EMPTY}; any other status is {@code FAILED}, with a data
 *       warning, and nothing of the wrapped resource is read.
 * </ul>
 *
 * Anything else is an error at the key's JSON path. A resource whose subject (or patient) names a
 * patient other than the request's is left out, never read as this patient's, with a data
 * warning naming the key and the resource; the warning holds no data of either patient.
 */
final class PrefetchReader {

  /** An HTTP status as a 1.0 wrapped result gives it: {@code 200 OK}, {@code 404}. */
  private static final Pattern HTTP_STATUS = Pattern.compile("\\s*([1-5][0-9][0-9])(?![0-9])");

  /** A reference to a Patient by its id: relative, absolute, or to one of its versions. */
  private static final Pattern PATIENT_REFERENCE =
      Pattern.compile("(?:.*/)?Patient/([^/]+)(?:/_history/[^/]+)?");

  /** The most characters of one issue's text a failure keeps. */
  private static final int ISSUE_TEXT = 300;

  private final ResourceIndex index;
  private final String source;
  private final String patientId;

  private PrefetchReader(ResourceIndex index, String source, String patientId) {
    this.index = index;
    this.source = source;
    this.patientId = patientId;
  }

  /**
   * Adds the resources of each prefetch key's value to {@code index} and gives each key's status,
   * in request order; none when the request has no {@code prefetch}.
   *
   * @param prefetch the request's {@code prefetch} object, or null
   * @param patientId the id of the request's patient, {@code context.patientId}
   * @throws InvalidPatientDataException naming the JSON path of a value of none of the forms
   */
  static Map<String, PrefetchStatus> read(ResourceIndex index, JsonNode prefetch, String source,
      String patientId) {
    Map<String, PrefetchStatus> statuses = new LinkedHashMap<>();
    if (prefetch == null) {
      return statuses;
    }
    PrefetchReader reader = new PrefetchReader(index, source, patientId);
    for (Iterator<Map.Entry<String, JsonNode>> items = prefetch.fields(); items.hasNext(); ) {
      Map.Entry<String, JsonNode> item = items.next();
      statuses.put(item.getKey(), reader.value(item.getKey(), item.getValue(),
          "$.prefetch." + item.getKey()));
    }
    return statuses;
  }

  private PrefetchStatus value(String key, JsonNode value, String at) {
    if (value.isNull()) {
      return PrefetchStatus.empty();
    }
    if (!value.isObject()) {
      throw new InvalidPatientDataException(source, at, "expected a resource, a Bundle or null, "
          + "got " + value.getNodeType());
    }
    if (!value.has("resourceType") && (value.has("response") || value.has("resource"))) {
      return wrapped(key, value, at);
    }
    return result(key, value, at);
  }

  /** CDS Hooks 1.0's {@code {"response": {"status": ...}, "resource": ...}}. */
  private PrefetchStatus wrapped(String key, JsonNode value, String at) {
    LocatedResource wrapper = new LocatedResource(value, "prefetch result", source, at, null);
    JsonFields fields = new JsonFields(wrapper);
    JsonNode response = fields.object(value, "response", "");
    String status = response == null ? null : fields.text(response, "status", ".response");
    JsonNode resource = value.get("resource");
    if (resource != null && !resource.isNull() && !resource.isObject()) {
      throw wrapper.error(".resource", "expected a resource, a Bundle or null, got "
          + resource.getNodeType());
    }
    if (status != null) {
      Matcher code = HTTP_STATUS.matcher(status);
      if (!code.lookingAt()) {
        throw wrapper.error(".response.status", "expected an HTTP status such as '200 OK', got '"
            + JsonFields.printable(status) + "'");
      }
      if (code.group(1).charAt(0) != '2') {
        String failure = "response.status '" + JsonFields.printable(status) + "'";
        boolean outcome = resource != null && resource.isObject()
            && "OperationOutcome".equals(resource.path("resourceType").asText());
        return failed(key, failure, outcome ? failure + "; " + issues(resource, at + ".resource")
            : failure);
      }
    }
    if (resource == null || resource.isNull()) {
      return PrefetchStatus.empty();
    }
    return result(key, resource, at + ".resource");
  }

  /** A resource or a Bundle standing for the template's result. */
  private PrefetchStatus result(String key, JsonNode value, String at) {
    if ("OperationOutcome".equals(value.path("resourceType").asText())) {
      return failed(key, "an OperationOutcome", issues(value, at));
    }
    FhirDocuments.forEachResource(value, source, at, located -> {
      if (!namesAnotherPatient(key, located)) {
        index.add(located);
      }
    });
    if ("Bundle".equals(value.path("resourceType").asText()) && hasNextPage(value, at)) {
      int entries = value.path("entry").size();
      index.warn(new DataWarning("Patient", patientId, "prefetch '" + JsonFields.printable(key)
          + "' is a Bundle with a next link: only its first page (" + entries + " entries) was "
          + "read, so the rules may miss data of that template"));
      return PrefetchStatus.incomplete("a Bundle with a next link: only its first page, "
          + entries + " entries, was sent");
    }
    return PrefetchStatus.present();
  }

  /** A failure, with a data warning that names what the client sent but not its text. */
  private PrefetchStatus failed(String key, String sent, String detail) {
    index.warn(new DataWarning("Patient", patientId, "prefetch '" + JsonFields.printable(key)
        + "' failed (the client sent " + sent + "), so the rules ran without that template's "
        + "data"));
    return PrefetchStatus.failed(detail);
  }

  /** Whether a Bundle's {@code link} has the relation {@code next}. */
  private boolean hasNextPage(JsonNode bundle, String at) {
    JsonFields fields = new JsonFields(new LocatedResource(bundle, "Bundle", source, at, null));
    for (JsonFields.Item link : fields.objects(bundle, "link", "")) {
      if ("next".equals(fields.text(link.node(), "relation", link.path()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * An OperationOutcome's issues, each as severity, code and text ({@code details.text}, else
   * {@code diagnostics}), quoted printable and cut to {@value #ISSUE_TEXT} characters; nothing
   * else of the resource.
   */
  private String issues(JsonNode outcome, String at) {
    JsonFields fields =
        new JsonFields(new LocatedResource(outcome, "OperationOutcome", source, at, null));
    List<String> issues = new ArrayList<>();
    for (JsonFields.Item issue : fields.objects(outcome, "issue", "")) {
      String severity = fields.text(issue.node(), "severity", issue.path());
      String code = fields.text(issue.node(), "code", issue.path());
      JsonNode details = fields.object(issue.node(), "details", issue.path());
      String text = details == null ? null
          : fields.text(details, "text", issue.path() + ".details");
      if (text == null) {
        text = fields.text(issue.node(), "diagnostics", issue.path());
      }
      String kind = (severity == null ? "" : JsonFields.printable(severity))
          + (severity != null && code != null ? " " : "")
          + (code == null ? "" : JsonFields.printable(code));
      String said = text == null || text.isBlank() ? ""
          : JsonFields.printable(text.strip(), ISSUE_TEXT);
      issues.add(kind.isEmpty() ? (said.isEmpty() ? "an issue with no code" : said)
          : said.isEmpty() ? kind : kind + ": " + said);
    }
    return issues.isEmpty() ? "an OperationOutcome with no issue" : String.join("; ", issues);
  }

  /**
   * Whether a prefetched resource is about a patient other than the request's, by the Patient
   * reference its subject (or patient) gives; such a resource is left out with a data warning. A
   * reference of another form is left for {@link RecordAssembler} to resolve.
   */
  private boolean namesAnotherPatient(String key, LocatedResource located) {
    String type = located.type();
    if (!ResourceIndex.READ.contains(type) || type.equals("Patient")
        || type.equals("Medication")) {
      return false;
    }
    String field = RecordAssembler.subjectField(type);
    JsonNode reference = located.resource().path(field).path("reference");
    if (!reference.isTextual()) {
      return false;
    }
    Matcher patient = PATIENT_REFERENCE.matcher(reference.asText());
    if (!patient.matches() || patient.group(1).equals(patientId)) {
      return false;
    }
    index.warn(new DataWarning(type, JsonFields.printable(located.id()), "prefetched under '"
        + JsonFields.printable(key) + "' (" + located.path() + "), but its " + field
        + " names a patient other than the request's; it was left out, never read as this "
        + "patient's data"));
    return true;
  }
}
