package com.arservice.config;

import java.time.Duration;

/**
 * The compile queue and its workers.
 *
 * @param compileWorkers instances of the compile worker verticle (default: cores − 1, at least 1)
 * @param retryLimit retries of a compile job after a transient failure
 * @param retryDelay the first retry delay of a compile job (doubled per retry)
 * @param expireIn the longest time one compile attempt may run
 * @param lease a claimed job's lease, renewed while it runs
 * @param pollInterval how often idle workers look for jobs when no notification arrives
 * @param jobRetention finished jobs are deleted after this
 */
public record QueueSettings(
    int compileWorkers,
    int retryLimit,
    Duration retryDelay,
    Duration expireIn,
    Duration lease,
    Duration pollInterval,
    Duration jobRetention) {

  static QueueSettings from(Values values) {
    return new QueueSettings(
        values.get(Settings.COMPILE_WORKERS),
        values.get(Settings.QUEUE_RETRY_LIMIT),
        values.get(Settings.QUEUE_RETRY_DELAY),
        values.get(Settings.QUEUE_EXPIRE_IN),
        values.get(Settings.QUEUE_LEASE),
        values.get(Settings.QUEUE_POLL_INTERVAL),
        values.get(Settings.JOB_RETENTION));
  }
}
