package io.github.cdsengine.population;

/**
 * CSV rows as RFC 4180 writes them (a field with a comma, quote or line break is quoted), safe to
 * open in a spreadsheet.
 *
 * <p>A text cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
 * return would be taken by a spreadsheet as a formula (an id or a file name read from an input
 * could carry one), so, as OWASP advises against CSV injection, it is written with a single
 * quote before it and quoted: {@code -5} as text becomes {@code "'-5"}. Numbers are passed as
 * {@link Number}s and written as they are, so a negative count or rate stays a number.
 */
public final class Csv {

  private Csv() {}

  /**
   * One row, ending in a line break: each {@link Number} written as a number, anything else as
   * text (its {@code toString}, neutralised as the class says); {@code null} is an empty cell.
   *
   * @param cells the cells, in order
   * @return the row with its line break
   */
  public static String row(Object... cells) {
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        row.append(',');
      }
      Object cell = cells[i];
      if (cell instanceof Number number) {
        row.append(number);
      } else if (cell != null) {
        row.append(text(cell.toString()));
      }
    }
    return row.append('\n').toString();
  }

  /**
   * A text cell: neutralised when a spreadsheet would read it as a formula, quoted as needed.
   *
   * @param field the text
   * @return the cell as written
   */
  public static String text(String field) {
    boolean formula = !field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0;
    if (formula) {
      return "\"'" + field.replace("\"", "\"\"") + "\"";
    }
    if (field.contains(",") || field.contains("\"") || field.contains("\n")
        || field.contains("\r")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }
}
