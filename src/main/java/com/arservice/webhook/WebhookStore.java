package com.arservice.webhook;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * All SQL of the webhook outbox. Producers add events on their own transaction, so an event exists
 * exactly when the change that caused it does; delivering instances claim due events under a lease
 * ({@code FOR UPDATE SKIP LOCKED}) and record each attempt's outcome.
 */
public final class WebhookStore {
  /** The NOTIFY channel that wakes deliverers when an event is committed. */
  public static final String CHANNEL = "ar_webhooks";

  public static final String COMPILATION_COMPLETE = "ar.compilation.complete";
  public static final String COMPILATION_FAILED = "ar.compilation.failed";
  public static final String EMAIL_REQUEST = "ar.email.request";
  public static final String PROJECT_DELETED = "ar.project.deleted";

  /** States an event can be in; {@code recorded} = kept, never sent (no backend configured). */
  public static final List<String> STATES = List.of("pending", "delivered", "failed", "recorded");

  private static final int RESPONSE_BODY_LIMIT = 2000;
  private static final String COLUMNS =
      "id, event_type, project_id, state, payload, attempts, response_status, "
          + "response_body, last_error, last_attempt_at, next_retry_at, delivered_at, created_at";

  private final Pool pool;
  private final Clock clock;
  private final boolean sending;

  /**
   * @param sending whether a backend receives events; without one they are only recorded
   */
  public WebhookStore(Pool pool, Clock clock, boolean sending) {
    this.pool = pool;
    this.clock = clock;
    this.sending = sending;
  }

  /** An event claimed for one delivery attempt: the exact body that every attempt sends. */
  public record Claimed(UUID id, String event, String body, int attempts) {}

  /**
   * Adds an event on {@code client}, the transaction of the change it reports. The body {@code
   * {event, data, timestamp}} is encoded once and stored, so every retry sends the same bytes under
   * the same signature input.
   */
  public Future<UUID> add(SqlClient client, String event, UUID projectId, JsonObject data) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = now();
    JsonObject payload =
        new JsonObject()
            .put("event", event)
            .put("data", data)
            .put("timestamp", now.toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
    Future<?> insert =
        client
            .preparedQuery(
                "INSERT INTO ar_webhook_events (id, event_type, project_id, payload, body, "
                    + "state, next_retry_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .execute(
                Tuple.from(
                    Arrays.asList(
                        id,
                        event,
                        projectId,
                        payload,
                        payload.encode(),
                        sending ? "pending" : "recorded",
                        now)));
    return (sending
            ? insert.compose(
                v -> client.preparedQuery("SELECT pg_notify($1, '')").execute(Tuple.of(CHANNEL)))
            : insert)
        .map(id);
  }

  /**
   * Claims up to {@code limit} due events for {@code owner} until the lease ends, oldest due first.
   */
  public Future<List<Claimed>> claim(String owner, Duration lease, int limit) {
    OffsetDateTime now = now();
    return pool.preparedQuery(
            """
            UPDATE ar_webhook_events e SET lease_owner = $3, lease_until = $4
            FROM (SELECT id FROM ar_webhook_events
                  WHERE state = 'pending' AND next_retry_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
                  ORDER BY next_retry_at, created_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
            WHERE e.id = due.id
            RETURNING e.id, e.event_type, e.body, e.attempts""")
        .execute(Tuple.of(now, limit, owner, now.plus(lease)))
        .map(
            rows -> {
              List<Claimed> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Claimed(
                        r.getUUID("id"),
                        r.getString("event_type"),
                        r.getString("body"),
                        r.getInteger("attempts")));
              }
              return out;
            });
  }

  /**
   * Records one attempt of an event {@code owner} holds: delivered, retried at {@code nextRetry},
   * or failed for good when {@code nextRetry} is null. The response body is kept truncated.
   */
  public Future<Void> recordAttempt(
      UUID id,
      String owner,
      boolean delivered,
      Integer status,
      String responseBody,
      String error,
      Instant nextRetry) {
    OffsetDateTime now = now();
    String state = delivered ? "delivered" : nextRetry == null ? "failed" : "pending";
    return pool.preparedQuery(
            """
            UPDATE ar_webhook_events SET state = $3, attempts = attempts + 1, last_attempt_at = $4,
                response_status = $5, response_body = $6, last_error = $7, next_retry_at = $8,
                delivered_at = CASE WHEN $3 = 'delivered' THEN $4 ELSE delivered_at END,
                lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2""")
        .execute(
            Tuple.from(
                Arrays.asList(
                    id,
                    owner,
                    state,
                    now,
                    status,
                    truncate(responseBody),
                    error,
                    nextRetry == null
                        ? null
                        : OffsetDateTime.ofInstant(nextRetry, ZoneOffset.UTC))))
        .mapEmpty();
  }

  /** When the next pending event falls due (or its lease ends), if any is pending. */
  public Future<Optional<Instant>> nextDue() {
    return pool.query(
            "SELECT min(GREATEST(next_retry_at, lease_until)) AS due FROM ar_webhook_events "
                + "WHERE state = 'pending'")
        .execute()
        .map(
            rows ->
                Optional.ofNullable(rows.iterator().next().getOffsetDateTime("due"))
                    .map(OffsetDateTime::toInstant));
  }

  /** Events newest first, optionally of one project and/or in one state, at most {@code limit}. */
  public Future<JsonArray> list(UUID projectId, String state, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM ar_webhook_events WHERE ($1::uuid IS NULL OR project_id = $1) "
                + "AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC, id LIMIT $3")
        .execute(Tuple.of(projectId, state, limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              rows.forEach(r -> out.add(json(r)));
              return out;
            });
  }

  /**
   * Events by state, and those that failed for good or are overdue: {@code {byState, backlog,
   * failed, oldestPendingAt}} (backlog: pending ones, oldestPendingAt: null without any).
   */
  public Future<JsonObject> stats() {
    return pool.query(
            "SELECT state, count(*)::int AS n, min(created_at) AS oldest FROM ar_webhook_events GROUP BY state")
        .execute()
        .map(
            rows -> {
              JsonObject byState = new JsonObject();
              STATES.forEach(st -> byState.put(st, 0));
              OffsetDateTime oldest = null;
              for (Row r : rows) {
                byState.put(r.getString("state"), r.getInteger("n"));
                if ("pending".equals(r.getString("state"))) {
                  oldest = r.getOffsetDateTime("oldest");
                }
              }
              return new JsonObject()
                  .put("byState", byState)
                  .put("backlog", byState.getInteger("pending"))
                  .put("failed", byState.getInteger("failed"))
                  .put("oldestPendingAt", oldest == null ? null : oldest.toString());
            });
  }

  /**
   * Puts an event back in the queue, due now with a fresh retry schedule; empty for an unknown id.
   */
  public Future<Optional<JsonObject>> redeliver(UUID id) {
    return pool.preparedQuery(
            "UPDATE ar_webhook_events SET state = 'pending', attempts = 0, next_retry_at = $2, "
                + "last_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, now()))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture(Optional.<JsonObject>empty())
                    : pool.preparedQuery("SELECT pg_notify($1, '')")
                        .execute(Tuple.of(CHANNEL))
                        .map(v -> Optional.of(json(rows.iterator().next()))));
  }

  /** Deletes delivered events older than {@code age}; returns how many. */
  public Future<Integer> purgeDelivered(Duration age) {
    return pool.preparedQuery(
            "DELETE FROM ar_webhook_events WHERE state = 'delivered' AND delivered_at < $1")
        .execute(Tuple.of(now().minus(age)))
        .map(RowSet::rowCount);
  }

  private static JsonObject json(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("event", r.getString("event_type"))
        .put(
            "projectId",
            r.getUUID("project_id") == null ? null : r.getUUID("project_id").toString())
        .put("state", r.getString("state"))
        .put("attempts", r.getInteger("attempts"))
        .put("lastStatus", r.getInteger("response_status"))
        .put("lastResponse", r.getString("response_body"))
        .put("lastError", r.getString("last_error"))
        .put("lastAttemptAt", time(r, "last_attempt_at"))
        .put("nextRetryAt", time(r, "next_retry_at"))
        .put("deliveredAt", time(r, "delivered_at"))
        .put("createdAt", time(r, "created_at"))
        .put("payload", r.getJsonObject("payload"));
  }

  private static String time(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toString();
  }

  private static String truncate(String s) {
    return s == null || s.length() <= RESPONSE_BODY_LIMIT ? s : s.substring(0, RESPONSE_BODY_LIMIT);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
