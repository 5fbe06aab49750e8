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
   * @param name the file's path or resource name, e.g. {@code rules/crc.drl}
   * @param content the DRL text
   * @throws NullPointerException if either field is null
   */
  public RuleFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /**
   * The content with every comment replaced by spaces, line breaks and string literals kept: the
   * same length and lines as the content, for tools that scan DRL text.
   *
   * @return text of the same length as the content, with comments blanked
   */
  public String withoutComments() {
    return DrlText.blankComments(content);
  }

  /**
   * The 1-based line of the content on which {@code offset} falls.
   *
   * @param offset a 0-based character offset into the content
   * @return the line number, from 1
   */
  public int lineAt(int offset) {
    return DrlText.lineOf(content, offset);
  }
}
