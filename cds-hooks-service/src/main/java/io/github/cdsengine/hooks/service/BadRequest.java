package io.github.cdsengine.hooks.service;

/**
 * A request the service refuses with HTTP 400, naming the JSON path of what is wrong.
 */
final class BadRequest extends Exception {

  private static final long serialVersionUID = 1L;

  private final String path;

  BadRequest(String path, String message) {
    super(message);
    this.path = path;
  }

  /** The JSON path of the offending value, e.g. {@code $.feedback[0].outcome}. */
  String path() {
    return path;
  }
}
