package com.arservice.project;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobState;
import com.arservice.queue.JobStore;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * All SQL of the projects module: creation with its queue job, status, step logs, outcome and
 * deletion. Each outcome writes its webhook events in the same transaction (the outbox).
 */
public final class ProjectStore {
  /** The queue that compile jobs go to (the old service's pg-boss queue name). */
  public static final String COMPILE_QUEUE = "ar-compile";

  /**
   * The NOTIFY channel of project changes (state, progress, a step-log line); the payload is the
   * project id, so a process that serves a live stream learns of changes another process made.
   */
  public static final String CHANGES_CHANNEL = "ar_projects";

  private static final String NOTIFY = "SELECT pg_notify('" + CHANGES_CHANNEL + "', $1)";

  private final Pool pool;
  private final JobStore jobs;
  private final Clock clock;
  private final JobOptions jobOptions;
  private final WebhookStore webhooks;

  public ProjectStore(
      Pool pool, JobStore jobs, WebhookStore webhooks, Clock clock, JobOptions jobOptions) {
    this.pool = pool;
    this.jobs = jobs;
    this.webhooks = webhooks;
    this.clock = clock;
    this.jobOptions = jobOptions;
  }

  /**
   * Stores a new pending project, one item per photo, and its compile job in one transaction, so a
   * project exists exactly when its job does.
   */
  public Future<Void> create(UUID id, CompileRequest req, String viewUrl, Duration demoTtl) {
    OffsetDateTime now = now();
    OffsetDateTime expires = req.isDemo() ? now.plus(demoTtl) : null;
    UUID jobId = UUID.randomUUID();
    // Three independent statements, pipelined on the transaction's connection: one round trip.
    return pool.withTransaction(
        tx ->
            Future.all(
                    tx.preparedQuery(
                            """
                INSERT INTO ar_projects (id, user_id, order_id, photo_url, video_url, mask_url, shape_type, view_url,
                                         status, config, fit_mode, is_demo, expires_at, created_at, queued_at,
                                         updated_at, queue_job_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12, $13, $13, $13, $14)""")
                        .execute(
                            Tuple.from(
                                Arrays.asList(
                                    id,
                                    req.userId(),
                                    req.orderId(),
                                    req.photoUrls().get(0),
                                    first(req.videoUrls()),
                                    first(req.maskUrls()),
                                    req.shapeType(),
                                    viewUrl,
                                    req.config(),
                                    req.config().getString("fitMode"),
                                    req.isDemo(),
                                    expires,
                                    now,
                                    jobId.toString()))),
                    tx.preparedQuery(
                            "INSERT INTO ar_project_items (project_id, item_index, photo_url, video_url, "
                                + "mask_url, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .executeBatch(items(id, req, now)),
                    jobs.enqueue(
                        tx,
                        jobId,
                        COMPILE_QUEUE,
                        new JsonObject().put("projectId", id.toString()),
                        jobOptions.withSingletonKey(id.toString())))
                .mapEmpty());
  }

  private static List<Tuple> items(UUID id, CompileRequest req, OffsetDateTime now) {
    List<Tuple> out = new ArrayList<>();
    for (int i = 0; i < req.photoUrls().size(); i++) {
      out.add(
          Tuple.from(
              Arrays.asList(
                  id,
                  i,
                  req.photoUrls().get(i),
                  at(req.videoUrls(), i),
                  at(req.maskUrls(), i),
                  now)));
    }
    return out;
  }

  /**
   * Compiles a finished project again with today's compiler, keeping its id: back to pending with a
   * new job, in one transaction. Fails NOT_FOUND for an unknown id and CONFLICT for a project that
   * is deleted or still being compiled.
   */
  public Future<Void> recompile(UUID id, JsonObject jobData) {
    return requeue(
        id,
        jobData,
        List.of("ready", "error"),
        "only ready and failed projects are compiled again");
  }

  /**
   * A new attempt for a project in error: back to pending with a new compile job, in one
   * transaction. NOT_FOUND for an unknown id, CONFLICT for a project in any other state.
   */
  public Future<Void> retry(UUID id) {
    return requeue(
        id, new JsonObject(), List.of("error"), "only a failed project can be tried again");
  }

  private Future<Void> requeue(UUID id, JsonObject jobData, List<String> from, String rule) {
    OffsetDateTime now = now();
    UUID jobId = UUID.randomUUID();
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    """
                    UPDATE ar_projects SET status = 'pending', progress = 0, current_step = NULL, error_message = NULL,
                        retry_count = 0, queued_at = $2, updated_at = $2, queue_job_id = $3
                    WHERE id = $1 AND status = ANY($4) RETURNING id""")
                .execute(Tuple.of(id, now, jobId.toString(), from.toArray(String[]::new)))
                .compose(
                    rows -> {
                      if (rows.size() > 0) {
                        return jobs.enqueue(
                                tx,
                                jobId,
                                COMPILE_QUEUE,
                                jobData.copy().put("projectId", id.toString()),
                                jobOptions.withSingletonKey(id.toString()))
                            .compose(job -> changed(tx, id));
                      }
                      return find(tx, id)
                          .compose(
                              found ->
                                  Future.failedFuture(
                                      found.isEmpty()
                                          ? new ServiceException(Code.NOT_FOUND, "No project " + id)
                                          : new ServiceException(
                                              Code.CONFLICT,
                                              "Project "
                                                  + id
                                                  + " is "
                                                  + found.get().status()
                                                  + "; "
                                                  + rule)));
                    }));
  }

  /** Tells live streams in every process (on commit) that the project changed. */
  private static Future<Void> changed(SqlClient tx, UUID id) {
    return tx.preparedQuery(NOTIFY).execute(Tuple.of(id.toString())).mapEmpty();
  }

  /** The ids of all ready projects, oldest first. */
  public Future<List<UUID>> readyIds() {
    return pool.query("SELECT id FROM ar_projects WHERE status = 'ready' ORDER BY created_at, id")
        .execute()
        .map(
            rows -> {
              List<UUID> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getUUID("id")));
              return out;
            });
  }

  /** The project and its items; empty for an unknown id. */
  public Future<Optional<StoredProject>> find(UUID id) {
    return find(pool, id);
  }

  private static Future<Optional<StoredProject>> find(SqlClient client, UUID id) {
    return client
        .preparedQuery("SELECT " + StoredProject.COLUMNS + " FROM ar_projects WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture(Optional.empty())
                    : client
                        .preparedQuery(
                            "SELECT "
                                + StoredProject.ITEM_COLUMNS
                                + " FROM ar_project_items "
                                + "WHERE project_id = $1 ORDER BY item_index")
                        .execute(Tuple.of(id))
                        .map(
                            items -> Optional.of(StoredProject.of(rows.iterator().next(), items))));
  }

  /** The step log of a project, oldest first. */
  public Future<JsonArray> logs(UUID id) {
    return logs(
        "SELECT step, status, duration_ms, details, error, created_at FROM ar_compilation_logs "
            + "WHERE project_id = $1 ORDER BY id",
        Tuple.of(id));
  }

  private Future<JsonArray> logs(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              boolean withIds = rows.columnsNames().contains("id");
              for (Row r : rows) {
                JsonObject line = new JsonObject();
                if (withIds) {
                  line.put("id", r.getLong("id"));
                }
                out.add(
                    line.put("step", r.getString("step"))
                        .put("status", r.getString("status"))
                        .put("durationMs", r.getInteger("duration_ms"))
                        .put("details", r.getJsonObject("details"))
                        .put("error", r.getString("error"))
                        .put("createdAt", r.getOffsetDateTime("created_at").toString()));
              }
              return out;
            });
  }

  /**
   * One page of projects, newest first, after {@code query.after()}'s cursor (keyset paging: the
   * page costs the same however deep it is): {@code {projects: [...], next: cursor|null}}.
   */
  public Future<JsonObject> page(ProjectMessages.Page query) {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder("TRUE");
    equal(where, args, "p.status", query.status());
    equal(where, args, "p.user_id", query.userId());
    equal(where, args, "p.order_id", query.orderId());
    equal(where, args, "p.is_demo", query.demo());
    if (query.q() != null) {
      args.add("%" + query.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      int n = args.size();
      where.append(
          " AND (p.id::text LIKE lower($"
              + n
              + ") OR p.user_id ILIKE $"
              + n
              + " OR p.order_id ILIKE $"
              + n
              + ")");
    }
    if (query.after() != null) {
      args.add(query.after().createdAt());
      args.add(query.after().id());
      where
          .append(" AND (p.created_at, p.id) < ($")
          .append(args.size() - 1)
          .append(", $")
          .append(args.size())
          .append(")");
    }
    args.add(query.limit() + 1);
    return pool.preparedQuery(
            "SELECT p.id, p.user_id, p.order_id, p.is_demo, p.status, p.progress, p.current_step, "
                + "p.error_message, p.compilation_time_ms, p.created_at, "
                + "(SELECT count(*)::int FROM ar_project_items i WHERE i.project_id = p.id) AS targets "
                + "FROM ar_projects p WHERE "
                + where
                + " ORDER BY p.created_at DESC, p.id DESC LIMIT $"
                + args.size())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              JsonArray projects = new JsonArray();
              PageCursor next = null;
              for (Row r : rows) {
                if (projects.size() == query.limit()) {
                  break;
                }
                next = new PageCursor(r.getOffsetDateTime("created_at"), r.getUUID("id"));
                projects.add(
                    new JsonObject()
                        .put("projectId", r.getUUID("id").toString())
                        .put("userId", r.getString("user_id"))
                        .put("orderId", r.getString("order_id"))
                        .put("isDemo", r.getBoolean("is_demo"))
                        .put("status", r.getString("status"))
                        .put("progress", r.getInteger("progress"))
                        .put("currentStep", r.getString("current_step"))
                        .put("errorMessage", r.getString("error_message"))
                        .put("compilationTimeMs", r.getInteger("compilation_time_ms"))
                        .put("markersCount", r.getInteger("targets"))
                        .put("createdAt", r.getOffsetDateTime("created_at").toString()));
              }
              boolean more = rows.size() > query.limit();
              return new JsonObject()
                  .put("projects", projects)
                  .put("next", more ? next.encode() : null);
            });
  }

  /** Adds {@code AND column = $n} for a filter that is set. */
  private static void equal(StringBuilder where, List<Object> args, String column, Object value) {
    if (value != null) {
      args.add(value);
      where.append(" AND ").append(column).append(" = $").append(args.size());
    }
  }

  /**
   * Projects by state, and the compilations that ended in the last {@code hours} hours, per hour
   * (oldest first) and in all, with the median compile time of the ready ones: {@code {byStatus,
   * hourly: [{from, ready, failed}], ready, failed, medianCompileMs}}.
   */
  public Future<JsonObject> stats(int hours) {
    OffsetDateTime now = now();
    OffsetDateTime from = now.minusHours(hours);
    Future<JsonObject> byStatus =
        pool.query("SELECT status, count(*)::int AS n FROM ar_projects GROUP BY status")
            .execute()
            .map(
                rows -> {
                  JsonObject out = new JsonObject();
                  rows.forEach(r -> out.put(r.getString("status"), r.getInteger("n")));
                  return out;
                });
    // A failed compilation is one that ended with an error message (it stays so once deleted).
    Future<JsonArray> hourly =
        pool.preparedQuery(
                """
                SELECT floor(extract(epoch FROM (compilation_finished_at - $1)) / 3600)::int AS bucket,
                    count(*) FILTER (WHERE error_message IS NULL)::int AS ready,
                    count(*) FILTER (WHERE error_message IS NOT NULL)::int AS failed
                FROM ar_projects WHERE compilation_finished_at > $1 AND compilation_finished_at <= $2
                GROUP BY 1""")
            .execute(Tuple.of(from, now))
            .map(
                rows -> {
                  int[][] counts = new int[hours][2];
                  for (Row r : rows) {
                    int b = Math.min(hours - 1, Math.max(0, r.getInteger("bucket")));
                    counts[b][0] += r.getInteger("ready");
                    counts[b][1] += r.getInteger("failed");
                  }
                  JsonArray out = new JsonArray();
                  for (int b = 0; b < hours; b++) {
                    out.add(
                        new JsonObject()
                            .put("from", from.plusHours(b).toString())
                            .put("ready", counts[b][0])
                            .put("failed", counts[b][1]));
                  }
                  return out;
                });
    Future<Integer> median =
        pool.preparedQuery(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY compilation_time_ms) AS m "
                    + "FROM ar_projects WHERE compilation_finished_at > $1 AND error_message IS NULL "
                    + "AND compilation_time_ms IS NOT NULL")
            .execute(Tuple.of(from))
            .map(
                rows -> {
                  Double m = rows.iterator().next().getDouble("m");
                  return m == null ? null : (int) Math.round(m);
                });
    return Future.all(byStatus, hourly, median)
        .map(
            v -> {
              int ready = 0;
              int failed = 0;
              for (Object o : hourly.result()) {
                ready += ((JsonObject) o).getInteger("ready");
                failed += ((JsonObject) o).getInteger("failed");
              }
              return new JsonObject()
                  .put("byStatus", byStatus.result())
                  .put("hourly", hourly.result())
                  .put("ready", ready)
                  .put("failed", failed)
                  .put("medianCompileMs", median.result());
            });
  }

  /**
   * The step-log lines of a project after line {@code afterLine} (0: from the start), oldest first,
   * each with its {@code id}: what a live stream has not sent yet.
   */
  public Future<JsonArray> logsAfter(UUID id, long afterLine) {
    return logs(
        "SELECT id, step, status, duration_ms, details, error, created_at FROM ar_compilation_logs "
            + "WHERE project_id = $1 AND id > $2 ORDER BY id",
        Tuple.of(id, afterLine));
  }

  /**
   * When each of {@code ids} last changed and its newest step-log line, in one query: how live
   * streams notice a change whose NOTIFY they missed.
   */
  public Future<Map<UUID, ProjectMessages.Version>> versions(List<UUID> ids) {
    return pool.preparedQuery(
            "SELECT p.id, p.updated_at, (SELECT max(l.id) FROM ar_compilation_logs l "
                + "WHERE l.project_id = p.id) AS last_line FROM ar_projects p WHERE p.id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, ProjectMessages.Version> out = new HashMap<>();
              for (Row r : rows) {
                Long last = r.getLong("last_line");
                out.put(
                    r.getUUID("id"),
                    new ProjectMessages.Version(
                        r.getOffsetDateTime("updated_at"), last == null ? 0 : last));
              }
              return out;
            });
  }

  /** Marks a project as being compiled (again, after a retry) from now on. */
  public Future<Void> markProcessing(UUID id, int attempt) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE ar_projects SET status = 'processing', compilation_started_at = $2, "
                        + "updated_at = $2, retry_count = $3, error_message = NULL, progress = 0 WHERE id = $1 "
                        + "AND status IN ('pending', 'processing')")
                .execute(Tuple.of(id, now(), attempt))
                .compose(v -> changed(tx, id)));
  }

  /** Records one step's event in the log and, when given, the project's progress. */
  public Future<Void> step(UUID id, StepEvent event) {
    OffsetDateTime now = now();
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "INSERT INTO ar_compilation_logs "
                            + "(project_id, step, status, duration_ms, details, error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .execute(
                        Tuple.from(
                            Arrays.asList(
                                id,
                                event.step().logName(),
                                event.status(),
                                event.durationMs(),
                                event.details(),
                                event.error(),
                                now)))
                    .compose(
                        v ->
                            event.progress() == null
                                ? Future.succeededFuture()
                                : tx.preparedQuery(
                                        "UPDATE ar_projects SET progress = GREATEST(progress, $2), current_step = $3, "
                                            + "updated_at = $4 WHERE id = $1")
                                    .execute(
                                        Tuple.of(
                                            id, event.progress(), event.step().logName(), now)))
                    .compose(v -> changed(tx, id)))
        .mapEmpty();
  }

  /**
   * Stores a finished compilation (URLs, timings, sizes, what each target became), completes its
   * job and adds {@code ar.compilation.complete} (and, unless a demo, {@code ar.email.request}) in
   * the same transaction; fails with CONFLICT, changing nothing, when the worker had lost the job
   * to another instance.
   */
  public Future<Void> finishReady(UUID id, CompileResult result, UUID jobId, String workerId) {
    OffsetDateTime now = now();
    CompileResult.Target first = result.first();
    return pool.withTransaction(
        tx ->
            jobs.complete(tx, jobId, workerId, new JsonObject())
                .compose(
                    held ->
                        held
                            ? Future.succeededFuture()
                            : Future.failedFuture(
                                new ServiceException(
                                    Code.CONFLICT,
                                    "The compile job was taken over by another worker")))
                .compose(
                    v ->
                        tx.preparedQuery(
                                """
            UPDATE ar_projects SET status = 'ready', progress = 100, current_step = 'done', updated_at = $2,
                compilation_finished_at = $2, compilation_time_ms = $3, marker_mind_url = $4, viewer_html_url = $5,
                qr_code_url = $6, photo_width = $7, photo_height = $8, video_width = $9, video_height = $10,
                video_duration_ms = $11, photo_aspect_ratio = $12, video_aspect_ratio = $13, error_message = NULL,
                marker_mode = $14
            WHERE id = $1
            RETURNING user_id, view_url, qr_code_url, is_demo""")
                            .execute(
                                Tuple.from(
                                    Arrays.asList(
                                        id,
                                        now,
                                        result.compilationTimeMs(),
                                        result.markerMindUrl(),
                                        result.viewerHtmlUrl(),
                                        result.qrCodeUrl(),
                                        first.photoWidth(),
                                        first.photoHeight(),
                                        first.videoWidth(),
                                        first.videoHeight(),
                                        first.videoDurationMs(),
                                        result.photoAspectRatio(),
                                        result.videoAspectRatio(),
                                        result.markerMode())))
                            .compose(
                                rows ->
                                    readyEvents(
                                        tx, id, rows.iterator().next(), result.qualityEvent())))
                .compose(
                    v ->
                        tx.preparedQuery(
                                """
                UPDATE ar_project_items SET photo_width = $3, photo_height = $4, video_width = $5, video_height = $6,
                    video_duration_ms = $7, keyframes = $8, points = $9, artifacts = $10, quality = $11
                WHERE project_id = $1 AND item_index = $2""")
                            .executeBatch(targetTuples(id, result.targets())))
                .compose(v -> changed(tx, id)));
  }

  /** The ready events; {@code quality} (see {@link CompileResult#qualityEvent}) may be null. */
  private Future<Void> readyEvents(SqlClient tx, UUID id, Row project, JsonObject quality) {
    String viewUrl = project.getString("view_url");
    JsonObject data =
        new JsonObject()
            .put("projectId", id.toString())
            .put("viewUrl", viewUrl)
            .put("qrCodeUrl", project.getString("qr_code_url"))
            .put("status", "ready");
    if (quality != null) {
      data.put("quality", quality);
    }
    Future<UUID> complete = webhooks.add(tx, WebhookStore.COMPILATION_COMPLETE, id, data);
    if (project.getBoolean("is_demo")) {
      return complete.mapEmpty();
    }
    return complete
        .compose(
            v ->
                webhooks.add(
                    tx,
                    WebhookStore.EMAIL_REQUEST,
                    id,
                    new JsonObject()
                        .put("projectId", id.toString())
                        .put("userId", project.getString("user_id"))
                        .put("viewUrl", viewUrl)
                        .put("emailType", "ar_ready")))
        .mapEmpty();
  }

  private static List<Tuple> targetTuples(UUID id, List<CompileResult.Target> targets) {
    List<Tuple> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      CompileResult.Target t = targets.get(i);
      out.add(
          Tuple.from(
              Arrays.asList(
                  id,
                  i,
                  t.photoWidth(),
                  t.photoHeight(),
                  t.videoWidth(),
                  t.videoHeight(),
                  t.videoDurationMs(),
                  t.keyframes(),
                  t.points(),
                  t.artifacts(),
                  t.quality() == null ? null : t.quality().toJson())));
    }
    return out;
  }

  /**
   * Ends a failed attempt together with its job: a transient failure with retries left puts the job
   * back in the queue and keeps the project processing; otherwise the project is in error. Returns
   * the job's new state (empty when the worker had lost the job, and nothing changed).
   */
  public Future<Optional<JobState>> finishFailed(
      UUID id, String message, boolean transientFailure, UUID jobId, String workerId) {
    return pool.withTransaction(
        tx ->
            jobs.fail(tx, jobId, workerId, message, transientFailure)
                .compose(
                    state -> {
                      if (state.isEmpty()) {
                        return Future.succeededFuture(state);
                      }
                      Future<Void> change =
                          state.get() == JobState.FAILED
                              ? markError(tx, id, message)
                              : tx.preparedQuery(
                                      "UPDATE ar_projects SET current_step = 'waiting to retry', updated_at = $2 "
                                          + "WHERE id = $1")
                                  .execute(Tuple.of(id, now()))
                                  .compose(v -> changed(tx, id));
                      return change.map(state);
                    }));
  }

  /** Marks a project failed with a sentence for the shop owner (its job already ended). */
  public Future<Void> markError(UUID id, String message) {
    return pool.withTransaction(tx -> markError(tx, id, message));
  }

  /**
   * The error state and, when the project was not in error already, {@code ar.compilation.failed}.
   */
  private Future<Void> markError(SqlClient tx, UUID id, String message) {
    return tx.preparedQuery(
            """
            UPDATE ar_projects p SET status = 'error', error_message = $2, updated_at = $3,
                compilation_finished_at = $3, current_step = 'failed'
            FROM (SELECT id, status FROM ar_projects WHERE id = $1 FOR UPDATE) before
            WHERE p.id = before.id AND p.status <> 'deleted'
            RETURNING before.status AS previous""")
        .execute(Tuple.of(id, message, now()))
        .compose(
            rows ->
                rows.size() == 0 || "error".equals(rows.iterator().next().getString("previous"))
                    ? Future.succeededFuture()
                    : changed(tx, id)
                        .compose(
                            v ->
                                webhooks.add(
                                    tx,
                                    WebhookStore.COMPILATION_FAILED,
                                    id,
                                    new JsonObject()
                                        .put("projectId", id.toString())
                                        .put("errorMessage", message)
                                        .put("status", "error")))
                        .mapEmpty());
  }

  /**
   * Demo projects past their expiry, finished (ready or in error) and not yet deleted, oldest
   * expiry first; a demo still compiling waits for the next cleanup.
   */
  public Future<List<UUID>> expiredDemos(int limit) {
    return pool.preparedQuery(
            "SELECT id FROM ar_projects WHERE is_demo AND expires_at <= $1 "
                + "AND status IN ('ready', 'error') ORDER BY expires_at, id LIMIT $2")
        .execute(Tuple.of(now(), limit))
        .map(
            rows -> {
              List<UUID> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getUUID("id")));
              return out;
            });
  }

  /** Every upload URL (photo, video, mask) that a pending or processing project uses. */
  public Future<List<String>> uploadsInUse() {
    return pool.query(
            """
            SELECT DISTINCT url FROM ar_project_items i JOIN ar_projects p ON p.id = i.project_id,
                LATERAL (VALUES (i.photo_url), (i.video_url), (i.mask_url)) AS u(url)
            WHERE p.status IN ('pending', 'processing') AND url IS NOT NULL""")
        .execute()
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString("url")));
              return out;
            });
  }

  /**
   * Marks a project deleted and adds {@code ar.project.deleted} in one transaction; false (and
   * nothing written) when it was deleted already or does not exist.
   */
  public Future<Boolean> markDeleted(UUID id, String reason) {
    OffsetDateTime now = now();
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE ar_projects SET status = 'deleted', deleted_at = $2, "
                        + "updated_at = $2, current_step = NULL WHERE id = $1 AND status <> 'deleted' RETURNING user_id, is_demo")
                .execute(Tuple.of(id, now))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(false)
                            : webhooks
                                .add(
                                    tx,
                                    WebhookStore.PROJECT_DELETED,
                                    id,
                                    new JsonObject()
                                        .put("projectId", id.toString())
                                        .put("userId", rows.iterator().next().getString("user_id"))
                                        .put("isDemo", rows.iterator().next().getBoolean("is_demo"))
                                        .put("reason", reason)
                                        .put("status", "deleted"))
                                .compose(v -> changed(tx, id))
                                .map(true)));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static String first(List<String> list) {
    return list.isEmpty() ? null : list.get(0);
  }

  private static String at(List<String> list, int i) {
    return i < list.size() ? list.get(i) : null;
  }
}
