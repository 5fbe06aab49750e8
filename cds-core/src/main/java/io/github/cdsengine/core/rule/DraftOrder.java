package io.github.cdsengine.core.rule;

import java.util.Objects;

/**
 * An order the clinician is writing now, as opposed to one already on record: one fact per
 * entry of a CDS Hooks request's {@code context.draftOrders}. Rules join it to the order by type
 * and id, e.g. {@code DraftOrder(resourceType == "MedicationRequest", $id : id)} then {@code
 * MedicationRequest(id == $id)}.
 *
 * @param resourceType the order's resource type, e.g. {@code MedicationRequest}
 * @param id the order's id in the patient record
 */
public record DraftOrder(String resourceType, String id) {

  /**
   * Checks the fields.
   *
   * @param resourceType the order's resource type, e.g. {@code MedicationRequest}
   * @param id the order's id in the patient record
   * @throws NullPointerException if either is null
   */
  public DraftOrder {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(id, "id");
  }

  /**
   * The draft order a {@code Type/id} reference names.
   *
   * @param reference the order as {@code Type/id}, e.g. {@code MedicationRequest/m1}; never null
   * @return the draft order with that resource type and id
   * @throws IllegalArgumentException if the reference is not {@code Type/id}
   */
  public static DraftOrder of(String reference) {
    int slash = reference.indexOf('/');
    if (slash <= 0 || slash == reference.length() - 1 || reference.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("a draft order is named Type/id, not '" + reference + "'");
    }
    return new DraftOrder(reference.substring(0, slash), reference.substring(slash + 1));
  }

  /**
   * Names the type and the order's resource type only: the rule engine logs the facts it holds
   * through {@code toString()}, and a resource id is the patient's data.
   */
  @Override
  public String toString() {
    return "DraftOrder[" + resourceType + ", id not shown]";
  }
}
