package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The CDS Hooks discovery document a service returns at {@code GET {baseUrl}/cds-services}.
 *
 * <p>Each service answers one hook, and each id is listed once: a request to {@code
 * {baseUrl}/cds-services/{id}} reaches exactly one service, whose hook the request must carry
 * ({@link CdsService#check}).
 *
 * @param services the services, in the order given
 */
public record CdsServices(@JsonProperty("services") List<CdsService> services) {

  /** The hook a pack's service answers unless another is given. */
  public static final String DEFAULT_HOOK = "patient-view";

  /**
   * The prefetch templates every pack's service asks for: the patient and each FHIR resource
   * type the engine reads, searched by {@code {{context.patientId}}}.
   */
  public static final Map<String, String> PREFETCH = prefetch();

  /**
   * Copies the list and checks that ids are distinct.
   *
   * @param services the services, in the order given
   * @throws NullPointerException if services or one of them is null
   * @throws IllegalArgumentException quoting an id that appears twice
   */
  public CdsServices {
    services = List.copyOf(services);
    Set<String> ids = new HashSet<>();
    for (CdsService service : services) {
      if (!ids.add(service.id())) {
        throw new IllegalArgumentException("service id '" + service.id() + "' appears twice");
      }
    }
  }

  /**
   * One {@code patient-view} service per pack, in the order given.
   *
   * @param packs the loaded rule packs
   * @return the discovery document
   * @throws NullPointerException if packs or one of them is null
   * @throws IllegalArgumentException if two services share an id, naming the packs of both, or
   *     an id does not fit a URL path
   */
  public static CdsServices fromPacks(List<RulePack> packs) {
    return fromPacks(packs, pack -> DEFAULT_HOOK);
  }

  /**
   * The services of the packs, in the order given: those a pack declares ({@link
   * RulePack#services()}), or else one for the pack: id the pack's id, title its title, the hook
   * that {@code hookOf} gives for it. Each asks for the {@link #PREFETCH} templates; a declared
   * service's own templates ({@link ServiceDefinition#prefetch()}) replace one under the same key
   * or are added after them.
   *
   * @param packs the loaded rule packs
   * @param hookOf the hook a pack that declares no service answers, e.g. {@code patient-view}
   * @return the discovery document
   * @throws NullPointerException if an argument, a pack or a hook is null
   * @throws IllegalArgumentException if two services share an id (within a pack or across
   *     packs), naming the id and the packs of both, or an id does not fit a URL path
   */
  public static CdsServices fromPacks(List<RulePack> packs, Function<RulePack, String> hookOf) {
    Objects.requireNonNull(packs, "packs");
    Objects.requireNonNull(hookOf, "hookOf");
    List<CdsService> services = new ArrayList<>(packs.size());
    Map<String, RulePack> packOfId = new HashMap<>();
    for (RulePack pack : packs) {
      List<CdsService> offered = new ArrayList<>();
      if (!pack.services().isEmpty()) {
        for (ServiceDefinition service : pack.services()) {
          // The standard templates, a service's own replacing one under the same key.
          Map<String, String> prefetch = new LinkedHashMap<>(PREFETCH);
          prefetch.putAll(service.prefetch());
          offered.add(new CdsService(service.hook(), service.title(), service.description()
              + " (rule pack " + pack.id() + " version " + pack.version() + ")", service.id(),
              prefetch, null));
        }
      } else {
        String hook = Objects.requireNonNull(hookOf.apply(pack), () -> "hook for " + pack.id());
        offered.add(new CdsService(hook, pack.title(),
            pack.title() + ": rule pack " + pack.id() + " version " + pack.version() + ".",
            pack.id(), PREFETCH, null));
      }
      Set<String> ownIds = new HashSet<>();
      for (CdsService service : offered) {
        RulePack first = packOfId.putIfAbsent(service.id(), pack);
        boolean own = !ownIds.add(service.id());
        if (first != null) {
          throw new IllegalArgumentException("service id '" + service.id() + "' appears twice: "
              + (own ? "rule pack '" + pack.id() + "' (version " + pack.version()
                  + ") declares it twice"
                  : "in rule pack '" + first.id() + "' (version " + first.version()
                      + ") and in rule pack '" + pack.id() + "' (version " + pack.version() + ")")
              + "; a discovery document lists each id once");
        }
        services.add(service);
      }
    }
    return new CdsServices(services);
  }

  /**
   * The service with this id: the one a request to {@code {baseUrl}/cds-services/{id}} is for.
   *
   * @param id the service's id
   * @return the service, or empty when none has this id
   * @throws NullPointerException if id is null
   */
  public Optional<CdsService> service(String id) {
    Objects.requireNonNull(id, "id");
    return services.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * This document as CDS Hooks JSON.
   *
   * @return the discovery response JSON, an object with a {@code services} array
   */
  public String toJson() {
    return CdsHooksJson.write(this);
  }

  private static Map<String, String> prefetch() {
    Map<String, String> templates = new LinkedHashMap<>();
    templates.put("patient", "Patient/{{context.patientId}}");
    String[][] searches = {
        {"conditions", "Condition"},
        {"medicationRequests", "MedicationRequest"},
        {"observations", "Observation"},
        {"procedures", "Procedure"},
        {"immunizations", "Immunization"},
        {"encounters", "Encounter"},
        {"allergyIntolerances", "AllergyIntolerance"},
        {"serviceRequests", "ServiceRequest"},
        {"deviceRequests", "DeviceRequest"},
        {"carePlans", "CarePlan"},
        {"medicationDispenses", "MedicationDispense"}};
    for (String[] search : searches) {
      templates.put(search[0], search[1] + "?patient={{context.patientId}}");
    }
    return java.util.Collections.unmodifiableMap(templates);
  }
}
