package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.PrefetchStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a CDS Hooks request: its hook and context, and one record from the draft orders and
 * the prefetch taken together (see {@link FhirReader#readCdsHooksRequest}). The record marks the
 * draft orders being acted on: for {@code order-select} those named in {@code
 * context.selections}, for other hooks all of {@code context.draftOrders}.
 */
final class CdsHooksRequestReader {

  private CdsHooksRequestReader() {
  }

  /**
   * The request in {@code json}.
   *
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  static CdsHooksRequest read(InputStream json, String source) {
    JsonNode root = FhirDocuments.parse(json, source);
    LocatedResource request = new LocatedResource(root, "CDS Hooks request", source, "$", null);
    JsonFields fields = new JsonFields(request);
    String hook = fields.requiredText(root, "hook", "");
    String hookInstance = fields.requiredText(root, "hookInstance", "");
    JsonNode context = fields.requiredObject(root, "context", "");
    String named = fields.requiredText(context, "patientId", ".context");
    String patientId = named.startsWith("Patient/") ? named.substring(8) : named;
    String encounterId = fields.text(context, "encounterId", ".context");
    String userId = fields.text(context, "userId", ".context");
    List<String> selections = new ArrayList<>();
    JsonNode selected = fields.array(context, "selections", ".context");
    for (int i = 0; selected != null && i < selected.size(); i++) {
      if (!selected.get(i).isTextual()) {
        throw request.error(".context.selections[" + i + "]", "expected a string");
      }
      selections.add(selected.get(i).asText());
    }

    ResourceIndex index = new ResourceIndex();
    List<String> draftOrders =
        addDraftOrders(index, fields.object(context, "draftOrders", ".context"), source);
    // Prefetch queries overlap, and may return a draft order too: an identical copy is dropped.
    index.startPrefetch();
    Map<String, PrefetchStatus> prefetch =
        PrefetchReader.read(index, fields.object(root, "prefetch", ""), source, patientId);
    addPatientIfNoneIsPrefetched(index, request, patientId);

    // A request is about one patient: a subject that names no patient means that patient, but
    // one that names another patient is an error.
    FhirData data = RecordAssembler.assemble(index,
        DanglingSubject.ONLY_PATIENT_UNLESS_ANOTHER_IS_NAMED);
    PatientRecord record = data.patients().stream()
        .filter(r -> r.patient().id().equals(patientId)).findFirst()
        .orElseThrow(() -> request.error(".context.patientId", "names a patient other than "
            + "the prefetched one"));
    if (data.patients().size() > 1) {
      throw request.error(".prefetch", "holds " + data.patients().size() + " patients; a "
          + "request is about one");
    }
    // order-select acts on the selected orders; the other draft orders are context only.
    List<String> actedOn = hook.equals("order-select")
        ? draftOrders.stream().filter(selections::contains).toList() : draftOrders;
    return new CdsHooksRequest(hook, hookInstance,
        new CdsHooksRequest.Context(patientId, encounterId, userId, selections, draftOrders),
        withDraftOrders(record, actedOn, request), data.skipped(), prefetch);
  }

  /** {@code record} marking {@code draftOrders}; an id that cannot name one is a data error. */
  private static PatientRecord withDraftOrders(PatientRecord record, List<String> draftOrders,
      LocatedResource request) {
    try {
      return record.toBuilder().draftOrders(draftOrders).build();
    } catch (IllegalArgumentException e) {
      throw request.error(".context.draftOrders", e.getMessage());
    }
  }

  /** Adds {@code context.draftOrders}, if any; returns the orders as {@code Type/id}. */
  private static List<String> addDraftOrders(ResourceIndex index, JsonNode drafts,
      String source) {
    List<String> draftOrders = new ArrayList<>();
    if (drafts != null) {
      index.add(drafts, source, "$.context.draftOrders");
      for (JsonNode entry : drafts.path("entry")) {
        String type = entry.path("resource").path("resourceType").asText();
        if (!type.equals("Medication")) {
          draftOrders.add(type + "/" + entry.path("resource").path("id").asText());
        }
      }
    }
    return draftOrders;
  }

  /**
   * Checks that a prefetched Patient is the one in context; when none was prefetched, adds one
   * with the id in context and no birth date or gender, with a data warning.
   */
  private static void addPatientIfNoneIsPrefetched(ResourceIndex index,
      LocatedResource request, String patientId) {
    List<String> prefetchedPatients = index.resources().stream()
        .filter(r -> r.type().equals("Patient")).map(LocatedResource::id).toList();
    if (!prefetchedPatients.isEmpty() && !prefetchedPatients.contains(patientId)) {
      throw request.error(".context.patientId", "names the patient '" + patientId
          + "', but the prefetched Patient is " + prefetchedPatients);
    }
    if (prefetchedPatients.isEmpty()) {
      ObjectNode patient = JsonNodeFactory.instance.objectNode();
      patient.put("resourceType", "Patient");
      patient.put("id", patientId);
      index.add(patient, request.source(), "$.context.patientId");
      index.warn(new DataWarning("Patient", patientId, "the request's prefetch has no "
          + "Patient resource, so the birth date and gender are not known"));
    }
  }
}
