package io.github.cdsengine.hooks.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what a service call fetches itself from the client's FHIR server when the request
 * lacks prefetch data: past any of them the call is answered HTTP 412, naming the template.
 *
 * @param maxPages the most pages of one template's search result followed through {@code next}
 *     links, the first page included
 * @param maxBytes the most bytes of FHIR JSON read for one call, every template and page together
 * @param requestTimeout the longest one FHIR request may take, from sending it to its last byte
 * @param deadline the longest all of one call's FHIR requests may take together
 */
public record FetchLimits(int maxPages, long maxBytes, Duration requestTimeout,
    Duration deadline) {

  /**
   * 100 pages a template, 16 MiB a call, 3 s a request, 10 s a call. A page holds what the FHIR
   * server chooses (often 50 to 1,000 entries); 16 MiB holds some 20,000 typical resources (64
   * calls fetching at once read at most 1 GiB). CDS Hooks asks a service to answer in about half
   * a second; an EHR that cannot prefetch accepts a slower answer, but not an unbounded one.
   */
  public static final FetchLimits DEFAULT =
      new FetchLimits(100, 16L << 20, Duration.ofSeconds(3), Duration.ofSeconds(10));

  /**
   * Checks the bounds.
   *
   * @param maxPages the most pages of one template's result
   * @param maxBytes the most bytes read for one call
   * @param requestTimeout the longest one FHIR request may take
   * @param deadline the longest one call's FHIR requests may take together
   * @throws NullPointerException if a duration is null
   * @throws IllegalArgumentException quoting a bound that is not positive
   */
  public FetchLimits {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(deadline, "deadline");
    if (maxPages <= 0 || maxBytes <= 0 || requestTimeout.isNegative() || requestTimeout.isZero()
        || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("fetch limits must be positive: " + maxPages
          + " pages, " + maxBytes + " bytes, " + requestTimeout + " a request, " + deadline
          + " a call");
    }
  }
}
