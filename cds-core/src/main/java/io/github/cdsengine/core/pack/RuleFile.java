package io.github.cdsengine.core.pack;

import java.util.Objects;
import io.github.cdsengine.core.drl.DrlText;

/**
 * The text of one DRL file and the name it is reported under in errors.
 *
 * @param name the file's path or resource name, e.g. {@code rules/crc.drl}
 * @param content the DRL text
 */
public record RuleFile(String name, String content) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if either field is null
   */
  public RuleFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /**
   * The content with every comment replaced by spaces, line breaks and string literals kept: the
   * same length and lines as the content, for tools that scan DRL text.
   */
  public String withoutComments() {
    return DrlText.blankComments(content);
  }

  /** The 1-based line of the content on which {@code offset} falls. */
  public int lineAt(int offset) {
    return DrlText.lineOf(content, offset);
  }
}
