package io.github.cdsengine.core.isolated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM, seen from the host: its pipes, a thread that reads its frames and one that
 * drains its standard error. Used by one evaluating thread at a time.
 *
 * <p>The worker's standard error is read to the end and dropped, except for the last lines it
 * wrote before it answered its setup (start-up diagnostics, written before any patient's data
 * reached it), which a failed start quotes; a line saying that the JVM ran out of memory is
 * noticed, never kept.
 */
final class WorkerProcess {

  /** How long a worker whose output ended is given to exit before it is killed. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
  /** Start-up lines of standard error kept for a failed start's message. */
  private static final int STARTUP_LINES = 20;
  /** What {@code -XX:+ExitOnOutOfMemoryError} prints as the JVM exits. */
  private static final String OUT_OF_MEMORY = "Terminating due to java.lang.OutOfMemoryError";
  /** The exit status of {@code -XX:+ExitOnOutOfMemoryError}. */
  private static final int OUT_OF_MEMORY_EXIT = 3;

  /** How workers are started: the command line, the frame limit, the heap bound to name. */
  record Launch(List<String> command, int maxMessageBytes, String maxHeap) {
    Launch {
      command = List.copyOf(command);
    }
  }

  /** A started worker and its first answer. */
  record Started(WorkerProcess worker, Wire.Started answer) {}

  /** How an evaluation on the worker ended: its reply, or the failure to report. */
  record Outcome(Wire.Reply reply, String failure) {}

  /** Why a worker could not start; the process is gone. */
  static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What the reader thread hands over: a frame, or how the worker's output ended. */
  private record Received(byte[] frame, String ended) {}

  /** A frame the worker answered with, or the failure of the exchange. */
  private record Exchange(byte[] frame, String failure) {}

  private final Process process;
  private final Launch launch;
  private final DataOutputStream toWorker;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final Deque<String> startupLines = new ArrayDeque<>(); // guarded by itself
  private volatile boolean started;
  private volatile boolean outOfMemory;

  private WorkerProcess(Process process, Launch launch) {
    this.process = process;
    this.launch = launch;
    this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    DataInputStream fromWorker =
        new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    daemon("cds-isolated-output-" + process.pid(), () -> readFrames(fromWorker));
    daemon("cds-isolated-stderr-" + process.pid(), this::drainStandardError);
  }

  /**
   * Starts a worker, sends it its setup and waits for its first answer.
   *
   * @return the worker and its answer; the caller stops the worker if the answer is a failure
   * @throws StartException if the process cannot be started, or ends, breaks the protocol or
   *     stays silent past {@code timeout} before answering; the process is killed
   */
  static Started start(Launch launch, byte[] setup, Duration timeout) throws StartException {
    ProcessBuilder builder = new ProcessBuilder(launch.command());
    Map<String, String> environment = builder.environment();
    // Options the launcher would add to every JVM, agents among them: a worker runs with the
    // options its host gives and no others.
    environment.remove("JAVA_TOOL_OPTIONS");
    environment.remove("JDK_JAVA_OPTIONS");
    environment.remove("_JAVA_OPTIONS");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StartException("cannot start a worker JVM with " + launch.command().get(0)
          + ": " + e.getMessage(), e);
    }
    WorkerProcess worker = new WorkerProcess(process, launch);
    Exchange exchange = worker.exchange(setup, timeout, "start");
    worker.started = true;
    if (exchange.failure() != null) {
      worker.kill();
      throw new StartException("the worker did not start: " + exchange.failure()
          + worker.startupDiagnostics(), null);
    }
    try {
      return new Started(worker, Wire.read(exchange.frame(), Wire.Started.class));
    } catch (IOException | RuntimeException e) {
      worker.kill();
      throw new StartException("the worker's first answer is not a valid one", e);
    }
  }

  /**
   * Sends one request and waits for the reply until {@code deadline} has passed. On any failure
   * the worker is killed before this returns.
   */
  Outcome evaluate(byte[] request, Duration deadline) {
    Exchange exchange = exchange(request, deadline, "deadline");
    if (exchange.failure() != null) {
      kill();
      return new Outcome(null, exchange.failure());
    }
    try {
      return new Outcome(Wire.read(exchange.frame(), Wire.Reply.class), null);
    } catch (IOException | RuntimeException e) {
      kill();
      return new Outcome(null, "worker sent a reply that is not a valid one ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private Exchange exchange(byte[] message, Duration timeout, String bound) {
    long start = System.nanoTime();
    try {
      Frames.write(toWorker, message, launch.maxMessageBytes());
    } catch (Frames.FrameTooLargeException e) {
      throw new IllegalArgumentException("the request is " + e.length() + " bytes, over the "
          + launch.maxMessageBytes() + "-byte limit (maxMessageBytes)");
    } catch (IOException e) {
      return new Exchange(null, ended(received.poll()));
    }
    Received answer;
    try {
      answer = received.poll(timeout.toNanos() - (System.nanoTime() - start),
          TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exchange(null, "the host thread was interrupted while the worker evaluated");
    }
    if (answer == null) {
      return new Exchange(null, bound.equals("start")
          ? "no answer within " + IsolatedEngine.Builder.text(timeout)
          : "worker exceeded the " + IsolatedEngine.Builder.text(timeout) + " deadline");
    }
    if (answer.frame() != null) {
      return new Exchange(answer.frame(), null);
    }
    return new Exchange(null, ended(answer));
  }

  /** Why the worker's output ended: how it exited, waiting a little for it to. */
  private String ended(Received end) {
    try {
      if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        return end != null && end.ended() != null ? "worker " + end.ended()
            : "worker closed its output";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return "worker closed its output";
    }
    int status = process.exitValue();
    if (status == OUT_OF_MEMORY_EXIT && awaitOutOfMemoryLine()) {
      // Checked first: whatever else the worker did on the way out, memory is why it went.
      return "worker ran out of memory (-Xmx" + launch.maxHeap() + ")";
    }
    if (end != null && end.ended() != null && !end.ended().equals("closed its output")) {
      return "worker " + end.ended() + ", then exited with code " + status;
    }
    return "worker exited with code " + status;
  }

  /** The JVM prints its out-of-memory line just before it exits; the drain may lag a little. */
  private boolean awaitOutOfMemoryLine() {
    long until = System.nanoTime() + EXIT_GRACE.toNanos();
    while (!outOfMemory && System.nanoTime() < until) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return outOfMemory;
  }

  private void readFrames(DataInputStream in) {
    String ended = "closed its output";
    try {
      byte[] frame;
      while ((frame = Frames.read(in, launch.maxMessageBytes())) != null) {
        received.add(new Received(frame, null));
      }
    } catch (Frames.FrameTooLargeException e) {
      ended = "sent " + e.getMessage();
      process.destroyForcibly();
    } catch (IOException e) {
      ended = "broke off a message";
    }
    received.add(new Received(null, ended));
  }

  private void drainStandardError() {
    try (BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        if (line.startsWith(OUT_OF_MEMORY)) {
          outOfMemory = true;
        }
        if (!started) {
          synchronized (startupLines) {
            startupLines.addLast(line.length() > 500 ? line.substring(0, 500) : line);
            if (startupLines.size() > STARTUP_LINES) {
              startupLines.removeFirst();
            }
          }
        }
      }
    } catch (IOException e) {
      // The worker is gone; nothing more to drain.
    }
  }

  private String startupDiagnostics() {
    synchronized (startupLines) {
      return startupLines.isEmpty() ? ""
          : "; its last lines on standard error:\n  " + String.join("\n  ", startupLines);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Closes the worker's standard input, which makes it exit, and kills it if it has not exited
   * within a grace period.
   */
  void stop() {
    try {
      toWorker.close();
    } catch (IOException e) {
      // Already closed or broken: the kill below settles it.
    }
    try {
      if (process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
  }

  /** Kills the worker and waits for it to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }
}
