package io.github.cdsengine.cli;

import java.nio.file.Path;

/** How paths are shown: relative to the working directory when under it, else absolute. */
final class Paths {

  private Paths() {}

  /** {@code path} as the user would write it from the working directory. */
  static String display(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path here = Path.of("").toAbsolutePath();
    return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
  }
}
