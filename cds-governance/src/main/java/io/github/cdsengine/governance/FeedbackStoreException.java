package io.github.cdsengine.governance;

import io.github.cdsengine.core.problem.CdsException;

/**
 * The feedback store could not be opened, migrated, written or read: the message says which
 * database (never its password) and what to check.
 */
public final class FeedbackStoreException extends CdsException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with its message and cause.
   *
   * @param message what failed and what to check
   * @param cause the database's error
   */
  public FeedbackStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
