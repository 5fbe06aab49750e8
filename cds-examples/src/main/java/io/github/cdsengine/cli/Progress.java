package io.github.cdsengine.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on standard error, redrawn at most five times a second, shown only
 * when the process has a terminal: piped or redirected output gets nothing.
 */
class Progress {

  private static final Progress NONE = new Progress();
  private static final int BAR = 30;

  private Progress() {}

  /** A bar over {@code files} input files on {@code err} when there is a console, else none. */
  static Progress onConsole(PrintWriter err, int files) {
    // The bar redraws itself with carriage returns and holds only counts: it bypasses escaping.
    return System.console() != null ? new Bar(TerminalText.unescaped(err), files) : NONE;
  }

  void patientDone() {}

  void fileDone() {}

  /** Takes the bar off the line, so that a message or the next output starts clean. */
  void clear() {}

  private static final class Bar extends Progress {
    private final PrintWriter err;
    private final int files;
    private int filesDone;
    private long patients;
    private long lastDrawn;
    private boolean drawn;

    Bar(PrintWriter err, int files) {
      this.err = err;
      this.files = Math.max(files, 1);
    }

    @Override
    void patientDone() {
      patients++;
      draw(false);
    }

    @Override
    void fileDone() {
      filesDone++;
      draw(filesDone == files);
    }

    @Override
    void clear() {
      if (drawn) {
        err.print("\r" + " ".repeat(79) + "\r");
        err.flush();
        drawn = false;
      }
    }

    private void draw(boolean force) {
      long now = System.nanoTime();
      if (!force && now - lastDrawn < 200_000_000L) {
        return;
      }
      lastDrawn = now;
      int filled = (int) ((long) BAR * filesDone / files);
      err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + filesDone + "/"
          + files + " files, " + patients + " patients");
      err.flush();
      drawn = true;
    }
  }
}
