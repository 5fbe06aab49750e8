package io.github.cdsengine.core.problem;

/** The base of every exception the engine throws for a problem in rules, data or evaluation. */
public class CdsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message.
   *
   * @param message what went wrong, without patient data
   */
  public CdsException(String message) {
    super(message);
  }

  /**
   * An exception with a message and the exception that caused it.
   *
   * @param message what went wrong, without patient data
   * @param cause the exception that caused this one, or null when unknown
   */
  public CdsException(String message, Throwable cause) {
    super(message, cause);
  }
}
