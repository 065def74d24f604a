package com.arservice.cleanup;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The SQL of the cleanup module: one row per cleanup tick, inserted by the instance that runs it,
 * so with several instances exactly one acts on each tick.
 */
public final class CleanupStore {
  private final Pool pool;
  private final Clock clock;

  public CleanupStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Claims {@code tick} for {@code instance}; false when another instance already has it. */
  public Future<Boolean> claim(Instant tick, String instance) {
    return pool.preparedQuery(
            "INSERT INTO ar_cleanup_runs (tick, instance, started_at) VALUES ($1, $2, $3) "
                + "ON CONFLICT (tick) DO NOTHING")
        .execute(Tuple.of(at(tick), instance, at(clock.instant())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Records what a tick did and forgets runs older than {@code keep}. */
  public Future<Void> finish(Instant tick, JsonObject summary, Duration keep) {
    OffsetDateTime now = at(clock.instant());
    return pool.preparedQuery(
            "UPDATE ar_cleanup_runs SET finished_at = $2, summary = $3 WHERE tick = $1")
        .execute(Tuple.of(at(tick), now, summary))
        .compose(
            v ->
                pool.preparedQuery("DELETE FROM ar_cleanup_runs WHERE tick < $1")
                    .execute(Tuple.of(now.minus(keep))))
        .mapEmpty();
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
