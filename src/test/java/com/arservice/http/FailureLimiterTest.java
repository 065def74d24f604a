package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureLimiterTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void theWaitStartsAtTheFifthFailureAndDoublesWithEachFurtherOneUpToFifteenMinutes() {
    FailureLimiter limiter = new FailureLimiter(clock, 100);
    for (int i = 1; i < FailureLimiter.FREE_FAILURES; i++) {
      assertEquals(Duration.ZERO, limiter.failed("a"), "failure " + i);
      assertEquals(Optional.empty(), limiter.waitFor("a"));
    }
    assertEquals(Duration.ofSeconds(1), limiter.failed("a"));
    assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.waitFor("a"));
    assertEquals(Optional.empty(), limiter.waitFor("b"), "another client is not affected");
    clock.advance(Duration.ofMillis(400));
    assertEquals(Optional.of(Duration.ofMillis(600)), limiter.waitFor("a"));
    assertEquals(Duration.ofSeconds(2), limiter.failed("a"));
    assertEquals(Duration.ofSeconds(4), limiter.failed("a"));
    Duration last = Duration.ZERO;
    for (int i = 0; i < 40; i++) {
      last = limiter.failed("a");
    }
    assertEquals(Duration.ofMinutes(15), last);
  }

  @Test
  void aSuccessOrAnHourWithoutFailuresStartsTheClientAfresh() {
    FailureLimiter limiter = new FailureLimiter(clock, 100);
    for (int i = 0; i < 10; i++) {
      limiter.failed("a");
      limiter.failed("b");
    }
    clock.advance(FailureLimiter.MAX_WAIT);
    assertEquals(Optional.empty(), limiter.waitFor("a"), "the wait is over");
    limiter.succeeded("a");
    assertEquals(Duration.ZERO, limiter.failed("a"), "counted from zero again");
    assertTrue(limiter.failed("b").compareTo(Duration.ofSeconds(30)) > 0, "b still counts up");

    clock.advance(FailureLimiter.FORGET_AFTER);
    assertEquals(Duration.ZERO, limiter.failed("b"));
  }

  @Test
  void clientsBeyondTheCapPushOutTheLeastRecentlySeen() {
    FailureLimiter limiter = new FailureLimiter(clock, 1000);
    for (int i = 0; i < FailureLimiter.FREE_FAILURES; i++) {
      limiter.failed("first");
    }
    for (int i = 0; i < 100_000; i++) {
      limiter.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
      assertTrue(limiter.size() <= 1000);
      if (i % 500 == 0) {
        limiter.waitFor("first");
      }
    }
    assertEquals(1000, limiter.size());
    assertTrue(limiter.waitFor("first").isPresent(), "a client still seen stays");
  }
}
