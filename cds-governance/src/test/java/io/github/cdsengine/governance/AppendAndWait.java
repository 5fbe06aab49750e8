package io.github.cdsengine.governance;

/**
 * Run in a forked JVM by the durability test: opens the store, appends events {@code 0..n-1},
 * prints {@code appended n} once the last append has returned, then waits to be killed.
 */
public final class AppendAndWait {

  private AppendAndWait() {}

  /**
   * Appends and waits.
   *
   * @param args the store (JDBC URL or file), the number of events
   * @throws InterruptedException never: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    FeedbackStore store = FeedbackStore.open(args[0]);
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      store.append(Events.event(i));
    }
    System.out.println("appended " + n);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
