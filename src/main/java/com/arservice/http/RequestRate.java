package com.arservice.http;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per client as a token bucket: a client may send {@code burst} at once, then {@code
 * perSecond}. At most {@code maxClients} are remembered, the least recently seen dropped first (a
 * dropped client starts with a full bucket), so rotating addresses cannot grow the table. Per
 * process.
 */
final class RequestRate {
  private static final class Bucket {
    double tokens;
    long at;
  }

  private final Clock clock;
  private final double burst;
  private final double perSecond;
  private final Map<String, Bucket> clients;

  RequestRate(Clock clock, int burst, double perSecond, int maxClients) {
    this.clock = clock;
    this.burst = burst;
    this.perSecond = perSecond;
    this.clients =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Takes one request of {@code client}'s allowance; false when it has none left now. */
  synchronized boolean take(String client) {
    long now = clock.millis();
    Bucket b = clients.get(client);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.at = now;
      clients.put(client, b);
    }
    b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * perSecond / 1000.0);
    b.at = now;
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  synchronized int size() {
    return clients.size();
  }
}
