package com.arservice.queue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of the job queue, as a worker sees it; {@code expiresAt} is when the attempt started by
 * the last claim expires (null for a job never claimed).
 */
public record Job(
    UUID id,
    String queue,
    JobState state,
    JsonObject data,
    int retryCount,
    int retryLimit,
    Instant startAfter,
    String workerId,
    Instant expiresAt) {

  static Job of(Row row) {
    OffsetDateTime expires = row.getOffsetDateTime("expires_at");
    return new Job(
        row.getUUID("id"),
        row.getString("queue"),
        JobState.of(row.getString("state")),
        row.getJsonObject("data"),
        row.getInteger("retry_count"),
        row.getInteger("retry_limit"),
        row.getOffsetDateTime("start_after").toInstant(),
        row.getString("worker_id"),
        expires == null ? null : expires.toInstant());
  }
}
