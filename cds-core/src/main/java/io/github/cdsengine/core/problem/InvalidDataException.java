package io.github.cdsengine.core.problem;

/**
 * Input data (a patient record, a scenario file, a value set) is malformed or incomplete. Names
 * the source, the JSON path and what is wrong.
 */
public class InvalidDataException extends CdsException {

  private static final long serialVersionUID = 1L;

  /** The file or stream the data came from. */
  private final String source;

  /** The JSON path of the offending value. */
  private final String path;

  /**
   * An exception about the value at {@code path} in {@code source}.
   *
   * @param source the file or stream the data came from
   * @param path the JSON path of the offending value, e.g. {@code $.procedures[2].performed}
   * @param problem what is wrong with it
   */
  public InvalidDataException(String source, String path, String problem) {
    super(source + ": " + path + ": " + problem);
    this.source = source;
    this.path = path;
  }

  /**
   * The file or stream the data came from.
   *
   * @return the file name or stream description given when the data was read
   */
  public String source() {
    return source;
  }

  /**
   * The JSON path of the offending value.
   *
   * @return the JSON path, such as {@code $.procedures[2].performed}
   */
  public String path() {
    return path;
  }
}
