package io.github.cdsengine.core.hooks;

import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.DataWarning;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CDS Hooks request as read by {@link io.github.cdsengine.core.fhir.FhirReader#readCdsHooksRequest}:
 * the hook and its context, and the patient's record built from the prefetched data and the draft
 * orders. Evaluate {@link #record()}: it marks the draft orders being acted on (for {@code
 * order-select}, the selected ones only) and carries the reader's warnings. Before answering, a
 * service checks that the request is one it can answer with {@link CdsService#check}.
 *
 * <p>Before evaluating, a service checks that the request holds the data its prefetch templates
 * ask for: {@link #missing} names each declared template whose result the client left out, sent
 * only in part or failed to fetch. The service fetches those itself, or answers HTTP 412
 * Precondition Failed as CDS Hooks 2.0 asks.
 *
 * @param hook the hook, e.g. {@code order-sign}
 * @param hookInstance the id of this invocation
 * @param context the request's context: patient, encounter, user, selections, draft orders
 * @param record the patient's record: prefetched resources and draft orders together, the
 *     draft orders being acted on marked, with the reader's warnings
 * @param skipped resources skipped because no rule uses their type, by type
 * @param prefetch what the request's {@code prefetch} held for each key it holds, in request
 *     order; never {@link PrefetchStatus.Kind#ABSENT}
 */
public record CdsHooksRequest(String hook, String hookInstance, Context context,
    PatientRecord record, Map<String, Integer> skipped, Map<String, PrefetchStatus> prefetch) {

  /**
   * A request's {@code context}, as the request gives it. Whether it holds what the hook
   * requires is for the answering service to check ({@link CdsService#check}).
   *
   * @param patientId the patient the request is about
   * @param encounterId the encounter in context, or {@code null}
   * @param userId the user in context, or {@code null}
   * @param selections the ids of the selected orders ({@code order-select}) as {@code Type/id},
   *     in request order; may be empty
   * @param draftOrders every order in {@code context.draftOrders} as {@code Type/id}, in
   *     request order, whether or not it is acted on (see {@link CdsHooksRequest#draftOrders()});
   *     empty when the request has none
   */
  public record Context(String patientId, String encounterId, String userId,
      List<String> selections, List<String> draftOrders) {

    /**
     * Copies the lists and checks the patient.
     *
     * @param patientId the patient the request is about
     * @param encounterId the encounter in context, or {@code null}
     * @param userId the user in context, or {@code null}
     * @param selections the ids of the selected orders ({@code order-select}) as {@code
     *     Type/id}; may be empty
     * @param draftOrders every order in {@code context.draftOrders} as {@code Type/id}; may be
     *     empty
     * @throws NullPointerException if patientId, a list or an element of one is null
     */
    public Context {
      Objects.requireNonNull(patientId, "patientId");
      selections = List.copyOf(selections);
      draftOrders = List.copyOf(draftOrders);
    }
  }

  /**
   * Copies the maps, keeping the prefetch keys' order, and checks the required fields.
   *
   * @param hook the hook, e.g. {@code order-sign}
   * @param hookInstance the id of this invocation
   * @param context the request's context: patient, encounter, user, selections, draft orders
   * @param record the patient's record: prefetched resources and draft orders together, the draft
   *     orders being acted on marked, with the reader's warnings
   * @param skipped resources skipped because no rule uses their type, by type
   * @param prefetch what the request's {@code prefetch} held for each key it holds, in request
   *     order
   * @throws NullPointerException if an argument, a prefetch key or a status is null
   * @throws IllegalArgumentException naming the key whose status is {@link
   *     PrefetchStatus.Kind#ABSENT}: a key the request holds is not absent
   */
  public CdsHooksRequest {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(hookInstance, "hookInstance");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(record, "record");
    skipped = Map.copyOf(skipped);
    Map<String, PrefetchStatus> statuses = new LinkedHashMap<>();
    Objects.requireNonNull(prefetch, "prefetch").forEach((key, status) -> {
      Objects.requireNonNull(key, "prefetch key");
      Objects.requireNonNull(status, () -> "status of prefetch key '" + key + "'");
      if (status.kind() == PrefetchStatus.Kind.ABSENT) {
        throw new IllegalArgumentException("prefetch key '" + key + "' is in the request, so "
            + "it is not ABSENT");
      }
      statuses.put(key, status);
    });
    prefetch = Collections.unmodifiableMap(statuses);
  }

  /**
   * A request with no prefetch statuses, such as one a host builds from a record of its own.
   *
   * @param hook the hook, e.g. {@code order-sign}
   * @param hookInstance the id of this invocation
   * @param context the request's context: patient, encounter, user, selections
   * @param record the patient's record, its draft orders marked
   * @param skipped resources skipped because no rule uses their type, by type
   * @throws NullPointerException if an argument is null
   */
  public CdsHooksRequest(String hook, String hookInstance, Context context, PatientRecord record,
      Map<String, Integer> skipped) {
    this(hook, hookInstance, context, record, skipped, Map.of());
  }

  /**
   * The declared prefetch templates whose result this request does not hold in full: those
   * whose key it lacks ({@link PrefetchStatus.Kind#ABSENT}), whose fetch failed ({@link
   * PrefetchStatus.Kind#FAILED}) or whose Bundle has more pages ({@link
   * PrefetchStatus.Kind#INCOMPLETE}). A key sent as {@code null} is not missing: the client has
   * no data for it. A service fetches what this names, or answers HTTP 412.
   *
   * @param declaredKeys the prefetch template keys the service declares, e.g. the keys of its
   *     discovery entry's {@code prefetch}
   * @return each declared key not held in full, with its status, in the order given; empty when
   *     the request holds every declared template's result
   * @throws NullPointerException if declaredKeys or one of its keys is null
   */
  public Map<String, PrefetchStatus> missing(Collection<String> declaredKeys) {
    Map<String, PrefetchStatus> missing = new LinkedHashMap<>();
    for (String key : declaredKeys) {
      PrefetchStatus status =
          prefetch.getOrDefault(Objects.requireNonNull(key, "key"), PrefetchStatus.absent());
      if (!status.complete()) {
        missing.put(key, status);
      }
    }
    return Collections.unmodifiableMap(missing);
  }

  /**
   * The patient the request is about.
   *
   * @return the id from {@code context.patientId}, without a {@code Patient/} prefix
   */
  public String patientId() {
    return context.patientId();
  }

  /**
   * The draft orders being acted on, as {@code Type/id} in request order, as the record marks
   * them: for {@code order-select} the selected ones ({@code context.selections}), the rest of
   * {@code context.draftOrders} being context only (in the record, not marked); for other hooks
   * every order in {@code context.draftOrders}. All of them are in {@link Context#draftOrders()}.
   *
   * @return the references; empty when the hook carries no draft orders
   */
  public List<String> draftOrders() {
    return record.draftOrders();
  }

  /**
   * What the reader could not use, and what it did instead, as the record carries them.
   *
   * @return the warnings; empty when the reader could use everything
   */
  public List<DataWarning> warnings() {
    return record.warnings();
  }
}
