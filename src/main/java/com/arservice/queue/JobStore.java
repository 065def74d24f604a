package com.arservice.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * All SQL of the job queue. Workers claim jobs with {@code FOR UPDATE SKIP LOCKED} (priority, then
 * age), hold them under a lease they renew, and end them as completed, retried or failed. Time
 * comes from the injected {@link Clock}, so tests move it instead of sleeping. The store remembers
 * which jobs this process has in hand, so heartbeats never keep alive a job its worker gave up on.
 */
public final class JobStore {
  /** The LISTEN/NOTIFY channel; the payload is the queue name. */
  public static final String CHANNEL = "ar_jobs";

  /** When the running attempt of a job expires (null before its first claim). */
  private static final String EXPIRES_AT =
      "started_at + make_interval(secs => expire_in_ms / 1000.0)";

  private static final String COLUMNS =
      "id, queue, state, data, retry_count, retry_limit, start_after, worker_id, "
          + EXPIRES_AT
          + " AS expires_at";

  private final Pool pool;
  private final Clock clock;
  private final Duration lease;
  private final DoubleSupplier jitter;
  private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();

  /**
   * @param lease how long a claimed job stays with its worker without a heartbeat
   * @param jitter factors (around 1) that spread retry delays, e.g. {@code () -> 0.75 + random *
   *     0.5}
   */
  public JobStore(Pool pool, Clock clock, Duration lease, DoubleSupplier jitter) {
    this.pool = pool;
    this.clock = clock;
    this.lease = lease;
    this.jitter = jitter;
  }

  public Duration lease() {
    return lease;
  }

  /**
   * Adds a job on {@code client} (a transaction, so the job exists exactly when the caller's change
   * does) and notifies listeners on commit. With a singleton key that already has a live job, that
   * job is returned instead of a new one.
   */
  public Future<Job> enqueue(SqlClient client, String queue, JsonObject data, JobOptions options) {
    return enqueue(client, UUID.randomUUID(), queue, data, options);
  }

  /**
   * {@link #enqueue(SqlClient, String, JsonObject, JobOptions)} with the new job's id chosen by the
   * caller.
   */
  public Future<Job> enqueue(
      SqlClient client, UUID id, String queue, JsonObject data, JobOptions options) {
    OffsetDateTime now = now();
    Tuple args =
        Tuple.of(
                id,
                queue,
                data,
                options.singletonKey(),
                options.retryLimit(),
                options.retryDelay().toMillis(),
                options.expireIn().toMillis(),
                options.priority())
            .addValue(now)
            .addValue(CHANNEL);
    // One round trip: the notification is queued by the same statement and sent on commit.
    return client
        .preparedQuery(
            """
            WITH added AS (
                INSERT INTO ar_jobs (id, queue, state, data, singleton_key, retry_limit, retry_delay_ms, expire_in_ms,
                                     priority, start_after, created_at)
                VALUES ($1, $2, 'created', $3, $4, $5, $6, $7, $8, $9, $9)
                ON CONFLICT (queue, singleton_key)
                    WHERE singleton_key IS NOT NULL AND state IN ('created', 'retry', 'active') DO NOTHING
                RETURNING"""
                + " "
                + COLUMNS
                + """
            )
            SELECT added.*, pg_notify($10, added.queue) FROM added""")
        .execute(args)
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.succeededFuture(Job.of(rows.iterator().next()))
                    : liveJob(client, queue, options.singletonKey()));
  }

  private Future<Job> liveJob(SqlClient client, String queue, String singletonKey) {
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM ar_jobs WHERE queue = $1 AND singleton_key = $2 "
                + "AND state IN ('created', 'retry', 'active')")
        .execute(Tuple.of(queue, singletonKey))
        .map(rows -> Job.of(rows.iterator().next()));
  }

  /**
   * Claims up to {@code limit} due jobs for {@code workerId}: highest priority first, then oldest.
   */
  public Future<List<Job>> fetch(String queue, String workerId, int limit) {
    OffsetDateTime now = now();
    return pool.preparedQuery(
            """
            UPDATE ar_jobs j SET state = 'active', started_at = $3, lease_until = $4, worker_id = $5
            FROM (SELECT id AS claimed FROM ar_jobs
                  WHERE queue = $1 AND state IN ('created', 'retry') AND start_after <= $3
                  ORDER BY priority DESC, created_at, id
                  LIMIT $2 FOR UPDATE SKIP LOCKED) next
            WHERE j.id = next.claimed
            RETURNING"""
                + " "
                + COLUMNS)
        .execute(Tuple.of(queue, limit, now, now.plus(lease), workerId))
        .map(JobStore::jobs)
        .onSuccess(claimed -> claimed.forEach(job -> inHand.add(job.id())));
  }

  /**
   * The worker stopped working on a job it claimed here (it ended it, or gave up because it could
   * not report the end): heartbeats no longer renew its lease, so an unfinished job is reaped and
   * retried.
   */
  public void release(UUID id) {
    inHand.remove(id);
  }

  /**
   * Renews the lease of every active job of {@code workerId} still in hand and not past its expiry;
   * returns how many it renewed. An attempt past its expiry is stopped by its worker; should the
   * worker not manage, the lapsed lease hands the job back.
   */
  public Future<Integer> heartbeat(String workerId) {
    if (inHand.isEmpty()) {
      return Future.succeededFuture(0);
    }
    OffsetDateTime now = now();
    return pool.preparedQuery(
            "UPDATE ar_jobs SET lease_until = $2 WHERE worker_id = $1 AND state = 'active' "
                + "AND id = ANY($3) AND "
                + EXPIRES_AT
                + " > $4")
        .execute(Tuple.of(workerId, now.plus(lease), inHand.toArray(UUID[]::new), now))
        .map(RowSet::rowCount);
  }

  /**
   * Records that worker process {@code workerId} is alive now, so operators see which instances run
   * (the console's overview); the first call of a process also records its start.
   */
  public Future<Void> seen(String workerId, String role) {
    OffsetDateTime now = now();
    return pool.preparedQuery(
            "INSERT INTO ar_instances (worker_id, role, started_at, last_seen_at) VALUES ($1, $2, $3, $3) "
                + "ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at")
        .execute(Tuple.of(workerId, role, now))
        .mapEmpty();
  }

  /**
   * The worker processes seen within {@code within}, most recently seen first: {@code [{workerId,
   * role, startedAt, lastSeenAt, activeJobs}]}.
   */
  public Future<JsonArray> instances(Duration within) {
    return pool.preparedQuery(
            """
            SELECT i.worker_id, i.role, i.started_at, i.last_seen_at,
                (SELECT count(*)::int FROM ar_jobs j WHERE j.worker_id = i.worker_id AND j.state = 'active') AS active
            FROM ar_instances i WHERE i.last_seen_at >= $1 ORDER BY i.last_seen_at DESC, i.worker_id""")
        .execute(Tuple.of(now().minus(within)))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("workerId", r.getString("worker_id"))
                        .put("role", r.getString("role"))
                        .put("startedAt", r.getOffsetDateTime("started_at").toString())
                        .put("lastSeenAt", r.getOffsetDateTime("last_seen_at").toString())
                        .put("activeJobs", r.getInteger("active")));
              }
              return out;
            });
  }

  /** Whether the attempt of a claimed job has run past its expiry, by this store's clock. */
  public boolean pastExpiry(Job job) {
    return job.expiresAt() != null && !Instant.now(clock).isBefore(job.expiresAt());
  }

  /**
   * Ends a job the worker still holds; false when it had lost the job (lease expired and
   * reclaimed).
   */
  public Future<Boolean> complete(UUID id, String workerId, JsonObject output) {
    return complete(pool, id, workerId, output);
  }

  /**
   * {@link #complete(UUID, String, JsonObject)} on {@code client}, e.g. with the change it
   * finishes.
   */
  public Future<Boolean> complete(SqlClient client, UUID id, String workerId, JsonObject output) {
    return client
        .preparedQuery(
            "UPDATE ar_jobs SET state = 'completed', completed_at = $3, output = $4, "
                + "lease_until = NULL WHERE id = $1 AND worker_id = $2 AND state = 'active'")
        .execute(Tuple.of(id, workerId, now(), output))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Ends an attempt that failed. A transient failure with retries left goes back to {@code retry},
   * due after the base delay doubled per earlier retry, times jitter; anything else is {@code
   * failed}. Empty when the worker no longer held the job.
   */
  public Future<Optional<JobState>> fail(
      UUID id, String workerId, String error, boolean transientFailure) {
    return fail(pool, id, workerId, error, transientFailure);
  }

  /**
   * {@link #fail(UUID, String, String, boolean)} on {@code client}, e.g. with the change it causes.
   */
  public Future<Optional<JobState>> fail(
      SqlClient client, UUID id, String workerId, String error, boolean transientFailure) {
    return client
        .preparedQuery(
            "UPDATE ar_jobs SET "
                + retryOrFail("$3", "$4", "$5", "$6::text")
                + " WHERE id = $1 AND worker_id = $2 AND state = 'active' RETURNING state")
        .execute(Tuple.of(id, workerId, transientFailure, now(), jitter.getAsDouble(), error))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(JobState.of(rows.iterator().next().getString("state"))));
  }

  /**
   * Takes back active jobs whose lease lapsed: their instance died, or their attempt ran past its
   * expiry (heartbeats stop renewing it then). Each is retried while it has retries left, else
   * failed. A job that {@code ownWorkerId} still has in hand is left to it for one lease past its
   * expiry, so its worker stops the attempt (and kills its tools) before anyone else may start it.
   * Returns the jobs changed, with their new state, so the caller can mark the failed ones'
   * projects.
   */
  public Future<List<Job>> reapExpired(String ownWorkerId) {
    OffsetDateTime now = now();
    return pool.preparedQuery(
            "UPDATE ar_jobs SET "
                + retryOrFail(
                    "true",
                    "$1",
                    "$2",
                    "CASE WHEN "
                        + EXPIRES_AT
                        + " < $1 THEN 'expired' ELSE 'the worker stopped renewing its lease' END")
                + " WHERE state = 'active' AND lease_until < $1 AND NOT (worker_id = $3 AND id = ANY($4)"
                + " AND "
                + EXPIRES_AT
                + " + make_interval(secs => $5) > $1) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.of(
                now,
                jitter.getAsDouble(),
                ownWorkerId,
                inHand.toArray(UUID[]::new),
                lease.toMillis() / 1000.0))
        .map(JobStore::jobs);
  }

  /** Cancels a job that has not finished; false when it had already ended. */
  public Future<Boolean> cancel(UUID id) {
    return pool.preparedQuery(
            "UPDATE ar_jobs SET state = 'cancelled', completed_at = $2, worker_id = NULL, "
                + "lease_until = NULL WHERE id = $1 AND state IN ('created', 'retry', 'active')")
        .execute(Tuple.of(id, now()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** How many jobs of {@code queue} are in each state (every state present, zero when none). */
  public Future<Map<JobState, Integer>> depth(String queue) {
    return pool.preparedQuery(
            "SELECT state, count(*)::int AS n FROM ar_jobs WHERE queue = $1 GROUP BY state")
        .execute(Tuple.of(queue))
        .map(
            rows -> {
              Map<JobState, Integer> out = new EnumMap<>(JobState.class);
              for (JobState s : JobState.values()) {
                out.put(s, 0);
              }
              for (Row r : rows) {
                out.put(JobState.of(r.getString("state")), r.getInteger("n"));
              }
              return out;
            });
  }

  /**
   * Active jobs whose lease ran out more than {@code grace} ago. The reaper takes such jobs back
   * within half a lease, so any here mean no live process is reaping (no worker is running).
   */
  public Future<Integer> overdue(Duration grace) {
    return pool.preparedQuery(
            "SELECT count(*)::int AS n FROM ar_jobs WHERE state = 'active' AND lease_until < $1")
        .execute(Tuple.of(now().minus(grace)))
        .map(rows -> rows.iterator().next().getInteger("n"));
  }

  /** Deletes finished jobs (completed, failed, cancelled) that ended more than {@code age} ago. */
  public Future<Integer> purgeFinished(Duration age) {
    return pool.preparedQuery(
            "DELETE FROM ar_jobs WHERE state IN ('completed', 'failed', 'cancelled') "
                + "AND completed_at < $1")
        .execute(Tuple.of(now().minus(age)))
        .map(RowSet::rowCount);
  }

  /** The state of one job, if it exists. */
  public Future<Optional<JobState>> state(UUID id) {
    return pool.preparedQuery("SELECT state FROM ar_jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(JobState.of(rows.iterator().next().getString("state"))));
  }

  /**
   * The SET clause that ends an attempt: back to {@code retry} (due after the base delay doubled
   * per earlier retry, times jitter) while retries are left and the failure is retryable, else
   * {@code failed}. Arguments are SQL expressions.
   */
  private static String retryOrFail(String retryable, String now, String jitter, String error) {
    String retry = retryable + " AND retry_count < retry_limit";
    String at = "(" + now + ")::timestamptz";
    return "state = CASE WHEN "
        + retry
        + " THEN 'retry' ELSE 'failed' END, "
        + "start_after = CASE WHEN "
        + retry
        + " THEN "
        + at
        + " + make_interval(secs => retry_delay_ms * power(2, retry_count) * "
        + jitter
        + " / 1000.0)"
        + " ELSE start_after END, "
        + "completed_at = CASE WHEN "
        + retry
        + " THEN NULL ELSE "
        + at
        + " END, "
        + "retry_count = CASE WHEN "
        + retry
        + " THEN retry_count + 1 ELSE retry_count END, "
        + "output = jsonb_build_object('error', "
        + error
        + "), worker_id = NULL, lease_until = NULL";
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
  }

  private static List<Job> jobs(RowSet<Row> rows) {
    List<Job> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(Job.of(r));
    }
    return out;
  }
}
