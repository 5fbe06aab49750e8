package io.github.cdsengine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.hooks.CardMapper;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.hooks.CdsHooksResponse;
import io.github.cdsengine.core.hooks.CdsService;
import io.github.cdsengine.core.hooks.CdsServices;
import io.github.cdsengine.core.hooks.SuggestionSource;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code cds run --format cards}: each patient answered by the CDS Hooks services of the loaded
 * packs, as a server offering them ({@link CdsServices#fromPacks}) would answer: a JSON object
 * keyed by service id, in discovery order, each value that service's response, with the cards of
 * the recommendations it lists and the suggestions of its pack's {@link SuggestionSource}.
 *
 * <p>A CDS Hooks request is answered by the services of its hook only, each of which first
 * checks the request against the hook's contract ({@link CdsService#check}); a request another
 * input stands in for (a FHIR Bundle, NDJSON, a scenario) is answered by every service, as if
 * each had been called with the patient and a scenario's draft orders. Rule files loaded outside
 * packs are no service: their cards are under the key {@value #LOOSE_RULES}, which no service
 * id can be.
 */
final class ServiceCards {

  /** The key of the cards of rule files loaded outside packs: not a possible service id. */
  static final String LOOSE_RULES = "(rules)";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One service: what it is, the recommendations it shows, the mapper with its suggestions. */
  private record Answering(CdsService service, Set<String> recommendations, CardMapper mapper) {}

  private final List<Answering> services;
  private final Set<String> looseRecommendations;

  private ServiceCards(List<Answering> services, Set<String> looseRecommendations) {
    this.services = services;
    this.looseRecommendations = looseRecommendations;
  }

  /**
   * The services of {@code packs}: those a pack declares, or one for a pack that declares none,
   * showing every recommendation its rule files make.
   *
   * @param packs the loaded packs, in engine order
   * @param rules the engine's rules, to tell which recommendations a pack's files make
   * @param looseRules whether rule files outside packs are loaded too
   * @throws IllegalArgumentException if two services share an id, naming both packs
   */
  static ServiceCards of(List<RulePack> packs, List<RuleInfo> rules, boolean looseRules) {
    CdsServices discovery = CdsServices.fromPacks(packs);
    List<Answering> services = new ArrayList<>();
    Set<String> packFiles = new HashSet<>();
    for (RulePack pack : packs) {
      CardMapper mapper = CardMapper.create()
          .withSuggestions(ShippedRulePacks.suggestions(pack));
      Set<String> files = pack.rules().stream().map(RuleFile::name).collect(Collectors.toSet());
      packFiles.addAll(files);
      if (pack.services().isEmpty()) {
        services.add(new Answering(discovery.service(pack.id()).orElseThrow(),
            recommendations(rules, files::contains), mapper));
      }
      for (ServiceDefinition definition : pack.services()) {
        services.add(new Answering(discovery.service(definition.id()).orElseThrow(),
            Set.copyOf(definition.recommendations()), mapper));
      }
    }
    return new ServiceCards(services,
        looseRules ? recommendations(rules, file -> !packFiles.contains(file)) : null);
  }

  private static Set<String> recommendations(List<RuleInfo> rules,
      java.util.function.Predicate<String> inFile) {
    return rules.stream().filter(rule -> rule.recommendationId() != null)
        .filter(rule -> inFile.test(rule.file())).map(RuleInfo::recommendationId)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The services that answer {@code subject}, keyed by service id, each with its response to
   * {@code result}, as one line of JSON.
   *
   * @param subject the patient evaluated, and the request it came in, if any
   * @param result its evaluation
   * @return the JSON object, {@code {}} when no loaded service answers the request's hook
   * @throws io.github.cdsengine.core.problem.InvalidDataException if a request lacks what its
   *     hook requires
   */
  String answer(Subject subject, EvaluationResult result) {
    Map<String, CdsHooksResponse> answers = new LinkedHashMap<>();
    for (Answering answering : services) {
      CdsService service = answering.service();
      CdsHooksRequest request = subject.request();
      if (request != null) {
        if (!request.hook().equals(service.hook())) {
          continue;
        }
        service.check(request, subject.source());
      } else {
        request = standIn(subject, service.hook());
      }
      answers.put(service.id(), answering.mapper().response(request, result,
          answering.recommendations()));
    }
    if (looseRecommendations != null) {
      CdsHooksRequest request = subject.request() != null ? subject.request()
          : standIn(subject, CdsServices.DEFAULT_HOOK);
      answers.put(LOOSE_RULES, CardMapper.create().response(request, result,
          looseRecommendations));
    }
    try {
      return JSON.writeValueAsString(answers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the cards of " + subject.source(), e);
    }
  }

  /**
   * Whether some loaded service answers {@code hook}, or rule files outside packs are loaded,
   * which answer any.
   *
   * @param hook a request's hook
   * @return true when some service or loose rule file answers it
   */
  boolean answers(String hook) {
    Objects.requireNonNull(hook, "hook");
    return looseRecommendations != null
        || services.stream().anyMatch(s -> s.service().hook().equals(hook));
  }

  /**
   * The request another input stands in for, to {@code hook}: the patient, its draft orders
   * marked, and the patient id as the hook instance.
   */
  private static CdsHooksRequest standIn(Subject subject, String hook) {
    PatientRecord record = subject.markedRecord();
    return new CdsHooksRequest(hook, subject.patientId(), new CdsHooksRequest.Context(
        subject.patientId(), null, null, List.of(), record.draftOrders()), record, Map.of());
  }
}
