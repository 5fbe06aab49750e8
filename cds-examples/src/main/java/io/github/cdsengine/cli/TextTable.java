package io.github.cdsengine.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table of fixed column widths whose cells wrap onto more lines. */
final class TextTable {

  private final int[] widths;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(int... widths) {
    this.widths = widths.clone();
  }

  TextTable row(String... cells) {
    if (cells.length != widths.length) {
      throw new IllegalArgumentException("expected " + widths.length + " cells: " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  /** Whether position {@code at} of {@code text} is inside a web address. */
  private static boolean inAddress(String text, int at) {
    int start = text.lastIndexOf(' ', at - 1) + 1;
    return text.startsWith("http://", start) || text.startsWith("https://", start);
  }

  /** The table's lines, columns one space apart, no line longer than the widths add up to. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      List<List<String>> wrapped = new ArrayList<>();
      int height = 1;
      for (int i = 0; i < row.length; i++) {
        List<String> cell = wrap(row[i] == null ? "" : row[i], widths[i]);
        wrapped.add(cell);
        height = Math.max(height, cell.size());
      }
      for (int line = 0; line < height; line++) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          String part = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
          text.append(part);
          if (i < row.length - 1) {
            text.append(" ".repeat(widths[i] - part.length() + 1));
          }
        }
        lines.add(text.toString().stripTrailing());
      }
    }
    return lines;
  }

  /**
   * {@code text} in lines of at most {@code width} characters, broken after a space or a hyphen
   * a space preferred, where one is near enough, else cut.
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    String rest = text.strip();
    while (rest.length() > width) {
      int cut = -1;
      for (int i = width; i > width / 3 && cut < 0; i--) {
        if (rest.charAt(i) == ' ') {
          cut = i;
        }
      }
      for (int i = width; i > width / 3 && cut < 0; i--) {
        char c = rest.charAt(i - 1);
        if ((c == '-' || c == '/') && !inAddress(rest, i)) {
          cut = i;
        }
      }
      if (cut < 0) {
        // An address stays whole on a line of its own; any other word is cut.
        int space = rest.indexOf(' ');
        cut = inAddress(rest, width) ? (space < 0 ? rest.length() : space) : width;
      }
      lines.add(rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    if (!rest.isEmpty() || lines.isEmpty()) {
      lines.add(rest);
    }
    return lines;
  }
}
