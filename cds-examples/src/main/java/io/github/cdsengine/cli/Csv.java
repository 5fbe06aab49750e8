package io.github.cdsengine.cli;

/** CSV rows as RFC 4180 writes them: a field with a comma, quote or line break is quoted. */
final class Csv {

  private Csv() {}

  /** One row, ending in a line break. */
  static String row(String... fields) {
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        row.append(',');
      }
      String field = fields[i] == null ? "" : fields[i];
      if (field.contains(",") || field.contains("\"") || field.contains("\n")
          || field.contains("\r")) {
        row.append('"').append(field.replace("\"", "\"\"")).append('"');
      } else {
        row.append(field);
      }
    }
    return row.append('\n').toString();
  }
}
