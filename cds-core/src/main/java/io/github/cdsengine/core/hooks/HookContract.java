package io.github.cdsengine.core.hooks;

import io.github.cdsengine.core.problem.InvalidDataException;
import java.util.List;
import java.util.Set;

/**
 * What a CDS Hooks request must hold for a service to answer it: the service's hook, and the
 * context the hook's definition marks REQUIRED (cds-hooks.org hook catalogue: patient-view 1.0,
 * order-select 1.0, order-sign 1.0). See {@link CdsService#check}.
 */
final class HookContract {

  /** The hooks whose definition requires {@code userId}. */
  private static final Set<String> USER_REQUIRED =
      Set.of("patient-view", "order-select", "order-sign");

  /** The hooks whose definition requires {@code draftOrders}. */
  private static final Set<String> DRAFT_ORDERS_REQUIRED = Set.of("order-select", "order-sign");

  private HookContract() {}

  /**
   * Checks that {@code service} can answer {@code request}.
   *
   * @throws InvalidDataException naming {@code source} and the JSON path of what is wrong
   */
  static void check(CdsService service, CdsHooksRequest request, String source) {
    String hook = service.hook();
    if (!request.hook().equals(hook)) {
      throw new InvalidDataException(source, "$.hook", "the service '" + service.id()
          + "' answers the hook '" + hook + "', not '" + request.hook() + "'");
    }
    CdsHooksRequest.Context context = request.context();
    if (context.patientId().isBlank()) {
      throw missing(source, hook, "patientId", "the patient in context");
    }
    if (USER_REQUIRED.contains(hook) && (context.userId() == null || context.userId().isBlank())) {
      throw missing(source, hook, "userId", "the user in context, e.g. Practitioner/123");
    }
    if (DRAFT_ORDERS_REQUIRED.contains(hook) && context.draftOrders().isEmpty()) {
      throw missing(source, hook, "draftOrders", "a Bundle of the orders being "
          + (hook.equals("order-sign") ? "signed" : "written") + ", with at least one order");
    }
    if (hook.equals("order-select")) {
      checkSelections(source, context.selections(), context.draftOrders());
    }
  }

  /** Each selection must name an order in {@code draftOrders}, and there must be one. */
  private static void checkSelections(String source, List<String> selections,
      List<String> draftOrders) {
    if (selections.isEmpty()) {
      throw missing(source, "order-select", "selections",
          "the ids of the newly selected orders, e.g. MedicationRequest/103");
    }
    for (int i = 0; i < selections.size(); i++) {
      if (!draftOrders.contains(selections.get(i))) {
        throw new InvalidDataException(source, "$.context.selections[" + i + "]",
            "'" + selections.get(i) + "' names no order in context.draftOrders "
                + draftOrders + "; a selection is the Type/id of one of them");
      }
    }
  }

  private static InvalidDataException missing(String source, String hook, String field,
      String what) {
    return new InvalidDataException(source, "$.context." + field, "the hook " + hook
        + " requires context." + field + ", " + what + "; the request has none");
  }
}
