package com.arservice.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed sign-ins and tokens per client: after {@link #FREE_FAILURES} a client waits {@link
 * #FIRST_WAIT}, doubled by every further failure up to {@link #MAX_WAIT}; a success forgets the
 * client, and so does {@link #FORGET_AFTER} without failures. At most {@code maxClients} are
 * remembered, the least recently seen dropped first, so rotating addresses cannot grow the table.
 * Per process: with several API processes each one counts on its own.
 */
final class FailureLimiter {
  static final int FREE_FAILURES = 5;
  static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofMinutes(15);

  /** Longer than the longest wait, so waiting it out does not start a client afresh. */
  static final Duration FORGET_AFTER = Duration.ofHours(1);

  static final int MAX_CLIENTS = 10_000;

  private static final class Entry {
    int failures;
    Instant last;
    Instant until;
  }

  private final Clock clock;
  private final Map<String, Entry> clients;

  FailureLimiter(Clock clock, int maxClients) {
    this.clock = clock;
    this.clients =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** How long {@code client} must still wait before its next try; empty when it may try now. */
  synchronized Optional<Duration> waitFor(String client) {
    Instant now = clock.instant();
    Entry e = current(client, now);
    return e != null && e.until != null && now.isBefore(e.until)
        ? Optional.of(Duration.between(now, e.until))
        : Optional.empty();
  }

  /** Counts a failure of {@code client}; returns the wait it now has (zero: none). */
  synchronized Duration failed(String client) {
    Instant now = clock.instant();
    Entry e = current(client, now);
    if (e == null) {
      e = new Entry();
      clients.put(client, e);
    }
    e.failures++;
    e.last = now;
    if (e.failures < FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(e.failures - FREE_FAILURES, 20);
    Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    e.until = now.plus(wait);
    return wait;
  }

  synchronized void succeeded(String client) {
    clients.remove(client);
  }

  /** How many clients are remembered. */
  synchronized int size() {
    return clients.size();
  }

  private Entry current(String client, Instant now) {
    Entry e = clients.get(client);
    if (e != null && !now.isBefore(e.last.plus(FORGET_AFTER))) {
      clients.remove(client);
      return null;
    }
    return e;
  }
}
