package io.github.cdsengine.hooks.service;

import java.util.Locale;

/**
 * How the service's attempt to get one missing prefetch template's data ended: the {@code
 * outcome} of the {@code cds.prefetch.fetches} counter and of a 412 answer's entries.
 */
enum FetchOutcome {
  /** Fetched whole from the client's FHIR server. */
  FETCHED,
  /** A token of the template has no value in the request's context: no data, nothing fetched. */
  NO_DATA,
  /** The request gives no usable fhirServer and fhirAuthorization: nothing was fetched. */
  NO_ACCESS,
  /** The template cannot become a query on the FHIR server. */
  INVALID_QUERY,
  /** HTTP 401: the FHIR server refused the token. */
  UNAUTHORIZED,
  /** HTTP 403: the token does not allow the query. */
  FORBIDDEN,
  /** HTTP 404. */
  NOT_FOUND,
  /** HTTP 5xx. */
  SERVER_ERROR,
  /** Any other status that is not 2xx, a redirect included (never followed with the token). */
  HTTP_ERROR,
  /** No whole answer within the request timeout or the call's deadline. */
  TIMEOUT,
  /** More pages or bytes than the fetch limits allow. */
  TOO_LARGE,
  /** A {@code next} link to another origin, or outside the FHIR server's base: not followed. */
  FOREIGN_LINK,
  /** An answer that is not FHIR JSON, an OperationOutcome, or data the reader refuses. */
  UNREADABLE,
  /** The FHIR server could not be reached. */
  UNREACHABLE;

  /** The outcome as a metric tag and in JSON: {@code not-found}, {@code too-large}. */
  String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
