package io.github.cdsengine.hooks.service;

import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import java.time.Instant;

/**
 * Where CDS Hooks feedback goes once validated: a store of how clinicians responded to each card
 * (accepted, overridden and why). Implementations must be thread-safe and must not log patient
 * data.
 */
@FunctionalInterface
public interface FeedbackSink {

  /** A sink that keeps nothing. */
  FeedbackSink DISCARD = (serviceId, feedback) -> { };

  /**
   * Takes one feedback entry for a service.
   *
   * @param serviceId the service the card came from
   * @param feedback the validated entry
   */
  void accept(String serviceId, Feedback feedback);

  /**
   * Takes one feedback entry for a service, received at {@code received} by the service's
   * clock; the server calls this one. By default {@link #accept(String, Feedback)}: a sink that
   * keeps no snoozes needs no receipt time.
   *
   * @param serviceId the service the card came from
   * @param feedback the validated entry; its outcome time at most the server's allowed clock
   *     skew after {@code received}
   * @param received when the service received the entry, by its clock
   */
  default void accept(String serviceId, Feedback feedback, Instant received) {
    accept(serviceId, feedback);
  }

  /**
   * Told of every response a service returned, before the client receives it, so a sink can
   * remember what each card stood for; by default nothing is remembered.
   *
   * @param serviceId the service called
   * @param request the request
   * @param result the evaluation the cards come from
   * @param response the cards returned
   */
  default void returned(String serviceId, CdsHooksRequest request, EvaluationResult result,
      CdsHooksResponse response) {}

  /**
   * Whether feedback on this card can be taken; feedback on a card it does not know is answered
   * 404 and none of the request's entries is taken. By default every card is known.
   *
   * @param serviceId the service the feedback was sent to
   * @param card the card's {@code uuid}
   * @return {@code true} if the service returned the card and the sink remembers it
   */
  default boolean knows(String serviceId, String card) {
    return true;
  }

  /**
   * The evaluation input for a call with what clinicians said about this patient's earlier
   * cards: the patient's snoozes active at the context's instant and latest acknowledgements
   * ({@link EvaluationContext#withSnoozes}, {@link EvaluationContext#withAcknowledgements}). By
   * default the context unchanged: a sink that keeps no snoozes gives none.
   *
   * @param request the request about to be evaluated
   * @param context the call's evaluation context
   * @return the context to evaluate with
   */
  default EvaluationContext withClinicianResponses(CdsHooksRequest request,
      EvaluationContext context) {
    return context;
  }
}
