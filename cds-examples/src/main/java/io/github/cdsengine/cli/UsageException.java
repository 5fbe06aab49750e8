package io.github.cdsengine.cli;

/**
 * A mistake in what the user asked for (a path that does not exist, a pack that is not shipped,
 * value sets that are not loaded): reported as one line, exit code 2.
 */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * A mistake, said in one line.
   *
   * @param message what is wrong and how to put it right
   */
  public UsageException(String message) {
    super(message);
  }
}
