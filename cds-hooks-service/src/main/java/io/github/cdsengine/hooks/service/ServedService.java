package io.github.cdsengine.hooks.service;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsService;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import java.util.Objects;

/**
 * One CDS Hooks service the server answers: what discovery lists for it, the rule definition
 * whose recommendations become its cards, the engine that evaluates its requests and the mapper
 * that turns results into cards (with the pack's suggestions).
 *
 * @param discovery the service as the discovery document lists it
 * @param definition the service's hook and the recommendations it shows
 * @param engine the engine evaluating this service's requests; shared by a pack's services
 * @param cards how results become cards; the card uuids it makes depend on this service's id
 *     ({@link CardMapper#forService}), so no two services' cards share a uuid
 */
public record ServedService(CdsService discovery, ServiceDefinition definition, CdsEngine engine,
    CardMapper cards) {

  /**
   * Checks that every part is given and that discovery and definition name one service.
   *
   * @param discovery the service as the discovery document lists it
   * @param definition the service's hook and the recommendations it shows
   * @param engine the engine evaluating this service's requests
   * @param cards how results become cards; made {@linkplain CardMapper#forService this
   *     service's}
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if discovery and definition differ in id or hook
   */
  public ServedService {
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(engine, "engine");
    cards = Objects.requireNonNull(cards, "cards").forService(definition.id());
    if (!discovery.id().equals(definition.id()) || !discovery.hook().equals(definition.hook())) {
      throw new IllegalArgumentException("discovery lists " + discovery.id() + " ("
          + discovery.hook() + ") for the service " + definition.id() + " ("
          + definition.hook() + ")");
    }
  }

  /**
   * The service's id, the last segment of its URL.
   *
   * @return the id
   */
  public String id() {
    return definition.id();
  }
}
