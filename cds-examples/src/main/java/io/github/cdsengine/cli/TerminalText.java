package io.github.cdsengine.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text bound for a terminal, made harmless: control characters (other than line feed and tab)
 * and the Unicode bidirectional controls are shown as {@code \}{@code uXXXX}, so that a value
 * read from an input file cannot move the cursor, rewrite what is on screen or reorder a line.
 * Inside a JSON string the escape reads back as the same character, so JSON output stays valid.
 */
final class TerminalText {

  private static final boolean CRLF = System.lineSeparator().equals("\r\n");

  private TerminalText() {}

  /** {@code text} with every unsafe character escaped; null stays null. */
  static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder safe = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe = isUnsafe(c) && !(c == '\r' && CRLF && i + 1 < text.length()
          && text.charAt(i + 1) == '\n');
      if (unsafe && safe == null) {
        safe = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (safe != null) {
        if (unsafe) {
          safe.append(String.format("\\u%04X", (int) c));
        } else {
          safe.append(c);
        }
      }
    }
    return safe == null ? text : safe.toString();
  }

  /**
   * Whether {@code c} must not reach a terminal as is: C0 and C1 controls but line feed and tab,
   * DEL, and the bidirectional embedding, override and isolate controls.
   */
  static boolean isUnsafe(char c) {
    return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e || c == 0x200f || c == 0x061c;
  }

  /** A writer that escapes what passes through it to {@code out}, flushing on each line. */
  static PrintWriter escaping(PrintWriter out) {
    if (out instanceof EscapingPrintWriter) {
      return out;
    }
    return new EscapingPrintWriter(out);
  }

  /**
   * The writer under {@code out} when it escapes, for this program's own control characters
   * (the progress bar's carriage returns) and nothing read from an input.
   */
  static PrintWriter unescaped(PrintWriter out) {
    return out instanceof EscapingPrintWriter escaping ? escaping.raw : out;
  }

  private static final class EscapingPrintWriter extends PrintWriter {
    private final PrintWriter raw;

    EscapingPrintWriter(PrintWriter out) {
      super(new EscapingWriter(out), true);
      this.raw = out;
    }
  }

  /** Escapes character by character; a CR of the platform's line separator passes. */
  private static final class EscapingWriter extends FilterWriter {
    private boolean pendingCr;

    EscapingWriter(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      StringBuilder safe = new StringBuilder(8);
      append(safe, (char) c);
      out.write(safe.toString());
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      StringBuilder safe = new StringBuilder(length + 16);
      for (int i = offset; i < offset + length; i++) {
        append(safe, chars[i]);
      }
      out.write(safe.toString());
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      StringBuilder safe = new StringBuilder(length + 16);
      for (int i = offset; i < offset + length; i++) {
        append(safe, text.charAt(i));
      }
      out.write(safe.toString());
    }

    private void append(StringBuilder safe, char c) {
      if (pendingCr) {
        pendingCr = false;
        safe.append(c == '\n' ? "\r" : "\\u000D");
      }
      if (c == '\r' && CRLF) {
        pendingCr = true;
      } else if (isUnsafe(c)) {
        safe.append(String.format("\\u%04X", (int) c));
      } else {
        safe.append(c);
      }
    }

    @Override
    public void flush() throws IOException {
      if (pendingCr) {
        pendingCr = false;
        out.write("\\u000D");
      }
      out.flush();
    }
  }
}
