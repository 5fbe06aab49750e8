package io.github.cdsengine.core.fhir;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.PatientRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CDS Hooks request as read by {@link FhirReader#readCdsHooksRequest}: the hook and its
 * context, and the patient's record built from the prefetched data and the draft orders.
 *
 * @param hook the hook, e.g. {@code order-sign}
 * @param hookInstance the id of this invocation
 * @param patientId the patient the request is about
 * @param encounterId the encounter in context, or {@code null}
 * @param userId the user in context, or {@code null}
 * @param selections the ids of the selected orders ({@code order-select}); may be empty
 * @param record the patient's record: prefetched resources and draft orders together
 * @param draftOrders the draft orders as {@code Type/id}, in request order; they are also in
 *     the record, and this list tells which of its orders are being written now
 * @param skipped resources skipped because no rule uses their type, by type
 * @param warnings data that could not be used, and what was done instead
 */
public record CdsHooksRequest(String hook, String hookInstance, String patientId,
    String encounterId, String userId, List<String> selections, PatientRecord record,
    List<String> draftOrders, Map<String, Integer> skipped, List<DataWarning> warnings) {

  /**
   * Copies the collections and checks the required fields.
   *
   * @throws NullPointerException if hook, hookInstance, patientId or record is null
   */
  public CdsHooksRequest {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(record, "record");
    selections = List.copyOf(selections);
    draftOrders = List.copyOf(draftOrders);
    skipped = Map.copyOf(skipped);
    warnings = List.copyOf(warnings);
  }
}
