package io.github.cdsengine.hooks.service;

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
}
