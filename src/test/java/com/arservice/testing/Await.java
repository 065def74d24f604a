package com.arservice.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Waits for a condition that background work makes true (polling, never a fixed sleep): the one
 * place tests wait. A minute unless a timeout is given. A check may throw: an {@link
 * AssertionError} (from {@link #alive(Process)}, or a state that will never turn into the awaited
 * one) ends the wait at once as it is; any other exception fails it naming what was awaited.
 */
public final class Await {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long FIRST_PAUSE_MS = 10;
  private static final long LONGEST_PAUSE_MS = 100;

  private Await() {}

  /** A condition, asked again until it holds. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** A value, read again until it is the awaited one. */
  @FunctionalInterface
  public interface Probe<T> {
    T read() throws Exception;
  }

  public static void until(String what, Condition condition) {
    until(what, TIMEOUT, condition);
  }

  public static void until(String what, Duration timeout, Condition condition) {
    value(what, timeout, () -> condition.holds() ? Boolean.TRUE : null, Objects::nonNull);
  }

  /** The first non-null value {@code probe} reads. */
  public static <T> T value(String what, Probe<T> probe) {
    return value(what, TIMEOUT, probe, Objects::nonNull);
  }

  /**
   * The first value {@code probe} reads that {@code done} accepts; on a timeout the error names the
   * last one read.
   */
  public static <T> T value(
      String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MS;
    while (true) {
      T last;
      try {
        last = probe.read();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new AssertionError("failed waiting until " + what + ": " + e, e);
      }
      if (done.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        String after = timeout.toString().substring(2).toLowerCase(Locale.ROOT); // PT1M30S: 1m30s
        throw new AssertionError(
            "timed out after "
                + after
                + " waiting until "
                + what
                + (last == null || last instanceof Boolean ? "" : "; last seen: " + last));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what);
      }
      pause = Math.min(2 * pause, LONGEST_PAUSE_MS);
    }
  }

  /**
   * For a check: fails at once when {@code process} has exited, instead of waiting out the timeout.
   */
  public static void alive(Process process) {
    if (!process.isAlive()) {
      throw new AssertionError(
          "process " + process.pid() + " exited with code " + process.exitValue());
    }
  }
}
