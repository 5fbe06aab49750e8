package io.github.cdsengine.core.problem;

/**
 * Patient data is malformed or incomplete: malformed JSON, a wrong JSON type, a missing
 * required field, an impossible date or a reference that resolves nowhere. Names the source and
 * the JSON path.
 */
public class InvalidPatientDataException extends InvalidDataException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception about the value at {@code path} in {@code source}.
   *
   * @param source the file or stream the data came from
   * @param path the JSON path of the offending value, e.g. {@code $.entry[3].resource.status}
   * @param problem what is wrong with it
   */
  public InvalidPatientDataException(String source, String path, String problem) {
    super(source, path, problem);
  }
}
