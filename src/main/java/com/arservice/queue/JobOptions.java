package com.arservice.queue;

import java.time.Duration;

/**
 * How a job is retried and when it expires; the defaults are the old service's pg-boss settings for
 * {@code ar-compile}: 3 retries, 60 s base delay (doubled each time, with jitter), 10 min expiry.
 */
public record JobOptions(
    int retryLimit, Duration retryDelay, Duration expireIn, int priority, String singletonKey) {
  public static final JobOptions DEFAULTS =
      new JobOptions(3, Duration.ofSeconds(60), Duration.ofMinutes(10), 0, null);

  public JobOptions withSingletonKey(String key) {
    return new JobOptions(retryLimit, retryDelay, expireIn, priority, key);
  }

  public JobOptions withRetry(int limit, Duration delay) {
    return new JobOptions(limit, delay, expireIn, priority, singletonKey);
  }

  public JobOptions withExpireIn(Duration expiry) {
    return new JobOptions(retryLimit, retryDelay, expiry, priority, singletonKey);
  }

  public JobOptions withPriority(int p) {
    return new JobOptions(retryLimit, retryDelay, expireIn, p, singletonKey);
  }
}
