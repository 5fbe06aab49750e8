package io.github.cdsengine.core.hooks;

import java.util.Objects;

/**
 * What a CDS Hooks request's {@code prefetch} held for one prefetch template key, as {@link
 * CdsHooksRequest#prefetch()} and {@link CdsHooksRequest#missing} report it: whether the service
 * has that template's whole result or must fetch it itself (or answer HTTP 412 Precondition
 * Failed, as CDS Hooks 2.0 asks of a service that cannot).
 *
 * @param kind what the client sent for the key
 * @param detail why a {@link Kind#FAILED} or {@link Kind#INCOMPLETE} result is not whole: for a
 *     failure, the HTTP status of a wrapped response and the OperationOutcome's issues (severity,
 *     code and text as the client wrote them; nothing else of the resource); for a partial one,
 *     how much was sent; empty for the other kinds
 */
public record PrefetchStatus(Kind kind, String detail) {

  /** What a client may send, or not send, for a prefetch template key. */
  public enum Kind {
    /** A resource, or a Bundle that holds the whole result (no {@code next} link). */
    PRESENT,
    /**
     * {@code null}: the client has no data for the template. CDS Hooks 2.0 sends {@code null}
     * rather than an empty Bundle: the result is known to be empty, no data is missing.
     */
    EMPTY,
    /**
     * The key is not in {@code prefetch}: the client chose not to satisfy the template, or failed
     * to (CDS Hooks 2.0 leaves the key out on an error). Only {@link CdsHooksRequest#missing}
     * reports it, for the keys a service declares.
     */
    ABSENT,
    /**
     * An OperationOutcome instead of the result (CDS Hooks 2.0's way of reporting a failed
     * prefetch), or a CDS Hooks 1.0 wrapped result {@code {"response": {"status": ...},
     * "resource": ...}} whose status is not 2xx.
     */
    FAILED,
    /**
     * A Bundle with a {@code next} link: only its first page was sent, which CDS Hooks forbids,
     * since a service may have no way to fetch the rest.
     */
    INCOMPLETE
  }

  private static final PrefetchStatus PRESENT = new PrefetchStatus(Kind.PRESENT, "");
  private static final PrefetchStatus EMPTY = new PrefetchStatus(Kind.EMPTY, "");
  private static final PrefetchStatus ABSENT = new PrefetchStatus(Kind.ABSENT, "");

  /**
   * Checks that a failure or a partial result says why, and that no other kind does.
   *
   * @param kind what the client sent for the key
   * @param detail why the result is not whole; non-blank for {@link Kind#FAILED} and {@link
   *     Kind#INCOMPLETE}, empty for the other kinds
   * @throws NullPointerException if kind or detail is null
   * @throws IllegalArgumentException quoting the detail when it does not suit the kind
   */
  public PrefetchStatus {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    boolean explained = kind == Kind.FAILED || kind == Kind.INCOMPLETE;
    if (explained == detail.isBlank()) {
      throw new IllegalArgumentException(kind + (explained ? " needs a detail saying why"
          : " takes no detail, got '" + detail + "'"));
    }
  }

  /**
   * A resource, or a Bundle that holds the whole result.
   *
   * @return the status {@link Kind#PRESENT}
   */
  public static PrefetchStatus present() {
    return PRESENT;
  }

  /**
   * {@code null}: the client has no data for the template.
   *
   * @return the status {@link Kind#EMPTY}
   */
  public static PrefetchStatus empty() {
    return EMPTY;
  }

  /**
   * The key is not in the request's {@code prefetch}.
   *
   * @return the status {@link Kind#ABSENT}
   */
  public static PrefetchStatus absent() {
    return ABSENT;
  }

  /**
   * The client failed to fetch the template's data.
   *
   * @param detail what the client reported, e.g. {@code error timeout: the query timed out}
   * @return a status of kind {@link Kind#FAILED}
   * @throws NullPointerException if detail is null
   * @throws IllegalArgumentException if detail is blank
   */
  public static PrefetchStatus failed(String detail) {
    return new PrefetchStatus(Kind.FAILED, detail);
  }

  /**
   * The client sent part of the template's result.
   *
   * @param detail how much was sent, e.g. {@code a Bundle with a next link: 20 entries}
   * @return a status of kind {@link Kind#INCOMPLETE}
   * @throws NullPointerException if detail is null
   * @throws IllegalArgumentException if detail is blank
   */
  public static PrefetchStatus incomplete(String detail) {
    return new PrefetchStatus(Kind.INCOMPLETE, detail);
  }

  /**
   * Whether the request holds the template's whole result, so the service need not fetch it.
   *
   * @return true for {@link Kind#PRESENT} and {@link Kind#EMPTY}; false when the service must
   *     fetch the data itself or answer HTTP 412
   */
  public boolean complete() {
    return kind == Kind.PRESENT || kind == Kind.EMPTY;
  }
}
