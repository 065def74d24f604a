package com.arservice.analytics;

import com.arservice.webhook.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * All SQL of the viewer analytics: per project, day and device family one row of counts and
 * histograms, added to by upserts; the poor-detection flag with its webhook event in one
 * transaction; reading and the retention purge.
 */
public final class AnalyticsStore {
  /** Below this share of AR-ready viewings finding the print, a project detects poorly. */
  public static final double POOR_FOUND_RATE = 0.2;

  public static final String POOR_DETECTION = "ar.project.poor_detection";

  /** Most flagged projects the overview lists, newest first. */
  private static final int FLAGGED_LIMIT = 100;

  private static final int READY = Measure.AR_READY.ordinal() + 1;
  private static final int FOUND = Measure.VIEWS_FOUND.ordinal() + 1;

  private final Pool pool;
  private final WebhookStore webhooks;
  private final Clock clock;

  public AnalyticsStore(Pool pool, WebhookStore webhooks, Clock clock) {
    this.pool = pool;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  /** One row's key, ordered as the primary key. */
  record Key(UUID projectId, LocalDate day, String device) implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::projectId).thenComparing(Key::day).thenComparing(Key::device);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * Adds each tally to its row; rows of projects deleted meanwhile are skipped. Rows are written in
   * key order, so the batches of several API processes do not deadlock on each other.
   */
  Future<Void> add(Map<Key, Tally> tallies) {
    if (tallies.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    new TreeMap<>(tallies)
        .forEach(
            (k, t) ->
                batch.add(
                    Tuple.of(k.projectId(), k.day(), k.device())
                        .addArrayOfLong(boxed(t.counts))
                        .addArrayOfLong(boxed(t.readyMs))
                        .addArrayOfLong(boxed(t.foundMs))));
    return pool.preparedQuery(
            """
            INSERT INTO ar_viewer_days (project_id, day, device, counts, ready_ms, found_ms)
            SELECT $1::uuid, $2::date, $3::text, $4::bigint[], $5::bigint[], $6::bigint[]
            WHERE EXISTS (SELECT 1 FROM ar_projects WHERE id = $1::uuid)
            ON CONFLICT (project_id, day, device) DO UPDATE SET
              counts = ar_add_counts(ar_viewer_days.counts, EXCLUDED.counts),
              ready_ms = ar_add_counts(ar_viewer_days.ready_ms, EXCLUDED.ready_ms),
              found_ms = ar_add_counts(ar_viewer_days.found_ms, EXCLUDED.found_ms)""")
        .executeBatch(batch)
        .mapEmpty();
  }

  /**
   * Flags those of {@code projects} whose AR-ready viewings (all kept days) number at least {@code
   * minViews} and found the print less than {@link #POOR_FOUND_RATE} of the time, each once, with
   * an {@code ar.project.poor_detection} webhook event in the same transaction. Answers how many
   * were flagged now.
   */
  Future<Integer> flagPoorDetection(List<UUID> projects, int minViews) {
    if (projects.isEmpty()) {
      return Future.succeededFuture(0);
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    """
                    WITH sums AS (
                      SELECT project_id, ar_sum_counts(counts) AS c FROM ar_viewer_days
                      WHERE project_id = ANY($1) GROUP BY project_id)
                    INSERT INTO ar_viewer_alerts (project_id, raised_at, views, found)
                    SELECT s.project_id, $2, s.c[%d], s.c[%d] FROM sums s
                    JOIN ar_projects p ON p.id = s.project_id AND p.status <> 'deleted'
                    WHERE s.c[%d] >= $3 AND s.c[%d] < s.c[%d] * $4::float8
                    ON CONFLICT (project_id) DO NOTHING
                    RETURNING project_id, views, found,
                      (SELECT user_id FROM ar_projects WHERE id = project_id) AS user_id,
                      (SELECT order_id FROM ar_projects WHERE id = project_id) AS order_id"""
                        .formatted(READY, FOUND, READY, FOUND, READY))
                .execute(Tuple.of(projects.toArray(UUID[]::new), now, minViews, POOR_FOUND_RATE))
                .compose(
                    rows -> {
                      Future<?> chain = Future.succeededFuture();
                      for (Row r : rows) {
                        JsonObject data = alertData(r, minViews);
                        chain =
                            chain.compose(
                                v ->
                                    webhooks.add(
                                        tx, POOR_DETECTION, r.getUUID("project_id"), data));
                      }
                      return chain.map(rows.rowCount());
                    }));
  }

  private static JsonObject alertData(Row r, int minViews) {
    long views = r.getLong("views");
    long found = r.getLong("found");
    return new JsonObject()
        .put("projectId", r.getUUID("project_id").toString())
        .put("userId", r.getString("user_id"))
        .put("orderId", r.getString("order_id"))
        .put("scans", views)
        .put("found", found)
        .put("foundRate", views == 0 ? 0.0 : (double) found / views)
        .put("minScans", minViews)
        .put("threshold", POOR_FOUND_RATE);
  }

  /** The rows of one project (or of all, summed per day and device) from {@code from} on. */
  Future<List<StatsReport.Row>> rows(UUID projectId, LocalDate from) {
    String sql =
        projectId == null
            ? "SELECT day, device, ar_sum_counts(counts) AS counts, ar_sum_counts(ready_ms) AS"
                + " ready_ms, ar_sum_counts(found_ms) AS found_ms FROM ar_viewer_days WHERE day >= $1"
                + " GROUP BY day, device ORDER BY day, device"
            : "SELECT day, device, counts, ready_ms, found_ms FROM ar_viewer_days"
                + " WHERE day >= $1 AND project_id = $2 ORDER BY day, device";
    Tuple args = projectId == null ? Tuple.of(from) : Tuple.of(from, projectId);
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<StatsReport.Row> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new StatsReport.Row(
                        r.getLocalDate("day"),
                        r.getString("device"),
                        new Tally(
                            unboxed(r.getArrayOfLongs("counts")),
                            unboxed(r.getArrayOfLongs("ready_ms")),
                            unboxed(r.getArrayOfLongs("found_ms")))));
              }
              return out;
            });
  }

  /** When a project was flagged for poor detection, or null. */
  Future<JsonObject> alert(UUID projectId) {
    return pool.preparedQuery(
            "SELECT raised_at, views, found FROM ar_viewer_alerts WHERE project_id = $1")
        .execute(Tuple.of(projectId))
        .map(rows -> rows.size() == 0 ? null : alertJson(rows.iterator().next()));
  }

  /** The flagged projects that are not deleted, newest first. */
  Future<JsonArray> alerts() {
    return pool.preparedQuery(
            "SELECT a.project_id, a.raised_at, a.views, a.found, p.user_id, p.order_id"
                + " FROM ar_viewer_alerts a JOIN ar_projects p ON p.id = a.project_id"
                + " WHERE p.status <> 'deleted' ORDER BY a.raised_at DESC LIMIT $1")
        .execute(Tuple.of(FLAGGED_LIMIT))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    alertJson(r)
                        .put("projectId", r.getUUID("project_id").toString())
                        .put("userId", r.getString("user_id"))
                        .put("orderId", r.getString("order_id")));
              }
              return out;
            });
  }

  private static JsonObject alertJson(Row r) {
    return new JsonObject()
        .put("raisedAt", r.getOffsetDateTime("raised_at").toInstant().toString())
        .put("scans", r.getLong("views"))
        .put("found", r.getLong("found"));
  }

  /** Deletes the rows of days before {@code before}; answers how many. */
  public Future<Integer> purge(LocalDate before) {
    return pool.preparedQuery("DELETE FROM ar_viewer_days WHERE day < $1")
        .execute(Tuple.of(before))
        .map(rows -> rows.rowCount());
  }

  private static Long[] boxed(long[] values) {
    return Arrays.stream(values).boxed().toArray(Long[]::new);
  }

  private static long[] unboxed(Long[] values) {
    return Arrays.stream(values).mapToLong(v -> v == null ? 0 : v).toArray();
  }
}
