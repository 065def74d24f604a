package com.arservice.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool directly (no shell: every path is one argument), with a deadline, keeping
 * its stdout up to a cap and the last lines of its stderr for error reports.
 */
final class ProcessRunner {

  static final int STDERR_LINES = 12;

  private ProcessRunner() {}

  /** How a run ended. {@code exitCode} is 128 + signal when the tool was killed by a signal. */
  record Outcome(int exitCode, String stdout, String stderrTail) {}

  /** The tool did not finish in time and was killed. */
  static final class TimeoutException extends Exception {
    final String stderrTail;

    TimeoutException(String message, String stderrTail) {
      super(message);
      this.stderrTail = stderrTail;
    }
  }

  /** How often a running tool's stop signal is asked. */
  private static final long STOP_POLL_MS = 100;

  /**
   * Runs {@code command} and waits at most {@code timeout}, or until {@code stop} asks to stop.
   *
   * @throws IOException when the tool cannot be started
   * @throws TimeoutException when it ran too long or was stopped (it has then been killed)
   */
  static Outcome run(List<String> command, Duration timeout, int maxStdoutBytes, StopSignal stop)
      throws IOException, TimeoutException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Deque<String> tail = new ArrayDeque<>();
    Thread outReader =
        drain(
            process.getInputStream(),
            chunk -> {
              synchronized (stdout) {
                int room = maxStdoutBytes - stdout.size();
                stdout.write(chunk.bytes, 0, Math.max(0, Math.min(room, chunk.length)));
              }
            });
    StringBuilder partial = new StringBuilder();
    Thread errReader =
        drain(
            process.getErrorStream(),
            chunk -> {
              synchronized (tail) {
                partial.append(new String(chunk.bytes, 0, chunk.length, StandardCharsets.UTF_8));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                  keep(tail, partial.substring(0, nl));
                  partial.delete(0, nl + 1);
                }
                if (partial.length() > 4096) {
                  keep(tail, partial.toString());
                  partial.setLength(0);
                }
              }
            });
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean finished = false;
    boolean stopped = false;
    try {
      while (!finished && !stopped && System.nanoTime() < deadline) {
        long slice =
            Math.min(STOP_POLL_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
        finished = process.waitFor(slice, TimeUnit.MILLISECONDS);
        stopped = !finished && stop.stopRequested();
      }
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    }
    if (!finished) {
      kill(process);
    }
    outReader.join(2000);
    errReader.join(2000);
    String stderrTail;
    synchronized (tail) {
      keep(tail, partial.toString());
      stderrTail = String.join("\n", tail);
    }
    if (!finished) {
      throw new TimeoutException(
          command.get(0)
              + (stopped
                  ? " was stopped: its job's attempt ran out of time"
                  : " did not finish within " + timeout.toSeconds() + " s"),
          stderrTail);
    }
    String out;
    synchronized (stdout) {
      out = stdout.toString(StandardCharsets.UTF_8);
    }
    return new Outcome(process.exitValue(), out, stderrTail);
  }

  private static void keep(Deque<String> tail, String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return;
    }
    tail.addLast(trimmed.length() > 400 ? trimmed.substring(0, 400) + "..." : trimmed);
    while (tail.size() > STDERR_LINES) {
      tail.removeFirst();
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Chunk(byte[] bytes, int length) {}

  private interface ChunkSink {
    void accept(Chunk chunk);
  }

  private static Thread drain(InputStream in, ChunkSink sink) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  sink.accept(new Chunk(buffer, n));
                }
              } catch (IOException e) {
                // the process went away; what was read so far is all there is
              }
            },
            "media-tool-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
