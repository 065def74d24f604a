package com.arservice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final List<Duration> SCHEDULE =
      List.of(Duration.ofSeconds(5), Duration.ofMinutes(5));

  @Test
  void eachFailedAttemptWaitsForItsScheduledDelayTimesJitterUntilTheScheduleIsUsedUp() {
    RetryPolicy policy = new RetryPolicy(SCHEDULE, () -> 1.2);
    assertEquals(Optional.of(NOW.plusSeconds(6)), policy.next(1, 500, null, NOW));
    assertEquals(Optional.of(NOW.plusSeconds(360)), policy.next(2, null, null, NOW));
    assertEquals(Optional.empty(), policy.next(3, 500, null, NOW));
  }

  @Test
  void retryAfterInSecondsOrAsADateWinsOverTheScheduleUpToItsLongestDelay() {
    RetryPolicy policy = new RetryPolicy(SCHEDULE, () -> 1.0);
    assertEquals(Optional.of(NOW.plusSeconds(90)), policy.next(1, 503, "90", NOW));
    assertEquals(
        Optional.of(NOW.plusSeconds(120)),
        policy.next(1, 429, "Sun, 01 Mar 2026 10:02:00 GMT", NOW));
    assertEquals(Optional.of(NOW.plusSeconds(300)), policy.next(1, 503, "86400", NOW));
    assertEquals(Optional.of(NOW.plusSeconds(5)), policy.next(1, 503, "soon", NOW));
  }

  @Test
  void goneIsNeverRetried() {
    assertEquals(Optional.empty(), new RetryPolicy(SCHEDULE, () -> 1.0).next(1, 410, "10", NOW));
  }
}
