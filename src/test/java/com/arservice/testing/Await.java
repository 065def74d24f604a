package com.arservice.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that background work makes true (polling, never a fixed sleep). */
public final class Await {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Await() {
  }

  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what);
      }
    }
  }
}
