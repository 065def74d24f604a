package com.arservice.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed webhook attempt is tried again: the receiver's {@code Retry-After} when it sends
 * one (capped at the longest scheduled delay), else the schedule's next delay times jitter; never
 * after {@code 410 Gone} or once the schedule is used up.
 */
public final class RetryPolicy {
  private final List<Duration> schedule;
  private final DoubleSupplier jitter;
  private final Duration longest;

  /**
   * @param jitter factors around 1 that spread retries, e.g. {@code () -> 0.8 + random * 0.4}
   */
  public RetryPolicy(List<Duration> schedule, DoubleSupplier jitter) {
    this.schedule = List.copyOf(schedule);
    this.jitter = jitter;
    this.longest = schedule.stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /**
   * The time of the next attempt after attempt number {@code attempts} (1 = the first) failed at
   * {@code now}, or empty to give up. {@code status} is null when no response came.
   */
  public Optional<Instant> next(int attempts, Integer status, String retryAfter, Instant now) {
    if ((status != null && status == 410) || attempts > schedule.size()) {
      return Optional.empty();
    }
    Optional<Duration> asked = retryAfter(retryAfter, now);
    if (asked.isPresent()) {
      return Optional.of(now.plus(asked.get().compareTo(longest) > 0 ? longest : asked.get()));
    }
    long millis = Math.round(schedule.get(attempts - 1).toMillis() * jitter.getAsDouble());
    return Optional.of(now.plusMillis(millis));
  }

  /** {@code Retry-After} as seconds or an HTTP date; empty when absent or unreadable. */
  private static Optional<Duration> retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
