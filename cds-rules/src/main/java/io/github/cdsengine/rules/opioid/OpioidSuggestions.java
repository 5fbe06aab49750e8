package io.github.cdsengine.rules.opioid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.Action;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.Suggestion;
import io.github.cdsengine.core.hooks.SuggestionSource;
import java.util.List;
import java.util.Map;

/**
 * The actions the CDC 2016 opioid pack's cards offer, where the reference implementation gives
 * the guideline's action as an order (cqframework opioid-cds-r4, branch v2016): a draft,
 * proposed ServiceRequest for the request's patient, which the clinician accepts or not.
 *
 * <ul>
 *   <li>Recommendation 7: an assessment of risk for opioid abuse (SNOMED CT 454281000124100),
 *       as ActivityDefinition opioidcds-risk-assessment-request defines it;
 *   <li>Recommendation 10 (all three cards): a urine drug screen (SNOMED CT 310627008), as
 *       ActivityDefinition opioidcds-urine-screening-request defines it;
 *   <li>Recommendation 3: counseling about opioid safety (SNOMED CT 460831000124102, the code of
 *       the reference's "Opioid counseling procedure" value set), for the PlanDefinition's
 *       "Order counseling" action, which has no ActivityDefinition.
 * </ul>
 *
 * <p>Other recommendations offer no suggestion: their actions are documentation or snoozing,
 * which the card's override reasons cover. Use with {@code
 * CardMapper.create().withSuggestions(new OpioidSuggestions())}.
 */
public final class OpioidSuggestions implements SuggestionSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SNOMED = "http://snomed.info/sct";
  private static final String ACTIVITY = "http://fhir.org/guides/cdc/opioid-cds/ActivityDefinition/";

  private record Order(String label, String code, String display, String activityDefinition) {}

  private static final Order RISK_ASSESSMENT = new Order("Order an opioid misuse risk assessment",
      "454281000124100", "Assessment of risk for opioid abuse (procedure)",
      ACTIVITY + "opioidcds-risk-assessment-request");
  private static final Order URINE_SCREEN = new Order("Order a urine drug screen", "310627008",
      "Urine drug screening (procedure)", ACTIVITY + "opioidcds-urine-screening-request");
  private static final Order COUNSELING = new Order("Order counseling on opioid harms and risks",
      "460831000124102", "Counseling about opioid safety (procedure)", null);

  private static final Map<String, Order> BY_RECOMMENDATION = Map.of(
      "cdc-opioids-2016-rec-03", COUNSELING,
      "cdc-opioids-2016-rec-07", RISK_ASSESSMENT,
      "cdc-opioids-2016-rec-10", URINE_SCREEN,
      "cdc-opioids-2016-rec-10-patient-view", URINE_SCREEN,
      "cdc-opioids-2016-rec-10-illicit-drugs", URINE_SCREEN);

  /** Without a request there is no patient to order for: no suggestions. */
  @Override
  public List<Suggestion> suggestions(Recommendation recommendation, String hookInstance) {
    return List.of();
  }

  @Override
  public List<Suggestion> suggestions(Recommendation recommendation, CdsHooksRequest request) {
    Order order = BY_RECOMMENDATION.get(recommendation.id());
    if (order == null) {
      return List.of();
    }
    ObjectNode resource = JSON.createObjectNode();
    resource.put("resourceType", "ServiceRequest");
    if (order.activityDefinition() != null) {
      resource.putArray("instantiatesCanonical").add(order.activityDefinition());
    }
    resource.put("status", "draft");
    resource.put("intent", "proposal");
    resource.put("priority", "routine");
    ObjectNode coding = resource.putObject("code").putArray("coding").addObject();
    coding.put("system", SNOMED);
    coding.put("code", order.code());
    coding.put("display", order.display());
    resource.putObject("subject").put("reference", "Patient/" + request.patientId());
    resource.putArray("reasonCode").addObject().put("text", recommendation.title());
    return List.of(new Suggestion(order.label(),
        CardMapper.cardUuid(request.hookInstance(), recommendation.id() + "/" + order.code()),
        true, List.of(new Action("create", order.label(), resource, null))));
  }
}
